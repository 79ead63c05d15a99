import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from zhengwu.core.calendar import (
    add_workdays,
    deadline_hours,
    deadline_natural_days,
    end_of_day_instant,
    is_workday,
    local_day,
)

SH = ZoneInfo("Asia/Shanghai")
UTC = dt.UTC


def test_end_of_day_is_midnight_beijing_time():
    end = end_of_day_instant(dt.date(2025, 3, 2))
    assert end == dt.datetime(2025, 3, 2, 16, 0, tzinfo=UTC)
    assert end.tzinfo is not None


def test_natural_days_count_from_the_beijing_day():
    # 00:30 on 2 March in Beijing is still 1 March in UTC.
    accepted = dt.datetime(2025, 3, 1, 16, 30, tzinfo=UTC)
    assert local_day(accepted) == dt.date(2025, 3, 2)
    assert deadline_natural_days(accepted, 3) == dt.date(2025, 3, 5)
    assert deadline_natural_days(dt.date(2025, 2, 27), 3) == dt.date(2025, 3, 2)
    late = dt.datetime(2025, 3, 1, 23, 59, tzinfo=SH)
    assert deadline_natural_days(late, 1) == dt.date(2025, 3, 2)


def test_hour_deadlines_cross_midnight():
    start = dt.datetime(2025, 3, 1, 20, 0, tzinfo=SH)
    assert deadline_hours(start, 24) == dt.datetime(2025, 3, 2, 20, 0, tzinfo=SH)
    assert deadline_hours(start, 5) == dt.datetime(2025, 3, 2, 1, 0, tzinfo=SH)
    assert deadline_hours(start, 5).date() == dt.date(2025, 3, 2)
    utc_start = dt.datetime(2025, 3, 1, 12, 0, tzinfo=UTC)  # 20:00 Beijing
    assert deadline_hours(utc_start, 5) == dt.datetime(2025, 3, 2, 1, 0, tzinfo=SH)
    naive = dt.datetime(2025, 3, 1, 20, 0)
    assert deadline_hours(naive, 24) == dt.datetime(2025, 3, 2, 20, 0, tzinfo=SH)


@pytest.mark.django_db
def test_working_days_count_from_the_beijing_day():
    # Friday 00:30 in Beijing is Thursday 16:30 UTC: the first working day after is Monday.
    accepted = dt.datetime(2025, 3, 6, 16, 30, tzinfo=UTC)
    assert add_workdays(accepted, 1) == dt.date(2025, 3, 10)
    assert is_workday(dt.datetime(2025, 3, 7, 15, 30, tzinfo=UTC)) is True  # Friday 23:30 Beijing
    assert is_workday(dt.datetime(2025, 3, 9, 16, 30, tzinfo=UTC)) is True  # Monday 00:30 Beijing
    assert is_workday(dt.datetime(2025, 3, 9, 15, 30, tzinfo=UTC)) is False  # Sunday 23:30 Beijing
