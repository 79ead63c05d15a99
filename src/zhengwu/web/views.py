"""Pages of the web shell: portal home, staff landing page, the large-text switch."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from zhengwu.core.access.actor import actor_for
from zhengwu.core.access.decorators import login_url
from zhengwu.core.http import safe_next

from .context_processors import LARGE_TEXT_COOKIE, is_staff_user
from .navigation import role_cards
from .service_points import portal_service_point_groups

LARGE_TEXT_MAX_AGE = 365 * 24 * 3600


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"service_point_groups": portal_service_point_groups()})


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "web/accessibility.html")


@require_GET
def workbench(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), login_url())
    actor = actor_for(request.user)
    if not is_staff_user(request.user, actor):
        # Applicants get the same answer as for a page that does not exist.
        raise Http404
    return render(request, "web/workbench_home.html", {"cards": role_cards(actor)})


@require_POST
def toggle_large_text(request: HttpRequest) -> HttpResponse:
    """Switch large-text mode (适老化) with a plain form, so it works without JavaScript.

    The form says which state it wants ("1" or "0"), so a double submit does not flip it back.
    """
    wanted = request.POST.get("large_text", "")
    turn_on = wanted == "1" if wanted in {"0", "1"} else request.COOKIES.get(LARGE_TEXT_COOKIE) != "1"
    response = HttpResponseRedirect(safe_next(request, reverse("web:home")))
    if turn_on:
        response.set_cookie(
            LARGE_TEXT_COOKIE,
            "1",
            max_age=LARGE_TEXT_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)),
        )
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE, samesite="Lax")
    return response
