import datetime as dt
import random

import chinese_calendar
import pytest

from zhengwu.core.calendar import (
    add_workdays,
    calendar_coverage,
    day_detail,
    deadline_workdays,
    fallback_years,
    is_workday,
    workdays_between,
)

pytestmark = pytest.mark.django_db

D = dt.date
UTC = dt.UTC


def days(first, last):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


def slow_add(start, n, region=None):
    """Reference: walk day by day with is_workday."""
    step = 1 if n > 0 else -1
    day, left = start, abs(n)
    while left:
        day += dt.timedelta(days=step)
        if is_workday(day, region):
            left -= 1
    return day


def test_is_workday_matches_chinese_calendar_2004_to_2026():
    mismatches = [
        day
        for day in days(D(2004, 1, 1), D(2026, 12, 31))
        if is_workday(day) != chinese_calendar.is_workday(day)
    ]
    assert mismatches == []


def test_official_names_are_kept():
    info = day_detail(D(2025, 10, 1))
    assert info.is_workday is False
    assert "National" in info.name
    assert day_detail(D(2025, 9, 28)).is_workday is True  # Sunday make-up day before National Day


def test_first_day_is_not_counted():
    assert add_workdays(D(2025, 3, 3), 1) == D(2025, 3, 4)  # Monday -> Tuesday
    assert add_workdays(D(2025, 3, 7), 1) == D(2025, 3, 10)  # Friday -> Monday
    assert add_workdays(D(2025, 3, 8), 1) == D(2025, 3, 10)  # accepted on a Saturday
    assert add_workdays(D(2025, 3, 3), 5) == D(2025, 3, 10)
    assert add_workdays(D(2025, 3, 8), 0) == D(2025, 3, 8)
    assert add_workdays(D(2025, 3, 10), -1) == D(2025, 3, 7)
    assert add_workdays(D(2025, 3, 9), -1) == D(2025, 3, 7)


def test_limit_across_national_day():
    assert add_workdays(D(2025, 9, 26), 5) == D(2025, 10, 10)
    # 24:00 Beijing time on the 10th is 16:00 UTC.
    assert deadline_workdays(D(2025, 9, 26), 5) == dt.datetime(2025, 10, 10, 16, 0, tzinfo=UTC)
    assert workdays_between(D(2025, 9, 26), D(2025, 10, 10)) == 5
    assert add_workdays(D(2025, 10, 10), -5) == D(2025, 9, 26)


def test_backwards_over_national_day():
    assert add_workdays(D(2025, 10, 9), -1) == D(2025, 9, 30)
    assert add_workdays(D(2025, 10, 9), -2) == D(2025, 9, 29)
    assert add_workdays(D(2025, 10, 9), -3) == D(2025, 9, 28)  # Sunday make-up day


def test_2027_falls_back_to_monday_to_friday_without_exception():
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(D(2027, 1, 1))
    assert is_workday(D(2027, 1, 1)) is True  # a Friday: no data, so plain Mon–Fri
    assert is_workday(D(2027, 1, 2)) is False
    assert add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 1)
    assert add_workdays(D(2027, 1, 1), 1) == D(2027, 1, 4)
    rows = calendar_coverage([2026, 2027])
    assert rows == [{"year": 2026, "source": "official"}, {"year": 2027, "source": "fallback"}]


def test_default_coverage_reports_next_year(time_machine):
    time_machine.move_to(dt.datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    rows = calendar_coverage()
    assert rows[0] == {"year": 2004, "source": "official"}
    assert rows[-1] == {"year": 2027, "source": "fallback"}
    assert fallback_years() == [2027]


@pytest.mark.parametrize("start", [D(1950, 6, 5), D(1999, 12, 20), D(2099, 12, 20), D(2300, 1, 1)])
def test_dates_outside_the_table_span(start):
    for n in (-40, -7, -1, 1, 3, 12, 40):
        assert add_workdays(start, n) == slow_add(start, n), n
        assert workdays_between(start, add_workdays(start, n)) == n


def test_outside_span_is_monday_to_friday():
    assert [is_workday(D(2150, 1, 1) + dt.timedelta(days=i)) for i in range(7)] == [
        (D(2150, 1, 1) + dt.timedelta(days=i)).weekday() < 5 for i in range(7)
    ]


def test_add_and_between_agree_on_many_dates():
    rng = random.Random(20250926)
    lo, hi = D(2003, 6, 1).toordinal(), D(2028, 6, 30).toordinal()
    for _ in range(3000):
        start = D.fromordinal(rng.randint(lo, hi))
        n = rng.randint(-60, 60)
        end = add_workdays(start, n)
        assert workdays_between(start, end) == n, (start, n)
        if n:
            assert is_workday(end)
    for _ in range(300):
        start = D.fromordinal(rng.randint(lo, hi))
        n = rng.choice([-1, 1]) * rng.randint(1, 45)
        assert add_workdays(start, n) == slow_add(start, n), (start, n)


def test_workdays_between_counts_after_a_up_to_b():
    assert workdays_between(D(2025, 3, 3), D(2025, 3, 3)) == 0
    assert workdays_between(D(2025, 3, 3), D(2025, 3, 9)) == 4  # Tue..Fri
    assert workdays_between(D(2025, 3, 9), D(2025, 3, 3)) == -5  # Mon..Fri before Sunday


def test_bad_region_code_is_a_clear_error():
    with pytest.raises(ValueError, match="12"):
        is_workday(D(2025, 3, 3), "4406")
