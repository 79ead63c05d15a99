from __future__ import annotations

from typing import Any

from django_tasks import task

from zhengwu.core.events.background import run_together

from .services import notification_deliver, notifications_deliver


@task()
def deliver_notification(notification_id: int) -> str:
    return str(notification_deliver(notification_id=notification_id))


def _deliver_together(calls: list[list[Any]]) -> None:
    notifications_deliver(notification_ids=[args[0] for args in calls])


# The worker delivers the notifications of all the batches it has claimed with one claim.
run_together(deliver_notification, _deliver_together)
