"""Build supervision records from case events (Zhengwu's outbox and external systems alike).

`events_ingest` stores each event once (its id is the primary key), then recomputes every touched
record from *all* its stored events in time order: duplicates and out-of-order arrivals converge to
the same record. Records are locked in primary-key order before they are recomputed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from .. import clock
from ..models import CaseEventRecord, SupervisedCase
from ..models.records import ZHENGWU_SOURCE, Light
from ._common import Thresholds, departments, rows_insert_new, rows_update, today


@dataclass(frozen=True)
class IncomingEvent:
    id: str
    type: str
    occurred_at: dt.datetime
    payload: Mapping[str, Any]
    source: str
    actor_user_id: int | None = None  # Zhengwu's outbox only; an external system's users are not ours

    @property
    def key(self) -> tuple[str, str]:
        return (self.source, str(self.payload["case_id"]))


@dataclass
class IngestResult:
    accepted: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    records: list[SupervisedCase] = field(default_factory=list)


RECORD_FIELDS = [
    "case_number",
    "item_code",
    "item_name",
    "department_id",
    "department_name",
    "department_line",
    "department_uscc",
    "region_code",
    "channel",
    "status",
    "stage",
    "is_open",
    "received_at",
    "receive_clock_from",
    "accepted_at",
    "accepted_on",
    "review_at",
    "decided_at",
    "completed_at",
    "delivered_at",
    "closed_at",
    "decision",
    "window_id",
    "accepted_by_user_id",
    "decided_by_user_id",
    "handler_user_ids",
    "suspensions",
    "extension_workdays",
    "promised_limit",
    "statutory_limit",
    "step_overdue",
    "last_event_at",
    "event_count",
    "updated_at",
]
CLOCK_FIELDS = [
    "acceptance_due",
    "promised_due",
    "statutory_due",
    "delivery_due",
    "current_due",
    "suspended_workdays",
    "clock_start",
    "clock_limit",
    "light",
    "ever_overdue",
    "decided_on_time",
    "decided_early",
    "computed_on",
]


def events_ingest(*, events: Iterable[IncomingEvent], on_day: dt.date | None = None) -> IngestResult:
    """Store new events and recompute their records. Runs in the caller's transaction (handlers)."""
    batch: dict[str, IncomingEvent] = {}
    for event in events:
        batch.setdefault(event.id, event)
    result = IngestResult()
    if not batch:
        return result
    with transaction.atomic():
        known = {
            str(pk)
            for pk in CaseEventRecord.objects.filter(event_id__in=list(batch)).values_list("pk", flat=True)
        }
        fresh = [e for e in batch.values() if e.id not in known]
        result.duplicates = [e.id for e in batch.values() if e.id in known]
        if not fresh:
            return result
        records = _records_for({e.key for e in fresh})
        now = timezone.now()
        rows_insert_new(
            [
                CaseEventRecord(
                    event_id=e.id,
                    case_id=records[e.key].pk,
                    type=e.type,
                    occurred_at=e.occurred_at,
                    payload=dict(e.payload),
                    source=e.source,
                    actor_user_id=_actor(e),
                    received_at=now,
                )
                for e in fresh
            ],
            ["event_id", "case", "type", "occurred_at", "payload", "source", "actor_user_id", "received_at"],
        )
        result.accepted = [e.id for e in fresh]
        # A record with no event yet (just created, or locked after a concurrent creator that had
        # not stored any) is folded from this batch alone; the others from everything stored.
        batch_events: dict[int, list[clock.EventIn]] = defaultdict(list)
        for e in fresh:
            batch_events[records[e.key].pk].append(
                clock.EventIn(e.id, e.type, e.occurred_at, e.payload, _actor(e))
            )
        only_batch = {r.pk: batch_events[r.pk] for r in records.values() if r.event_count == 0}
        result.records = recompute(list(records.values()), on_day=on_day, known=only_batch)
    return result


def _actor(event: IncomingEvent) -> int | None:
    return event.actor_user_id if event.source == ZHENGWU_SOURCE else None


def _records_for(keys: set[tuple[str, str]]) -> dict[tuple[str, str], SupervisedCase]:
    """The records of these cases, created when missing, row-locked in primary-key order."""
    from django.db.models import Q

    def lookup() -> Q:
        q = Q(pk__in=[])
        by_source: dict[str, list[str]] = defaultdict(list)
        for source, case_id in keys:
            by_source[source].append(case_id)
        for source, ids in by_source.items():
            q |= Q(source=source, case_id__in=ids)
        return q

    # Insert-if-missing in one statement (the unique (source, case_id) decides), then lock them all.
    fields = [f.name for f in SupervisedCase._meta.concrete_fields if not f.primary_key]
    rows_insert_new([SupervisedCase(source=s, case_id=c) for s, c in sorted(keys)], fields)
    rows = SupervisedCase.objects.select_for_update().filter(lookup()).order_by("pk")
    return {(r.source, r.case_id): r for r in rows}


