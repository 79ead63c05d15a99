"""Reads for the catalogue's workbench pages, already filtered by the actor's scope.

Department staff see their own department's items and their line's counterparts below them; the
reform office (hall managers) and system administrators see their whole region (Actor.scope_q).
A missing and a forbidden object both give 404 (get_scoped_or_404).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.shortcuts import get_scoped_or_404, scoped

from ..models import Bundle, BundleItem, ItemVersion, ServiceItem
from ..models.choices import VersionStatus

ITEM_SCOPE = {
    "region_field": "region__code",
    "department_field": "department_id",
    "line_field": "department__line",
}
VERSION_SCOPE = {
    "region_field": "item__region__code",
    "department_field": "item__department_id",
    "line_field": "item__department__line",
}
BUNDLE_SCOPE = {
    "region_field": "region__code",
    "department_field": "lead_department_id",
    "line_field": "lead_department__line",
}

# A version still on its way (not yet in force, not abandoned): at most one per item.
OPEN_STATUSES = (
    VersionStatus.DRAFT,
    VersionStatus.SUBMITTED,
    VersionStatus.RETURNED,
    VersionStatus.REVIEWED,
    VersionStatus.ANNOUNCED,
)
PARTS = ("materials", "form_fields", "steps")


# --- items ----------------------------------------------------------------------------------


def items_for(actor: Actor) -> QuerySet[ServiceItem]:
    return scoped(ServiceItem.objects.all(), actor, **ITEM_SCOPE)


def item_list(
    actor: Actor,
    *,
    department_id: int | None = None,
    item_type: str = "",
    status: str = "",
    keyword: str = "",
) -> QuerySet[ServiceItem]:
    """Items in scope with their current version and the open version (id, status) annotated."""
    open_versions = ItemVersion.objects.filter(item=OuterRef("pk"), status__in=OPEN_STATUSES).order_by(
        "-number"
    )
    qs = (
        items_for(actor)
        .select_related("department", "region", "current_version")
        .annotate(
            open_version_id=Subquery(open_versions.values("pk")[:1]),
            open_status=Subquery(open_versions.values("status")[:1]),
        )
    )
    if department_id:
        qs = qs.filter(department_id=department_id)
    if item_type:
        qs = qs.filter(item_type=item_type)
    if status:
        qs = qs.filter(Exists(ItemVersion.objects.filter(item=OuterRef("pk"), status=status)))
    if keyword:
        qs = qs.filter(
            Q(name__contains=keyword) | Q(implementation_code__startswith=keyword) | Q(basic_code=keyword)
        )
    return qs.order_by("region__code", "department__name", "basic_code", "pk")


def versions_with_parts(version_ids: Iterable[int | None]) -> dict[int, ItemVersion]:
    """Versions by id with their item, department and parts loaded: a fixed number of queries."""
    ids = [pk for pk in version_ids if pk]
    if not ids:
        return {}
    qs = (
        ItemVersion.objects.filter(pk__in=ids)
        .select_related("item", "item__department", "item__region")
        .prefetch_related(*PARTS)
    )
    return {v.pk: v for v in qs}


@dataclass
class ItemRow:
    item: ServiceItem
    open_version_id: int | None
    open_status: str
    errors: int
    warnings: int

    @property
    def open_status_label(self) -> str:
        return str(VersionStatus(self.open_status).label) if self.open_status else ""


def item_rows(items: Iterable[ServiceItem]) -> list[ItemRow]:
    """The list page's rows: each item with the checker's counts on its open (else current) version.

    The versions of the whole page are loaded together, so the page costs the same number of
    queries whether it shows 10 rows or 50.
    """
    from ..checker import check_version

    items = list(items)
    wanted = {it.pk: getattr(it, "open_version_id", None) or it.current_version_id for it in items}
    versions = versions_with_parts(wanted.values())
    rows = []
    for it in items:
        version = versions.get(wanted[it.pk] or 0)
        findings = check_version(version) if version is not None else []
        rows.append(
            ItemRow(
                item=it,
                open_version_id=getattr(it, "open_version_id", None),
                open_status=getattr(it, "open_status", None) or "",
                errors=sum(1 for f in findings if f.severity == "error"),
                warnings=sum(1 for f in findings if f.severity != "error"),
            )
        )
    return rows


def item_for(actor: Actor, pk: int) -> ServiceItem:
    return get_scoped_or_404(
        ServiceItem.objects.select_related("department", "region", "current_version"),
        actor,
        pk=pk,
        **ITEM_SCOPE,
    )


def item_versions(item: ServiceItem) -> QuerySet[ItemVersion]:
    return item.versions.select_related("created_by", "reviewed_by").order_by("-number")


# --- versions -------------------------------------------------------------------------------


def version_for(actor: Actor, pk: int) -> ItemVersion:
    qs = ItemVersion.objects.select_related(
        "item", "item__department", "item__region", "item__current_version", "created_by", "reviewed_by"
    ).prefetch_related(*PARTS)
    return get_scoped_or_404(qs, actor, pk=pk, **VERSION_SCOPE)


def version_of_item(item: ServiceItem, pk: Any) -> ItemVersion:
    try:
        return item.versions.prefetch_related(*PARTS).get(pk=int(pk))
    except (ItemVersion.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def baseline_for(version: ItemVersion) -> ItemVersion | None:
    """What a version is compared with: the item's version in force, or the one before it."""
    current = version.item.current_version_id
    if current and current != version.pk:
        return ItemVersion.objects.prefetch_related(*PARTS).get(pk=current)
    return (
        version.item.versions.filter(
            number__lt=version.number, status__in=(VersionStatus.EFFECTIVE, VersionStatus.SUPERSEDED)
        )
        .prefetch_related(*PARTS)
        .order_by("-number")
        .first()
    )


def review_queue(actor: Actor) -> QuerySet[ItemVersion]:
    """Submitted versions waiting for the reform office, oldest first."""
    qs = ItemVersion.objects.filter(status=VersionStatus.SUBMITTED).select_related(
        "item", "item__department", "item__region", "created_by"
    )
    return scoped(qs, actor, **VERSION_SCOPE).order_by("submitted_at", "pk")


def reviews_of(version: ItemVersion) -> QuerySet[Any]:
    return version.reviews.select_related("reviewer").order_by("-created_at")


# --- bundles --------------------------------------------------------------------------------


def bundles_for(actor: Actor) -> QuerySet[Bundle]:
    qs = Bundle.objects.select_related("lead_department", "region")
    return scoped(qs, actor, **BUNDLE_SCOPE).order_by("name")


def bundle_for(actor: Actor, pk: int) -> Bundle:
    qs = Bundle.objects.select_related("lead_department", "region").prefetch_related(
        Prefetch("members", queryset=BundleItem.objects.select_related("item", "item__department"))
    )
    return get_scoped_or_404(qs, actor, pk=pk, **BUNDLE_SCOPE)


def bundle_item_choices(actor: Actor) -> list[tuple[int, str]]:
    """Active items of the actor's scope, grouped by nothing: (id, "部门 · 事项")."""
    rows = items_for(actor).select_related("department").order_by("department__name", "name")
    return [(it.pk, f"{it.department.name} · {it.name}") for it in rows]


def catalogue_for(actor: Actor) -> QuerySet[ItemVersion]:
    """The versions the checker report covers (in force or on their way), in the actor's scope."""
    from ..checker import catalogue_queryset

    return scoped(catalogue_queryset(), actor, **VERSION_SCOPE)
