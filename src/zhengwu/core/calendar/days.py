"""Working days and deadlines (DOMAIN §2): the calendar's public, read-only API.

Rules
- A working day is Monday–Friday, minus statutory holidays, plus make-up working days (调休), as
  published in `chinese_calendar`; the administrator's override table corrects and extends it, and
  a regional override (e.g. a typhoon closure) applies to its region and every region below it.
  For one day the most specific override wins (district over city over nationwide over official).
- Years the package does not know and the administrator has not entered fall back to Monday–Friday
  (calendar_coverage() reports them); dates outside 2000–2099 are Monday–Friday too. Never raises
  for a date.
- The first day is not counted (民法典 art. 201): add_workdays(D, 20) is the 20th working day after
  D, and the limit ends at 24:00 of that day (end_of_day_instant). n == 0 returns the start day.
- Days are Asia/Shanghai days: an aware datetime is converted before its date is taken.

Speed: each region resolves to a precomputed Table (sorted working-day ordinals), so add_workdays
is one bisect. Tables are rebuilt lazily when this process saves an override (signals bump
_version) and when another process did (a cheap count/max(updated_at) check at most every
CALENDAR_RECHECK_SECONDS). Calls with region=None touch the database only on that check.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from bisect import bisect_right
from contextlib import AbstractContextManager, nullcontext
from typing import Literal, NamedTuple, TypedDict
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwu.core.access.regions import region_prefix

from .tables import (
    FIRST_YEAR,
    HI,
    LO,
    OFFICIAL_FIRST_YEAR,
    OFFICIAL_LAST_YEAR,
    Table,
    build_table,
    official_status,
)

log = logging.getLogger(__name__)

TZ = ZoneInfo("Asia/Shanghai")

_date = dt.date
_fromordinal = dt.date.fromordinal
_monotonic = time.monotonic
_bisect_right = bisect_right

Source = Literal["official", "admin", "fallback"]


class CoverageRow(TypedDict):
    year: int
    source: Source


class DayInfo(NamedTuple):
    day: dt.date
    is_workday: bool
    name: str  # holiday / make-up day / closure name, "" for an ordinary day


class _Snapshot:
    """Everything derived from the override table at one moment; replaced whole, never edited."""

    __slots__ = (
        "admin_years",
        "base",
        "by_prefixes",
        "by_region",
        "fingerprint",
        "next_check",
        "regional",
        "version",
    )

    def __init__(
        self,
        *,
        version: int,
        base: Table,
        regional: dict[str, list[tuple[int, bool, str]]],
        admin_years: dict[str, frozenset[int]],
        fingerprint: tuple[object, ...] | None,
    ) -> None:
        self.version = version
        self.base = base
        self.regional = regional  # region prefix -> its overrides
        self.admin_years = admin_years  # region prefix ("" = nationwide) -> years marked as entered
        self.fingerprint = fingerprint
        self.next_check = 0.0
        self.by_region: dict[str, Table] = {}
        self.by_prefixes: dict[tuple[str, ...], Table] = {}

    def table_for(self, region: str) -> Table:
        table = self.by_region.get(region)
        if table is None:
            table = self._regional_table(region)
            self.by_region[region] = table
        return table

    def _regional_table(self, region: str) -> Table:
        if not isinstance(region, str) or not (len(region) == 12 and region.isdigit()):
            raise ValueError(_("区划代码必须是 12 位数字：%(code)r") % {"code": region})
        prefixes = tuple(sorted((p for p in self.regional if region.startswith(p)), key=len))
        if not prefixes:
            return self.base
        table = self.by_prefixes.get(prefixes)
        if table is None:
            # Shorter prefixes first, so the district's own closure beats the city's make-up day.
            overrides = [item for p in prefixes for item in self.regional[p]]
            table = build_table((self.base.status, dict(self.base.names)), overrides)
            self.by_prefixes[prefixes] = table
        return table


_lock = threading.RLock()
_version = 0
_official: tuple[bytearray, dict[int, str]] | None = None
_snap: _Snapshot | None = None


def invalidate() -> None:
    """Forget the cached tables of this process (called by the model signals)."""
    global _version
    with _lock:
        _version += 1


def _recheck_seconds() -> float:
    return float(getattr(settings, "CALENDAR_RECHECK_SECONDS", 5.0))


def _db_guard() -> AbstractContextManager[object]:
    # Inside a transaction a failed read must not poison it (PostgreSQL): use a savepoint. Outside
    # one, opening a transaction would take SQLite's write lock for a read, so don't.
    return transaction.atomic() if connection.in_atomic_block else nullcontext()


def _fingerprint() -> tuple[object, ...]:
    from django.db.models import Count, Max

    from .models import CalendarOverride, CalendarYear

    a = CalendarOverride.objects.aggregate(n=Count("pk"), m=Max("updated_at"))
    b = CalendarYear.objects.aggregate(n=Count("pk"), m=Max("updated_at"))
    return (a["n"], a["m"], b["n"], b["m"])


def _load() -> tuple[tuple[object, ...] | None, list[tuple[dt.date, str, str, str]], list[tuple[int, str]]]:
    from .models import CalendarOverride, CalendarYear

    try:
        with _db_guard():
            # Fingerprint first: a change racing the load then shows up at the next check.
            fingerprint = _fingerprint()
            overrides = list(CalendarOverride.objects.values_list("date", "kind", "name", "region_code"))
            years = list(CalendarYear.objects.values_list("year", "region_code"))
    except Exception as exc:  # no table yet (before migrate) or no database access (some tests)
        log.debug("calendar overrides unavailable, using official data only: %s", exc)
        return None, [], []
    return fingerprint, overrides, years


def _build(version: int) -> _Snapshot:
    global _official
    if _official is None:
        _official = official_status()
    fingerprint, overrides, years = _load()
    nationwide: list[tuple[int, bool, str]] = []
    regional: dict[str, list[tuple[int, bool, str]]] = {}
    for day, kind, name, code in overrides:
        item = (day.toordinal(), kind == "workday", name)
        if code:
            regional.setdefault(region_prefix(code), []).append(item)
        else:
            nationwide.append(item)
    admin: dict[str, set[int]] = {}
    for year, code in years:
        admin.setdefault(region_prefix(code) if code else "", set()).add(year)
    return _Snapshot(
        version=version,
        base=build_table(_official, nationwide),
        regional=regional,
        admin_years={k: frozenset(v) for k, v in admin.items()},
        fingerprint=fingerprint,
    )


def _refresh() -> _Snapshot:
    global _snap
    with _lock:
        snap = _snap
        now = _monotonic()
        if snap is not None and snap.version == _version:
            if now < snap.next_check:
                return snap  # another thread refreshed it meanwhile
            if snap.fingerprint is not None:
                try:
                    with _db_guard():
                        unchanged = _fingerprint() == snap.fingerprint
                except Exception:
                    unchanged = True  # database unreachable: keep serving what we have
                if unchanged:
                    snap.next_check = now + _recheck_seconds()
                    return snap
        snap = _build(_version)
        snap.next_check = _monotonic() + _recheck_seconds()
        _snap = snap
        return snap


def _table(region: str | None) -> Table:
    snap = _snap
    if snap is None or snap.version != _version or _monotonic() >= snap.next_check:
        snap = _refresh()
    return snap.table_for(region) if region else snap.base


def local_day(value: dt.date | dt.datetime) -> dt.date:
    """The Asia/Shanghai calendar day of a date or datetime (naive datetimes are taken as local)."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(TZ)
        return value.date()
    return value


