"""Who is acting, and what they may see ("two horizontals, two verticals", DOMAIN §5).

An Actor is built once per request from the user by the resolver named in settings.ACTOR_RESOLVER
(the org app owns staff data; the kernel only knows this shape).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.module_loading import import_string

from .regions import region_prefix
from .roles import STAFF_ROLES, Role


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    roles: frozenset[Role] = field(default_factory=frozenset)
    department_id: int | None = None
    department_line: str = ""  # 条线: the same line of business across levels, e.g. "market"
    region_code: str = ""  # the region the actor works in (12 digits)
    window_ids: frozenset[int] = field(default_factory=frozenset)
    company_ids: frozenset[int] = field(default_factory=frozenset)  # companies an agent may act for
    display_name: str = ""

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    @property
    def is_staff_actor(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    def has_role(self, *roles: Role | str) -> bool:
        return any(Role(r) in self.roles for r in roles) or Role.SYSADMIN in self.roles

    @cached_property
    def region_prefix(self) -> str:
        return region_prefix(self.region_code) if self.region_code else ""

    def sees_region(self, code: str) -> bool:
        return bool(self.region_prefix) and code.startswith(self.region_prefix)

    def sees(self, *, region_code: str, department_id: int | None = None, department_line: str = "") -> bool:
        """Object-level scope check, the same rule as scope_q()."""
        if Role.SYSADMIN in self.roles:
            return True
        if not self.is_staff_actor or not self.sees_region(region_code):
            return False
        if self._whole_region():
            return True
        if department_id is not None and department_id == self.department_id:
            return True
        return bool(self.department_line) and department_line == self.department_line

    def scope_q(
        self,
        *,
        region_field: str = "region__code",
        department_field: str | None = "department_id",
        line_field: str | None = "department__line",
    ) -> Q:
        """A filter for staff querysets.

        Supervisors and hall managers see every department of their region and the regions below it;
        department staff see their own department, plus their line's counterparts below them.
        """
        if Role.SYSADMIN in self.roles:
            return Q()
        if not self.is_staff_actor or not self.region_prefix:
            return Q(pk__in=[])
        in_region = Q(**{f"{region_field}__startswith": self.region_prefix})
        if self._whole_region() or department_field is None:
            return in_region
        own = Q(**{department_field: self.department_id})
        if line_field and self.department_line:
            own |= Q(**{line_field: self.department_line})
        return in_region & own

    def _whole_region(self) -> bool:
        return bool(self.roles & {Role.SUPERVISOR, Role.HALL_MANAGER})


ANONYMOUS = Actor(user_id=None)


def actor_for(user: Any) -> Actor:
    """The Actor of a user (or ANONYMOUS); cached on the user object for the request."""
    if user is None or not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    cached = getattr(user, "_zhengwu_actor", None)
    if cached is None:
        cached = import_string(settings.ACTOR_RESOLVER)(user)
        user._zhengwu_actor = cached
    return cached


def roles_of(values: Iterable[str]) -> frozenset[Role]:
    return frozenset(Role(v) for v in values if v in Role.values)
