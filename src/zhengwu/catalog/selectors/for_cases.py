"""Reads of the catalogue for the cases app (which may not import catalog.models).

A case applies on the **effective** version of an active item. These selectors return the model
instances with everything intake copies already fetched (a few queries whatever the item's size),
so the cases code follows foreign keys without touching catalog.models itself.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import F, Prefetch, Q

from ..bundles import MergedField, MergedMaterial, bundle_merged_form_fields, bundle_merged_materials
from ..models import (
    Bundle,
    BundleItem,
    FormField,
    ItemVersion,
    MaterialRequirement,
    ProcedureStep,
    ServiceItem,
)
from ..models.choices import CompanyTheme, FieldType, HandlingType, ItemType, LimitUnit, Stage, VersionStatus

__all__ = [
    "BundleForIntake",
    "BundleMember",
    "FieldType",
    "HandlingType",
    "LimitUnit",
    "Stage",
    "bundle_for_intake",
    "effective_version",
    "effective_version_id",
    "effective_versions",
    "version_with_parts",
    "window_category_for",
    "window_category_q",
]


def _parts() -> list[Prefetch[Any]]:
    return [
        Prefetch("materials", queryset=MaterialRequirement.objects.order_by("order", "id")),
        Prefetch("form_fields", queryset=FormField.objects.order_by("order", "id")),
        Prefetch("steps", queryset=ProcedureStep.objects.order_by("order", "id")),
    ]


def _versions() -> Any:
    return ItemVersion.objects.select_related(
        "item", "item__department", "item__department__region", "item__region"
    ).prefetch_related(*_parts())


# Published versions are immutable (docs/catalog/change-management.md), so a process keeps the last
# few it read with their parts: submitting an application then costs one cheap query for "which
# version is in force" instead of four. Only the item / department names a cached version carries
# can age, for at most PUBLISHED_CACHE_SECONDS. Callers must not modify the returned objects.
PUBLISHED_CACHE_SIZE = 512
PUBLISHED_CACHE_SECONDS = 300.0
_published: OrderedDict[int, tuple[float, ItemVersion]] = OrderedDict()
_published_lock = threading.Lock()


def published_version(version_id: int) -> ItemVersion | None:
    """A version with its parts fetched; published ones come from the per-process cache."""
    now = time.monotonic()
    with _published_lock:
        hit = _published.get(version_id)
        if hit and now - hit[0] < PUBLISHED_CACHE_SECONDS:
            _published.move_to_end(version_id)
            return hit[1]
    version = version_with_parts(version_id)
    if version is not None and version.status != VersionStatus.DRAFT:
        with _published_lock:
            _published[version_id] = (now, version)
            while len(_published) > PUBLISHED_CACHE_SIZE:
                _published.popitem(last=False)
    return version


def published_cache_clear() -> None:
    """Forget the cached versions (tests: SQLite reuses the ids of rolled-back rows)."""
    with _published_lock:
        _published.clear()


def effective_version(item_id: int) -> ItemVersion | None:
    """The current effective version of an active item, with item, department, region, materials,
    form fields and steps fetched; None when the item does not exist or is not in use. Shared
    (cached) object: read it, never modify it."""
    version_id = effective_version_id(item_id)
    return published_version(version_id) if version_id is not None else None


def effective_version_id(item_id: int) -> int | None:
    """The id of the item's effective version (None when not in force): the item's current
    version, if the item is in use and the version is effective.

    Plain SQL: every submission asks, and the ORM took 0.7 ms of CPU to build a query that runs in
    0.1 ms (bench/cases_submit_profile.py). tests/test_selectors_for_cases.py holds it to the ORM form.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT v.id FROM catalog_serviceitem i"
            " JOIN catalog_itemversion v ON v.id = i.current_version_id AND v.item_id = i.id"
            " WHERE i.id = %s AND i.is_active AND v.status = %s",
            [item_id, VersionStatus.EFFECTIVE.value],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def effective_versions(item_ids: list[int]) -> dict[int, ItemVersion]:
    """item id → effective version (same prefetching), for the active items among `item_ids`."""
    versions = _versions().filter(
        item_id__in=item_ids,
        item__is_active=True,
        item__current_version_id=F("id"),
        status=VersionStatus.EFFECTIVE,
    )
    return {v.item_id: v for v in versions}


