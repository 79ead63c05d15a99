"""The legal clock (cases/clock.py) pinned on the 2025 National Day holiday.

2025: 1–8 October are holidays; Sunday 28 September and Saturday 11 October are make-up working days.
Acceptance on Friday 26 September: the working days after it are 28, 29, 30 September, 9, 10, 11, 13 …
"""

from __future__ import annotations

import datetime as dt

import pytest

from zhengwu.cases import clock
from zhengwu.cases.clock import HOURS, NATURAL_DAYS, WORKDAYS, Interval
from zhengwu.cases.tests.factories import at
from zhengwu.core.calendar.days import add_workdays, workdays_between

pytestmark = pytest.mark.django_db

ACCEPTED = at(dt.date(2025, 9, 26), 10)
REGION = "449900000000"


def due(limit: int, unit: str = WORKDAYS, **kw: object) -> dt.date | None:
    return clock.limit_due(accepted_at=ACCEPTED, limit=limit, unit=unit, region=REGION, **kw)  # type: ignore[arg-type]


def test_promised_five_working_days_from_26_september_ends_10_october() -> None:
    assert due(5) == dt.date(2025, 10, 10)


def test_twenty_working_days_statutory_limit_crosses_the_make_up_saturday() -> None:
    assert due(20) == dt.date(2025, 10, 30)


def test_no_limit_gives_no_due_day() -> None:
    assert clock.limit_due(accepted_at=ACCEPTED, limit=None, unit=WORKDAYS) is None


def test_a_fifteen_working_day_suspension_moves_the_deadline_by_fifteen_working_days() -> None:
    start = dt.date(2025, 9, 29)
    end = add_workdays(start, 15, REGION)
    assert workdays_between(start, end, REGION) == 15
    suspended = due(5, intervals=[Interval(start, end)], today=dt.date(2025, 11, 1))
    assert suspended == add_workdays(dt.date(2025, 10, 10), 15, REGION)
    assert suspended == dt.date(2025, 10, 30)
    assert clock.suspended_workdays([Interval(start, end)], dt.date(2025, 12, 1), REGION) == 15


def test_a_running_suspension_counts_up_to_today() -> None:
    running = [Interval(dt.date(2025, 9, 29), None)]
    assert clock.suspended_workdays(running, dt.date(2025, 10, 10), REGION) == 3  # 30 Sep, 9, 10 Oct
    assert due(5, intervals=running, today=dt.date(2025, 10, 10)) == add_workdays(
        dt.date(2025, 10, 10), 3, REGION
    )


def test_an_extension_adds_ten_working_days() -> None:
    assert clock.EXTENSION_WORKDAYS == 10
    assert due(5, extension_workdays=10) == dt.date(2025, 10, 23)
    assert due(20, extension_workdays=10) == add_workdays(dt.date(2025, 10, 30), 10, REGION)


def test_suspension_and_extension_together() -> None:
    start = dt.date(2025, 9, 29)
    end = add_workdays(start, 15, REGION)
    assert due(5, intervals=[Interval(start, end)], extension_workdays=10, today=end) == dt.date(2025, 11, 13)


def test_natural_day_limit_counts_holidays_and_weekends() -> None:
    assert due(30, NATURAL_DAYS) == dt.date(2025, 10, 26)  # a Sunday: natural days do not roll
    suspended = [Interval(dt.date(2025, 10, 1), dt.date(2025, 10, 11))]  # 10 natural days
    assert due(30, NATURAL_DAYS, intervals=suspended, today=dt.date(2025, 10, 20)) == dt.date(2025, 11, 5)
    assert due(30, NATURAL_DAYS, extension_workdays=10) == add_workdays(dt.date(2025, 10, 26), 10, REGION)


def test_hour_limit_counts_from_the_instant_of_acceptance() -> None:
    assert due(24, HOURS) == dt.date(2025, 9, 27)
    assert due(48, HOURS) == dt.date(2025, 9, 28)
    late_evening = at(dt.date(2025, 9, 26), 23)
    assert clock.limit_due(accepted_at=late_evening, limit=2, unit=HOURS) == dt.date(2025, 9, 27)


def test_acceptance_due_is_five_working_days_after_receipt() -> None:
    assert clock.ACCEPTANCE_WORKDAYS == 5
    assert clock.acceptance_due(dt.date(2025, 9, 26), REGION) == dt.date(2025, 10, 10)
    assert clock.acceptance_due(dt.date(2025, 9, 30), REGION) == dt.date(2025, 10, 14)


def test_a_supplement_notice_on_the_sixth_working_day_is_late() -> None:
    received = dt.date(2025, 9, 26)
    assert not clock.supplement_is_late(received, dt.date(2025, 10, 10), REGION)  # 5th working day
    assert clock.supplement_is_late(received, dt.date(2025, 10, 11), REGION)  # 6th (make-up Saturday)


def test_delivery_due_is_ten_working_days_after_the_decision() -> None:
    assert clock.delivery_due(dt.date(2025, 9, 30), REGION) == dt.date(2025, 10, 21)
    assert clock.delivery_due(at(dt.date(2025, 9, 30), 16), REGION) == dt.date(2025, 10, 21)


def test_step_due_and_workdays_left() -> None:
    assert clock.step_due(dt.date(2025, 9, 26), 5, REGION) == dt.date(2025, 10, 10)
    assert clock.step_due(dt.date(2025, 9, 26), 0, REGION) is None
    assert clock.workdays_left(dt.date(2025, 10, 10), dt.date(2025, 10, 10), REGION) == 0
    assert clock.workdays_left(dt.date(2025, 10, 10), dt.date(2025, 9, 30), REGION) == 2
    assert clock.workdays_left(dt.date(2025, 10, 10), dt.date(2025, 10, 13), REGION) == -2
    assert clock.workdays_left(None, dt.date(2025, 10, 13), REGION) is None
