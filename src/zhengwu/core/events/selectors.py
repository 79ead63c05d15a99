"""Reads for /healthz and the admin."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from .models import Delivery, Event, WorkerHeartbeat


def worker_stale_after() -> timedelta:
    return timedelta(seconds=float(getattr(settings, "EVENTS_WORKER_STALE_SECONDS", 60)))


def worker_status(*, now: datetime | None = None) -> dict[str, Any]:
    """ok: a heartbeat within EVENTS_WORKER_STALE_SECONDS; stale: an older one; missing: none at all."""
    now = now or timezone.now()
    last = WorkerHeartbeat.objects.aggregate(last=Max("last_seen_at"))["last"]
    if last is None:
        status = "missing"
    elif now - last > worker_stale_after():
        status = "stale"
    else:
        status = "ok"
    return {"status": status, "last_heartbeat": last.isoformat() if last else None}


def outbox_counts() -> dict[str, int]:
    return {
        "pending": Delivery.objects.filter(status=Delivery.Status.PENDING).count(),
        "failed": Delivery.objects.filter(status=Delivery.Status.FAILED).count(),
        "undispatched": Event.objects.filter(dispatched_at__isnull=True).count(),
    }
