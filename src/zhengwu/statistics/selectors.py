"""Every read of the statistics, scoped by "two horizontals, two verticals" (DOMAIN §5).

The figures come from the rollup (MonthlyStat for whole months, DailyStat for the days of a period
that do not fill a month), filtered by `Actor.scope_q` over the rollup's region / department / line
fields exactly as supervision filters its records. Each figure is a GROUP BY over at most three
pieces of the rollup, so a page costs the same number of queries whatever the volume.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet, Sum

from zhengwu.catalog.selectors.stats import ItemLevel, item_service_levels
from zhengwu.core.access.actor import Actor
from zhengwu.core.access.regions import region_prefix
from zhengwu.core.calendar.periods import month_end, shift_month
from zhengwu.org import selectors as org_selectors
from zhengwu.supervision import selectors as sup_selectors

from .models import DailyStat, MonthlyStat
from .periods import BadInput, Period, months_between

SCOPE = {"region_field": "region_code", "department_field": "department_id", "line_field": "department_line"}
ONLINE_CHANNELS = ("online", "mobile")  # applied over the internet (web portal or the mobile app)
SUMS = ("received", "accepted", "completed", "timed", "on_time", "early", "handled", "handling_workdays")
LEVELS = ("region", "department", "item")
TREND_MONTHS = 12


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@dataclass
class Figures:
    received: int = 0
    accepted: int = 0
    completed: int = 0
    timed: int = 0
    on_time: int = 0
    early: int = 0
    handled: int = 0
    handling_workdays: int = 0
    online_received: int = 0
    online_completed: int = 0
    items: int = 0
    items_full_online: int = 0
    items_zero_visits: int = 0

    def add(self, row: dict[str, Any]) -> None:
        for name in (*SUMS, "online_received", "online_completed"):
            setattr(self, name, getattr(self, name) + (row.get(f"s_{name}") or 0))

    def add_figures(self, other: Figures) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def count_item(self, item: ItemLevel) -> None:
        self.items += 1
        self.items_full_online += item.full_online
        self.items_zero_visits += item.visits == 0

    @property
    def on_time_rate(self) -> float | None:
        return _ratio(self.on_time, self.timed)

    @property
    def early_rate(self) -> float | None:
        return _ratio(self.early, self.timed)

    @property
    def average_workdays(self) -> float | None:
        return round(self.handling_workdays / self.handled, 2) if self.handled else None

    @property
    def full_online_rate(self) -> float | None:
        return _ratio(self.items_full_online, self.items)

    @property
    def online_apply_rate(self) -> float | None:
        return _ratio(self.online_received, self.received)

    @property
    def online_complete_rate(self) -> float | None:
        return _ratio(self.online_completed, self.completed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "received": self.received,
            "accepted": self.accepted,
            "completed": self.completed,
            "completed_with_deadline": self.timed,
            "on_time": self.on_time,
            "early": self.early,
            "on_time_rate": self.on_time_rate,
            "early_rate": self.early_rate,
            "average_workdays": self.average_workdays,
            "online_received": self.online_received,
            "online_completed": self.online_completed,
            "full_online_rate": self.full_online_rate,
            "online_apply_rate": self.online_apply_rate,
            "online_complete_rate": self.online_complete_rate,
            "items": self.items,
            "items_full_online": self.items_full_online,
            "items_zero_visits": self.items_zero_visits,
        }


def _annotations() -> dict[str, Any]:
    online = Q(channel__in=ONLINE_CHANNELS)
    return {
        **{f"s_{name}": Sum(name) for name in SUMS},
        "s_online_received": Sum("received", filter=online),
        "s_online_completed": Sum("completed", filter=online),
    }


def _pieces(period: Period) -> list[QuerySet[Any]]:
    """The rollup rows of a period: whole months from MonthlyStat, the other days from DailyStat."""
    first_full = period.start if period.start.day == 1 else shift_month(period.start, 1)
    last_full = period.end.replace(day=1)
    if month_end(last_full) != period.end:
        last_full = shift_month(last_full, -1)
    if first_full > last_full:
        return [DailyStat.objects.filter(day__gte=period.start, day__lte=period.end)]
    pieces: list[QuerySet[Any]] = [MonthlyStat.objects.filter(month__gte=first_full, month__lte=last_full)]
    if period.start < first_full:
        pieces.append(DailyStat.objects.filter(day__gte=period.start, day__lt=first_full))
    after = month_end(last_full)
    if period.end > after:
        pieces.append(DailyStat.objects.filter(day__gt=after, day__lte=period.end))
    return pieces


def grouped(
    actor: Actor, period: Period, by: tuple[str, ...], where: Q | None = None
) -> dict[tuple[Any, ...], Figures]:
    """Figures per value of the `by` fields, in scope (one query per piece of the period)."""
    out: dict[tuple[Any, ...], Figures] = {}
    condition = actor.scope_q(**SCOPE) & (where or Q())
    for qs in _pieces(period):
        for row in qs.filter(condition).values(*by).annotate(**_annotations()).order_by():
            out.setdefault(tuple(row[f] for f in by), Figures()).add(row)
    return out


# --- where a report stands -----------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """The level of a report: everything in scope, one region, or one department."""

    level: str  # the rows' level: region | department | item
    region_code: str = ""
    region_name: str = ""
    department_id: int | None = None
    department_name: str = ""

    @property
    def where(self) -> Q:
        if self.department_id is not None:
            return Q(department_id=self.department_id)
        if self.region_code:
            return Q(region_code=self.region_code)
        return Q()

    @property
    def title(self) -> str:
        return self.department_name or self.region_name


def check_region_code(raw: str) -> str:
    from django.utils.translation import gettext as _

    code = (raw or "").strip()
    if len(code) != 12 or not code.isdigit():
        raise BadInput(_("区划代码应为 12 位数字。"))
    return code


def place_for(actor: Actor, *, region_code: str = "", department_id: Any = None) -> Place:
    """Validate a region code or department id against the actor's scope; BadInput when unknown."""
    from django.utils.translation import gettext as _

    if department_id not in (None, ""):
        raw = str(department_id).strip()
        if not raw.isdigit() or len(raw) > 12:
            raise BadInput(_("部门编号应为数字。"))
        dept = org_selectors.departments_for(actor).filter(pk=int(raw)).first()
        if dept is None:
            raise BadInput(_("部门不存在或不在您的监察范围内。"))
        return Place("item", dept.region.code, dept.region.name, dept.pk, dept.name)
    if region_code:
        code = check_region_code(region_code)
        region = org_selectors.regions_for(actor).filter(code=code).first()
        if region is None:
            raise BadInput(_("区划代码不存在或不在您的监察范围内。"))
        return Place("department", region.code, region.name)
    return Place("region")


