"""Demo statistics (`seed_statistics_demo`, run by `manage.py seed_demo` through settings.DEMO_SEEDERS).

A demo city that has just been seeded has a handful of live cases, not a year of history, so the
dashboards would be empty. This seeder reports a year of finished (closed) cases of the
catalogue's demo items through supervision's own intake service, under the source `demo-history`
(like an external system would), then builds the rollup. DEMO ONLY. Idempotent: nothing is added when
records of that source exist; the rollup refresh itself is idempotent. No open cases: the wall, the
lights and the warnings stay those of the live demo cases.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from zhengwu.catalog.selectors.public import public_items
from zhengwu.core.calendar import add_workdays, is_workday, local_day
from zhengwu.supervision.services.records import IncomingEvent, events_ingest

from .services import rollup_refresh

SOURCE = "demo-history"
SHANGHAI = ZoneInfo("Asia/Shanghai")
CHANNELS = ["online"] * 5 + ["mobile"] * 2 + ["window"] * 3 + ["post", "kiosk"]
PER_MONTH = 40


def _at(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def _events(
    case_id: str, item: Any, received: dt.date, rng: random.Random, *, finish: bool
) -> list[IncomingEvent]:
    region = item.region.code
    channel = rng.choice(CHANNELS)
    promised = rng.choice([3, 5, 8, 10])
    accepted_on = add_workdays(received, rng.choice([0, 0, 1]))
    base = {
        "case_id": case_id,
        "case_number": f"LS{received:%Y%m%d}{case_id[:6].upper()}",
        "item_code": item.implementation_code,
        "item_name": item.name,
        "department_id": item.department_id,
        "region_code": region,
        "channel": channel,
        "received_at": _at(received, 9).isoformat(),
    }
    steps: list[tuple[str, dt.datetime, dict[str, Any]]] = [
        ("cases.case_received", _at(received, 9), {"status": "submitted"}),
        (
            "cases.case_accepted",
            _at(accepted_on, 10),
            {
                "status": "accepted",
                "mode": "normal",
                "accepted_on": accepted_on.isoformat(),
                "promised_due": add_workdays(accepted_on, promised).isoformat(),
            },
        ),
    ]
    if finish:
        used = max(0, promised + rng.choice([-3, -2, -2, -1, -1, 0, 0, 0, 1, 2]))
        decided = add_workdays(accepted_on, used)
        steps += [
            ("cases.case_decided", _at(decided, 15), {"status": "decided", "decision": "grant"}),
            ("cases.case_completed", _at(decided, 16), {"status": "completed", "decision": "grant"}),
            ("cases.case_delivered", _at(add_workdays(decided, 1), 11), {"status": "delivered"}),
        ]
    return [
        IncomingEvent(id=str(uuid.uuid4()), type=t, occurred_at=at, payload={**base, **extra}, source=SOURCE)
        for t, at, extra in steps
    ]


def _workdays_of_month(first: dt.date, last: dt.date) -> list[dt.date]:
    days, day = [], first
    while day <= last:
        if is_workday(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def seed_statistics_demo() -> dict[str, int]:
    from zhengwu.supervision.selectors_stats import source_has_records

    created = 0
    if not source_has_records(SOURCE):
        items = list(public_items().order_by("id"))
        if items:
            rng = random.Random(2026)
            today = local_day(timezone.now())
            events: list[IncomingEvent] = []
            for back in range(12, -1, -1):
                index = today.year * 12 + today.month - 1 - back
                first = dt.date(index // 12, index % 12 + 1, 1)
                last = min(
                    today - dt.timedelta(days=20),
                    (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1),
                )
                days = _workdays_of_month(first, last)
                for _n in range(PER_MONTH if days else 0):
                    events += _events(
                        str(uuid.uuid4()), rng.choice(items), rng.choice(days), rng, finish=True
                    )
                    created += 1
            with transaction.atomic():
                for i in range(0, len(events), 500):
                    events_ingest(events=events[i : i + 500], on_day=today)
    result = rollup_refresh()
    return {"statistics_demo_cases": created, "statistics_rollup_changed": result.facts_changed}
