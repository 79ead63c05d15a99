"""The assessment's and the card rules' periods are the same instants (core.calendar.periods)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from zhengwu.supervision import scoring
from zhengwu.supervision.services.alerts import period_bounds

SH = ZoneInfo("Asia/Shanghai")
MARCH_2026 = (dt.datetime(2026, 3, 1, tzinfo=SH), dt.datetime(2026, 4, 1, tzinfo=SH))
Q4_2025 = (dt.datetime(2025, 10, 1, tzinfo=SH), dt.datetime(2026, 1, 1, tzinfo=SH))


def test_a_month_is_midnight_to_midnight_in_shanghai() -> None:
    assert (
        dt.datetime(2026, 2, 28, 16, tzinfo=dt.UTC),
        dt.datetime(2026, 3, 31, 16, tzinfo=dt.UTC),
    ) == MARCH_2026
    assert scoring.parse_period("2026-03").bounds() == MARCH_2026
    assert scoring.period_of(dt.date(2026, 3, 31), "month").bounds() == MARCH_2026
    assert period_bounds(dt.date(2026, 3, 1), "month") == MARCH_2026
    assert period_bounds(dt.date(2026, 3, 31), "month") == MARCH_2026


def test_a_quarter_is_midnight_to_midnight_in_shanghai() -> None:
    assert (
        dt.datetime(2025, 9, 30, 16, tzinfo=dt.UTC),
        dt.datetime(2025, 12, 31, 16, tzinfo=dt.UTC),
    ) == Q4_2025
    assert scoring.parse_period("2025-Q4").bounds() == Q4_2025
    assert scoring.last_closed(dt.date(2026, 1, 5), "quarter").bounds() == Q4_2025
    assert period_bounds(dt.date(2025, 11, 15), "quarter") == Q4_2025
    assert period_bounds(dt.date(2025, 12, 31), "quarter") == Q4_2025


def test_both_give_aware_datetimes_in_shanghai() -> None:
    for start, end in (
        scoring.parse_period("2025-Q4").bounds(),
        period_bounds(dt.date(2025, 11, 15), "quarter"),
    ):
        assert start.tzinfo is SH and end.tzinfo is SH
        assert start.utcoffset() == end.utcoffset() == dt.timedelta(hours=8)
