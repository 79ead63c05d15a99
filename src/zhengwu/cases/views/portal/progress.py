"""公开进度查询: case number + query code, no login, no personal data, brute force throttled.

The QR code on every case document points here with ?number=&code=. A wrong code and a wrong number
give the same answer. Failed look-ups are counted per client address in the cache; past the limit
the address is refused for the rest of the window (HTTP 429) even with a right code, so guessing
query codes is pointless.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ...forms_portal import ProgressForm
from ...selectors import applicant as selectors
from .common import portal_render

MAX_FAILURES = 10  # failed look-ups per client address …
WINDOW_SECONDS = 15 * 60  # … within this many seconds


def max_failures() -> int:
    return int(getattr(settings, "CASES_PROGRESS_MAX_FAILURES", MAX_FAILURES))


def window_seconds() -> int:
    return int(getattr(settings, "CASES_PROGRESS_WINDOW_SECONDS", WINDOW_SECONDS))


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR only: X-Forwarded-For is set by the client unless a trusted proxy rewrites
    # REMOTE_ADDR (the deployment's proxy does, see docs/operations.md).
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def _key(address: str) -> str:
    return f"cases:progress:fail:{address}"


def failures(address: str) -> int:
    return int(cache.get(_key(address)) or 0)


def record_failure(address: str) -> int:
    key = _key(address)
    cache.add(key, 0, timeout=window_seconds())  # the window starts at the first failure
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds())
        return 1


@require_GET
def progress(request: HttpRequest) -> HttpResponse:
    asked = "number" in request.GET or "code" in request.GET
    form = ProgressForm(request.GET if asked else None)
    context: dict[str, object] = {"form": form, "asked": asked}
    if not asked:
        return portal_render(request, "progress.html", context)
    address = client_address(request)
    minutes = max(1, window_seconds() // 60)
    if failures(address) >= max_failures():
        context["throttled"] = _(
            "查询失败次数过多，请 %(minutes)s 分钟后再试。如有疑问请拨打 12345 热线。"
        ) % {"minutes": minutes}
        return portal_render(request, "progress.html", context, status=429)
    if not form.is_valid():
        return portal_render(request, "progress.html", context, status=400)
    found = selectors.progress_lookup(form.cleaned_data["number"], form.cleaned_data["code"])
    if found is None:
        record_failure(address)
        context["not_found"] = True
        return portal_render(request, "progress.html", context, status=404)
    context["progress"] = found
    return portal_render(request, "progress.html", context)
