"""Object lookups filtered by the actor's scope: a missing and a forbidden object both give 404."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

from .actor import Actor

M = TypeVar("M", bound=Model)


def _queryset(source: type[M] | QuerySet[M]) -> QuerySet[M]:
    if isinstance(source, QuerySet):
        return source
    return source._default_manager.all()


def scoped(
    queryset: type[M] | QuerySet[M],
    actor: Actor,
    *,
    region_field: str = "region__code",
    department_field: str | None = "department_id",
    line_field: str | None = "department__line",
) -> QuerySet[M]:
    """The part of a queryset the actor may see (Actor.scope_q with the model's field paths)."""
    q = actor.scope_q(region_field=region_field, department_field=department_field, line_field=line_field)
    return _queryset(queryset).filter(q)


def get_scoped_or_404(
    queryset: type[M] | QuerySet[M],
    actor: Actor,
    *,
    region_field: str = "region__code",
    department_field: str | None = "department_id",
    line_field: str | None = "department__line",
    **lookup: Any,
) -> M:
    qs = scoped(
        queryset, actor, region_field=region_field, department_field=department_field, line_field=line_field
    )
    try:
        return qs.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
        # A malformed id is as unknown as a missing one.
        raise Http404 from None
