"""One task row per transaction: its events and its deferred tasks travel together."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from zhengwu.core.events.background import after_commit, run_batch, run_batches
from zhengwu.core.events.models import Delivery
from zhengwu.core.events.services import emit
from zhengwu.core.notify.backends import sms_outbox
from zhengwu.core.notify.models import Notification
from zhengwu.core.notify.services import notify_send
from zhengwu.core.notify.tasks import deliver_notification

pytestmark = pytest.mark.django_db
CODE = {"code": "123456", "minutes": 10}


class Boom(Exception):
    pass


def _emit(n: int = 1):
    return emit("test.thing_happened", {"n": n}, aggregate_type="test.thing", aggregate_id=n)


def _sms() -> None:
    notify_send(template="accounts.verification_code", context=CODE, phone="13800138000", channels=("sms",))


@pytest.fixture
def db_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_events_and_an_sms_of_one_transaction_make_one_task_row(
    db_queue, recorder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        first, second = _emit(1), _emit(2)
        _sms()
    assert len(callbacks) == 1
    task = DBTaskResult.objects.get()
    assert task.task_path == "zhengwu.core.events.tasks.run_batch_task"
    row = Notification.objects.get()
    assert task.args_kwargs["args"] == [
        [str(first.id), str(second.id)],
        [["zhengwu.core.notify.tasks.deliver_notification", [row.pk]]],
    ]
    assert run_batch(*task.args_kwargs["args"]) == 3
    assert recorder.calls == [first.id, second.id]
    assert Delivery.objects.filter(status="done").count() == 2
    assert [m.phone for m in sms_outbox] == ["13800138000"]


@pytest.mark.django_db(transaction=True)
def test_each_transaction_gets_its_own_batch(db_queue, recorder):
    with transaction.atomic():
        _emit(1)
    with transaction.atomic():
        _emit(2)
        _sms()
    assert [
        (len(t.args_kwargs["args"][0]), len(t.args_kwargs["args"][1]))
        for t in DBTaskResult.objects.order_by("enqueued_at")
    ] == [(1, 0), (1, 1)]
    assert recorder.calls == []  # queued for the worker


def test_a_rolled_back_savepoint_drops_its_own_batch(recorder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        with pytest.raises(Boom), transaction.atomic():
            _emit(1)
            raise Boom
        kept = _emit(2)
    assert len(callbacks) == 1
    assert recorder.calls == [kept.id]


def test_a_rolled_back_transaction_enqueues_nothing(recorder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Boom), transaction.atomic():
            _emit(1)
            _sms()
            raise Boom
        with transaction.atomic():
            kept = _emit(2)
    assert len(callbacks) == 1
    assert recorder.calls == [kept.id]
    assert sms_outbox == []


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_batch_runs_at_once(recorder):
    event = _emit(1)
    assert recorder.calls == [event.id]
    after_commit(deliver_notification, 999999)  # a missing row: nothing to send, no error


def test_one_failing_part_does_not_stop_the_others(recorder, test_event_type):
    recorder.fail_with = None
    with transaction.atomic():
        event = _emit(1)
    done = run_batch(
        ["00000000-0000-0000-0000-000000000000", str(event.id)],
        [["zhengwu.core.events.background.run_batch", []], ["no.such.task", [1]]],
    )
    assert done == 2  # the missing event (nothing to do) and the real one; both bad jobs are logged
    assert recorder.calls == [event.id]


def test_a_later_block_under_a_test_gets_its_own_batch(recorder, django_capture_on_commit_callbacks):
    """A fixture's service call leaves its batch open in the never-committed test transaction; the
    test's own call must not join it, or its events would never be dispatched."""
    with transaction.atomic():
        _emit(1)  # the fixture: its flush is not captured below
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        second = _emit(2)
    assert len(callbacks) == 1
    assert recorder.calls == [second.id]


def test_the_notifications_of_several_batches_are_claimed_together(django_assert_num_queries):
    with transaction.atomic():
        for _ in range(3):
            _sms()
    ids = list(Notification.objects.order_by("pk").values_list("pk", flat=True))
    path = "zhengwu.core.notify.tasks.deliver_notification"
    # one claim (select + counter update) for the three, then one status update per SMS sent
    with django_assert_num_queries(2 + 3 + 2):  # + the claim's savepoint and its release
        done = run_batches([([], [[path, [ids[0]]]]), ([], [[path, [ids[1]]], [path, [ids[2]]]])])
    assert done == [1, 2]
    assert len(sms_outbox) == 3
    assert set(Notification.objects.values_list("status", "attempts")) == {("sent", 1)}


def test_calls_run_one_by_one_when_their_runner_fails(monkeypatch):
    from zhengwu.core.events import background

    with transaction.atomic():
        _sms()
        _sms()
    ids = list(Notification.objects.order_by("pk").values_list("pk", flat=True))
    path = "zhengwu.core.notify.tasks.deliver_notification"

    def broken(calls):
        raise Boom

    monkeypatch.setitem(background._runners, path, broken)
    assert run_batches([([], [[path, [ids[0]]], [path, [ids[1]]]])]) == [2]
    assert [m.phone for m in sms_outbox] == ["13800138000", "13800138000"]
