from __future__ import annotations

import datetime as dt
import os
import signal
import threading
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from zhengwu.core.events import registry, services
from zhengwu.core.events.models import Delivery, WorkerHeartbeat

T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


def _emit(event_type: str):
    return services.emit(event_type, {"n": 1}, aggregate_type="test.thing", aggregate_id=1)


@pytest.fixture
def db_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db
def test_worker_runs_queued_dispatch_sweeps_and_beats(db_queue, recorder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event = _emit("test.thing_happened")
    assert recorder.calls == []  # only queued: the database backend waits for a worker
    task = DBTaskResult.objects.get()
    assert task.status == "READY"

    with mock.patch.object(services, "worker_stopped"):  # keep the heartbeat to look at it
        call_command("worker", max_loops=2, interval=0, sweep_every=0, worker_id="w-test")

    assert recorder.calls == [event.id]
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL"
    assert Delivery.objects.get().status == "done"
    beat = WorkerHeartbeat.objects.get()
    assert beat.worker_id == "w-test"
    assert beat.pid == os.getpid()


@pytest.mark.django_db
def test_worker_sweep_retries_due_deliveries(db_queue, recorder, django_capture_on_commit_callbacks):
    recorder.fail_with = RuntimeError("down")
    with time_machine.travel(T0, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            _emit("test.thing_happened")
        call_command("worker", once=True, interval=0, sweep_every=0)
        assert Delivery.objects.get().attempts == 1
        recorder.fail_with = None
        clock.shift(dt.timedelta(seconds=11))
        call_command("worker", once=True, interval=0, sweep_every=0)
    assert Delivery.objects.get().status == "done"


@pytest.mark.django_db
def test_worker_removes_its_heartbeat_on_clean_exit(db_queue):
    call_command("worker", once=True, sweep_every=0, worker_id="w-gone")
    assert not WorkerHeartbeat.objects.filter(worker_id="w-gone").exists()


@pytest.mark.django_db
def test_worker_without_database_backend_still_sweeps(recorder, django_capture_on_commit_callbacks):
    # settings.TASKS is the immediate backend here: no queue to poll, but the sweep runs.
    with time_machine.travel(T0, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=False):
            _emit("test.thing_happened")
        clock.shift(dt.timedelta(minutes=1))
        call_command("worker", once=True, sweep_every=0)
    assert len(recorder.calls) == 1


@pytest.mark.django_db
def test_sigterm_stops_the_loop_cleanly(db_queue):
    before = signal.getsignal(signal.SIGTERM)
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGTERM))
    timer.start()
    try:
        call_command("worker", interval=0.05, sweep_every=0.05, worker_id="w-sig")  # unbounded loop
    finally:
        timer.cancel()
    assert signal.getsignal(signal.SIGTERM) == before
    assert not WorkerHeartbeat.objects.filter(worker_id="w-sig").exists()


@pytest.mark.django_db
def test_worker_prunes_old_task_results(
    db_queue, settings, test_event_type, django_capture_on_commit_callbacks
):
    settings.EVENTS_TASK_RESULT_DAYS = 14
    with time_machine.travel(T0, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            _emit(test_event_type)
        call_command("worker", once=True, sweep_every=0)
        assert DBTaskResult.objects.get().status == "SUCCESSFUL"
        clock.shift(dt.timedelta(days=13))
        call_command("worker", once=True, sweep_every=0)
        assert DBTaskResult.objects.count() == 1
        clock.shift(dt.timedelta(days=2))
        call_command("worker", once=True, sweep_every=0)
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db
def test_worker_claims_several_batches_and_dispatches_their_events_together(
    db_queue, test_event_type, django_capture_on_commit_callbacks
):
    calls: list[list[int]] = []
    registry.handler(test_event_type, name="tests.batch", batch=True)(
        lambda events: calls.append([e.payload["n"] for e in events])
    )
    try:
        for n in (1, 2, 3):  # three transactions: three task rows
            with django_capture_on_commit_callbacks(execute=True):
                services.emit(test_event_type, {"n": n}, aggregate_type="test.thing", aggregate_id=n)
        assert DBTaskResult.objects.filter(status="READY").count() == 3
        call_command("worker", once=True, interval=0, sweep_every=0)
    finally:
        registry.unregister("tests.batch")
    assert calls == [[1, 2, 3]]
    assert list(DBTaskResult.objects.values_list("status", "return_value")) == [("SUCCESSFUL", 1)] * 3
    assert Delivery.objects.filter(status="done").count() == 3


@pytest.mark.django_db
def test_after_a_partial_claim_the_worker_lingers_and_when_idle_it_waits(
    db_queue, recorder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _emit("test.thing_happened")
    waits: list[float] = []
    with mock.patch.object(threading.Event, "wait", lambda self, timeout=None: waits.append(timeout)):
        call_command("worker", max_loops=3, interval=3, linger=0.25, sweep_every=60)
    assert len(recorder.calls) == 1
    assert waits == [0.25, 3]  # one task where 20 could be claimed: linger; then none: the interval


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="plan caching is PostgreSQL's")
def test_the_claim_is_planned_for_ready_rows_on_postgresql(
    db_queue, recorder, django_capture_on_commit_callbacks
):
    """With prepared statements a generic plan of django-tasks-db's claim (status = $1) cannot use
    its partial index on READY rows and scans every kept result; the worker asks for a custom plan."""
    from zhengwu.core.events.management.commands.worker import QueueWorker

    with django_capture_on_commit_callbacks(execute=True):
        _emit("test.thing_happened")
    statements: list[str] = []

    def spy(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    worker = QueueWorker.make(worker_id="w-plan")
    with connection.execute_wrapper(spy):
        assert worker.run_one() == 1
    claim = next(i for i, sql in enumerate(statements) if "FOR UPDATE SKIP LOCKED" in sql)
    assert "SET LOCAL plan_cache_mode = force_custom_plan" in statements[:claim]