def is_workday(day: dt.date | dt.datetime, region: str | None = None) -> bool:
    if day.__class__ is not _date:
        day = local_day(day)
    return _table(region).is_workday_ordinal(day.toordinal())


def add_workdays(start: dt.date | dt.datetime, n: int, region: str | None = None) -> dt.date:
    """The n-th working day after start (start itself not counted); n < 0 counts back before start.

    n == 0 returns start's own day, even when it is not a working day.
    """
    snap = _snap
    if snap is None or snap.version != _version or _monotonic() >= snap.next_check:
        snap = _refresh()
    t = snap.table_for(region) if region else snap.base
    if start.__class__ is not _date:
        start = local_day(start)
    o = start.toordinal()
    if n > 0:
        if LO <= o <= HI:
            i = _bisect_right(t.ords, o) + n - 1
            if i < t.count:
                return _fromordinal(t.ords[i])
        return _fromordinal(t.unrank(t.rank(o) + n))
    if n < 0:
        return _fromordinal(t.unrank(t.rank(o - 1) + n + 1))
    return start


def workdays_between(a: dt.date | dt.datetime, b: dt.date | dt.datetime, region: str | None = None) -> int:
    """Working days after a up to and including b; negative (days before a down to b) when b < a.

    For every n: workdays_between(a, add_workdays(a, n)) == n.
    """
    t = _table(region)
    oa = local_day(a).toordinal()
    ob = local_day(b).toordinal()
    if ob >= oa:
        return t.rank(ob) - t.rank(oa)
    return t.rank(ob - 1) - t.rank(oa - 1)


