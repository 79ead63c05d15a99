"""Reads of the organisation (filled in by the org work)."""

from __future__ import annotations

from typing import Any

from zhengwu.core.access.actor import Actor


def actor_for_user(user: Any) -> Actor:
    return Actor(user_id=user.pk, display_name=str(user))
