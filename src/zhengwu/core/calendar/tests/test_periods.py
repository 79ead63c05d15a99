"""Calendar periods: one spelling written (2026-03, 2026-Q4, 2026), the former ones still read."""

import datetime as dt

import pytest

from zhengwu.core.calendar.periods import (
    MONTH,
    QUARTER,
    YEAR,
    PeriodError,
    parse_period,
    period_of,
)

D = dt.date


@pytest.mark.parametrize(
    ("raw", "key", "kind", "start", "end"),
    [
        ("2026-Q4", "2026-Q4", QUARTER, D(2026, 10, 1), D(2026, 12, 31)),
        ("2026Q4", "2026-Q4", QUARTER, D(2026, 10, 1), D(2026, 12, 31)),  # the assessment's old spelling
        ("2026q1", "2026-Q1", QUARTER, D(2026, 1, 1), D(2026, 3, 31)),
        (" 2026-q2 ", "2026-Q2", QUARTER, D(2026, 4, 1), D(2026, 6, 30)),
        ("2026-03", "2026-03", MONTH, D(2026, 3, 1), D(2026, 3, 31)),
        ("2026-3", "2026-03", MONTH, D(2026, 3, 1), D(2026, 3, 31)),
        ("2024-02", "2024-02", MONTH, D(2024, 2, 1), D(2024, 2, 29)),
        ("2026", "2026", YEAR, D(2026, 1, 1), D(2026, 12, 31)),
    ],
)
def test_both_spellings_are_read_and_one_is_written(
    raw: str, key: str, kind: str, start: dt.date, end: dt.date
) -> None:
    period = parse_period(raw)
    assert (period.key, period.kind, period.start, period.end) == (key, kind, start, end)
    assert parse_period(period.key) == period  # the key reads back as the same period


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2026-Q5", "Q1 至 Q4"),
        ("2026Q0", "Q1 至 Q4"),
        ("2026-13", "1 至 12"),
        ("2026-00", "1 至 12"),
        ("1999", "2000 至 2099"),
        ("0000-01", "2000 至 2099"),  # not a 500 from datetime.date
        ("2100-Q1", "2000 至 2099"),
        ("", "格式不正确"),
        (None, "格式不正确"),
        ("Q4", "格式不正确"),
        ("2026-Q", "格式不正确"),
        ("2026--Q4", "格式不正确"),
        ("2026-11-01", "格式不正确"),
        ("2026" + "0" * 100, "格式不正确"),
    ],
)
def test_bad_input_is_a_value_error_with_a_message(raw: object, message: str) -> None:
    with pytest.raises(ValueError, match=message) as exc:
        parse_period(raw)
    assert isinstance(exc.value, PeriodError)


def test_kinds_the_caller_does_not_accept_get_its_own_message() -> None:
    assert parse_period("2026Q4", kinds=[MONTH, QUARTER]).key == "2026-Q4"
    with pytest.raises(PeriodError, match="只要月份"):
        parse_period("2026", kinds=[MONTH, QUARTER], format_message="只要月份或季度")
    with pytest.raises(PeriodError, match="只要月份"):
        parse_period("2026-Q4", kinds=[MONTH], format_message="只要月份")
    with pytest.raises(PeriodError, match="1 至 12"):  # a month out of range says so
        parse_period("2026-13", kinds=[MONTH], format_message="只要月份")


def test_period_of_a_day() -> None:
    day = D(2025, 11, 20)
    assert [period_of(day, kind).key for kind in (MONTH, QUARTER, YEAR)] == ["2025-11", "2025-Q4", "2025"]
    assert period_of(D(2025, 12, 31), QUARTER).start == D(2025, 10, 1)
    assert period_of(D(2025, 1, 1), QUARTER).end == D(2025, 3, 31)
    with pytest.raises(ValueError):
        period_of(day, "week")
