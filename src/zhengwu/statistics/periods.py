"""Periods of the statistics: a month (2026-11), a quarter (2026-Q4), a year (2026) or a custom range
of days (from / to). Months, quarters and years are read and spelt by core.calendar.periods (which
also reads 2026Q4). Bad input is a BadInput with a message for the user (the views answer 400)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from zhengwu.core.calendar import periods as calendar
from zhengwu.core.calendar.periods import shift_month

MAX_RANGE_DAYS = 366 * 5


class BadInput(ValueError):
    """A query parameter the statistics cannot use; str(exc) is the message shown to the user."""


@dataclass(frozen=True)
class Period:
    kind: str  # month | quarter | year | range
    start: dt.date
    end: dt.date  # inclusive
    key: str  # what goes back into ?period= (empty for a range)

    @property
    def label(self) -> str:
        if self.kind == "month":
            return _("%(y)d年%(m)d月") % {"y": self.start.year, "m": self.start.month}
        if self.kind == "quarter":
            return _("%(y)d年第%(q)d季度") % {"y": self.start.year, "q": (self.start.month - 1) // 3 + 1}
        if self.kind == "year":
            return _("%(y)d年") % {"y": self.start.year}
        return _("%(a)s 至 %(b)s") % {"a": self.start.isoformat(), "b": self.end.isoformat()}

    @property
    def query(self) -> str:
        if self.kind == "range":
            return f"from={self.start.isoformat()}&to={self.end.isoformat()}"
        return f"period={self.key}"

    def previous(self) -> Period:
        """The period of the same kind just before (a bulletin compares with it)."""
        if self.kind == "month":
            return month_period(shift_month(self.start, -1))
        if self.kind == "quarter":
            return _of(calendar.period_of(shift_month(self.start, -3), calendar.QUARTER))
        if self.kind == "year":
            return _of(calendar.period_of(self.start.replace(year=self.start.year - 1), calendar.YEAR))
        span = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return Period("range", end - span, end, "")


def _of(period: calendar.CalendarPeriod) -> Period:
    return Period(period.kind, period.start, period.end, period.key)


def month_period(first: dt.date) -> Period:
    return _of(calendar.period_of(first, calendar.MONTH))


def _parsed(raw: str, kinds: list[str], format_message: str) -> Period:
    try:
        return _of(calendar.parse_period(raw, kinds=kinds, format_message=format_message))
    except calendar.PeriodError as exc:
        raise BadInput(str(exc)) from None


def parse_month(raw: str) -> Period:
    """A month only (2026-11), for the bulletin."""
    return _parsed(raw, [calendar.MONTH], _("通报月份格式应为 2026-11。"))


def _date(raw: str, name: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(raw)
        calendar.check_year(day.year)
    except calendar.PeriodError as exc:
        raise BadInput(str(exc)) from None
    except ValueError:
        raise BadInput(_("%(name)s 应为 YYYY-MM-DD 格式的日期。") % {"name": name}) from None
    return day


def parse_period(params: Mapping[str, Any], *, today: dt.date) -> Period:
    """?period=2026-11 | 2026-Q4 | 2026, or ?from=…&to=…; default: the current year."""
    raw = str(params.get("period") or "").strip()[:20]
    start_raw = str(params.get("from") or "").strip()[:20]
    end_raw = str(params.get("to") or "").strip()[:20]
    if start_raw or end_raw:
        if raw:
            raise BadInput(_("请只选择一种统计期间：period 或 from/to。"))
        if not (start_raw and end_raw):
            raise BadInput(_("自定义期间需要同时给出开始日期（from）和结束日期（to）。"))
        start, end = _date(start_raw, "from"), _date(end_raw, "to")
        if end < start:
            raise BadInput(_("结束日期不能早于开始日期。"))
        if (end - start).days > MAX_RANGE_DAYS:
            raise BadInput(_("自定义期间不能超过五年。"))
        return Period("range", start, end, "")
    if not raw:
        raw = str(today.year)
    message = _("统计期间格式不正确：应为 2026-11（月）、2026-Q4（季度）或 2026（年）。")
    return _parsed(raw, [calendar.MONTH, calendar.QUARTER, calendar.YEAR], message)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the months from start's month to end's month."""
    out, month = [], start.replace(day=1)
    while month <= end:
        out.append(month)
        month = shift_month(month, 1)
    return out
