"""The clock, memoised (a million cases share a few thousand distinct inputs)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from zhengwu.cases import clock
from zhengwu.core.calendar.days import add_workdays, is_workday

SHANGHAI = ZoneInfo("Asia/Shanghai")


@lru_cache(maxsize=200_000)
def plus_workdays(day: dt.date, n: int, region: str) -> dt.date:
    return add_workdays(day, n, region)


@lru_cache(maxsize=200_000)
def limit_due(day: dt.date, limit: int | None, unit: str, region: str) -> dt.date | None:
    return clock.limit_due(accepted_at=at(day, 10), limit=limit, unit=unit, region=region)


@lru_cache(maxsize=10_000)
def workdays_back(today: dt.date, count: int, region: str) -> list[dt.date]:
    """The `count` working days before `today` (oldest first)."""
    days: list[dt.date] = []
    day = today
    while len(days) < count:
        day -= dt.timedelta(days=1)
        if is_workday(day, region):
            days.append(day)
    return days[::-1]


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI).astimezone(dt.UTC)
