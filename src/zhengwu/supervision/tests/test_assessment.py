"""Assessment (绩效评估): scores on a hand-computed data set (assessment_data.py), grades, configurable
weights and thresholds, manual scores, idempotent recomputation, the worker job and the command."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role
from zhengwu.core.audit.models import AuditEntry
from zhengwu.org.selectors import actor_for_user
from zhengwu.supervision import clock, scoring
from zhengwu.supervision.models import AssessmentRun, AssessmentScheme, AssessmentScore, SupervisedCase
from zhengwu.supervision.services import assessment as service

from . import assessment_data as data
from .factories import at

D = data.D


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(at(data.ON_DAY, 9), tick=False):
        yield


@pytest.fixture
def dataset(demo_org: None) -> dict[str, Any]:
    return data.load()


def actor(username: str) -> Actor:
    from django.contrib.auth import get_user_model

    return actor_for_user(get_user_model().objects.get(username=username))


def scores(kind: str, period: str = "2025-Q4") -> dict[int, AssessmentScore]:
    return {s.subject_id: s for s in AssessmentScore.objects.filter(run__period=period, subject_kind=kind)}


# --- periods ------------------------------------------------------------------------------------


def test_periods() -> None:
    for spelling in ("2025-Q4", "2025Q4", "2025q4"):  # 2025Q4: the former spelling, in old links and scripts
        q = scoring.parse_period(spelling)
        assert (q.key, q.kind, q.starts_on, q.ends_on) == (
            "2025-Q4",
            "quarter",
            D(2025, 10, 1),
            D(2025, 12, 31),
        )
    m = scoring.parse_period("2024-02")
    assert (m.key, m.kind, m.starts_on, m.ends_on) == ("2024-02", "month", D(2024, 2, 1), D(2024, 2, 29))
    assert scoring.last_closed(D(2026, 1, 5), "quarter").key == "2025-Q4"
    assert scoring.last_closed(D(2026, 1, 5), "month").key == "2025-12"
    assert scoring.last_closed(D(2025, 7, 1), "quarter").key == "2025-Q2"
    for bad, text in [
        ("2025Q5", "Q1 至 Q4"),
        ("2025-Q0", "Q1 至 Q4"),
        ("2025-13", "1 至 12"),
        ("0000-01", "2000 至 2099"),
        ("2025", "评估周期格式应为"),  # a year is a statistics period, not an assessment one
        ("Q3", "评估周期格式应为"),
        ("", "评估周期格式应为"),
        (None, "评估周期格式应为"),
    ]:
        with pytest.raises(ValidationError) as exc:
            scoring.parse_period(bad)
        assert text in exc.value.message_dict["period"][0], bad


def test_runs_saved_under_the_former_spelling_are_respelt(db: Any) -> None:
    """Migration 0004 renames the keys of runs and manual scores saved as 2025Q3 (and back)."""
    import importlib

    from django.apps import apps

    from zhengwu.supervision.models import ManualScore

    migration = importlib.import_module("zhengwu.supervision.migrations.0004_assessment_period_keys")
    for key, kind in (("2025Q3", "quarter"), ("2025-12", "month")):
        p = scoring.parse_period(key)
        AssessmentRun.objects.create(period=key, kind=kind, starts_on=p.starts_on, ends_on=p.ends_on)
    ManualScore.objects.create(
        period="2025Q3", subject_kind="department", subject_id=1, value=Decimal(90), reason="r"
    )
    migration.forwards(apps, None)
    assert set(AssessmentRun.objects.values_list("period", flat=True)) == {"2025-Q3", "2025-12"}
    assert list(ManualScore.objects.values_list("period", flat=True)) == ["2025-Q3"]
    migration.backwards(apps, None)
    assert set(AssessmentRun.objects.values_list("period", flat=True)) == {"2025Q3", "2025-12"}


# --- who handled a case, folded from events -----------------------------------------------------


def test_window_and_staff_folded_from_events_in_any_order(dataset: dict[str, Any]) -> None:
    a = dataset["records"]["A"]
    assert (a.window_id, a.accepted_by_user_id, a.decided_by_user_id) == (
        dataset["w1"],
        dataset["clerk"],
        dataset["approver"],
    )
    assert a.handler_user_ids == sorted([dataset["clerk"], dataset["approver"]])
    d = dataset["records"]["D"]  # an external system: its users and windows are not Zhengwu's
    assert (d.window_id, d.accepted_by_user_id, d.handler_user_ids) == (None, None, [])
    events = [
        clock.EventIn(e.id, e.type, e.occurred_at, e.payload, e.actor_user_id)
        for e in data.case_events("P", D(2025, 11, 3), D(2025, 11, 7), window=7, clerk=1, approver=2)
    ]
    states = {
        (s.window_id, s.accepted_by_user_id, s.decided_by_user_id, tuple(s.handler_user_ids))
        for s in (clock.fold(list(p) + list(p)) for p in itertools.permutations(events))
    }
    assert states == {(7, 1, 2, (1, 2))}


# --- the hand-computed scores -------------------------------------------------------------------


def test_scores_on_the_hand_computed_data_set(dataset: dict[str, Any]) -> None:
    records = dataset["records"]
    assert records["A"].promised_due == D(2025, 10, 13)  # over National Day, Sat 11 Oct worked
    assert records["B"].promised_due == D(2025, 10, 16)  # one working day suspended
    assert records["B"].suspended_workdays == 1
    assert records["C"].decided_on_time is False
    run = service.assessment_compute(actor=None, period="2025-Q4", on_day=data.ON_DAY)
    assert run.case_count == 4 and run.status == AssessmentRun.Status.DRAFT  # E is in Q3

    depts = scores("department")
    city, dc = depts[dataset["city"]], depts[dataset["dc"]]
    assert city.cases_completed == 3
    assert {k: city.inputs[k]["score"] for k in city.inputs} == {
        "on_time": 66.67,
        "early": 33.33,
        "time_used": 50.0,  # mean used/promised = (0.6 + 1.0 + 1.4) / 3 = 1.0
        "cards": 90.0,  # one yellow card
        "corrections": 80.0,  # one order, answered late
        "complaints": None,
        "ratings": None,
        "manual": None,
    }
    assert "尚未接入" in city.inputs["complaints"]["note"] and "尚未接入" in city.inputs["ratings"]["note"]
    # (66.67×30 + 33.33×10 + 50×10 + 90×15 + 80×10) / 75
    assert city.score == Decimal("66.45") and city.grade == "pass" and city.rank == 2
    # (100×30 + 100×10 + 60×10 + 100×15 + 100×10) / 75
    assert dc.score == Decimal("94.67") and dc.grade == "excellent" and dc.rank == 1

    windows = scores("window")
    assert set(windows) == {dataset["w1"], dataset["w2"]}
    assert windows[dataset["w1"]].score == Decimal("88.00") and windows[dataset["w1"]].grade == "good"
    assert windows[dataset["w2"]].score == Decimal("35.33") and windows[dataset["w2"]].grade == "fail"
    assert windows[dataset["w2"]].inputs["cards"]["score"] == 90.0  # the card is about its case C

    staff = scores("staff")
    assert set(staff) == {dataset["clerk"], dataset["chief"], dataset["approver"]}
    assert staff[dataset["clerk"]].score == Decimal("88.00")
    assert staff[dataset["chief"]].score == Decimal("35.33")
    assert staff[dataset["approver"]].score == Decimal("69.11")
    assert staff[dataset["approver"]].subject_name == "王审批"
    assert [staff[u].rank for u in (dataset["clerk"], dataset["approver"], dataset["chief"])] == [1, 2, 3]
    assert AuditEntry.objects.filter(action="supervision.assessment.compute").count() == 1


def test_weights_thresholds_and_region_schemes_are_configurable(dataset: dict[str, Any]) -> None:
    weights = {f"weight_{k}": 0 for k in scoring.INPUT_KEYS}
    AssessmentScheme.objects.create(name="只看按时", **{**weights, "weight_on_time": 100}, pass_from=70)
    AssessmentScheme.objects.create(
        name="东城区", region_code=data.DONGCHENG, **{**weights, "weight_time_used": 100}, excellent_from=95
    )
    service.assessment_compute(actor=None, period="2025-Q4", on_day=data.ON_DAY)
    depts = scores("department")
    city, dc = depts[dataset["city"]], depts[dataset["dc"]]
    assert (city.score, city.grade, city.scheme_name) == (Decimal("66.67"), "fail", "只看按时")
    assert (dc.score, dc.grade, dc.scheme_name) == (Decimal("60.00"), "pass", "东城区")


def test_grade_thresholds() -> None:
    s = scoring.DEFAULT_SCHEME
    grades = [scoring.grade(Decimal(v), s) for v in ("100", "90", "89.99", "80", "79.99", "60", "59.99", "0")]
    assert grades == ["excellent", "excellent", "good", "good", "pass", "pass", "fail", "fail"]
    assert scoring.grade(None, s) == ""
    assert scoring.total({"a": {"score": None, "weight": 50}, "b": {"score": None, "weight": 50}}) is None


def test_scheme_validation_messages() -> None:
    bad = AssessmentScheme(name="x", weight_on_time=50)
    with pytest.raises(ValidationError) as exc:
        bad.clean()
    assert "之和应为 100，当前为 120" in exc.value.message_dict["weight_on_time"][0]
    disordered = AssessmentScheme(name="y", excellent_from=80, good_from=85, pass_from=60)
    with pytest.raises(ValidationError) as exc:
        disordered.clean()
    assert "优秀 > 良好 > 合格" in exc.value.message_dict["good_from"][0]
    outside = AssessmentScheme(name="z", pass_from=-5, region_code="4499")
    with pytest.raises(ValidationError) as exc:
        outside.clean()
    assert "0 到 100" in exc.value.message_dict["pass_from"][0]
    assert "12 位" in exc.value.message_dict["region_code"][0]


# --- manual scores, recomputation, publishing ---------------------------------------------------


def test_manual_score_is_audited_and_recomputes(dataset: dict[str, Any]) -> None:
    service.assessment_compute(actor=None, period="2025-Q4", on_day=data.ON_DAY)
    city = scores("department")[dataset["city"]]
    sup = actor("sup_city")
    updated = service.manual_score_set(actor=sup, score_id=city.pk, value="100", reason="窗口服务获表扬")
    # (4983.40 + 100×10) / 85
    assert updated.score == Decimal("70.39") and updated.inputs["manual"]["score"] == 100.0
    updated = service.manual_score_set(actor=sup, score_id=updated.pk, value="0", reason="复核后调整")
    assert updated.score == Decimal("58.63") and updated.grade == "fail"  # 4983.40 / 85
    entries = AuditEntry.objects.filter(action="supervision.assessment.manual_score").order_by("pk")
    assert [e.changes["value"] for e in entries] == [[None, "100.00"], ["100.00", "0.00"]]
    assert entries[1].reason == "复核后调整"
    for value, field in [("101", "value"), ("-1", "value"), ("abc", "value"), ("NaN", "value")]:
        with pytest.raises(ValidationError) as exc:
            service.manual_score_set(actor=sup, score_id=updated.pk, value=value, reason="x")
        assert field in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        service.manual_score_set(actor=sup, score_id=updated.pk, value="50", reason=" ")
    assert "reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        service.manual_score_set(actor=actor("reviewer"), score_id=updated.pk, value="50", reason="x")
    with pytest.raises(PermissionDenied):  # a district supervisor: not in scope
        service.manual_score_set(actor=actor("sup_district"), score_id=updated.pk, value="50", reason="x")


def test_recompute_is_idempotent_and_publishing_freezes(dataset: dict[str, Any]) -> None:
    def snapshot() -> list[tuple[Any, ...]]:
        return sorted(
            AssessmentScore.objects.filter(run__period="2025-Q4").values_list(
                "subject_kind", "subject_id", "score", "grade", "rank", "inputs"
            ),
            key=lambda r: (r[0], r[1]),
        )

    first = service.assessment_compute(actor=None, period="2025-Q4", on_day=data.ON_DAY)
    before = snapshot()
    again = service.assessment_compute(actor=None, period="2025-Q4", on_day=data.ON_DAY)
    assert again.pk == first.pk and again.computations == 2 and snapshot() == before
    with pytest.raises(PermissionDenied):
        service.assessment_publish(actor=actor("sup_district"), period="2025-Q4")
    service.assessment_publish(actor=actor("sup_city"), period="2025-Q4")
    data.events_ingest(events=data.extra_case(1, dataset), on_day=data.ON_DAY)  # late-arriving events
    with pytest.raises(ValidationError) as exc:
        service.assessment_compute(actor=None, period="2025-Q4", on_day=data.ON_DAY)
    assert "已发布" in exc.value.message_dict["period"][0]
    city = scores("department")[dataset["city"]]
    with pytest.raises(ValidationError):
        service.manual_score_set(actor=actor("sup_city"), score_id=city.pk, value="90", reason="x")
    assert snapshot() == before
    assert AssessmentRun.objects.get(period="2025-Q4").status == "published"
    with pytest.raises(ValidationError) as exc:
        service.assessment_compute(actor=None, period="2026-Q2", on_day=data.ON_DAY)
    assert "尚未开始" in exc.value.message_dict["period"][0]


def test_past_periods_are_kept(dataset: dict[str, Any]) -> None:
    service.assessment_compute(actor=None, period="2025-Q3", on_day=data.ON_DAY)
    service.assessment_compute(actor=None, period="2025-Q4", on_day=data.ON_DAY)
    service.assessment_compute(actor=None, period="2025-Q4", on_day=data.ON_DAY)
    q3 = scores("department", "2025-Q3")
    assert q3[dataset["city"]].cases_completed == 1  # case E
    assert AssessmentRun.objects.count() == 2


def test_worker_job_computes_the_last_closed_period_once(dataset: dict[str, Any]) -> None:
    assert service.assessment_job(on_day=data.ON_DAY) == ["2025-Q4"]
    assert service.assessment_job(on_day=data.ON_DAY) == []
    AssessmentScheme.objects.create(name="默认", periods=AssessmentScheme.Periods.BOTH)
    assert service.assessment_job(on_day=data.ON_DAY) == ["2025-12"]
    assert set(AssessmentRun.objects.values_list("period", flat=True)) == {"2025-Q4", "2025-12"}


def test_worker_job_is_registered() -> None:
    from zhengwu.core.events.periodic import registered_jobs
    from zhengwu.supervision import events  # noqa: F401

    assert "supervision.assessment" in {j.name for j in registered_jobs()}


def test_command(dataset: dict[str, Any], capsys: Any) -> None:
    call_command("compute_assessment", "2025Q4")  # the former spelling still works in scripts
    assert "2025-Q4" in capsys.readouterr().out
    call_command("compute_assessment", "2025-Q4", "--publish")
    assert AssessmentRun.objects.get(period="2025-Q4").status == "published"
    with pytest.raises(CommandError, match="已发布"):
        call_command("compute_assessment", "2025-Q4")
    with pytest.raises(CommandError, match="Q1 至 Q4"):
        call_command("compute_assessment", "2025Q5")
    call_command("compute_assessment", "--last")
    assert SupervisedCase.objects.count() == 5


def test_system_actor_may_manage() -> None:
    assert service.may_manage(None)
    assert service.may_manage(Actor(user_id=1, roles=frozenset({Role.SYSADMIN})))
    assert not service.may_manage(
        Actor(user_id=1, roles=frozenset({Role.REVIEWER}), region_code="449900000000")
    )


def test_demo_seeds_the_last_quarter_and_month(demo_org: None) -> None:
    from zhengwu.supervision.demo import seed_assessment_demo, seed_assessment_history

    assert seed_assessment_history(today=data.ON_DAY)["assessment_demo_events"] > 0
    first = seed_assessment_demo(today=data.ON_DAY)
    assert first["assessment_runs"] == 2
    assert set(AssessmentRun.objects.values_list("period", flat=True)) == {"2025-Q4", "2025-12"}
    for period in ("2025-Q4", "2025-12"):
        kinds = set(AssessmentScore.objects.filter(run__period=period).values_list("subject_kind", flat=True))
        assert kinds == {"department", "window", "staff"}, period
    assert AssessmentScore.objects.filter(run__period="2025-Q4", score__isnull=False).count() >= 8
    assert seed_assessment_history(today=data.ON_DAY) == {"assessment_demo_events": 0}
    assert seed_assessment_demo(today=data.ON_DAY) == {"assessment_schemes": 0, "assessment_runs": 0}


def test_outbox_actor_and_window_reach_the_record(demo_org: None) -> None:
    from zhengwu.core.events.services import dispatch_event, emit

    from .factories import envelope

    w1, _w2 = data.windows()
    clerk = actor("clerk")
    env = envelope(
        "case_accepted",
        case_id="ob-actor",
        when=at(D(2025, 11, 3)),
        status="accepted",
        accepted_on="2025-11-03",
        promised_due="2025-11-10",
        mode="normal",
        window_id=w1,
    )
    event = emit(env["type"], env["payload"], aggregate_type="cases.case", aggregate_id=1, actor=clerk)
    dispatch_event(event.pk)  # directly: see test_sweep.test_outbox_event_builds_the_record
    record = SupervisedCase.objects.get(source="zhengwu", case_id="ob-actor")
    assert (record.window_id, record.accepted_by_user_id, record.handler_user_ids) == (
        w1,
        clerk.user_id,
        [clerk.user_id],
    )


def test_publishing_tells_each_department_its_result(dataset: dict[str, Any]) -> None:
    from zhengwu.core.notify.models import Notification
    from zhengwu.org.models import Department

    service.assessment_compute(actor=None, period="2025-Q4", on_day=data.ON_DAY)
    Department.objects.filter(pk=dataset["city"]).update(supervision_contact_phone="0757-83320009")
    city = scores("department")[dataset["city"]]
    service.assessment_publish(actor=actor("sup_city"), period="2025-Q4")
    sent = Notification.objects.filter(template="supervision.assessment_published")
    with_contact = Department.objects.filter(pk__in=scores("department"), supervision_contact_phone__gt="")
    assert sorted(n.phone for n in sent) == sorted(d.supervision_contact_phone for d in with_contact)
    body = sent.get(phone="0757-83320009").body
    assert "2025年第4季度" in body or "2025 年第 4 季度" in body
    assert f"得分{city.score}" in body and f"排名第{city.rank}" in body
