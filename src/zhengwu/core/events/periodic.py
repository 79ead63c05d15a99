"""Periodic jobs the worker runs (housekeeping now; supervision sweeps later).

Apps register with `@periodic(seconds=...)` in their events.py (autodiscovered). A failing job is
logged and tried again at its next turn; it never stops the worker.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

logger = logging.getLogger(__name__)


@dataclass
class PeriodicJob:
    name: str
    seconds: float
    fn: Callable[[], object]
    last_run: float = field(default=float("-inf"))


_jobs: dict[str, PeriodicJob] = {}


def periodic(
    *, seconds: float, name: str | None = None
) -> Callable[[Callable[[], object]], Callable[[], object]]:
    def register(fn: Callable[[], object]) -> Callable[[], object]:
        job_name = name or f"{fn.__module__}.{fn.__qualname__}"
        _jobs[job_name] = PeriodicJob(name=job_name, seconds=seconds, fn=fn)
        return fn

    return register


def registered_jobs() -> list[PeriodicJob]:
    return list(_jobs.values())


def run_due(now: float | None = None) -> list[str]:
    """Run every job whose period has passed; returns the names that ran."""
    now = time.monotonic() if now is None else now
    ran = []
    for job in _jobs.values():
        if now - job.last_run < job.seconds:
            continue
        job.last_run = now
        try:
            job.fn()
        except Exception:
            logger.exception("Periodic job %s failed", job.name)
        ran.append(job.name)
    return ran
