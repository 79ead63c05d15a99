"""Reads of the accounts app."""

from __future__ import annotations

from typing import Any

from zhengwu.core.access.actor import actor_for


def me_profile(user: Any) -> dict[str, Any]:
    """Who the logged-in user is: their own data, so nothing is masked."""
    actor = actor_for(user)
    return {
        "id": user.pk,
        "username": user.username,
        "kind": user.kind,
        "display_name": user.display_name or user.username,
        "phone": user.phone or "",
        "phone_verified": user.phone_verified_at is not None,
        "totp_enabled": user.totp_enabled,
        "roles": sorted(str(r) for r in actor.roles),
    }
