"""Supervision learns about cases only from events: every `cases.*` event feeds the record of its
case; a periodic sweep recomputes lights and sends warnings (autodiscovered by core.events)."""

from __future__ import annotations

from typing import Any

from zhengwu.core.events.periodic import periodic
from zhengwu.core.events.registry import handler

from . import notices  # noqa: F401  (notification templates register on import)
from .models.records import ZHENGWU_SOURCE

SWEEP_SECONDS = 300
ASSESSMENT_SECONDS = 3600  # the last closed period is computed once, at the first run after it ends


@handler("cases.*", batch=True)
def record_case_event(events: list[Any]) -> None:
    """Atomic batch handler: the records' update commits with the deliveries' done marks (once per
    event). Events of many cases arrive together when the worker works off a backlog; ingesting
    them in one call costs the same few statements as one event."""
    from .services.alerts import cards_apply_rules, warnings_issue
    from .services.records import IncomingEvent, events_ingest

    incoming = [
        IncomingEvent(
            id=str(event.id),
            type=event.type,
            occurred_at=event.occurred_at,
            payload=event.payload,
            source=ZHENGWU_SOURCE,
            actor_user_id=getattr(event, "actor_user_id", None),
        )
        for event in events
        if isinstance(event.payload, dict) and event.payload.get("case_id")
    ]
    if not incoming:
        return
    result = events_ingest(events=incoming)
    if result.records:
        from .services._common import today

        warnings_issue(result.records)
        cards_apply_rules(result.records, day=today())


@periodic(seconds=SWEEP_SECONDS, name="supervision.sweep")
def supervision_sweep_job() -> object:
    from .services.sweep import supervision_sweep

    return supervision_sweep()


@periodic(seconds=ASSESSMENT_SECONDS, name="supervision.assessment")
def supervision_assessment_job() -> object:
    from .services.assessment import assessment_job

    return assessment_job()
