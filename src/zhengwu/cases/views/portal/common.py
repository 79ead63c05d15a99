"""Shared bits of the applicant pages: who may open them, 404 for anything not their own, errors."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.decorators import require_roles
from zhengwu.core.access.roles import Role

# Logged-in applicants: people and company agents (an intermediary's agent is also an applicant).
require_applicant: Callable[[Any], Any] = require_roles(Role.APPLICANT, Role.COMPANY_AGENT)


def actor_of(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined,no-any-return]


def portal_render(
    request: HttpRequest, template: str, context: Mapping[str, Any] | None = None, *, status: int = 200
) -> HttpResponse:
    response = render(request, f"cases/portal/{template}", dict(context or {}), status=status)
    # Pages with personal data and one-time tokens are never cached by a shared or back-forward cache.
    response["Cache-Control"] = "private, no-store"
    return response


def error_dict(exc: ValidationError) -> dict[str, list[str]]:
    """A service error as field → messages ("__all__" for the rest)."""
    if hasattr(exc, "error_dict"):
        return {key: [str(m) for m in messages] for key, messages in exc.message_dict.items()}
    return {"__all__": [str(m) for m in exc.messages]}