# --- the report: totals and one row per region, department or item ---------------------------------


@dataclass
class Row:
    key: Any
    name: str
    figures: Figures = field(default_factory=Figures)


@dataclass
class Report:
    period: Period
    place: Place
    totals: Figures
    rows: list[Row]


def _item_matches(place: Place) -> Callable[[ItemLevel], bool]:
    if place.department_id is not None:
        return lambda item: item.department_id == place.department_id
    if place.region_code:
        return lambda item: item.region_code == place.region_code
    return lambda item: True


def report(actor: Actor, period: Period, place: Place, items: list[ItemLevel] | None = None) -> Report:
    """三率一数, volumes, on-time and early rates, handling time for the place, row by row."""
    if items is None:
        items = item_service_levels(actor)
    items = [i for i in items if _item_matches(place)(i)]
    rows: dict[Any, Row] = {}
    if place.level == "region":
        by: tuple[str, ...] = ("region_code",)
        for item in items:
            rows.setdefault(item.region_code, Row(item.region_code, "")).figures.count_item(item)
    elif place.level == "department":
        by = ("department_id", "department_name")
        for item in items:
            rows.setdefault(
                item.department_id, Row(item.department_id, item.department_name)
            ).figures.count_item(item)
    else:
        by = ("item_code", "item_name")
        for item in items:
            rows.setdefault(item.code, Row(item.code, item.name)).figures.count_item(item)
    for key, figures in grouped(actor, period, by, place.where).items():
        row = rows.setdefault(key[0], Row(key[0], key[1] if len(key) > 1 else ""))
        if not row.name and len(key) > 1:
            row.name = key[1]
        row.figures.add_figures(figures)
    if place.level == "region":
        names = {code: r.name for code, r in org_selectors.regions_by_code(list(rows)).items()}
        for row in rows.values():
            row.name = names.get(row.key, row.key)
    ordered = sorted(rows.values(), key=_row_order(place.level))
    totals = Figures()
    for row in ordered:
        totals.add_figures(row.figures)
        row.name = row.name or str(row.key) or "—"
    return Report(period, place, totals, ordered)


def _row_order(level: str) -> Callable[[Row], Any]:
    if level == "region":
        return lambda row: str(row.key)
    return lambda row: (-row.figures.received, row.name, str(row.key))


# --- the dashboard's charts --------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    report: Report
    trend: list[dict[str, Any]]  # [{month, received, accepted, completed}]
    departments: list[dict[str, Any]]  # on-time / early rate by department
    channels: list[dict[str, Any]]
    lights: list[dict[str, Any]]  # open cases by light, per row of the drill level
    light_totals: dict[str, int]


