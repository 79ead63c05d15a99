"""Background jobs of the outbox; they only call services."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from . import background, services


@task()
def dispatch_event_task(event_id: str) -> int:
    return services.dispatch_event(event_id)


@task()
def run_batch_task(event_ids: list[str], jobs: list[list[Any]]) -> int:
    """What one transaction handed to the background (core.events.background)."""
    return background.run_batch(event_ids, jobs)


@task()
def outbox_sweep_task() -> dict[str, int]:
    result = services.outbox_sweep()
    return {"dispatched": result.dispatched, "retried": result.retried}
