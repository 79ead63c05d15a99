"""The periodic sweep: lights with the clock moving, warnings once, rule cards, calendar coverage."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from zhengwu.core.events import periodic, registry
from zhengwu.core.notify.models import Notification
from zhengwu.supervision.models import Card, SupervisedCase, Warning
from zhengwu.supervision.models.records import Light
from zhengwu.supervision.selectors import coverage_gaps
from zhengwu.supervision.services.sweep import supervision_sweep

from .factories import DC_MARKET, at, envelope, ingest, life

pytestmark = pytest.mark.usefixtures("demo_org")
D = dt.date
DONGCHENG = "449902000000"


def test_sweep_and_handler_are_registered() -> None:
    assert "supervision.sweep" in {job.name for job in periodic.registered_jobs()}
    names = {h.name for h in registry.handlers_for("cases.case_accepted")}
    assert "zhengwu.supervision.events.record_case_event" in names


def test_outbox_event_builds_the_record() -> None:
    from zhengwu.core.events.services import dispatch_event, emit

    env = envelope(
        "case_received", case_id="ob1", when=at(D(2025, 9, 26)), received_at=at(D(2025, 9, 26)).isoformat()
    )
    with time_machine.travel(at(D(2025, 9, 26)), tick=False):
        # Dispatched directly: the demo fixture's events already hold this transaction's background
        # batch (core.events.background), which a capture of on-commit callbacks would not run.
        dispatch_event(emit(env["type"], env["payload"], aggregate_type="cases.case", aggregate_id=1).pk)
    record = SupervisedCase.objects.get(source="zhengwu", case_id="ob1")
    assert record.acceptance_due == D(2025, 10, 10)


def test_warning_sent_once_not_twice() -> None:
    ingest(*life("w1"), on_day=D(2025, 10, 1))
    assert supervision_sweep(on_day=D(2025, 10, 9)).warnings == 0
    result = supervision_sweep(on_day=D(2025, 10, 11))
    assert result.warnings == 1
    assert SupervisedCase.objects.get(case_id="w1").light == Light.YELLOW
    sms = Notification.objects.filter(channel="sms")
    assert [n.phone for n in sms] == ["0757-83320001"]  # the department's supervision contact
    assert "将于2025-10-13到期" in sms[0].body
    assert supervision_sweep(on_day=D(2025, 10, 11)).warnings == 0
    assert supervision_sweep(on_day=D(2025, 10, 13)).warnings == 0  # still yellow: no second yellow
    assert sms.count() == 1

    red = supervision_sweep(on_day=D(2025, 10, 14))
    assert red.warnings == 1
    assert set(Warning.objects.values_list("level", flat=True)) == {"yellow", "red"}
    inbox = Notification.objects.filter(channel="inbox")
    # red also goes to supervisors: the city supervisor watches city departments, the district one not.
    assert sorted(inbox.values_list("user__username", flat=True)) == ["sup_city"]
    assert supervision_sweep(on_day=D(2025, 10, 15)).warnings == 0
    assert Warning.objects.count() == 2


def test_district_case_warns_both_supervisors() -> None:
    ingest(*life("w2", uscc=DC_MARKET, region_code=DONGCHENG), on_day=D(2025, 10, 1))
    supervision_sweep(on_day=D(2025, 10, 20))
    users = Notification.objects.filter(channel="inbox").values_list("user__username", flat=True)
    assert sorted(users) == ["sup_city", "sup_district"]


@pytest.mark.usefixtures("rules")
def test_overdue_case_gives_yellow_card_and_three_give_red() -> None:
    for n in range(3):
        ingest(*life(f"k{n}"), on_day=D(2025, 10, 1))
    with time_machine.travel(at(D(2025, 10, 14)), tick=False):
        result = supervision_sweep(on_day=D(2025, 10, 14))
    assert result.cards == 4  # three yellow (one per overdue case) and one red (3 in Q4 2025)
    cards = Card.objects.order_by("id")
    assert [c.level for c in cards] == ["yellow", "yellow", "yellow", "red"]
    assert cards.last().period == "2025-Q4"
    with time_machine.travel(at(D(2025, 10, 15)), tick=False):
        assert supervision_sweep(on_day=D(2025, 10, 15)).cards == 0
    assert Card.objects.count() == 4


@pytest.mark.usefixtures("rules")
def test_red_card_saved_under_the_former_spelling_is_not_given_twice() -> None:
    """Migration 0005 respells card periods saved as 2025Q4, so the rule still finds this quarter's."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("zhengwu.supervision.migrations.0005_card_period_keys")
    for n in range(3):
        ingest(*life(f"k{n}"), on_day=D(2025, 10, 1))
    with time_machine.travel(at(D(2025, 10, 14)), tick=False):
        supervision_sweep(on_day=D(2025, 10, 14))
    Card.objects.filter(level="red").update(period="2025Q4")  # as the sweep spelt it before
    migration.forwards(apps, None)
    assert list(Card.objects.filter(level="red").values_list("period", flat=True)) == ["2025-Q4"]
    ingest(*life("k3"), on_day=D(2025, 10, 2))  # a fourth overdue case: a yellow card, no second red
    with time_machine.travel(at(D(2025, 10, 20)), tick=False):
        assert supervision_sweep(on_day=D(2025, 10, 20)).cards == 1
    assert Card.objects.filter(level="red").count() == 1
    migration.backwards(apps, None)
    assert list(Card.objects.filter(level="red").values_list("period", flat=True)) == ["2025Q4"]


