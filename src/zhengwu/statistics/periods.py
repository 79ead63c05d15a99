"""Periods of the statistics: a month (2026-11), a quarter (2026-Q4), a year (2026) or a custom range
of days (from / to). Bad input is a PeriodError with a message for the user (the views answer 400)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

MAX_RANGE_DAYS = 366 * 5
MIN_YEAR, MAX_YEAR = 2000, 2099


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
            return month_period(_shift_month(self.start, -1))
        if self.kind == "quarter":
            first = _shift_month(self.start, -3)
            return parse_period({"period": f"{first.year}-Q{(first.month - 1) // 3 + 1}"}, today=first)
        if self.kind == "year":
            return parse_period({"period": str(self.start.year - 1)}, today=self.start)
        span = self.end - self.start
        end = self.start - dt.timedelta(days=1)
        return Period("range", end - span, end, "")


def _shift_month(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(first: dt.date) -> dt.date:
    return _shift_month(first, 1) - dt.timedelta(days=1)


def month_period(first: dt.date) -> Period:
    first = first.replace(day=1)
    return Period("month", first, month_end(first), f"{first.year}-{first.month:02d}")


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


def _year(raw: str) -> int:
    year = int(raw)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise BadInput(_("年份应在 %(a)d 至 %(b)d 之间。") % {"a": MIN_YEAR, "b": MAX_YEAR})
    return year


def _date(raw: str, name: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise BadInput(_("%(name)s 应为 YYYY-MM-DD 格式的日期。") % {"name": name}) from None
    _year(str(day.year))
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
    if m := _MONTH.match(raw):
        month = int(m.group(2))
        if not 1 <= month <= 12:
            raise BadInput(_("月份应在 1 至 12 之间。"))
        return month_period(dt.date(_year(m.group(1)), month, 1))
    if m := _QUARTER.match(raw):
        year, quarter = _year(m.group(1)), int(m.group(2))
        first = dt.date(year, 3 * quarter - 2, 1)
        return Period("quarter", first, month_end(_shift_month(first, 2)), f"{year}-Q{quarter}")
    if m := _YEAR.match(raw):
        year = _year(m.group(1))
        return Period("year", dt.date(year, 1, 1), dt.date(year, 12, 31), str(year))
    raise BadInput(_("统计期间格式不正确：应为 2026-11（月）、2026-Q4（季度）或 2026（年）。"))


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the months from start's month to end's month."""
    out, month = [], start.replace(day=1)
    while month <= end:
        out.append(month)
        month = _shift_month(month, 1)
    return out


def shift_month(day: dt.date, months: int) -> dt.date:
    return _shift_month(day, months)
