"""Every read of supervision, already filtered by "two horizontals, two verticals" (DOMAIN §5).

Supervisors see their region and below; department staff see their own department and its line's
counterparts below them (a city bureau watches its district counterparts). Aggregates are single
GROUP BY queries, so list pages cost the same number of queries whatever their size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.shortcuts import get_scoped_or_404
from zhengwu.org import selectors as org_selectors

from .models import Card, CaseEventRecord, Correction, SupervisedCase, Warning
from .models.records import Light

SCOPE = {"region_field": "region_code", "department_field": "department_id", "line_field": "department_line"}
PAGE_SIZE = 50


def records_for(actor: Actor) -> QuerySet[SupervisedCase]:
    return SupervisedCase.objects.filter(actor.scope_q(**SCOPE))


def open_records_for(actor: Actor) -> QuerySet[SupervisedCase]:
    return records_for(actor).filter(is_open=True)


def _light_counts() -> dict[str, Any]:
    return {
        "total": Count("id"),
        "green": Count("id", filter=Q(light=Light.GREEN)),
        "yellow": Count("id", filter=Q(light=Light.YELLOW)),
        "red": Count("id", filter=Q(light=Light.RED)),
    }


def _counted(values_qs: Any) -> Any:
    """A .values() queryset with the four light counts (typed Any: the annotations are dynamic)."""
    return values_qs.annotate(**_light_counts())


def light_totals(actor: Actor) -> dict[str, int]:
    return open_records_for(actor).aggregate(**_light_counts())


def parse_page(raw: Any) -> int:
    try:
        return max(1, int(raw))
    except (TypeError, ValueError):
        return 1


def paginate(qs: QuerySet[Any], page: int) -> Page:
    paginator = Paginator(qs, PAGE_SIZE)
    return paginator.get_page(page)


@dataclass(frozen=True)
class Wall:
    totals: dict[str, int]
    page: Page
    light: str
    coverage_gaps: list[int]


def coverage_gaps() -> list[int]:
    """Years of open deadlines computed as plain Monday–Friday (no holiday data): pages warn."""
    from django.db.models import Max, Min

    from zhengwu.core.calendar.days import fallback_years

    span = SupervisedCase.objects.filter(is_open=True).aggregate(lo=Min("current_due"), hi=Max("current_due"))
    if span["lo"] is None:
        return []
    return fallback_years(range(span["lo"].year, span["hi"].year + 1))


def wall(actor: Actor, *, light: str = "", page: int = 1) -> Wall:
    """Open cases by light: counts, and the list (red first, nearest deadline first)."""
    qs = _light_order(open_records_for(actor))
    if light in Light.values:
        qs = qs.filter(light=light)
    return Wall(
        light_totals(actor), paginate(qs, page), light if light in Light.values else "", coverage_gaps()
    )


def _light_order(qs: QuerySet[SupervisedCase]) -> QuerySet[SupervisedCase]:
    from django.db.models import Case, IntegerField, Value, When

    rank = Case(
        When(light=Light.RED, then=Value(0)),
        When(light=Light.YELLOW, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return qs.annotate(light_rank=rank).order_by("light_rank", "current_due", "id")


@dataclass(frozen=True)
class GroupRow:
    key: Any
    name: str
    total: int
    green: int
    yellow: int
    red: int


def by_region(actor: Actor) -> list[GroupRow]:
    rows: list[dict[str, Any]] = list(
        _counted(open_records_for(actor).values("region_code")).order_by("region_code")
    )
    names = {
        code: r.name for code, r in org_selectors.regions_by_code([r["region_code"] for r in rows]).items()
    }
    return [GroupRow(r["region_code"], names.get(r["region_code"], r["region_code"]), *_n(r)) for r in rows]


def by_department(actor: Actor, region_code: str) -> list[GroupRow]:
    values = (
        open_records_for(actor).filter(region_code=region_code).values("department_id", "department_name")
    )
    rows = _counted(values).order_by("-red", "-yellow", "department_name")
    return [GroupRow(r["department_id"], r["department_name"] or "—", *_n(r)) for r in rows]


def by_item(actor: Actor, department_id: int) -> list[GroupRow]:
    values = open_records_for(actor).filter(department_id=department_id).values("item_code", "item_name")
    rows = _counted(values).order_by("-red", "-yellow", "item_name")
    return [GroupRow(r["item_code"], r["item_name"] or r["item_code"], *_n(r)) for r in rows]


def _n(row: dict[str, Any]) -> tuple[int, int, int, int]:
    return row["total"], row["green"], row["yellow"], row["red"]


def region_name(code: str) -> str:
    region = org_selectors.regions_by_code([code]).get(code)
    return region.name if region else code


def item_cases(actor: Actor, department_id: int, item_code: str, *, page: int = 1) -> Page:
    qs = open_records_for(actor).filter(department_id=department_id, item_code=item_code)
    return paginate(_light_order(qs), page)


def record_for(actor: Actor, pk: Any) -> SupervisedCase:
    return get_scoped_or_404(SupervisedCase.objects.all(), actor, pk=pk, **SCOPE)


@dataclass(frozen=True)
class StageRow:
    label: str
    at: dt.datetime | None
    due: dt.date | None
    late: bool | None


def record_detail(record: SupervisedCase) -> dict[str, Any]:
    """Stage times against deadlines, the stored events, warnings, cards and corrections of one case."""
    from zhengwu.core.calendar.days import local_day

    def row(label: str, at: dt.datetime | None, due: dt.date | None) -> StageRow:
        late = None if at is None or due is None else local_day(at) > due
        return StageRow(label, at, due, late)

    from django.utils.translation import gettext as _

    stages = [
        row(_("收件"), record.received_at, None),
        row(_("受理"), record.accepted_at, record.acceptance_due),
        row(_("审查"), record.review_at, None),
        row(_("决定"), record.decided_at, record.promised_due),
        row(_("办结"), record.completed_at, None),
        row(_("送达"), record.delivered_at, record.delivery_due),
    ]
    return {
        "stages": stages,
        "events": list(
            CaseEventRecord.objects.filter(case=record)
            .order_by("occurred_at")
            .only("event_id", "type", "occurred_at", "source")
        ),
        "warnings": list(Warning.objects.filter(record=record).order_by("created_at")),
        "cards": list(Card.objects.filter(record=record).order_by("issued_at")),
        "corrections": list(Correction.objects.filter(record=record).order_by("created_at")),
    }


# --- cards and corrections: visible to supervisors in scope and to the department concerned -------


def cards_for(actor: Actor) -> QuerySet[Card]:
    return Card.objects.filter(actor.scope_q(**SCOPE)).select_related("rule", "record")


def corrections_for(actor: Actor) -> QuerySet[Correction]:
    return Correction.objects.filter(actor.scope_q(**SCOPE)).select_related("record")


def correction_for(actor: Actor, pk: Any) -> Correction:
    return get_scoped_or_404(Correction.objects.select_related("record"), actor, pk=pk, **SCOPE)


def departments_in_scope(actor: Actor) -> list[tuple[int, str]]:
    return [(d.pk, d.name) for d in org_selectors.departments_for(actor)]
