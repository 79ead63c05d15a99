from __future__ import annotations

from django_tasks import task

from .services import notification_deliver


@task()
def deliver_notification(notification_id: int) -> str:
    return str(notification_deliver(notification_id=notification_id))
