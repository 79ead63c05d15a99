"""Role checks for DRF views in one line.

    permission_classes = [roles(Role.SUPERVISOR)]
or
    permission_classes = [HasRole]
    required_roles = (Role.SUPERVISOR,)

An anonymous client gets DRF's "not authenticated" answer (it must log in first); an authenticated
client without the role gets 404, like a missing object, so the endpoint's existence is not
confirmed. No roles declared means any staff role.
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .actor import Actor, actor_for
from .decorators import actor_allowed
from .roles import Role


class HasRole(BasePermission):
    required_roles: frozenset[Role] = frozenset()

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        wanted = frozenset(getattr(view, "required_roles", None) or self.required_roles)
        if not actor_allowed(actor_for(request.user), wanted):
            raise NotFound
        return True


def roles(*wanted: Role) -> type[HasRole]:
    """A HasRole permission class fixed to these roles."""
    name = "HasRole_" + "_".join(str(r.value) for r in wanted) if wanted else "HasStaffRole"
    return type(name, (HasRole,), {"required_roles": frozenset(wanted)})


def request_actor(request: Request) -> Actor:
    return actor_for(request.user)
