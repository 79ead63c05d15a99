"""A period as instants: [midnight of its first day, midnight after its last day) in Asia/Shanghai."""

import datetime as dt

import pytest

from zhengwu.core.calendar.periods import MONTH, QUARTER, YEAR, day_bounds, parse_period, period_of

UTC = dt.UTC


@pytest.mark.parametrize(
    ("key", "start", "end"),
    [
        # Midnight in Shanghai is 16:00 UTC the day before (UTC+8, no summer time).
        ("2026-03", dt.datetime(2026, 2, 28, 16, tzinfo=UTC), dt.datetime(2026, 3, 31, 16, tzinfo=UTC)),
        ("2024-02", dt.datetime(2024, 1, 31, 16, tzinfo=UTC), dt.datetime(2024, 2, 29, 16, tzinfo=UTC)),
        ("2025-Q4", dt.datetime(2025, 9, 30, 16, tzinfo=UTC), dt.datetime(2025, 12, 31, 16, tzinfo=UTC)),
        ("2026-Q1", dt.datetime(2025, 12, 31, 16, tzinfo=UTC), dt.datetime(2026, 3, 31, 16, tzinfo=UTC)),
        ("2026", dt.datetime(2025, 12, 31, 16, tzinfo=UTC), dt.datetime(2026, 12, 31, 16, tzinfo=UTC)),
    ],
)
def test_bounds_are_shanghai_midnights(key, start, end):
    bounds = parse_period(key).bounds()
    assert bounds == (start, end)
    for instant in bounds:
        assert str(instant.tzinfo) == "Asia/Shanghai"
        assert (instant.hour, instant.minute, instant.second, instant.microsecond) == (0, 0, 0, 0)


def test_day_bounds_take_the_last_day_inclusive():
    assert day_bounds(dt.date(2026, 3, 1), dt.date(2026, 3, 1)) == (
        dt.datetime(2026, 2, 28, 16, tzinfo=UTC),
        dt.datetime(2026, 3, 1, 16, tzinfo=UTC),
    )


@pytest.mark.parametrize("kind", [MONTH, QUARTER, YEAR])
def test_a_period_ends_where_the_next_begins(kind):
    period = period_of(dt.date(2026, 3, 15), kind)
    following = period_of(period.end + dt.timedelta(days=1), kind)
    assert period.bounds()[1] == following.bounds()[0]