def test_no_cards_without_rules() -> None:
    ingest(*life("k"), on_day=D(2025, 10, 1))
    supervision_sweep(on_day=D(2025, 10, 20))
    assert Card.objects.count() == 0


def test_calendar_coverage_warning_for_a_year_without_holiday_data() -> None:
    ingest(*life("now"), on_day=D(2025, 10, 1))
    assert coverage_gaps() == []
    env = envelope("case_received", case_id="late", when=at(D(2027, 3, 1)))
    ingest(env, on_day=D(2027, 3, 1))
    assert coverage_gaps() == [2027]
    assert supervision_sweep(on_day=D(2027, 3, 1)).fallback_years == [2027]


def test_sweep_is_tolerant_of_calendar_changes() -> None:
    from zhengwu.core.calendar import invalidate
    from zhengwu.core.calendar.models import CalendarOverride

    ingest(*life("cal"), on_day=D(2025, 10, 1))
    assert SupervisedCase.objects.get(case_id="cal").promised_due == D(2025, 10, 13)
    CalendarOverride.objects.create(date=D(2025, 10, 10), kind="closure", region_code="", name="台风停工")
    invalidate()
    supervision_sweep(on_day=D(2025, 10, 2))
    assert SupervisedCase.objects.get(case_id="cal").promised_due == D(2025, 10, 14)


def test_sweep_restamps_a_record_only_when_what_statistics_count_changes() -> None:
    from zhengwu.core.calendar import invalidate
    from zhengwu.core.calendar.models import CalendarOverride

    decided = envelope(
        "case_decided", case_id="dec", when=at(D(2025, 10, 13)), decision="grant", status="decided"
    )
    ingest(*life("open"), on_day=D(2025, 10, 9))
    ingest(*life("dec"), decided, on_day=D(2025, 10, 13))
    stamps = dict(SupervisedCase.objects.values_list("case_id", "updated_at"))
    record = SupervisedCase.objects.get(case_id="dec")
    assert record.is_open and record.decided_on_time and not record.decided_early

    supervision_sweep(on_day=D(2025, 10, 14))  # "open" turns red; nothing counted changes
    assert dict(SupervisedCase.objects.values_list("case_id", "updated_at")) == stamps

    CalendarOverride.objects.create(date=D(2025, 10, 10), kind="closure", region_code="", name="台风停工")
    invalidate()
    supervision_sweep(on_day=D(2025, 10, 14))  # the deadline moves to 10-14: decided a day early
    record = SupervisedCase.objects.get(case_id="dec")
    assert record.decided_early and record.updated_at > stamps["dec"]
    assert SupervisedCase.objects.get(case_id="open").updated_at == stamps["open"]
