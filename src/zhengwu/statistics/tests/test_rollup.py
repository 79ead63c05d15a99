"""The rollup: idempotent, incremental, equal to a full rebuild; the periodic job and the command."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.core.management import call_command

from zhengwu.core.events import periodic
from zhengwu.statistics.models import CaseFact, DailyStat, MonthlyStat, RefreshState
from zhengwu.statistics.services import rollup_refresh
from zhengwu.supervision.tests.factories import ingest

from .data import CASES, completion

SUMS = ("received", "accepted", "completed", "timed", "on_time", "early", "handled", "handling_workdays")


def snapshot() -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    dims = ("region_code", "department_id", "item_code", "channel", *SUMS)
    return (
        set(DailyStat.objects.values_list("day", *dims)),
        set(MonthlyStat.objects.values_list("month", *dims)),
    )


def test_refresh_twice_changes_nothing(cases: Any) -> None:
    first = rollup_refresh()
    assert first.facts_changed == 5 and CaseFact.objects.count() == 5
    before = snapshot()
    again = rollup_refresh()
    assert again.facts_changed == 0 and again.days_rebuilt == 0
    assert snapshot() == before


def test_a_change_moves_only_what_changed(cases: Any) -> None:
    rollup_refresh()
    nov12 = dt.date(2025, 11, 12)
    assert not DailyStat.objects.filter(day=nov12).exists()
    with time_machine.travel(dt.datetime(2025, 11, 21, 9, tzinfo=dt.UTC), tick=False):
        ingest(*completion("D", CASES["D"], done=nov12), on_day=dt.date(2025, 11, 21))
        result = rollup_refresh()
    assert result.facts_changed == 1  # only D; the four others are read again (overlap) but unchanged
    assert result.days_rebuilt == 2  # D's received / accepted day and its completion day
    day = DailyStat.objects.get(day=nov12)
    assert (day.completed, day.on_time, day.early, day.handled, day.handling_workdays) == (1, 1, 0, 1, 5)
    month = MonthlyStat.objects.filter(month=dt.date(2025, 11, 1))
    assert sum(m.completed for m in month) == 5
    incremental = snapshot()
    rollup_refresh(full=True)
    assert snapshot() == incremental  # incremental == from scratch


def test_watermark_skips_old_records(cases: Any) -> None:
    rollup_refresh()
    state = RefreshState.objects.get(name="rollup")
    assert state.watermark is not None and state.last_changed == 5
    with time_machine.travel(dt.datetime(2025, 11, 24, 9, tzinfo=dt.UTC), tick=False):
        overlap = rollup_refresh()  # reads back to the previous refresh's start, less the overlap
        result = rollup_refresh()
    assert overlap.records_read == 5 and overlap.facts_changed == 0
    assert result.records_read == 0  # nothing changed since


def test_periodic_job_and_command(cases: Any) -> None:
    assert "statistics.rollup_refresh" in [job.name for job in periodic.registered_jobs()]
    call_command("statistics_rebuild", verbosity=0)
    assert CaseFact.objects.count() == 5
    call_command("statistics_rebuild", "--incremental", verbosity=0)
    assert RefreshState.objects.get(name="rollup").last_changed == 0


def test_demo_seeder_fills_the_dashboard_once(demo_org: None) -> None:
    from zhengwu.catalog.demo import seed_catalog_demo
    from zhengwu.statistics.demo import seed_statistics_demo

    seed_catalog_demo()
    first = seed_statistics_demo()
    assert (
        first["statistics_demo_cases"] > 300
        and first["statistics_rollup_changed"] == first["statistics_demo_cases"]
    )
    assert MonthlyStat.objects.filter(completed__gt=0).exists()
    again = seed_statistics_demo()
    assert again == {"statistics_demo_cases": 0, "statistics_rollup_changed": 0}


def test_a_record_that_moves_leaves_no_empty_row(cases: Any) -> None:
    from zhengwu.supervision.tests.factories import at, envelope

    from .data import CASES

    rollup_refresh()
    a = CASES["A"]
    with time_machine.travel(dt.datetime(2025, 11, 21, 9, tzinfo=dt.UTC), tick=False):
        # a correction: case A was in fact received at the window
        fix = envelope(
            "case_delivered",
            case_id="A",
            when=at(dt.date(2025, 11, 20)),
            uscc=a["uscc"],
            channel="window",
        )
        ingest(fix, on_day=dt.date(2025, 11, 21))
        assert rollup_refresh().facts_changed == 1
    assert not DailyStat.objects.filter(channel="online", day=dt.date(2025, 11, 3)).exists()
    assert not DailyStat.objects.filter(received=0, accepted=0, completed=0).exists()
    window = DailyStat.objects.get(channel="window", day=dt.date(2025, 11, 3), region_code="449900000000")
    assert (window.received, window.accepted) == (2, 1)  # A and B received; A accepted on the 3rd
    incremental = snapshot()
    rollup_refresh(full=True)
    assert snapshot() == incremental
