"""Reads of supervision records for the statistics app (`zhengwu.statistics`), which keeps its own
rollup and never touches these tables otherwise.

Not scoped by an actor: the rollup is built for everybody and scoped when it is read (the rollup rows
carry the same region / department / line fields as the records, so `Actor.scope_q` applies to them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from .models import SupervisedCase

FACT_FIELDS = (
    "id",
    "source",
    "region_code",
    "department_id",
    "department_line",
    "department_name",
    "item_code",
    "item_name",
    "channel",
    "received_at",
    "accepted_at",
    "accepted_on",
    "completed_at",
    "decided_on_time",
    "decided_early",
    "suspended_workdays",
    "updated_at",
)


def records_changed_since(since: dt.datetime | None, *, chunk: int = 5000) -> Iterator[list[dict[str, Any]]]:
    """Records updated after `since` (all of them when None) as dicts of FACT_FIELDS, in chunks by id."""
    qs = (
        SupervisedCase.objects.all() if since is None else SupervisedCase.objects.filter(updated_at__gt=since)
    )
    last = 0
    while True:
        rows = list(qs.filter(id__gt=last).order_by("id").values(*FACT_FIELDS)[:chunk])
        if not rows:
            return
        yield rows
        last = rows[-1]["id"]


def source_has_records(source: str) -> bool:
    return SupervisedCase.objects.filter(source=source).exists()
