"""Writes to the override tables, each audited. The admin and any future page call these."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from zhengwu.core.access.actor import Actor
from zhengwu.core.audit.services import audit_record, diff_fields

from .models import CalendarOverride, CalendarYear

_OVERRIDE_FIELDS = ("date", "kind", "name", "region_code", "note")
_YEAR_FIELDS = ("year", "region_code", "note")


@transaction.atomic
def calendar_override_save(
    *, actor: Actor | None, override: CalendarOverride, reason: str = ""
) -> CalendarOverride:
    """Create or update one override; raises ValidationError (Chinese, per field) and writes nothing."""
    old = None
    if override.pk:
        old = CalendarOverride.objects.filter(pk=override.pk).values(*_OVERRIDE_FIELDS).first()
    override.full_clean()
    override.save()
    audit_record(
        actor=actor,
        action="calendar.override.update" if old else "calendar.override.create",
        obj_type="core_calendar.CalendarOverride",
        obj_id=override.pk,
        summary=str(override),
        changes=diff_fields(old, override, _OVERRIDE_FIELDS),
        reason=reason,
    )
    return override


def calendar_override_create(
    *,
    actor: Actor | None,
    date: dt.date,
    kind: str,
    name: str,
    region_code: str = "",
    note: str = "",
    reason: str = "",
) -> CalendarOverride:
    override = CalendarOverride(date=date, kind=kind, name=name, region_code=region_code, note=note)
    return calendar_override_save(actor=actor, override=override, reason=reason)


@transaction.atomic
def calendar_override_delete(*, actor: Actor | None, override: CalendarOverride, reason: str = "") -> None:
    pk, summary = override.pk, str(override)
    changes = diff_fields(override, None, _OVERRIDE_FIELDS)
    override.delete()
    audit_record(
        actor=actor,
        action="calendar.override.delete",
        obj_type="core_calendar.CalendarOverride",
        obj_id=pk,
        summary=summary,
        changes=changes,
        reason=reason,
    )


@transaction.atomic
def calendar_year_save(*, actor: Actor | None, entry: CalendarYear, reason: str = "") -> CalendarYear:
    """Mark a year as fully entered by the administrator, so it no longer counts as a fallback year."""
    old = None
    if entry.pk:
        old = CalendarYear.objects.filter(pk=entry.pk).values(*_YEAR_FIELDS).first()
    entry.full_clean()
    entry.save()
    audit_record(
        actor=actor,
        action="calendar.year.update" if old else "calendar.year.create",
        obj_type="core_calendar.CalendarYear",
        obj_id=entry.pk,
        summary=str(entry),
        changes=diff_fields(old, entry, _YEAR_FIELDS),
        reason=reason,
    )
    return entry


@transaction.atomic
def calendar_year_delete(*, actor: Actor | None, entry: CalendarYear, reason: str = "") -> None:
    pk, summary = entry.pk, str(entry)
    changes = diff_fields(entry, None, _YEAR_FIELDS)
    entry.delete()
    audit_record(
        actor=actor,
        action="calendar.year.delete",
        obj_type="core_calendar.CalendarYear",
        obj_id=pk,
        summary=summary,
        changes=changes,
        reason=reason,
    )
