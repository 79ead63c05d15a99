from zhengwu.core.events.periodic import periodic

from .services import notification_requeue_stale


@periodic(seconds=300)
def requeue_stale_notifications() -> None:
    # An SMS or email left queued (worker restarted mid-send) is sent again.
    notification_requeue_stale()
