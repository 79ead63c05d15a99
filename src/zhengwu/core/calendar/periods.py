"""Calendar periods — a month, a quarter, a year — and their one spelling.

Keys are written one way: ``2026-03`` (month), ``2026-Q4`` (quarter), ``2026`` (year). The statistics
URLs, the assessment's runs and manual scores and the card rules' counting periods use this form.
Reading is lenient so that old links, command lines and scripts keep working: ``2026Q4`` and
``2026q4`` (the assessment's former spelling) and ``2026-3`` are read too.

Bad input raises PeriodError, a ValueError whose str() is a message for the user.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .days import TZ

MONTH, QUARTER, YEAR = "month", "quarter", "year"
KINDS = (MONTH, QUARTER, YEAR)
MIN_YEAR, MAX_YEAR = 2000, 2099
MAX_INPUT = 20  # longer input is cut before matching (it is never a period)

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq](\d)$")
_YEAR = re.compile(r"^(\d{4})$")


class PeriodError(ValueError):
    """A period that cannot be used; str(exc) is the message shown to the user."""


@dataclass(frozen=True)
class CalendarPeriod:
    kind: str  # month | quarter | year
    start: dt.date
    end: dt.date  # inclusive

    @property
    def key(self) -> str:
        """The canonical spelling: 2026-03, 2026-Q4 or 2026."""
        if self.kind == MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{quarter_of(self.start)}"
        return str(self.start.year)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """[start, end) as instants: midnight in Asia/Shanghai."""
        return day_bounds(self.start, self.end)


def day_bounds(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The days `first` … `last` (inclusive) as instants [start, end): midnight in Asia/Shanghai."""
    end = last + dt.timedelta(days=1)
    return (
        dt.datetime(first.year, first.month, first.day, tzinfo=TZ),
        dt.datetime(end.year, end.month, end.day, tzinfo=TZ),
    )


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


def shift_month(day: dt.date, months: int) -> dt.date:
    """The first day of the month `months` after (or before) the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    """The last day of the month of `day`."""
    return shift_month(day, 1) - dt.timedelta(days=1)


def period_of(day: dt.date, kind: str) -> CalendarPeriod:
    """The month, quarter or year that contains `day`."""
    if kind == MONTH:
        first = day.replace(day=1)
        return CalendarPeriod(MONTH, first, month_end(first))
    if kind == QUARTER:
        first = dt.date(day.year, 3 * quarter_of(day) - 2, 1)
        return CalendarPeriod(QUARTER, first, month_end(shift_month(first, 2)))
    if kind == YEAR:
        return CalendarPeriod(YEAR, dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))
    raise ValueError(f"unknown period kind {kind!r}")


def check_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(_("年份应在 %(a)d 至 %(b)d 之间。") % {"a": MIN_YEAR, "b": MAX_YEAR})
    return year


def parse_period(
    raw: object, *, kinds: Collection[str] = KINDS, format_message: str | None = None
) -> CalendarPeriod:
    """2026-03 / 2026-3, 2026-Q4 / 2026Q4 / 2026q4, or 2026 — of the `kinds` the caller accepts.

    Anything else, or a kind the caller does not accept, raises PeriodError(format_message), which
    the caller words for its field ("统计期间…", "评估周期…"); out-of-range numbers have their own message.
    """
    text = str(raw or "").strip()[:MAX_INPUT]
    kind, match = None, None
    for candidate, pattern in ((MONTH, _MONTH), (QUARTER, _QUARTER), (YEAR, _YEAR)):
        if match := pattern.match(text):
            kind = candidate
            break
    if match is None or kind not in kinds:
        raise PeriodError(
            format_message or _("期间格式不正确：应为 2026-03（月）、2026-Q4（季度）或 2026（年）。")
        )
    year = check_year(int(match[1]))
    if kind == MONTH:
        month = int(match[2])
        if not 1 <= month <= 12:
            raise PeriodError(_("月份应在 1 至 12 之间。"))
        return period_of(dt.date(year, month, 1), MONTH)
    if kind == QUARTER:
        quarter = int(match[2])
        if not 1 <= quarter <= 4:
            raise PeriodError(_("季度应为 Q1 至 Q4。"))
        return period_of(dt.date(year, 3 * quarter - 2, 1), QUARTER)
    return period_of(dt.date(year, 1, 1), YEAR)
