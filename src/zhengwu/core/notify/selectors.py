"""Reads of the notify app: a user's own inbox and its unread count."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from .models import Notification


def inbox_for_user(user_id: int | None) -> QuerySet[Notification]:
    """The user's inbox, unread first, newest first within each group."""
    if user_id is None:
        return Notification.objects.none()
    return (
        Notification.objects.filter(user_id=user_id, channel=Notification.Channel.INBOX)
        .annotate(
            unread=Case(
                When(read_at__isnull=True, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        .order_by("-unread", "-created_at", "-id")
    )


def unread_count(user_id: int | None) -> int:
    """Unread inbox messages of a user; cheap (indexed), meant for a header badge."""
    if user_id is None:
        return 0
    return Notification.objects.filter(
        user_id=user_id, channel=Notification.Channel.INBOX, read_at__isnull=True
    ).count()
