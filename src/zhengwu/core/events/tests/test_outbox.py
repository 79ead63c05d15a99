from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection, transaction

from zhengwu.core.access.actor import Actor
from zhengwu.core.events import registry
from zhengwu.core.events.models import Delivery, Event
from zhengwu.core.events.schemas import InvalidEvent, UnknownEventType
from zhengwu.core.events.services import (
    deliveries_replay,
    dispatch_event,
    dispatch_events,
    emit,
    envelope,
    events_replay,
    outbox_sweep,
    retry_delay,
    run_delivery,
)
from zhengwu.core.numbering.models import Counter
from zhengwu.core.numbering.services import next_number

T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
DAY = dt.date(2025, 3, 3)


class Boom(Exception):
    pass


@pytest.fixture
def _fixed_clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def _emit(event_type: str, n: int = 1, **kwargs):
    return emit(event_type, {"n": n}, aggregate_type="test.thing", aggregate_id=n, **kwargs)


def _effect(event) -> None:
    # A database effect: proves effects and the "done" mark commit (or roll back) together.
    next_number(key="effect", day=DAY)


def _effects() -> int:
    row = Counter.objects.filter(key="effect").first()
    return row.value if row else 0


@pytest.mark.django_db
@pytest.mark.usefixtures("_fixed_clock")
class TestEmit:
    def test_event_is_written_and_delivered_after_commit(self, recorder, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            event = _emit(recorder_type := "test.thing_happened", 3, actor=Actor(user_id=7))
            assert recorder.calls == []  # nothing runs before commit
        assert recorder.calls == [event.id]
        event.refresh_from_db()
        assert event.type == recorder_type
        assert event.payload == {"n": 3}
        assert event.aggregate_id == "3"
        assert event.actor_user_id == 7
        assert event.dispatched_at == T0
        delivery = Delivery.objects.get(event=event)
        assert (delivery.status, delivery.attempts, delivery.handler) == ("done", 1, "tests.recorder")

    def test_rolled_back_event_is_never_delivered(self, recorder, django_capture_on_commit_callbacks):
        with (
            django_capture_on_commit_callbacks(execute=True) as callbacks,
            pytest.raises(Boom),
            transaction.atomic(),
        ):
            _emit("test.thing_happened")
            raise Boom
        assert callbacks == []
        assert Event.objects.count() == 0
        with time_machine.travel(T0 + dt.timedelta(hours=1)):
            outbox_sweep()
        assert recorder.calls == []
        assert Delivery.objects.count() == 0

    def test_unknown_type_is_refused(self):
        with pytest.raises(UnknownEventType, match=r"未知的事件类型：nope\.nothing"):
            emit("nope.nothing", {}, aggregate_type="x", aggregate_id=1)
        assert Event.objects.count() == 0

    @pytest.mark.parametrize(
        ("payload", "path"),
        [({}, "payload"), ({"n": -1}, "payload.n"), ({"n": "one"}, "payload.n")],
    )
    def test_invalid_payload_is_refused_naming_the_field(self, test_event_type, payload, path):
        with pytest.raises(InvalidEvent) as info:
            emit(test_event_type, payload, aggregate_type="test.thing", aggregate_id=1)
        assert info.value.path == path
        assert path in str(info.value)
        assert Event.objects.count() == 0

    def test_non_json_payload_is_refused(self, test_event_type):
        with pytest.raises(InvalidEvent, match="payload"):
            emit(test_event_type, {"n": 1, "when": DAY}, aggregate_type="test.thing", aggregate_id=1)

    def test_envelope_matches_published_schema(self, test_event_type):
        event = _emit(test_event_type, 5)
        env = envelope(event)
        assert env["id"] == str(event.id)
        assert env["aggregate"] == {"type": "test.thing", "id": "5"}
        assert env["actor"] is None
        assert env["occurred_at"].startswith("2025-03-03T09:00:00")

    def test_real_schema_from_docs(self, django_capture_on_commit_callbacks):
        calls = []
        registry.handler("org.department_created", name="tests.dept")(lambda e: calls.append(e.payload))
        try:
            with django_capture_on_commit_callbacks(execute=True):
                emit(
                    "org.department_created",
                    {"department_id": 1, "name": "示范市市场监督管理局", "region_code": "440600000000"},
                    aggregate_type="org.department",
                    aggregate_id=1,
                )
            assert calls == [
                {"department_id": 1, "name": "示范市市场监督管理局", "region_code": "440600000000"}
            ]
            with pytest.raises(InvalidEvent, match="region_code"):
                emit(
                    "org.department_created",
                    {"department_id": 1, "name": "x", "region_code": "4406"},
                    aggregate_type="org.department",
                    aggregate_id=1,
                )
        finally:
            registry.unregister("tests.dept")


@pytest.mark.django_db
@pytest.mark.usefixtures("_fixed_clock")
class TestIdempotence:
    def test_handler_run_twice_for_same_event_acts_once(self, recorder, django_capture_on_commit_callbacks):
        recorder.side_effect = _effect
        with django_capture_on_commit_callbacks(execute=True):
            event = _emit("test.thing_happened")
        assert _effects() == 1
        # The task is delivered again (at least once), and a worker also picks the delivery up.
        dispatch_event(event.id)
        delivery = Delivery.objects.get(event=event)
        assert run_delivery(delivery.pk) is False
        assert _effects() == 1
        assert len(recorder.calls) == 1

    def test_failing_handler_leaves_no_effect(self, recorder, django_capture_on_commit_callbacks):
        recorder.side_effect = _effect
        recorder.fail_with = Boom("database said no")
        with django_capture_on_commit_callbacks(execute=True):
            _emit("test.thing_happened")
        assert _effects() == 0  # the handler's write was rolled back with its savepoint
        delivery = Delivery.objects.get()
        assert delivery.status == "pending"
        assert "Boom: database said no" in delivery.last_error

    def test_handlers_are_independent(self, recorder, test_event_type, django_capture_on_commit_callbacks):
        other: list = []
        registry.handler(test_event_type, name="tests.other")(lambda e: other.append(e.id))
        recorder.fail_with = Boom()
        try:
            with django_capture_on_commit_callbacks(execute=True):
                event = _emit(test_event_type)
        finally:
            registry.unregister("tests.other")
        assert other == [event.id]
        statuses = dict(Delivery.objects.values_list("handler", "status"))
        assert statuses == {"tests.other": "done", "tests.recorder": "pending"}

    def test_prefix_handler_gets_every_type_under_it(
        self, test_event_type, django_capture_on_commit_callbacks
    ):
        seen: list = []
        registry.handler("test.*", name="tests.all")(lambda e: seen.append(e.type))
        try:
            with django_capture_on_commit_callbacks(execute=True):
                _emit(test_event_type)
        finally:
            registry.unregister("tests.all")
        assert seen == [test_event_type]

    def test_non_atomic_handler(self, test_event_type, django_capture_on_commit_callbacks):
        seen: list = []
        registry.handler(test_event_type, name="tests.na", atomic=False)(lambda e: seen.append(e.id))
        try:
            with django_capture_on_commit_callbacks(execute=True):
                event = _emit(test_event_type)
            dispatch_event(event.id)
        finally:
            registry.unregister("tests.na")
        assert seen == [event.id]
        assert Delivery.objects.get().status == "done"


@pytest.mark.django_db
class TestRetry:
    def test_backoff_doubles_and_is_capped(self, settings):
        settings.EVENTS_RETRY_BASE_SECONDS = 10
        settings.EVENTS_RETRY_MAX_SECONDS = 60
        assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [10, 20, 40, 60, 60]

    def test_failing_handler_is_retried_with_backoff_then_failed_then_replayed(
        self, recorder, settings, django_capture_on_commit_callbacks
    ):
        settings.EVENTS_MAX_ATTEMPTS = 3
        recorder.fail_with = Boom("down")
        recorder.side_effect = _effect
        with time_machine.travel(T0, tick=False) as clock:
            with django_capture_on_commit_callbacks(execute=True):
                event = _emit("test.thing_happened")
            delivery = Delivery.objects.get(event=event)
            assert (delivery.status, delivery.attempts) == ("pending", 1)
            assert delivery.next_attempt_at == T0 + dt.timedelta(seconds=10)

            clock.shift(dt.timedelta(seconds=9))
            assert outbox_sweep().retried == 0  # not due yet
            clock.shift(dt.timedelta(seconds=1))
            assert outbox_sweep().retried == 1
            delivery.refresh_from_db()
            assert delivery.attempts == 2
            assert delivery.next_attempt_at == T0 + dt.timedelta(seconds=10 + 20)

            clock.shift(dt.timedelta(seconds=20))
            outbox_sweep()
            delivery.refresh_from_db()
            assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 3, None)

            clock.shift(dt.timedelta(days=1))
            assert outbox_sweep().retried == 0  # failed for good: only a person replays it
            assert len(recorder.calls) == 3
            assert _effects() == 0

            recorder.fail_with = None
            with django_capture_on_commit_callbacks(execute=True):
                assert deliveries_replay(actor=None, delivery_ids=[delivery.pk]) == 1
            delivery.refresh_from_db()
            assert (delivery.status, delivery.attempts) == ("done", 1)
            assert _effects() == 1

            # A done delivery is never replayed: that would act twice.
            with django_capture_on_commit_callbacks(execute=True):
                assert deliveries_replay(actor=None, delivery_ids=[delivery.pk]) == 0
            assert _effects() == 1

    def test_replay_event_delivers_to_a_handler_registered_later(
        self, test_event_type, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            event = _emit(test_event_type)
        assert Delivery.objects.count() == 0
        seen: list = []
        registry.handler(test_event_type, name="tests.late")(lambda e: seen.append(e.id))
        try:
            events_replay(actor=None, event_ids=[event.id])
        finally:
            registry.unregister("tests.late")
        assert seen == [event.id]

    def test_unregistered_handler_is_a_recorded_failure(
        self, test_event_type, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=False):
            event = _emit(test_event_type)
        Delivery.objects.create(event=event, handler="gone.handler", next_attempt_at=event.occurred_at)
        outbox_sweep()
        delivery = Delivery.objects.get()
        assert delivery.attempts == 1
        assert "not registered" in delivery.last_error


@pytest.mark.django_db
def test_sweep_dispatches_events_whose_enqueue_was_lost(recorder, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False) as clock:
        # The process died right after commit: the on-commit enqueue never ran.
        with django_capture_on_commit_callbacks(execute=False):
            event = _emit("test.thing_happened")
        assert outbox_sweep().dispatched == 0  # within the grace period its own task may still come
        clock.shift(dt.timedelta(seconds=31))
        result = outbox_sweep()
    assert result.dispatched == 1
    assert recorder.calls == [event.id]
    event.refresh_from_db()
    assert event.dispatched_at is not None


@pytest.mark.django_db(transaction=True)
def test_real_commit_and_rollback(recorder):
    """Without the test transaction: a real COMMIT delivers, a real ROLLBACK does not."""
    with pytest.raises(Boom), transaction.atomic():
        _emit("test.thing_happened", 1)
        raise Boom
    with transaction.atomic():
        kept = _emit("test.thing_happened", 2)
    assert recorder.calls == [kept.id]
    assert list(Event.objects.values_list("payload", flat=True)) == [{"n": 2}]


def _dispatch_in_threads(event_id, threads: int = 4) -> None:
    """Dispatch the event from several threads (each its own connection) at the same moment."""
    barrier = threading.Barrier(threads)

    def worker() -> None:
        try:
            barrier.wait()
            dispatch_event(event_id)
        finally:
            connection.close()

    running = [threading.Thread(target=worker) for _ in range(threads)]
    for t in running:
        t.start()
    for t in running:
        t.join()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_dispatch_acts_once(recorder):
    recorder.side_effect = _effect
    with transaction.atomic():
        event = _emit("test.thing_happened")  # on commit: dispatched once
    _dispatch_in_threads(event.id)
    assert _effects() == 1


@pytest.mark.django_db
@pytest.mark.usefixtures("_fixed_clock")
def test_first_dispatch_writes_handler_effects_and_deliveries_in_one_transaction(
    recorder, test_event_type, django_capture_on_commit_callbacks
):
    recorder.side_effect = _effect
    failing: list = []

    def fail(event) -> None:
        failing.append(event.id)
        _effect(event)
        raise Boom("no")

    registry.handler(test_event_type, name="tests.failing")(fail)
    try:
        with django_capture_on_commit_callbacks(execute=False):
            event = _emit(test_event_type)
        assert dispatch_event(event.id) == 2
    finally:
        registry.unregister("tests.failing")
    assert _effects() == 1  # the failing handler's write went with its savepoint
    rows = {d.handler: d for d in Delivery.objects.filter(event=event)}
    assert (rows["tests.recorder"].status, rows["tests.recorder"].attempts) == ("done", 1)
    failed = rows["tests.failing"]
    assert (failed.status, failed.attempts) == ("pending", 1)
    assert failed.next_attempt_at == T0 + dt.timedelta(seconds=10)
    assert "Boom: no" in failed.last_error
    event.refresh_from_db()
    assert event.dispatched_at == T0


@pytest.mark.django_db
@pytest.mark.usefixtures("_fixed_clock")
def test_dispatch_finishes_what_an_older_dispatch_left_half_way(recorder, django_capture_on_commit_callbacks):
    """Deliveries written before the event was marked dispatched keep their state and are run."""
    recorder.side_effect = _effect
    with django_capture_on_commit_callbacks(execute=False):
        event = _emit("test.thing_happened")
    Delivery.objects.create(event=event, handler="tests.recorder", next_attempt_at=T0)
    assert dispatch_event(event.id) == 1
    assert _effects() == 1
    assert Delivery.objects.get(event=event).status == "done"
    assert dispatch_event(event.id) == 0  # dispatched now: nothing is due
    assert _effects() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_concurrent_first_dispatch_acts_once(recorder, monkeypatch):
    from zhengwu.core.events.background import Batch

    recorder.side_effect = _effect
    monkeypatch.setattr(Batch, "flush", lambda self: None)  # no dispatch on commit: only the threads
    with transaction.atomic():
        event = _emit("test.thing_happened")
    _dispatch_in_threads(event.id)
    assert _effects() == 1
    assert list(Delivery.objects.values_list("status", flat=True)) == ["done"]


@pytest.mark.django_db
@pytest.mark.usefixtures("_fixed_clock")
class TestBatchHandler:
    @pytest.fixture
    def batch_calls(self, test_event_type):
        calls: list[list] = []
        poison: set = set()

        def handle(events) -> None:
            calls.append([e.payload["n"] for e in events])
            for e in events:
                _effect(e)
                if e.payload["n"] in poison:
                    raise Boom(f"bad {e.payload['n']}")

        registry.handler(test_event_type, name="tests.batch", batch=True)(handle)
        yield calls, poison
        registry.unregister("tests.batch")

    def _three(self, test_event_type, capture):
        events = []
        with capture(execute=False):
            for n in (1, 2, 3):  # a second apart: the order they occurred in is clear
                with time_machine.travel(T0 + dt.timedelta(seconds=n - 3), tick=False):
                    events.append(_emit(test_event_type, n))
        return events

    def test_events_dispatched_together_reach_it_in_one_call(
        self, batch_calls, test_event_type, django_capture_on_commit_callbacks
    ):
        calls, _poison = batch_calls
        events = self._three(test_event_type, django_capture_on_commit_callbacks)
        assert dispatch_events([e.id for e in reversed(events)]) == 3
        assert calls == [[1, 2, 3]]  # once, in the order they occurred
        assert _effects() == 3
        assert set(Delivery.objects.values_list("status", flat=True)) == {"done"}
        assert dispatch_events([e.id for e in events]) == 0  # dispatched: nothing is due

    def test_a_failing_batch_is_retried_event_by_event(
        self, batch_calls, test_event_type, django_capture_on_commit_callbacks
    ):
        calls, poison = batch_calls
        poison.add(2)
        events = self._three(test_event_type, django_capture_on_commit_callbacks)
        dispatch_events([e.id for e in events])
        assert calls == [[1, 2, 3], [1], [2], [3]]
        assert _effects() == 2  # the batch's savepoint and the bad event's were rolled back
        statuses = {d.event.payload["n"]: d.status for d in Delivery.objects.select_related("event")}
        assert statuses == {1: "done", 2: "pending", 3: "done"}

    def test_a_retry_calls_it_with_one_event(
        self, batch_calls, test_event_type, django_capture_on_commit_callbacks
    ):
        calls, poison = batch_calls
        poison.add(1)
        (event, *_rest) = self._three(test_event_type, django_capture_on_commit_callbacks)
        dispatch_event(event.id)
        poison.clear()
        delivery = Delivery.objects.get(event=event)
        with time_machine.travel(T0 + dt.timedelta(seconds=10), tick=False):
            assert run_delivery(delivery.pk) is True
        assert calls[-1] == [1]
        delivery.refresh_from_db()
        assert delivery.status == "done"

    def test_must_be_atomic(self):
        with pytest.raises(ValueError, match="atomic"):
            registry.handler("test.x", batch=True, atomic=False)
