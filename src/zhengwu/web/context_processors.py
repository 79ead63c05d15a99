"""Values every page layout needs. Everything costly is computed lazily, only by pages that use it."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor, actor_for

from .navigation import PORTAL_LINKS, WORKBENCH_LINKS, NavItem, nav_items, url_for

LARGE_TEXT_COOKIE = "zw_large_text"


def is_staff_user(user: Any, actor: Actor) -> bool:
    """Staff by role, by account kind (a staff account whose roles are not yet assigned), or superuser."""
    if not getattr(user, "is_authenticated", False):
        return False
    return actor.is_staff_actor or getattr(user, "kind", "") == "staff" or bool(user.is_superuser)


class Shell:
    """Header data of the two layouts, read from templates as `zw.<name>`."""

    def __init__(self, request: HttpRequest) -> None:
        self._request = request

    @cached_property
    def user(self) -> Any:
        return getattr(self._request, "user", None)

    @cached_property
    def actor(self) -> Actor:
        return actor_for(self.user)

    @cached_property
    def is_staff(self) -> bool:
        return is_staff_user(self.user, self.actor)

    @cached_property
    def display_name(self) -> str:
        return self.actor.display_name or (str(self.user) if self.user is not None else "")

    @cached_property
    def role_labels(self) -> list[str]:
        return sorted(str(role.label) for role in self.actor.roles)

    @cached_property
    def department_name(self) -> str:
        if self.actor.user_id is None or self.actor.department_id is None:
            return ""
        from zhengwu.org import selectors as org_selectors

        summary = org_selectors.staff_summary(self.actor.user_id)
        return str(summary["department"]) if summary else ""

    @cached_property
    def workbench_nav(self) -> list[NavItem]:
        return nav_items(WORKBENCH_LINKS, actor=self.actor, current_path=self._request.path)

    @cached_property
    def portal_nav(self) -> list[NavItem]:
        return nav_items(PORTAL_LINKS, actor=self.actor, current_path=self._request.path)

    @cached_property
    def home_url(self) -> str | None:
        return url_for("web:home")

    @cached_property
    def workbench_url(self) -> str | None:
        return url_for("web:workbench") if self.is_staff else None

    @cached_property
    def inbox_url(self) -> str | None:
        return url_for("notify:inbox", "/inbox/")

    @cached_property
    def login_url(self) -> str | None:
        """Where the public logs in (phone and password); staff have their own page."""
        return url_for("accounts:applicant_login", "accounts:login", "/accounts/login/")

    @cached_property
    def staff_login_url(self) -> str | None:
        return url_for("accounts:login", "/accounts/login/")

    @cached_property
    def signup_url(self) -> str | None:
        return url_for("accounts:signup", "accounts:register", "/accounts/signup/")

    @cached_property
    def logout_url(self) -> str | None:
        return url_for("accounts:logout", "/accounts/logout/")

    @cached_property
    def accessibility_url(self) -> str | None:
        return url_for("web:accessibility")


def shell(request: HttpRequest) -> dict[str, object]:
    return {
        "large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "1",
        "zw": Shell(request),
        "site": {
            "name": getattr(settings, "ZHENGWU_SITE_NAME", "") or _("示范市政务服务网"),
            "owner": getattr(settings, "ZHENGWU_SITE_OWNER", "") or _("示范市政务服务和数据管理局"),
            "hotline": getattr(settings, "ZHENGWU_HOTLINE", "12345"),
        },
    }