def recompute(
    records: list[SupervisedCase],
    *,
    on_day: dt.date | None = None,
    known: Mapping[int, list[clock.EventIn]] | None = None,
) -> list[SupervisedCase]:
    """Rebuild each record from its stored events (or `known[pk]`, the complete list when the caller
    has it), then its deadlines and light as of `on_day`."""
    if not records:
        return []
    by_pk = {r.pk: r for r in records}
    stored: dict[int, list[clock.EventIn]] = defaultdict(list, known or {})
    to_load = [pk for pk in by_pk if pk not in stored]
    if to_load:
        for row in CaseEventRecord.objects.filter(case_id__in=to_load).values_list(
            "case_id", "event_id", "type", "occurred_at", "payload", "actor_user_id"
        ):
            stored[row[0]].append(clock.EventIn(str(row[1]), row[2], row[3], row[4], row[5]))
    states = {pk: clock.fold(stored[pk]) for pk in by_pk}
    depts = departments(
        ids=[s.department_id for s in states.values() if s.department_id],
        usccs=[s.department_uscc for s in states.values() if s.department_uscc and not s.department_id],
    )
    now = timezone.now()
    for pk, state in states.items():
        record = by_pk[pk]
        info = depts.get(state.department_id) if state.department_id else depts.get(state.department_uscc)
        for name in RECORD_FIELDS:
            if hasattr(state, name):
                setattr(record, name, getattr(state, name))
        if record.source != ZHENGWU_SOURCE:
            record.window_id = None  # an external system's window ids are not Zhengwu's windows
        if info is not None:
            record.department_id = info.id
            record.department_name = info.name
            record.department_line = info.line
            record.department_uscc = info.uscc
        record.updated_at = now
    thresholds = Thresholds()
    day = on_day or today()
    for record in records:
        apply_clock(record, day, thresholds)
    rows_update(records, RECORD_FIELDS + CLOCK_FIELDS)
    return records


def apply_clock(record: SupervisedCase, day: dt.date, thresholds: Thresholds) -> bool:
    """Deadlines and light of a record as of `day`; True when anything changed."""
    region = record.region_code or None
    d = clock.dues(
        stage=record.stage,
        received_at=record.received_at,
        receive_clock_from=record.receive_clock_from,
        accepted_on=record.accepted_on,
        decided_at=record.decided_at,
        promised_limit=record.promised_limit,
        statutory_limit=record.statutory_limit,
        suspensions=record.suspensions or [],
        extension_workdays=record.extension_workdays,
        today=day,
        region=region,
    )
    light = (
        clock.light_for(
            d.current_due, day, yellow_workdays=thresholds.yellow_workdays(record.region_code), region=region
        )
        if record.is_open
        else Light.GREEN
    )
    decided_on_time = decided_early = None
    if record.decided_at is not None and d.promised_due is not None:
        decided_day = clock.local_day(record.decided_at)
        decided_on_time = decided_day <= d.promised_due
        decided_early = decided_day < d.promised_due
    overdue = _ever_overdue(record, d, day)
    new = {
        "acceptance_due": d.acceptance_due,
        "promised_due": d.promised_due,
        "statutory_due": d.statutory_due,
        "delivery_due": d.delivery_due,
        "current_due": d.current_due,
        "suspended_workdays": d.suspended_workdays,
        "clock_start": d.clock_start,
        "clock_limit": d.clock_limit,
        "light": light,
        "ever_overdue": overdue,
        "decided_on_time": decided_on_time,
        "decided_early": decided_early,
    }
    changed = any(getattr(record, k) != v for k, v in new.items())
    for k, v in new.items():
        setattr(record, k, v)
    record.computed_on = day
    return changed


def _ever_overdue(record: SupervisedCase, d: clock.Dues, day: dt.date) -> bool:
    """Did any watched stage end (or, still open, stand today) after its due day? Only from events."""

    def ended(at: dt.datetime | None) -> dt.date | None:
        return clock.local_day(at) if at is not None else None

    accepted = record.accepted_on or ended(record.closed_at if record.decided_at is None else None)
    checks = [
        (d.acceptance_due, accepted or (day if record.stage == "receive" else None)),
        (
            d.promised_due,
            ended(record.decided_at) or (day if record.stage in ("review", "suspended") else None),
        ),
        (d.delivery_due, ended(record.delivered_at) or (day if record.stage == "deliver" else None)),
    ]
    return any(due is not None and end is not None and end > due for due, end in checks)
