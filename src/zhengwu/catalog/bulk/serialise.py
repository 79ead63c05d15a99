"""Export of the whole catalogue as the documented JSON format `zhengwu.catalog/1`.

Items carry their current effective version (`version`) and, on request, every version (`versions`,
informational: the importer reads only `version`). Departments are referenced by USCC, regions by
their 12-digit code and service points by name, so a file moves between installations.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from zhengwu.org.selectors import service_point_names

from ..models import Bundle, BundleItem, ItemVersion, MaterialRequirement, ServiceItem
from .columns import (
    BUNDLE_COLUMNS,
    FIELD_COLUMNS,
    FORMAT,
    ITEM_COLUMNS,
    MATERIAL_COLUMNS,
    STEP_COLUMNS,
    VERSION_COLUMNS,
    Col,
)

CHUNK = 2000
# Export keys that are not plain model fields of the same name.
_VERSION_SPECIAL = {"service_points", "result_sample_file"}
_MATERIAL_SPECIAL = {"implementation_code", "blank_form_file", "sample_file"}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "hex") and not isinstance(value, str | bytes | int | float):
        return str(value)  # UUID
    return value


def _part(obj: Any, columns: tuple[Col, ...], skip: set[str]) -> dict[str, Any]:
    return {c.key: _plain(getattr(obj, c.key)) for c in columns if c.key not in skip}


def _material(m: MaterialRequirement) -> dict[str, Any]:
    data = _part(m, MATERIAL_COLUMNS, _MATERIAL_SPECIAL)
    data["blank_form_file"] = _plain(m.blank_form_file_id)
    data["sample_file"] = _plain(m.sample_file_id)
    return data


def _version(v: ItemVersion, point_names: dict[int, str], *, history: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {"name": v.name}
    data.update(_part(v, VERSION_COLUMNS, _VERSION_SPECIAL))
    data["service_points"] = [point_names.get(pk, str(pk)) for pk in v.service_point_ids]
    data["result_sample_file"] = _plain(v.result_sample_file_id)
    data["materials"] = [_material(m) for m in v.materials.all()]
    data["form_fields"] = [_part(f, FIELD_COLUMNS, {"implementation_code"}) for f in v.form_fields.all()]
    data["steps"] = [_part(s, STEP_COLUMNS, {"implementation_code"}) for s in v.steps.all()]
    if history:
        data = {
            "number": v.number,
            "status": v.status,
            "change_kind": v.change_kind,
            "superseded_on": _plain(v.superseded_on),
            **data,
        }
    return data


def _parts_prefetch(prefix: str = "") -> list[Any]:
    return [f"{prefix}materials", f"{prefix}form_fields", f"{prefix}steps"]


def _item_chunks(all_versions: bool) -> Iterator[list[ServiceItem]]:
    base = (
        ServiceItem.objects.filter(is_active=True, current_version__isnull=False)
        .select_related("department", "region", "current_version")
        .order_by("pk")
    )
    prefetch: list[Any] = _parts_prefetch("current_version__")
    if all_versions:
        versions = ItemVersion.objects.order_by("number").prefetch_related(*_parts_prefetch())
        prefetch.append(Prefetch("versions", queryset=versions))
    last = 0
    while True:
        # Keyset pagination: a fixed number of queries per chunk, whatever the catalogue's size.
        chunk = list(base.filter(pk__gt=last).prefetch_related(*prefetch)[:CHUNK])
        if not chunk:
            return
        last = chunk[-1].pk
        yield chunk


def _current(item: ServiceItem) -> ItemVersion:
    assert item.current_version is not None  # the queryset only yields items with one
    return item.current_version


def export_items(*, all_versions: bool = False) -> Iterator[dict[str, Any]]:
    for chunk in _item_chunks(all_versions):
        point_ids = {pk for item in chunk for pk in _current(item).service_point_ids or []}
        if all_versions:
            point_ids |= {pk for item in chunk for v in item.versions.all() for pk in v.service_point_ids}
        names = service_point_names(point_ids)
        for item in chunk:
            data = {
                c.key: getattr(item, c.key)
                for c in ITEM_COLUMNS
                if c.key not in {"department_uscc", "region_code"}
            }
            data["department_uscc"] = item.department.uscc
            data["region_code"] = item.region.code
            data["version"] = _version(_current(item), names)
            if all_versions:
                data["versions"] = [_version(v, names, history=True) for v in item.versions.all()]
            yield data


def export_bundles() -> list[dict[str, Any]]:
    members = Prefetch("members", queryset=BundleItem.objects.select_related("item").order_by("order", "pk"))
    bundles = (
        Bundle.objects.select_related("region", "lead_department").prefetch_related(members).order_by("code")
    )
    result = []
    for b in bundles:
        data = _part(b, BUNDLE_COLUMNS, {"region_code", "lead_department_uscc", "items"})
        data["region_code"] = b.region.code
        data["lead_department_uscc"] = b.lead_department.uscc
        data["items"] = [
            {"implementation_code": m.item.implementation_code, "optional": m.optional}
            for m in b.members.all()
        ]
        result.append(data)
    return result


def export_catalog(*, all_versions: bool = False) -> dict[str, Any]:
    """The whole catalogue as one JSON-ready dict in the `zhengwu.catalog/1` format."""
    return {
        "format": FORMAT,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "items": list(export_items(all_versions=all_versions)),
        "bundles": export_bundles(),
    }
