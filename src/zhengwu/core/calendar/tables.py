"""Precomputed working-day tables: pure data, no Django.

A table covers SPAN_FIRST..SPAN_LAST and holds the sorted ordinals of its working days, so adding or
counting working days is one bisect. Outside the span (and for years the official data does not
cover) the rule is plain Monday–Friday, computed in closed form: never an exception, never a loop.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable, Mapping

from chinese_calendar import constants as official

# The span the fast tables cover; overrides outside it could never take effect, so they are refused.
FIRST_YEAR = 2000
LAST_YEAR = 2099
SPAN_FIRST = dt.date(FIRST_YEAR, 1, 1)
SPAN_LAST = dt.date(LAST_YEAR, 12, 31)
LO = SPAN_FIRST.toordinal()
HI = SPAN_LAST.toordinal()

# chinese_calendar accepts exactly the years between its first and last holiday and raises outside.
OFFICIAL_FIRST_YEAR = min(official.holidays).year
OFFICIAL_LAST_YEAR = max(official.holidays).year


def monfri_rank(o: int) -> int:
    """How many Monday–Friday days have ordinals 1..o (ordinal 1, 0001-01-01, is a Monday)."""
    weeks, rest = divmod(o, 7)
    return weeks * 5 + min(rest, 5)


def monfri_unrank(k: int) -> int:
    """The ordinal of the k-th Monday–Friday day: the inverse of monfri_rank on working days."""
    weeks, rest = divmod(k - 1, 5)
    return weeks * 7 + rest + 1


_BEFORE_SPAN = monfri_rank(LO - 1)
_MONFRI_AT_HI = monfri_rank(HI)


# Each override: (ordinal, is_workday, name). Applied in order, so later (more specific) ones win.
OverrideList = Iterable[tuple[int, bool, str]]


class Table:
    """Working days of one region (or nationwide) with its overrides applied."""

    __slots__ = ("count", "names", "ords", "status")

    def __init__(self, status: bytearray, names: Mapping[int, str]) -> None:
        self.status = status  # status[o - LO] == 1 when ordinal o is a working day
        self.ords = [LO + i for i, flag in enumerate(status) if flag]
        self.count = len(self.ords)
        self.names = names  # ordinal -> name of the holiday / make-up day / closure

    def is_workday_ordinal(self, o: int) -> bool:
        if LO <= o <= HI:
            return bool(self.status[o - LO])
        return (o + 6) % 7 < 5

    def rank(self, o: int) -> int:
        """How many working days fall on or before ordinal o (counted from 0001-01-01)."""
        if o < LO:
            return monfri_rank(o)
        if o <= HI:
            return _BEFORE_SPAN + bisect_right(self.ords, o)
        return _BEFORE_SPAN + self.count + monfri_rank(o) - _MONFRI_AT_HI

    def unrank(self, k: int) -> int:
        """The ordinal of the k-th working day; rank(unrank(k)) == k."""
        if k <= _BEFORE_SPAN:
            return monfri_unrank(k)
        if k <= _BEFORE_SPAN + self.count:
            return self.ords[k - _BEFORE_SPAN - 1]
        return monfri_unrank(k - _BEFORE_SPAN - self.count + _MONFRI_AT_HI)


def official_status() -> tuple[bytearray, dict[int, str]]:
    """Day flags and names from chinese_calendar over the span; Monday–Friday where it has no data."""
    status = bytearray(HI - LO + 1)
    for i in range(HI - LO + 1):
        status[i] = 1 if (LO + i + 6) % 7 < 5 else 0
    names: dict[int, str] = {}
    for day, name in official.holidays.items():
        if LO <= day.toordinal() <= HI:
            status[day.toordinal() - LO] = 0
            names[day.toordinal()] = str(name)
    for day, name in official.workdays.items():
        if LO <= day.toordinal() <= HI:
            status[day.toordinal() - LO] = 1
            names[day.toordinal()] = str(name)
    return status, names


def build_table(base: tuple[bytearray, dict[int, str]], overrides: OverrideList) -> Table:
    status = bytearray(base[0])
    names = dict(base[1])
    for o, workday, name in overrides:
        if LO <= o <= HI:
            status[o - LO] = 1 if workday else 0
            names[o] = name
    return Table(status, names)
