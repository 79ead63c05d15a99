"""Service points on the portal home, grouped by level (市级 / 区县级 / 镇街 / 村居).

The rows come from `zhengwu.org.selectors.service_points_for_portal()`: the web shell may not
import org models.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from zhengwu.org.selectors import service_points_for_portal

# Region levels as the org app names them, in display order, with the portal's group titles.
LEVEL_GROUPS: tuple[tuple[str, str | Promise], ...] = (
    ("province", _("省级")),
    ("city", _("市级")),
    ("district", _("区县级")),
    ("town", _("镇街")),
    ("village", _("村居")),
)


@dataclass(frozen=True)
class PortalServicePoint:
    name: str
    kind: str
    region: str
    address: str
    hours: str
    phone: str
    tel: str  # the phone number as a tel: URI target ("" when there is none)
    windows: int | None


@dataclass
class LevelGroup:
    level: str
    title: str
    points: list[PortalServicePoint] = field(default_factory=list)


def tel_target(phone: str) -> str:
    """'0757-1234 5678 转 801' -> '0757-12345678'; empty when the text holds no usable number."""
    match = re.search(r"\+?\d[\d\- ]{2,}\d", phone or "")
    return re.sub(r"\s", "", match.group(0)) if match else ""


def _point(row: dict[str, Any]) -> PortalServicePoint:
    phone = str(row.get("phone") or "")
    windows = row.get("windows")
    return PortalServicePoint(
        name=str(row.get("name") or ""),
        kind=str(row.get("kind_label") or row.get("kind") or ""),
        region=str(row.get("region_name") or ""),
        address=str(row.get("address") or ""),
        hours=str(row.get("hours") or ""),
        phone=phone,
        tel=tel_target(phone),
        windows=windows if isinstance(windows, int) else None,
    )


def portal_service_point_groups() -> list[LevelGroup]:
    """Non-empty groups in level order; a level the shell does not know goes last, under its own label."""
    groups = {level: LevelGroup(level=level, title=str(title)) for level, title in LEVEL_GROUPS}
    for row in service_points_for_portal():
        level = str(row.get("level") or "")
        if level not in groups:
            groups[level] = LevelGroup(level=level, title=str(row.get("level_label") or _("其他")))
        groups[level].points.append(_point(row))
    return [group for group in groups.values() if group.points]
