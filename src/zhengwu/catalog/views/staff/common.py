"""Shared bits of the catalogue's staff views: who may do what, paging, and the section tabs."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role

PAGE_SIZE = 50
# Department staff draft their department's items; the reform office (hall managers) reviews.
CATALOG_ROLES = (Role.REVIEWER, Role.APPROVER, Role.HALL_MANAGER)
DRAFTER_ROLES = (Role.REVIEWER, Role.APPROVER)
REVIEW_ROLES = (Role.HALL_MANAGER,)


def actor_of(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined,no-any-return]


def page_of(request: HttpRequest, qs: QuerySet[Any], size: int = PAGE_SIZE) -> Page:
    return Paginator(qs, size).get_page(request.GET.get("page"))


def catalog_render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """Render with the section tabs, showing only the pages this actor may open."""
    actor = actor_of(request)
    context["catalog_nav"] = {
        "review": actor.has_role(*REVIEW_ROLES),
        "draft": actor.has_role(*DRAFTER_ROLES),
    }
    return render(request, template, context, status=status)
