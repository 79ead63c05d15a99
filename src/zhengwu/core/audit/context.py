"""Where an action comes from (channel, IP, window), bound per request or per task."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class Origin:
    channel: str = "system"  # web, api, window, worker, system, exchange
    ip: str | None = None
    window: str = ""


_DEFAULT = Origin()  # frozen, so sharing one default is safe
_origin: contextvars.ContextVar[Origin] = contextvars.ContextVar("zhengwu_origin", default=_DEFAULT)


def bind_request(request: HttpRequest) -> contextvars.Token[Origin]:
    channel = "api" if request.path.startswith("/api/") else "web"
    ip = request.META.get("REMOTE_ADDR")
    window = request.session.get("window_code", "") if hasattr(request, "session") else ""
    return _origin.set(Origin(channel=channel, ip=ip, window=window))


def bind(origin: Origin) -> contextvars.Token[Origin]:
    return _origin.set(origin)


def reset(token: contextvars.Token[Origin]) -> None:
    _origin.reset(token)


def current() -> Origin:
    return _origin.get()
