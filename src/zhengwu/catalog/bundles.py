"""一件事: one material list and one form merged from the member items' current versions.

Both helpers read in a constant number of queries whatever the bundle's size.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch

from .models import Bundle, BundleItem, FormField, ItemVersion, MaterialRequirement


@dataclass
class MergedMaterial:
    name: str
    license_type_code: str
    source: str
    originals: int
    copies: int
    medium: str
    required: bool
    deferrable: bool
    is_form: bool
    blank_form_file_id: uuid.UUID | None
    sample_file_id: uuid.UUID | None
    notes: str
    item_ids: list[int] = field(default_factory=list)
    item_names: list[str] = field(default_factory=list)


@dataclass
class MergedField:
    key: str
    label: str
    field_type: str
    required: bool
    choices: list[Any]
    validation: dict[str, Any]
    help_text: str
    prefill: str
    item_ids: list[int] = field(default_factory=list)


@dataclass
class FieldConflict:
    key: str
    item_ids: list[int]
    differences: list[str]  # the attributes that differ: field_type, choices, validation, label


@dataclass
class MergedForm:
    fields: list[MergedField]
    conflicts: list[FieldConflict]


def _members(bundle: Bundle) -> list[tuple[int, str, ItemVersion]]:
    """(item id, item name, current version) of every member with a current version, in order."""
    versions = ItemVersion.objects.prefetch_related(
        Prefetch("materials", queryset=MaterialRequirement.objects.order_by("order", "id")),
        Prefetch("form_fields", queryset=FormField.objects.order_by("order", "id")),
    )
    members = (
        BundleItem.objects.filter(bundle=bundle)
        .select_related("item")
        .prefetch_related(Prefetch("item__current_version", queryset=versions))
        .order_by("order", "id")
    )
    out = []
    for member in members:
        version = member.item.current_version
        if version is not None and member.item.is_active:
            out.append((member.item_id, member.item.name, version))
    return out


def _material_key(m: MaterialRequirement) -> tuple[str, str]:
    # The same licence type is the same document whatever each department calls it.
    if m.license_type_code:
        return ("", m.license_type_code)
    return ("".join(m.name.split()), "")


def bundle_merged_materials(bundle: Bundle) -> list[MergedMaterial]:
    """One entry per distinct document (same name, or same reusable licence type), remembering which
    items need it; the strictest counts and flags win (more originals/copies, required if any item
    requires it, deferrable only if every item allows it)."""
    merged: dict[tuple[str, str], MergedMaterial] = {}
    for item_id, item_name, version in _members(bundle):
        for m in version.materials.all():
            key = _material_key(m)
            entry = merged.get(key)
            if entry is None:
                merged[key] = MergedMaterial(
                    name=m.name,
                    license_type_code=m.license_type_code,
                    source=m.source,
                    originals=m.originals,
                    copies=m.copies,
                    medium=m.medium,
                    required=m.required,
                    deferrable=m.deferrable,
                    is_form=m.is_form,
                    blank_form_file_id=m.blank_form_file_id,
                    sample_file_id=m.sample_file_id,
                    notes=m.notes,
                    item_ids=[item_id],
                    item_names=[item_name],
                )
                continue
            entry.originals = max(entry.originals, m.originals)
            entry.copies = max(entry.copies, m.copies)
            entry.required = entry.required or m.required
            entry.deferrable = entry.deferrable and m.deferrable
            entry.is_form = entry.is_form or m.is_form
            entry.blank_form_file_id = entry.blank_form_file_id or m.blank_form_file_id
            entry.sample_file_id = entry.sample_file_id or m.sample_file_id
            if m.notes and m.notes not in entry.notes:
                entry.notes = f"{entry.notes}\n{m.notes}".strip()
            if item_id not in entry.item_ids:
                entry.item_ids.append(item_id)
                entry.item_names.append(item_name)
    return list(merged.values())


def bundle_merged_form_fields(bundle: Bundle) -> MergedForm:
    """One field per key; a key defined differently by two items is kept once and reported."""
    merged: dict[str, MergedField] = {}
    conflicts: dict[str, FieldConflict] = {}
    for item_id, _name, version in _members(bundle):
        for f in version.form_fields.all():
            entry = merged.get(f.key)
            if entry is None:
                merged[f.key] = MergedField(
                    key=f.key,
                    label=f.label,
                    field_type=f.field_type,
                    required=f.required,
                    choices=list(f.choices or []),
                    validation=dict(f.validation or {}),
                    help_text=f.help_text,
                    prefill=f.prefill,
                    item_ids=[item_id],
                )
                continue
            differences = [
                attr
                for attr, mine, theirs in (
                    ("field_type", entry.field_type, f.field_type),
                    ("choices", entry.choices, list(f.choices or [])),
                    ("validation", entry.validation, dict(f.validation or {})),
                    ("label", entry.label, f.label),
                )
                if mine != theirs
            ]
            if differences:
                conflict = conflicts.setdefault(
                    f.key, FieldConflict(key=f.key, item_ids=list(entry.item_ids), differences=[])
                )
                conflict.item_ids.append(item_id)
                conflict.differences = sorted(set(conflict.differences) | set(differences))
            entry.required = entry.required or f.required
            entry.prefill = entry.prefill or f.prefill
            if item_id not in entry.item_ids:
                entry.item_ids.append(item_id)
    return MergedForm(fields=list(merged.values()), conflicts=list(conflicts.values()))
