"""One-line role checks for function views: ``@require_roles(Role.WINDOW_CLERK, Role.REVIEWER)``.

Anonymous visitors are sent to the login page (they may simply not have logged in yet). A logged-in
user without any of the roles gets **404, not 403**: a 403 would confirm that the page exists and is
worth attacking, and an applicant who follows a staff link learns nothing about the workbench. The
same rule makes a missing and a forbidden object look alike (see shortcuts.get_scoped_or_404).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse

from .actor import Actor, actor_for
from .roles import Role

View = TypeVar("View", bound=Callable[..., HttpResponse])


def login_url() -> str:
    try:
        return reverse(str(settings.LOGIN_URL))
    except NoReverseMatch:
        return "/accounts/login/"


def actor_allowed(actor: Actor, roles: frozenset[Role]) -> bool:
    """No roles declared means any staff role; a sysadmin passes every check."""
    if not actor.is_authenticated:
        return False
    if not roles:
        return actor.is_staff_actor
    return actor.has_role(*roles)


def require_roles(*roles: Role) -> Callable[[View], View]:
    """Let through users holding any of ``roles`` (none given: any staff role); sets ``request.actor``."""
    wanted = frozenset(roles)

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), login_url())
            actor = actor_for(request.user)
            if not actor_allowed(actor, wanted):
                raise Http404
            request.actor = actor  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapped.required_roles = wanted  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


require_staff = require_roles()