def version_with_parts(version_id: int) -> ItemVersion | None:
    """Any version (a case keeps the one it applied on, even once superseded), parts fetched."""
    return _versions().filter(pk=version_id).first()


def item_is_active(item_id: int) -> bool:
    return ServiceItem.objects.filter(pk=item_id, is_active=True).exists()


@dataclass
class BundleMember:
    item_id: int
    item_name: str
    optional: bool
    version: ItemVersion


@dataclass
class BundleForIntake:
    bundle: Bundle
    members: list[BundleMember] = field(default_factory=list)
    materials: list[MergedMaterial] = field(default_factory=list)
    form_fields: list[MergedField] = field(default_factory=list)


def bundle_for_intake(bundle_id: int) -> BundleForIntake | None:
    """A published bundle with its members' effective versions (in order, inactive items left out),
    the merged material list and the merged form; None when the bundle is not published."""
    bundle = (
        Bundle.objects.filter(pk=bundle_id, is_published=True)
        .select_related("lead_department", "lead_department__region", "region")
        .first()
    )
    if bundle is None:
        return None
    members = list(BundleItem.objects.filter(bundle=bundle).order_by("order", "id"))
    versions = effective_versions([m.item_id for m in members])
    result = BundleForIntake(bundle=bundle)
    for m in members:
        version = versions.get(m.item_id)
        if version is not None:
            result.members.append(
                BundleMember(
                    item_id=m.item_id, item_name=version.item.name, optional=m.optional, version=version
                )
            )
    result.materials = bundle_merged_materials(bundle)
    result.form_fields = bundle_merged_form_fields(bundle).fields
    return result


# --- which windows receive an item (受理类别, org WindowCategory values) ------------------------
#
# The catalogue has no category column; the category follows from what the item is, by one rule
# used both for a single item (intake stores it on the case) and as a filter (a window's item list):
# 1. 工程建设类 construction: items of the housing / natural-resources / urban-management lines, or
#    items of the 投资建设 theme;
# 2. 注册登记类 registration: otherwise items of the 开办设立 / 注销退出 themes, and 行政确认 / 行政备案;
# 3. 经营许可类 business_license: otherwise 行政许可;
# 4. 其他 other: everything else. (公共资源交易类 windows receive no catalogue item.)

CONSTRUCTION = "construction"
REGISTRATION = "registration"
BUSINESS_LICENSE = "business_license"
OTHER = "other"
CONSTRUCTION_LINES = ("housing", "natural_resources", "urban_management")
REGISTRATION_THEMES = (CompanyTheme.OPENING, CompanyTheme.CLOSING)
REGISTRATION_TYPES = (ItemType.CONFIRMATION, ItemType.FILING)


def window_category_for(item: ServiceItem) -> str:
    themes = set(item.themes or [])
    if item.department.line in CONSTRUCTION_LINES or CompanyTheme.INVESTMENT in themes:
        return CONSTRUCTION
    if themes & set(REGISTRATION_THEMES) or item.item_type in REGISTRATION_TYPES:
        return REGISTRATION
    if item.item_type == ItemType.LICENSING:
        return BUSINESS_LICENSE
    return OTHER


def window_category_q(categories: list[str] | tuple[str, ...], prefix: str = "") -> Q:
    """ServiceItem filter (`prefix` for a relation, e.g. "item__"): items of any of `categories`."""

    def theme(value: str) -> Q:
        return Q(**{f"{prefix}themes__icontains": f'"{value}"'})

    construction = Q(**{f"{prefix}department__line__in": CONSTRUCTION_LINES}) | theme(CompanyTheme.INVESTMENT)
    registration = ~construction & (
        theme(CompanyTheme.OPENING)
        | theme(CompanyTheme.CLOSING)
        | Q(**{f"{prefix}item_type__in": REGISTRATION_TYPES})
    )
    licence = ~construction & ~registration & Q(**{f"{prefix}item_type": ItemType.LICENSING})
    by_category = {
        CONSTRUCTION: construction,
        REGISTRATION: registration,
        BUSINESS_LICENSE: licence,
        OTHER: ~construction & ~registration & ~Q(**{f"{prefix}item_type": ItemType.LICENSING}),
    }
    q = Q(pk__in=[])
    for category in categories:
        if category in by_category:
            q |= by_category[category]
    return q
