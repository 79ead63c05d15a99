"""The legal clock of a case (DOMAIN §2–§3), computed only from core.calendar.

Every limit counts from the day after its start (民法典 art. 201) and ends at 24:00 of its last day:
- acceptance: 5 working days from receipt;
- decision: the promised and the statutory limit from the day of acceptance, plus the working days
  spent in suspensions (特别程序, the clock stops) and the approved extension;
- delivery: 10 working days from the decision.
Pure functions: the services store their results on the case; supervision recomputes from events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from zhengwu.core.calendar.days import (
    add_workdays,
    deadline_hours,
    deadline_natural_days,
    local_day,
    workdays_between,
)

ACCEPTANCE_WORKDAYS = 5  # 行政许可法 art. 32
DELIVERY_WORKDAYS = 10  # 行政许可法 art. 44
EXTENSION_WORKDAYS = 10  # 行政许可法 art. 42

WORKDAYS, NATURAL_DAYS, HOURS = "workdays", "days", "hours"  # catalog LimitUnit values


@dataclass(frozen=True)
class Interval:
    """A suspension: from `start` to `end` (None while it runs; counted up to `today`)."""

    start: dt.date
    end: dt.date | None


def acceptance_due(received_on: dt.date, region: str | None = None) -> dt.date:
    return add_workdays(received_on, ACCEPTANCE_WORKDAYS, region)


def supplement_is_late(received_on: dt.date, sent_on: dt.date, region: str | None = None) -> bool:
    """A supplement notice after the 5th working day: the case counts as accepted on receipt."""
    return sent_on > acceptance_due(received_on, region)


def suspended_workdays(intervals: Iterable[Interval], today: dt.date, region: str | None = None) -> int:
    """Working days the clock stood still: those after each start up to and including its end."""
    return sum(workdays_between(i.start, i.end or today, region) for i in intervals)


def suspended_natural_days(intervals: Iterable[Interval], today: dt.date) -> int:
    return sum(((i.end or today) - i.start).days for i in intervals)


def limit_due(
    *,
    accepted_at: dt.datetime,
    limit: int | None,
    unit: str,
    intervals: Iterable[Interval] = (),
    extension_workdays: int = 0,
    today: dt.date | None = None,
    region: str | None = None,
) -> dt.date | None:
    """The last day of a decision limit (None when the item has none)."""
    if limit is None:
        return None
    accepted_on = local_day(accepted_at)
    today = today or accepted_on
    spans = list(intervals)
    if unit == HOURS:
        base = local_day(deadline_hours(accepted_at, limit))
        stopped = suspended_workdays(spans, today, region)
        return add_workdays(base, stopped + extension_workdays, region)
    if unit == NATURAL_DAYS:
        base = deadline_natural_days(accepted_on, limit + suspended_natural_days(spans, today))
        return add_workdays(base, extension_workdays, region)
    stopped = suspended_workdays(spans, today, region)
    return add_workdays(accepted_on, limit + stopped + extension_workdays, region)


def delivery_due(decided_at: dt.date | dt.datetime, region: str | None = None) -> dt.date:
    return add_workdays(decided_at, DELIVERY_WORKDAYS, region)


def step_due(started_at: dt.date | dt.datetime, limit: int, region: str | None = None) -> dt.date | None:
    return add_workdays(started_at, limit, region) if limit else None


def workdays_left(due: dt.date | None, today: dt.date, region: str | None = None) -> int | None:
    """Working days from today to the due day: 0 on the last day, negative once overdue."""
    if due is None:
        return None
    return workdays_between(today, due, region)
