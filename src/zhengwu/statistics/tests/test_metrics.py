"""Metric values on the hand-computed data set of data.py, through the rollup."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role
from zhengwu.statistics import selectors
from zhengwu.statistics.periods import BadInput, parse_period
from zhengwu.statistics.services import rollup_refresh

SYSADMIN = Actor(user_id=1, roles=frozenset({Role.SYSADMIN}))
TODAY = dt.date(2025, 11, 20)


def period(**params: str) -> selectors.Period:
    return parse_period(params, today=TODAY)


def totals(p: selectors.Period, place: selectors.Place | None = None) -> selectors.Figures:
    return selectors.report(SYSADMIN, p, place or selectors.Place("region"), items=[]).totals


def test_november(cases: Any) -> None:
    rollup_refresh()
    t = totals(period(period="2025-11"))
    assert (t.received, t.accepted, t.completed, t.timed, t.on_time, t.early) == (4, 4, 4, 4, 3, 2)
    assert t.on_time_rate == 0.75 and t.early_rate == 0.5
    assert t.average_workdays == 5.0
    assert (t.online_received, t.online_completed) == (3, 2)
    assert t.online_apply_rate == 0.75 and t.online_complete_rate == 0.5


def test_rows_per_region_department_and_item(cases: Any) -> None:
    rollup_refresh()
    p = period(period="2025-11")
    rows = {r.key: r.figures for r in selectors.report(SYSADMIN, p, selectors.Place("region"), items=[]).rows}
    assert rows["449900000000"].received == 3 and rows["449900000000"].completed == 3
    assert rows["449900000000"].on_time == 2 and round(rows["449900000000"].on_time_rate or 0, 4) == 0.6667
    assert rows["449902000000"].received == 1 and rows["449902000000"].completed == 0
    assert rows["449902000000"].on_time_rate is None  # nothing completed: no rate, not 0 %
    assert rows["449903000000"].completed == 1 and rows["449903000000"].early_rate == 1.0
    city = selectors.Place("department", region_code="449900000000")
    (dept,) = selectors.report(SYSADMIN, p, city, items=[]).rows
    assert dept.name == "示范市市场监督管理局" and dept.figures.received == 3
    items = selectors.Place("item", department_id=dept.key)
    (item,) = selectors.report(SYSADMIN, p, items, items=[]).rows
    assert item.key == "11449900000000001X44990000001000" and item.figures.average_workdays == round(
        16 / 3, 2
    )


def test_other_periods(cases: Any) -> None:
    rollup_refresh()
    october = totals(period(period="2025-10"))
    assert (october.received, october.accepted, october.completed) == (1, 1, 0)
    q4 = totals(period(period="2025-Q4"))
    assert (q4.received, q4.accepted, q4.completed) == (5, 5, 4)
    assert totals(period(period="2025")).received == 5
    assert totals(period(period="2024")).received == 0
    # a range that ends mid-month: whole months from the monthly sums, the rest from the daily ones
    edge = totals(period(**{"from": "2025-10-30", "to": "2025-11-05"}))
    assert (edge.received, edge.accepted, edge.completed) == (5, 5, 0)
    tail = totals(period(**{"from": "2025-10-31", "to": "2025-11-30"}))
    assert (tail.received, tail.accepted, tail.completed) == (4, 5, 4)
    days = totals(period(**{"from": "2025-11-06", "to": "2025-11-07"}))
    assert (days.completed, days.early) == (2, 2)


def test_trend_channels_and_departments(cases: Any) -> None:
    rollup_refresh()
    p = period(period="2025-11")
    place = selectors.Place("region")
    trend = {m["month"]: m for m in selectors.trend(SYSADMIN, p, place)}
    assert len(trend) == 12 and trend["2025-11"]["received"] == 4 and trend["2025-10"]["accepted"] == 1
    channels = {c["channel"]: c["received"] for c in selectors.by_channel(SYSADMIN, p, place)}
    assert channels == {"online": 2, "window": 1, "mobile": 1}
    depts = {d["name"]: d for d in selectors.by_department(SYSADMIN, p, place)}
    assert depts["示范市市场监督管理局"]["completed"] == 3
    assert depts["示范市西城区市场监督管理局"]["on_time_rate"] == 1.0


@pytest.mark.parametrize(
    "params",
    [
        {"period": "2025-13"},
        {"period": "abc"},
        {"period": "1999"},
        {"period": "2025-Q5"},
        {"period": "2025Q0"},
        {"period": "0000-01"},
        {"period": "2025-11-01"},
        {"from": "0000-01-01", "to": "2025-01-01"},
        {"from": "2025-11-01"},
        {"from": "2025-11-05", "to": "2025-11-01"},
        {"from": "2025-02-30", "to": "2025-03-01"},
        {"from": "2010-01-01", "to": "2025-01-01"},
        {"period": "2025", "from": "2025-01-01", "to": "2025-02-01"},
    ],
)
def test_bad_periods(params: dict[str, str]) -> None:
    with pytest.raises(BadInput) as exc:
        period(**params)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(exc.value))  # a Chinese message


def test_default_period_is_the_current_year() -> None:
    p = period()
    assert (p.kind, p.start, p.end) == ("year", dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert period(period="2025-Q1").end == dt.date(2025, 3, 31)
    assert period(period="2025-11").previous().key == "2025-10"
    assert period(period="2025-01").previous().key == "2024-12"
    assert period(period="2025-Q1").previous().key == "2024-Q4"
    assert period(period="2025").previous().key == "2024"


@pytest.mark.parametrize(
    ("spelling", "key"),
    [("2025-Q4", "2025-Q4"), ("2025Q4", "2025-Q4"), ("2025q4", "2025-Q4"), ("2025-3", "2025-03")],
)
def test_both_spellings_are_read_and_the_canonical_one_is_written(spelling: str, key: str) -> None:
    p = period(period=spelling)
    assert p.key == key and p.query == f"period={key}"
    assert p == period(period=key)


@pytest.mark.parametrize(
    ("raw", "message"),
    [("2025-Q5", "Q1 至 Q4"), ("2025-13", "1 至 12"), ("1999", "2000 至 2099"), ("x", "统计期间格式不正确")],
)
def test_bad_period_messages(raw: str, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        period(period=raw)


def test_catalogue_figures(cases: Any) -> None:
    """网上全流程办理率 and 零跑动 from the demo catalogue, per department."""
    from zhengwu.catalog.demo import seed_catalog_demo
    from zhengwu.catalog.models import ServiceItem

    seed_catalog_demo()
    rollup_refresh()
    live = ServiceItem.objects.filter(is_active=True, current_version__status="effective")
    total = live.count()
    full = live.filter(current_version__online_depth=4).count()
    zero = live.filter(current_version__visits=0).count()
    t = selectors.report(SYSADMIN, period(period="2025-11"), selectors.Place("region")).totals
    assert (t.items, t.items_full_online, t.items_zero_visits) == (total, full, zero)
    assert t.full_online_rate == round(full / total, 4)
    assert t.received == 4  # the case figures are unchanged by the catalogue