def day_detail(day: dt.date | dt.datetime, region: str | None = None) -> DayInfo:
    """Whether a day is worked and the name of its holiday, make-up day or closure, for display."""
    day = local_day(day)
    t = _table(region)
    o = day.toordinal()
    return DayInfo(day, t.is_workday_ordinal(o), t.names.get(o, ""))


def end_of_day_instant(day: dt.date | dt.datetime) -> dt.datetime:
    """24:00 of the day in Asia/Shanghai (= 00:00 of the next day), as an aware datetime."""
    return dt.datetime.combine(local_day(day) + dt.timedelta(days=1), dt.time(0), tzinfo=TZ)


def deadline_workdays(start: dt.date | dt.datetime, n: int, region: str | None = None) -> dt.datetime:
    """The instant an n-working-day limit starting on start runs out: 24:00 of add_workdays(start, n)."""
    return end_of_day_instant(add_workdays(start, n, region))


def deadline_natural_days(start: dt.date | dt.datetime, n: int) -> dt.date:
    """The last day of an n-natural-day limit (first day not counted); it ends at 24:00 of that day."""
    return local_day(start) + dt.timedelta(days=n)


def deadline_hours(start: dt.datetime, hours: float) -> dt.datetime:
    """start + hours, as an aware Asia/Shanghai datetime (a naive start is taken as Asia/Shanghai)."""
    if timezone.is_naive(start):
        start = start.replace(tzinfo=TZ)
    return (start + dt.timedelta(hours=hours)).astimezone(TZ)


def _admin_years(region: str | None) -> frozenset[int]:
    snap = _snap if _snap is not None and _snap.version == _version else _refresh()
    years: set[int] = set()
    for prefix, marked in snap.admin_years.items():
        if prefix == "" or (region and region.startswith(prefix)):
            years |= marked
    return frozenset(years)


def calendar_coverage(years: list[int] | range | None = None, region: str | None = None) -> list[CoverageRow]:
    """Where each year's holidays come from; "fallback" years are plain Monday–Friday.

    By default: every year from the first official one to next year (or the last entered year).
    """
    marked = _admin_years(region)
    if years is None:
        last = max(local_day(timezone.now()).year + 1, OFFICIAL_LAST_YEAR, *marked)
        years = range(min(OFFICIAL_FIRST_YEAR, *marked) if marked else OFFICIAL_FIRST_YEAR, last + 1)
    rows: list[CoverageRow] = []
    for year in sorted(set(years)):
        source: Source
        if OFFICIAL_FIRST_YEAR <= year <= OFFICIAL_LAST_YEAR:
            source = "official"
        elif year in marked:
            source = "admin"
        else:
            source = "fallback"
        rows.append({"year": year, "source": source})
    return rows


def fallback_years(years: list[int] | range | None = None, region: str | None = None) -> list[int]:
    """Years computed as plain Monday–Friday: supervision pages show a warning for these."""
    return [row["year"] for row in calendar_coverage(years, region) if row["source"] == "fallback"]


__all__ = [
    "FIRST_YEAR",
    "TZ",
    "CoverageRow",
    "DayInfo",
    "add_workdays",
    "calendar_coverage",
    "day_detail",
    "deadline_hours",
    "deadline_natural_days",
    "deadline_workdays",
    "end_of_day_instant",
    "fallback_years",
    "invalidate",
    "is_workday",
    "local_day",
    "workdays_between",
]
