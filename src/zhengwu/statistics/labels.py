"""Display names of the rollup's codes (channels are the cases app's intake channels, named here so
statistics need not import the cases app)."""

from __future__ import annotations

from django.utils.translation import gettext as _


def channel_label(code: str) -> str:
    names = {
        "online": _("网上申请"),
        "mobile": _("移动端"),
        "window": _("窗口接件"),
        "post": _("邮寄"),
        "kiosk": _("自助终端"),
        "exchange": _("外部系统"),
        "": _("未注明"),
    }
    return names.get(code, code)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def number(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"
