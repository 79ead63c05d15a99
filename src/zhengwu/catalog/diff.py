"""What changed between two versions of an item: for staff review and the public announcement page.

Scalar fields are compared by value and shown with their Chinese labels and display values; materials
are matched by name, form fields by key and steps by position.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .models import FormField, ItemVersion, MaterialRequirement, ProcedureStep
from .models.choices import Channel
from .models.items import content_field_names

# Bookkeeping fields that change with every version and mean nothing to a reader.
SKIP_FIELDS = {"status", "updated_at"}
MATERIAL_ATTRS = (
    "source",
    "license_type_code",
    "originals",
    "copies",
    "medium",
    "required",
    "deferrable",
    "is_form",
    "blank_form_file_id",
    "sample_file_id",
    "notes",
)
FIELD_ATTRS = ("label", "field_type", "required", "choices", "validation", "help_text", "prefill")
STEP_ATTRS = ("name", "stage", "role", "limit", "description")


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    old: Any
    new: Any
    kind: str  # "changed" | "added" | "removed"


def _display(obj: Any, field_name: str) -> Any:
    """A reader's value: choice labels, yes/no, channel names, fee lines."""
    field = obj._meta.get_field(field_name)
    value = getattr(obj, field_name)
    if value is None or value == "" or value == []:
        return ""
    if field.choices:
        return str(getattr(obj, f"get_{field_name}_display")())
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if field_name == "channels":
        return "、".join(str(Channel(c).label) if c in Channel.values else c for c in value)
    if field_name == "fees":
        return "；".join(
            f"{f.get('name', '')} {f.get('amount', '')}{f.get('unit', '')}（{f.get('basis', '')}）"
            for f in value
        )
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _summary(obj: Any, attrs: tuple[str, ...]) -> str:
    parts = []
    for attr in attrs:
        shown = _display(obj, attr)
        if shown not in ("", None):
            parts.append(f"{obj._meta.get_field(attr).verbose_name}：{shown}")
    return "；".join(parts)


def _scalar_changes(old: ItemVersion, new: ItemVersion) -> list[Change]:
    changes = []
    for name in content_field_names():
        if name in SKIP_FIELDS:
            continue
        if getattr(old, name) == getattr(new, name):
            continue
        old_shown, new_shown = _display(old, name), _display(new, name)
        kind = "added" if old_shown == "" else "removed" if new_shown == "" else "changed"
        label = str(getattr(ItemVersion._meta.get_field(name), "verbose_name", name))
        changes.append(Change(name, label, old_shown, new_shown, kind))
    return changes


def _part_changes(
    prefix: str,
    what: str,
    olds: dict[Any, Any],
    news: dict[Any, Any],
    attrs: tuple[str, ...],
    title: str,
) -> list[Change]:
    changes = []
    for key, new_row in news.items():
        old_row = olds.get(key)
        label = f"{what}“{getattr(new_row, title)}”"
        if old_row is None:
            changes.append(Change(f"{prefix}.{key}", label, "", _summary(new_row, attrs), "added"))
            continue
        diffs = [a for a in attrs if getattr(old_row, a) != getattr(new_row, a)]
        if diffs:
            changes.append(
                Change(
                    f"{prefix}.{key}",
                    label,
                    _summary(old_row, tuple(diffs)),
                    _summary(new_row, tuple(diffs)),
                    "changed",
                )
            )
    for key, old_row in olds.items():
        if key not in news:
            label = f"{what}“{getattr(old_row, title)}”"
            changes.append(Change(f"{prefix}.{key}", label, _summary(old_row, attrs), "", "removed"))
    return changes


def version_diff(old: ItemVersion, new: ItemVersion) -> list[Change]:
    """Every difference from `old` to `new` (of the same item, in either order)."""
    changes = _scalar_changes(old, new)
    ids = (old.pk, new.pk)
    materials: dict[int, dict[str, MaterialRequirement]] = {old.pk: {}, new.pk: {}}
    for m in MaterialRequirement.objects.filter(version_id__in=ids).order_by("order", "id"):
        materials[m.version_id].setdefault(m.name, m)
    fields: dict[int, dict[str, FormField]] = {old.pk: {}, new.pk: {}}
    for f in FormField.objects.filter(version_id__in=ids).order_by("order", "id"):
        fields[f.version_id][f.key] = f
    steps: dict[int, dict[int, ProcedureStep]] = {old.pk: {}, new.pk: {}}
    for s in ProcedureStep.objects.filter(version_id__in=ids).order_by("order", "id"):
        steps[s.version_id][len(steps[s.version_id]) + 1] = s
    changes += _part_changes(
        "materials", _("申请材料"), materials[old.pk], materials[new.pk], ("order", *MATERIAL_ATTRS), "name"
    )
    changes += _part_changes(
        "form_fields", _("表单字段"), fields[old.pk], fields[new.pk], FIELD_ATTRS, "label"
    )
    changes += _part_changes("steps", _("办理环节"), steps[old.pk], steps[new.pk], STEP_ATTRS, "name")
    return changes
