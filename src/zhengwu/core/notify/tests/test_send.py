import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import transaction

from zhengwu.core.notify.backends import sms_outbox
from zhengwu.core.notify.models import Notification
from zhengwu.core.notify.services import notification_deliver, notifications_deliver, notify_send
from zhengwu.core.notify.templates import TemplateError

pytestmark = pytest.mark.django_db

CODE = {"code": "123456", "minutes": 10}
NOW = dt.datetime(2025, 3, 3, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(username="zhang", password="x-Strong-pass-1")


@time_machine.travel(NOW, tick=False)
def test_inbox_row_is_sent_immediately(user):
    notify_send(template="accounts.verification_code", context=CODE, user_id=user.pk)
    row = Notification.objects.get()
    assert (row.channel, row.status, row.user_id) == ("inbox", "sent", user.pk)
    assert row.sent_at == NOW and row.read_at is None
    assert "123456" in row.body and row.template == "accounts.verification_code"


def test_sms_delivered_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify_send(
            template="accounts.verification_code", context=CODE, phone="13800138000", channels=("sms",)
        )
        assert sms_outbox == []  # nothing leaves before the transaction commits
        assert Notification.objects.get().status == "queued"
    assert len(callbacks) == 1
    assert [(m.phone, m.text) for m in sms_outbox] == [
        ("13800138000", "【政务服务】您的验证码为123456，10分钟内有效。如非本人操作请忽略。")
    ]
    row = Notification.objects.get()
    assert (row.status, row.attempts, row.provider_message_id) == ("sent", 1, "locmem-1")
    assert row.sent_at is not None


def test_nothing_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify_send(
            template="accounts.verification_code", context=CODE, phone="13800138000", channels=("sms",)
        )
        raise RuntimeError("the caller's action failed")
    assert callbacks == []
    assert sms_outbox == []
    assert not Notification.objects.exists()


def test_email_through_django_mail(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_send(
            template="accounts.account_locked",
            context={"minutes": 30},
            user_id=user.pk,
            email="zhang@example.cn",
            channels=("inbox", "email"),
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["zhang@example.cn"]
    assert mail.outbox[0].subject == "账号已临时锁定"
    assert "30分钟后" in mail.outbox[0].body
    assert sorted(Notification.objects.values_list("channel", "status")) == [
        ("email", "sent"),
        ("inbox", "sent"),
    ]


def test_missing_address_skips_that_channel_only(user, django_capture_on_commit_callbacks, caplog):
    with django_capture_on_commit_callbacks(execute=True):
        notify_send(
            template="accounts.verification_code",
            context=CODE,
            user_id=user.pk,
            channels=("inbox", "sms", "email"),
        )
        notify_send(
            template="accounts.verification_code",
            context=CODE,
            phone="13800138000",
            channels=("inbox", "sms"),
        )
    assert sorted(Notification.objects.values_list("channel", flat=True)) == ["inbox", "sms"]
    assert len(sms_outbox) == 1 and mail.outbox == []
    assert "sms skipped" in caplog.text and "inbox skipped" in caplog.text and "email skipped" in caplog.text


def test_bad_template_context_writes_nothing(user):
    with pytest.raises(TemplateError, match="minutes"):
        notify_send(
            template="accounts.verification_code", context={"code": "1"}, user_id=user.pk, channels=("inbox",)
        )
    with pytest.raises(ValueError, match="未知的通知渠道：fax"):
        notify_send(
            template="accounts.verification_code", context=CODE, user_id=user.pk, channels=("inbox", "fax")
        )
    assert not Notification.objects.exists()


def test_retried_until_success(flaky_sms, django_capture_on_commit_callbacks):
    flaky_sms.failures = 2
    with django_capture_on_commit_callbacks(execute=True):
        notify_send(
            template="accounts.verification_code", context=CODE, phone="13800138000", channels=("sms",)
        )
    row = Notification.objects.get()
    assert (row.status, row.attempts, row.error, row.provider_message_id) == ("sent", 3, "", "flaky-3")


def test_gives_up_after_max_attempts(flaky_sms, settings, django_capture_on_commit_callbacks):
    flaky_sms.failures = 99
    settings.NOTIFY_MAX_ATTEMPTS = 2
    with django_capture_on_commit_callbacks(execute=True):
        notify_send(
            template="accounts.verification_code", context=CODE, phone="13800138000", channels=("sms",)
        )
    row = Notification.objects.get()
    assert (row.status, row.attempts) == ("failed", 2)
    assert row.error == "ConnectionError: gateway timeout"
    assert flaky_sms.calls == 2


def test_retry_is_deferred_on_a_worker_backend(flaky_sms, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    flaky_sms.failures = 1
    with time_machine.travel(NOW, tick=False):
        notify_send(
            template="accounts.verification_code", context=CODE, phone="13800138000", channels=("sms",)
        )
        row = Notification.objects.get()
        assert notification_deliver(notification_id=row.pk) == "queued"
    retry = DBTaskResult.objects.get()
    assert retry.run_after == NOW + dt.timedelta(seconds=60)
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == ("queued", 1, "ConnectionError: gateway timeout")


def test_delivery_is_idempotent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify_send(
            template="accounts.verification_code", context=CODE, phone="13800138000", channels=("sms",)
        )
    row = Notification.objects.get()
    assert notification_deliver(notification_id=row.pk) == "sent"
    assert len(sms_outbox) == 1
    assert Notification.objects.get().attempts == 1


def test_a_batch_reports_each_row(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        for _ in range(2):
            notify_send(
                template="accounts.verification_code", context=CODE, phone="13800138000", channels=("sms",)
            )
    first, second = Notification.objects.order_by("pk").values_list("pk", flat=True)
    Notification.objects.filter(pk=second).update(status="sent")
    assert notifications_deliver(notification_ids=[first, second, 999999, first]) == {
        first: "sent",
        second: "sent",
        999999: "missing",
    }
    assert len(sms_outbox) == 1
