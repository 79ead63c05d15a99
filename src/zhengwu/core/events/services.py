"""Emit events inside the caller's transaction; deliver them after commit, at least once.

Guarantees (docs/kernel/events.md):
- an event exists only if the transaction that emitted it committed;
- every registered handler gets every event of its type at least once, retried with backoff;
- an atomic handler's effects and its "done" mark commit together, so it acts once per event.
"""

from __future__ import annotations

import json
import logging
import traceback
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import registry
from .background import dispatch_after_commit
from .models import Delivery, Event, WorkerHeartbeat
from .schemas import InvalidEvent, validate_envelope

if TYPE_CHECKING:
    from zhengwu.core.access.actor import Actor

logger = logging.getLogger(__name__)

# A non-atomic handler holds its delivery this long; if the worker dies meanwhile it is retried after.
NON_ATOMIC_LEASE = timedelta(minutes=5)


def max_attempts() -> int:
    return int(getattr(settings, "EVENTS_MAX_ATTEMPTS", 8))


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the n-th failed attempt: 10 s, 20 s, 40 s … capped at one hour."""
    base = float(getattr(settings, "EVENTS_RETRY_BASE_SECONDS", 10))
    cap = float(getattr(settings, "EVENTS_RETRY_MAX_SECONDS", 3600))
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


def envelope(event: Event) -> dict[str, Any]:
    """The published form of an event (docs/api/events/README.md)."""
    occurred = event.occurred_at
    return {
        "id": str(event.id),
        "type": event.type,
        "occurred_at": occurred.isoformat() if isinstance(occurred, datetime) else str(occurred),
        "aggregate": {"type": event.aggregate_type, "id": event.aggregate_id},
        "actor": {"user_id": event.actor_user_id} if event.actor_user_id is not None else None,
        "payload": event.payload,
    }


def emit(
    event_type: str,
    payload: dict[str, Any],
    *,
    aggregate_type: str,
    aggregate_id: str | int,
    actor: Actor | None = None,
) -> Event:
    """Write an event in the current transaction; it is dispatched only after that transaction commits.

    Raises UnknownEventType or InvalidEvent (both ValueError) when the event does not match its schema.
    """
    try:
        # JSON round trip: what the handlers read back from the database is what is validated here.
        clean_payload = json.loads(json.dumps(payload))
    except (TypeError, ValueError) as exc:
        raise InvalidEvent(event_type, "payload", str(exc)) from exc
    event = Event(
        id=uuid.uuid4(),
        type=event_type,
        payload=clean_payload,
        aggregate_type=aggregate_type,
        aggregate_id=str(aggregate_id),
        actor_user_id=actor.user_id if actor is not None else None,
        occurred_at=timezone.now(),
    )
    validate_envelope(envelope(event))
    event.save(force_insert=True)
    # After commit, one task carries this event with the rest of the transaction's background work.
    dispatch_after_commit(event.pk)
    return event


def enqueue_dispatch(event_id: uuid.UUID | str) -> None:
    """Hand the event to the task queue; if that fails the outbox sweep dispatches it later."""
    from .tasks import dispatch_event_task

    try:
        dispatch_event_task.enqueue(str(event_id))
    except Exception:
        logger.exception("Could not enqueue dispatch of event %s; the sweep will retry", event_id)


def dispatch_event(event_id: uuid.UUID | str) -> int:
    """Create one delivery per registered handler and run those that are due. Returns runs done."""
    return dispatch_events([event_id])


def dispatch_events(event_ids: Sequence[uuid.UUID | str]) -> int:
    """Dispatch these events (the worker hands over all it has at hand). Returns handler runs done.

    The first dispatch of events is one transaction: it locks the undispatched ones, runs every
    atomic handler in a savepoint (a batch handler once for all its events, retried per event if
    that fails), and writes every delivery — done, or failed with its retry time — together with
    the events' dispatched mark. Non-atomic handlers, retries, and events dispatched before (or by
    another worker just now) go through `_dispatch_again`, one event at a time.
    """
    if not event_ids:
        return 0
    ran, again = _dispatch_first(event_ids)
    return ran + sum(_dispatch_again(event_id) for event_id in again)


def _dispatch_first(event_ids: Sequence[uuid.UUID | str]) -> tuple[int, list[uuid.UUID | str]]:
    """The first dispatch (see dispatch_events): atomic runs done, and the events left to
    `_dispatch_again` (not taken here, or with a non-atomic handler or an older delivery)."""
    with transaction.atomic():
        events = list(
            Event.objects.select_for_update(skip_locked=True)
            .filter(pk__in=list(event_ids), dispatched_at__isnull=True)
            .order_by("occurred_at", "pk")
        )
        taken = {str(e.pk) for e in events}
        again: list[uuid.UUID | str] = [i for i in dict.fromkeys(event_ids) if str(i) not in taken]
        if not events:
            return 0, again
        # Deliveries written by an older dispatch that stopped half-way keep their own state.
        existing = set(Delivery.objects.filter(event__in=events).values_list("event_id", "handler"))
        now = timezone.now()
        deliveries: list[Delivery] = []
        runs: dict[str, tuple[registry.Handler, list[Event]]] = {}
        for event in events:
            for h in registry.handlers_for(event.type):
                if h.atomic and (event.pk, h.name) not in existing:
                    runs.setdefault(h.name, (h, []))[1].append(event)
                    continue
                again.append(event.pk)  # its older delivery, or a non-atomic run: run_delivery
                if (event.pk, h.name) not in existing:
                    deliveries.append(Delivery(event=event, handler=h.name, next_attempt_at=now))
        ran = 0
        for h, handled in runs.values():
            for event, error in _run_atomic(h, handled):
                delivery = Delivery(event=event, handler=h.name, next_attempt_at=now, created_at=now)
                if error is None:
                    _note_done(delivery)
                else:
                    _note_failure(delivery, error)
                deliveries.append(delivery)
                ran += 1
        Delivery.objects.bulk_create(deliveries)
        Event.objects.filter(pk__in=[e.pk for e in events]).update(dispatched_at=now)
    return ran, list(dict.fromkeys(again))


def _run_atomic(h: registry.Handler, events: list[Event]) -> list[tuple[Event, BaseException | None]]:
    """Run an atomic handler on events, each outcome in a savepoint: a failure leaves no trace."""
    if h.batch and len(events) > 1:
        try:
            with transaction.atomic():
                h.run(events)
        except Exception:
            logger.warning(
                "Batch handler %s failed on %s events; running them one by one", h.name, len(events)
            )
        else:
            return [(event, None) for event in events]
    outcomes: list[tuple[Event, BaseException | None]] = []
    for event in events:
        try:
            with transaction.atomic():
                h.run([event])
        except Exception as exc:
            outcomes.append((event, exc))
        else:
            outcomes.append((event, None))
    return outcomes


def _dispatch_again(event_id: uuid.UUID | str) -> int:
    """An event dispatched before, or one the first dispatch left: a handler registered since gets
    a delivery, and every due pending delivery runs (`run_delivery`)."""
    with transaction.atomic():
        # Waits for a first dispatch in progress: its deliveries are then there to be skipped
        # (inserting beside it would deadlock on the unique key and the event's row lock).
        event = Event.objects.select_for_update().filter(pk=event_id).first()
        if event is None:
            logger.warning("Event %s not found; nothing to dispatch", event_id)
            return 0
        now = timezone.now()
        handlers = registry.handlers_for(event.type)
        Delivery.objects.bulk_create(
            [Delivery(event=event, handler=h.name, next_attempt_at=now) for h in handlers],
            ignore_conflicts=True,
        )
        if event.dispatched_at is None:
            event.dispatched_at = now
            event.save(update_fields=["dispatched_at"])
    due = Delivery.objects.filter(event=event, status=Delivery.Status.PENDING, next_attempt_at__lte=now)
    return sum(run_delivery(pk) for pk in due.values_list("pk", flat=True))


def run_delivery(delivery_id: int) -> bool:
    """Run one pending delivery. False when it is done already, or another worker holds it."""
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("event")
            .filter(pk=delivery_id, status=Delivery.Status.PENDING)
            .first()
        )
        if delivery is None:
            return False
        h = registry.get(delivery.handler)
        if h is None:
            _record_failure(delivery, LookupError(f"handler {delivery.handler} is not registered"))
            return True
        if h.atomic:
            try:
                with transaction.atomic():  # a savepoint: a failing handler leaves no trace
                    h.run([delivery.event])
            except Exception as exc:
                _record_failure(delivery, exc)
            else:
                _mark_done(delivery)
            return True
        # Non-atomic: take a lease, commit, run outside any transaction, then mark done.
        delivery.next_attempt_at = timezone.now() + NON_ATOMIC_LEASE
        delivery.save(update_fields=["next_attempt_at"])
    try:
        h.run([delivery.event])
    except Exception as exc:
        with transaction.atomic():
            _record_failure(delivery, exc)
    else:
        with transaction.atomic():
            _mark_done(delivery)
    return True


def _mark_done(delivery: Delivery) -> None:
    _note_done(delivery)
    delivery.save(update_fields=["status", "attempts", "done_at", "next_attempt_at"])


def _note_done(delivery: Delivery) -> None:
    delivery.status = Delivery.Status.DONE
    delivery.attempts += 1
    delivery.done_at = timezone.now()
    delivery.next_attempt_at = None


def _record_failure(delivery: Delivery, exc: BaseException) -> None:
    _note_failure(delivery, exc)
    delivery.save(update_fields=["status", "attempts", "last_error", "next_attempt_at"])


def _note_failure(delivery: Delivery, exc: BaseException) -> None:
    delivery.attempts += 1
    delivery.last_error = "".join(traceback.format_exception(exc))[-4000:]
    if delivery.attempts >= max_attempts():
        delivery.status = Delivery.Status.FAILED
        delivery.next_attempt_at = None
        logger.error(
            "Delivery of event %s to %s failed for good after %s attempts",
            delivery.event_id,
            delivery.handler,
            delivery.attempts,
        )
    else:
        delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempts)
        logger.warning(
            "Delivery of event %s to %s failed (attempt %s); retry at %s",
            delivery.event_id,
            delivery.handler,
            delivery.attempts,
            delivery.next_attempt_at,
        )


@dataclass(frozen=True)
class SweepResult:
    dispatched: int
    retried: int


def outbox_sweep(*, batch: int = 200) -> SweepResult:
    """Catch up what the task queue missed: undispatched events and deliveries due for a retry.

    An event gets a grace period first: its own dispatch task is normally already queued.
    """
    now = timezone.now()
    grace = timedelta(seconds=float(getattr(settings, "EVENTS_DISPATCH_GRACE_SECONDS", 30)))
    stale_events = list(
        Event.objects.filter(dispatched_at__isnull=True, occurred_at__lte=now - grace)
        .order_by("occurred_at")
        .values_list("pk", flat=True)[:batch]
    )
    for event_id in stale_events:
        dispatch_event(event_id)
    due = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:batch]
    )
    retried = sum(run_delivery(pk) for pk in due)
    return SweepResult(dispatched=len(stale_events), retried=retried)


def deliveries_replay(*, actor: Actor | None, delivery_ids: Iterable[int]) -> int:
    """Reset failed (or stuck pending) deliveries and run them again after commit. Returns how many."""
    from zhengwu.core.audit.services import audit_record

    with transaction.atomic(durable=True):
        rows = list(
            Delivery.objects.select_for_update()
            .filter(pk__in=list(delivery_ids))
            .exclude(status=Delivery.Status.DONE)
            .order_by("pk")
        )
        now = timezone.now()
        for delivery in rows:
            audit_record(
                actor=actor,
                action="events.delivery_replay",
                obj_type="core_events.delivery",
                obj_id=delivery.pk,
                summary=f"{delivery.handler} ← {delivery.event_id}",
                changes={
                    "status": [delivery.status, Delivery.Status.PENDING],
                    "attempts": [delivery.attempts, 0],
                },
            )
        Delivery.objects.filter(pk__in=[d.pk for d in rows]).update(
            status=Delivery.Status.PENDING, attempts=0, next_attempt_at=now
        )
        for event_id in sorted({d.event_id for d in rows}):
            transaction.on_commit(partial(enqueue_dispatch, event_id))
    return len(rows)


def events_replay(*, actor: Actor | None, event_ids: Iterable[uuid.UUID | str]) -> int:
    """Replay the unfinished deliveries of these events and dispatch them again, so a handler
    registered since they were first dispatched gets them too. Returns the deliveries replayed."""
    ids = list(event_ids)
    unfinished = Delivery.objects.filter(event_id__in=ids).exclude(status=Delivery.Status.DONE)
    covered = {str(pk) for pk in unfinished.values_list("event_id", flat=True)}
    count = deliveries_replay(actor=actor, delivery_ids=list(unfinished.values_list("pk", flat=True)))
    for event_id in ids:
        if str(event_id) not in covered:
            enqueue_dispatch(event_id)
    return count


def worker_heartbeat(*, worker_id: str, hostname: str = "", pid: int | None = None) -> None:
    """Record that a worker is alive; forget workers silent for a day (restarts get new ids)."""
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"last_seen_at": now, "hostname": hostname[:255], "pid": pid},
        create_defaults={"started_at": now, "last_seen_at": now, "hostname": hostname[:255], "pid": pid},
    )
    WorkerHeartbeat.objects.filter(last_seen_at__lt=now - timedelta(days=1)).delete()


def worker_stopped(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()
