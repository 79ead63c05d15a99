"""Writes of the notify app.

notify_send() renders a template and writes one Notification per channel in the caller's
transaction. Inbox rows are delivered by being written. SMS and email rows are handed to the
background worker only after the transaction commits, so a rolled-back action never texts anyone.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import connections, router, transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from zhengwu.core.access.actor import Actor
from zhengwu.core.events.background import after_commit

from .backends import get_sms_backend
from .models import Notification
from .templates import render

logger = logging.getLogger(__name__)

CHANNELS = frozenset(Notification.Channel.values)
RETRY_BASE_SECONDS = 60


def max_attempts() -> int:
    return max(1, int(getattr(settings, "NOTIFY_MAX_ATTEMPTS", 3)))


def notify_send(
    *,
    template: str,
    context: Mapping[str, Any],
    user_id: int | None = None,
    phone: str | None = None,
    email: str | None = None,
    channels: tuple[str, ...] = ("inbox",),
) -> None:
    """Send a registered template through the given channels.

    A channel without its address (inbox without user_id, sms without phone, email without email)
    is skipped and logged. An unknown channel or template, or a context missing a placeholder,
    raises TemplateError/ValueError before anything is written.
    """
    unknown = sorted(set(channels) - CHANNELS)
    if unknown:
        raise ValueError(f"未知的通知渠道：{', '.join(unknown)}")
    message = render(template, context)
    phone = (phone or "").strip()
    email = (email or "").strip()
    addresses: dict[str, object] = {
        Notification.Channel.INBOX: user_id,
        Notification.Channel.SMS: phone,
        Notification.Channel.EMAIL: email,
    }
    now = timezone.now()
    rows: list[Notification] = []
    for channel in dict.fromkeys(channels):
        if not addresses[channel]:
            logger.warning("notify: %s skipped for template %s: no recipient address", channel, template)
            continue
        inbox = channel == Notification.Channel.INBOX
        rows.append(
            Notification(
                user_id=user_id,
                phone=phone if channel == Notification.Channel.SMS else "",
                email=email if channel == Notification.Channel.EMAIL else "",
                channel=channel,
                template=template,
                subject=message.subject[:200],
                body=message.body,
                status=Notification.Status.SENT if inbox else Notification.Status.QUEUED,
                sent_at=now if inbox else None,
            )
        )
    from .tasks import deliver_notification

    if not rows:
        return
    if connections[router.db_for_write(Notification)].features.can_return_rows_from_bulk_insert:
        Notification.objects.bulk_create(rows)  # one INSERT: all channels or none, ids set
    else:
        with transaction.atomic():
            for row in rows:
                row.save()
    for row in rows:
        if row.channel != Notification.Channel.INBOX:
            # Sent by the worker after commit, in the one task of the caller's transaction.
            after_commit(deliver_notification, row.pk)


def _enqueue(notification_id: int, *, delay: timedelta | None = None) -> None:
    from .tasks import deliver_notification

    task = deliver_notification
    if delay is not None and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + delay)
    task.enqueue(notification_id)


def notification_deliver(*, notification_id: int) -> str:
    """One delivery attempt of a queued SMS or email; returns the resulting status."""
    return notifications_deliver(notification_ids=[notification_id])[notification_id]


def notifications_deliver(*, notification_ids: Sequence[int]) -> dict[int, str]:
    """One delivery attempt of each queued SMS or email among `notification_ids` (the worker hands
    over all it has at hand); returns each id's resulting status.

    Safe to run twice: the rows are claimed together (attempt counter + 1) under row locks taken
    with SKIP LOCKED, so two workers never both send one, and rows no longer queued are left alone.
    No lock is held while the gateway is called; each row's outcome is written as soon as it is
    known, so a worker that dies mid-batch leaves at most the row in flight to be sent again.
    """
    ids = list(dict.fromkeys(int(pk) for pk in notification_ids))
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, status=Notification.Status.QUEUED)
            .order_by("pk")
        )
        if rows:
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(attempts=F("attempts") + 1)
    result = {row.pk: _attempt(row, row.attempts + 1) for row in rows}
    rest = [pk for pk in ids if pk not in result]
    if rest:
        found = dict(Notification.objects.filter(pk__in=rest).values_list("pk", "status"))
        for pk in rest:
            status = found.get(pk, "missing")
            result[pk] = "claimed-elsewhere" if status == Notification.Status.QUEUED else status
    return result


def _attempt(row: Notification, attempt: int) -> str:
    """Send one claimed row and record the outcome (a retry later, or failed after the last)."""
    try:
        message_id = _send(row)
    except Exception as exc:  # any backend failure is recorded, never lost
        error = f"{type(exc).__name__}: {exc}"[:2000]
        logger.warning("notify: %s #%s attempt %s failed: %s", row.channel, row.pk, attempt, error)
        if attempt < max_attempts():
            Notification.objects.filter(pk=row.pk).update(error=error)
            _enqueue(row.pk, delay=timedelta(seconds=RETRY_BASE_SECONDS * 4 ** (attempt - 1)))
            return Notification.Status.QUEUED
        Notification.objects.filter(pk=row.pk).update(status=Notification.Status.FAILED, error=error)
        return Notification.Status.FAILED
    Notification.objects.filter(pk=row.pk).update(
        status=Notification.Status.SENT,
        sent_at=timezone.now(),
        provider_message_id=message_id[:100],
        error="",
    )
    return Notification.Status.SENT


def _send(row: Notification) -> str:
    if row.channel == Notification.Channel.SMS:
        return get_sms_backend().send_sms(row.phone, row.body) or ""
    if row.channel == Notification.Channel.EMAIL:
        send_mail(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.email], fail_silently=False)
        return ""
    raise ValueError(f"channel {row.channel} is not delivered by the worker")


def notification_requeue_stale(*, older_than: timedelta = timedelta(minutes=15)) -> int:
    """Hand queued rows to the worker again (e.g. the process died between commit and enqueue).

    Meant for a periodic job; delivery is idempotent, so a row enqueued twice is sent once.
    """
    ids = list(
        Notification.objects.filter(
            status=Notification.Status.QUEUED, created_at__lt=timezone.now() - older_than
        ).values_list("pk", flat=True)[:1000]
    )
    for pk in ids:
        _enqueue(pk)
    return len(ids)


def notification_mark_read(*, actor: Actor, notification_id: int) -> None:
    """Mark one of the actor's own inbox messages read; anyone else's is a 404."""
    if actor.user_id is None:
        raise Http404
    with transaction.atomic():
        found = Notification.objects.filter(
            pk=notification_id, user_id=actor.user_id, channel=Notification.Channel.INBOX
        )
        if not found.exists():
            raise Http404
        found.filter(read_at__isnull=True).update(read_at=timezone.now())


def notification_mark_all_read(*, actor: Actor) -> int:
    if actor.user_id is None:
        return 0
    with transaction.atomic():
        return Notification.objects.filter(
            user_id=actor.user_id, channel=Notification.Channel.INBOX, read_at__isnull=True
        ).update(read_at=timezone.now())
