"""Background jobs of the outbox; they only call services."""

from __future__ import annotations

from django_tasks import task

from . import services


@task()
def dispatch_event_task(event_id: str) -> int:
    return services.dispatch_event(event_id)


@task()
def outbox_sweep_task() -> dict[str, int]:
    result = services.outbox_sweep()
    return {"dispatched": result.dispatched, "retried": result.retried}
