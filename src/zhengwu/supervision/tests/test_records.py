"""Records from events: stage times, deadlines across National Day 2025, suspensions, convergence."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pytest

from zhengwu.supervision.models import CaseEventRecord, SupervisedCase
from zhengwu.supervision.models.records import Light, Stage

from .factories import at, envelope, ingest, life

pytestmark = pytest.mark.usefixtures("demo_org")
D = dt.date


def test_received_only_counts_five_workdays_over_national_day() -> None:
    env = envelope("case_received", case_id="c1", when=at(D(2025, 9, 26)))
    ingest(env, on_day=D(2025, 9, 30))
    record = SupervisedCase.objects.get(case_id="c1")
    assert record.stage == Stage.RECEIVE
    assert record.acceptance_due == D(2025, 10, 10)  # 9/30, 10/9, 10/10 … (Oct 1–8 off, 9/28 worked)
    assert record.current_due == D(2025, 10, 10)
    assert record.light == Light.GREEN
    assert record.department_name == "示范市市场监督管理局"


@pytest.mark.parametrize(
    ("today", "light"),
    [
        (D(2025, 9, 30), Light.GREEN),
        (D(2025, 10, 9), Light.GREEN),  # 2 working days left (10/10, 10/11 make-up Saturday… 10/13)
        (D(2025, 10, 11), Light.YELLOW),  # the make-up Saturday: 1 working day left
        (D(2025, 10, 13), Light.YELLOW),  # the due day itself
        (D(2025, 10, 14), Light.RED),
    ],
)
def test_light_across_national_day(today: dt.date, light: str) -> None:
    ingest(*life("c2"), on_day=today)
    record = SupervisedCase.objects.get(case_id="c2")
    assert record.stage == Stage.REVIEW
    assert record.promised_limit == 5
    assert record.promised_due == D(2025, 10, 13)
    assert record.statutory_limit == 20
    assert record.light == light


def test_suspension_is_excluded_from_the_clock() -> None:
    events = [
        *life("c3"),
        envelope(
            "case_suspended",
            case_id="c3",
            when=at(D(2025, 10, 9)),
            kind="expert_review",
            started_on="2025-10-09",
            status="suspended",
        ),
    ]
    ingest(*events, on_day=D(2025, 10, 20))
    record = SupervisedCase.objects.get(case_id="c3")
    assert record.stage == Stage.SUSPENDED
    # Suspended 10/9 → today 10/20: 10/10, 10/11 (make-up Saturday), 10/13–17, 10/20 stop the clock.
    assert record.suspended_workdays == 8
    assert record.promised_due == D(2025, 10, 23)  # 13 working days after 9/29
    assert record.light == Light.GREEN
    ingest(
        envelope(
            "case_resumed",
            case_id="c3",
            when=at(D(2025, 10, 15)),
            ended_on="2025-10-15",
            workdays=4,
            status="accepted",
        ),
        on_day=D(2025, 10, 20),
    )
    record.refresh_from_db()
    assert record.stage == Stage.REVIEW
    assert record.suspended_workdays == 5  # 10/10, 10/11, 10/13, 10/14, 10/15
    assert record.promised_due == D(2025, 10, 20)  # 5 + 5 working days after 9/29
    assert record.light == Light.YELLOW  # the due day


def test_extension_and_decision_on_time() -> None:
    events = [
        *life("c4"),
        envelope("case_extended", case_id="c4", when=at(D(2025, 10, 10)), workdays=10, status="accepted"),
        envelope("case_decided", case_id="c4", when=at(D(2025, 10, 20)), decision="grant", status="decided"),
    ]
    ingest(*events, on_day=D(2025, 10, 21))
    record = SupervisedCase.objects.get(case_id="c4")
    assert record.extension_workdays == 10
    assert record.promised_due == D(2025, 10, 27)
    assert record.decided_on_time is True and record.decided_early is True
    assert record.stage == Stage.DELIVER
    assert record.delivery_due == D(2025, 11, 3)
    assert record.current_due == record.delivery_due
    ingest(
        envelope(
            "case_delivered", case_id="c4", when=at(D(2025, 10, 22)), method="window", status="delivered"
        ),
        on_day=D(2025, 10, 22),
    )
    record.refresh_from_db()
    assert record.is_open is False and record.stage == Stage.CLOSED
    assert record.ever_overdue is False


def _snapshot(case_id: str) -> dict:
    values = SupervisedCase.objects.filter(case_id=case_id).values().get()
    for key in ("id", "updated_at", "case_id", "case_number"):
        values.pop(key)
    return values


def test_out_of_order_and_duplicates_converge() -> None:
    base = [
        *life("x"),
        envelope(
            "case_step_completed",
            case_id="x",
            when=at(D(2025, 9, 30)),
            step_name="审查",
            stage="review",
            status="accepted",
            step_due="2025-10-09",
        ),
        envelope(
            "case_suspended",
            case_id="x",
            when=at(D(2025, 10, 9)),
            kind="testing",
            started_on="2025-10-09",
            status="suspended",
        ),
        envelope(
            "case_resumed",
            case_id="x",
            when=at(D(2025, 10, 13)),
            ended_on="2025-10-13",
            workdays=3,
            status="accepted",
        ),
        envelope("case_decided", case_id="x", when=at(D(2025, 10, 16)), decision="grant", status="decided"),
    ]
    ingest(*base, on_day=D(2025, 10, 17))
    expected = _snapshot("x")
    rng = random.Random(5)
    for n, perm in enumerate(itertools.islice(itertools.permutations(base), 0, 720, 97)):
        case_id = f"y{n}"
        copies = [
            dict(e, payload={**e["payload"], "case_id": case_id}, id=e["id"][:-4] + f"{n:04d}") for e in perm
        ]
        # one at a time, each event twice, in a shuffled order
        doubled = copies + copies
        rng.shuffle(doubled)
        for env in doubled:
            ingest(env, on_day=D(2025, 10, 17))
        assert _snapshot(case_id) == expected
    assert CaseEventRecord.objects.filter(case__case_id="y0").count() == len(base)


def test_duplicate_event_is_reported_and_ignored() -> None:
    events = life("d")
    first = ingest(*events, on_day=D(2025, 10, 1))
    again = ingest(*events, on_day=D(2025, 10, 1))
    assert len(first.accepted) == 2 and again.accepted == [] and len(again.duplicates) == 2
    assert SupervisedCase.objects.filter(case_id="d").get().event_count == 2


def test_same_case_id_from_two_sources_are_two_records() -> None:
    ingest(*life("same"), on_day=D(2025, 10, 1))
    ingest(
        *[dict(e, id=e["id"][:-1] + "f") for e in life("same")], on_day=D(2025, 10, 1), source="dc-approval"
    )
    assert SupervisedCase.objects.filter(case_id="same").count() == 2


def test_external_event_by_uscc_resolves_department() -> None:
    env = envelope("case_received", case_id="u1", when=at(D(2025, 9, 26)), by_id=False)
    ingest(env, on_day=D(2025, 9, 30), source="dc-approval")
    record = SupervisedCase.objects.get(case_id="u1")
    assert record.department_id is not None and record.department_line == "market"