def trend(actor: Actor, period: Period, place: Place) -> list[dict[str, Any]]:
    """Received, accepted and completed by month: the twelve months up to the period's end."""
    last = period.end.replace(day=1)
    first = shift_month(last, -(TREND_MONTHS - 1))
    sums: dict[dt.date, dict[str, Any]] = {}
    condition = actor.scope_q(**SCOPE) & place.where
    rows = (
        MonthlyStat.objects.filter(condition, month__gte=first, month__lte=last)
        .values("month")
        .annotate(s_received=Sum("received"), s_accepted=Sum("accepted"), s_completed=Sum("completed"))
        .order_by()
    )
    for row in rows:
        sums[row["month"]] = dict(row)
    return [
        {
            "month": f"{m.year}-{m.month:02d}",
            "received": (sums.get(m) or {}).get("s_received") or 0,
            "accepted": (sums.get(m) or {}).get("s_accepted") or 0,
            "completed": (sums.get(m) or {}).get("s_completed") or 0,
        }
        for m in months_between(first, last)
    ]


def by_department(actor: Actor, period: Period, place: Place, limit: int = 15) -> list[dict[str, Any]]:
    groups = grouped(actor, period, ("department_id", "department_name"), place.where)
    rows = [
        {
            "department_id": key[0],
            "name": key[1] or "—",
            "completed": f.completed,
            "on_time_rate": f.on_time_rate,
            "early_rate": f.early_rate,
        }
        for key, f in groups.items()
        if f.completed
    ]
    rows.sort(key=lambda r: (-r["completed"], r["name"]))
    return rows[:limit]


def by_channel(actor: Actor, period: Period, place: Place) -> list[dict[str, Any]]:
    from .labels import channel_label

    groups = grouped(actor, period, ("channel",), place.where)
    rows = [
        {"channel": key[0], "name": channel_label(key[0]), "received": f.received, "completed": f.completed}
        for key, f in groups.items()
        if f.received or f.completed
    ]
    rows.sort(key=lambda r: (-r["received"], r["channel"]))
    return rows


def open_lights(actor: Actor, place: Place) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Open cases by light right now (from supervision's own selectors, same scope)."""
    if place.department_id is not None:
        groups = sup_selectors.by_item(actor, place.department_id)
    elif place.region_code:
        groups = sup_selectors.by_department(actor, place.region_code)
    else:
        groups = sup_selectors.by_region(actor)
    rows: list[dict[str, Any]] = [
        {"name": g.name, "green": g.green, "yellow": g.yellow, "red": g.red, "total": g.total} for g in groups
    ]
    totals = {"green": 0, "yellow": 0, "red": 0, "total": 0}
    for row in rows:
        for k in totals:
            totals[k] += int(row[k])
    return rows, totals


def dashboard(actor: Actor, period: Period, place: Place) -> Dashboard:
    lights, light_totals = open_lights(actor, place)
    return Dashboard(
        report=report(actor, period, place),
        trend=trend(actor, period, place),
        departments=by_department(actor, period, place) if place.department_id is None else [],
        channels=by_channel(actor, period, place),
        lights=lights,
        light_totals=light_totals,
    )


# --- the monthly bulletin ----------------------------------------------------------------------


@dataclass(frozen=True)
class Bulletin:
    period: Period
    previous: Period
    totals: Figures
    previous_totals: Figures
    departments: list[Row]  # by on-time rate, best first
    lagging: list[Row]  # on-time rate below the whole's


def bulletin(actor: Actor, period: Period) -> Bulletin:
    """月度通报: the month's figures against the month before, departments ranked by on-time rate."""
    items = item_service_levels(actor)
    place = Place("department")
    current = _department_rows(actor, period, items)
    previous = report(actor, period.previous(), place, items)
    totals = Figures()
    for row in current:
        totals.add_figures(row.figures)
    ranked = sorted(
        (r for r in current if r.figures.timed),
        key=lambda r: (
            -(r.figures.on_time_rate or 0),
            -(r.figures.early_rate or 0),
            -r.figures.completed,
            r.name,
        ),
    )
    whole = totals.on_time_rate or 0
    lagging = [r for r in ranked if (r.figures.on_time_rate or 0) < whole]
    return Bulletin(period, period.previous(), totals, previous.totals, ranked, lagging)


def _department_rows(actor: Actor, period: Period, items: Iterable[ItemLevel]) -> list[Row]:
    """Every department in scope (all regions), one row each."""
    rows: dict[Any, Row] = {}
    for item in items:
        rows.setdefault(item.department_id, Row(item.department_id, item.department_name)).figures.count_item(
            item
        )
    for key, figures in grouped(actor, period, ("department_id", "department_name")).items():
        row = rows.setdefault(key[0], Row(key[0], key[1]))
        row.name = row.name or key[1] or "—"
        row.figures.add_figures(figures)
    return list(rows.values())


def refreshed_at() -> dt.datetime | None:
    """When the rollup was last refreshed (pages show it: the sums lag the records by one refresh)."""
    from .models import RefreshState

    return RefreshState.objects.filter(name="rollup").values_list("refreshed_at", flat=True).first()


def scope_title(actor: Actor) -> str:
    """The name of the actor's region (the dashboard's heading)."""
    if not actor.region_code:
        return ""
    region = org_selectors.regions_by_code([actor.region_code]).get(actor.region_code)
    return region.name if region else region_prefix(actor.region_code)
