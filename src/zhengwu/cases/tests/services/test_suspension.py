"""特别程序 stops the clock; 延期 adds 10 working days once, approved by the department head."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengwu.cases.models import (
    Case,
    CaseDocument,
    CaseStatus,
    DocumentKind,
    Extension,
    ExtensionStatus,
    Suspension,
    TimelineEntry,
)
from zhengwu.cases.services._base import CaseConflict
from zhengwu.cases.services.steps import step_complete
from zhengwu.cases.services.suspension import case_resume, case_suspend, extension_decide, extension_request
from zhengwu.cases.tests.factories import actor_of, applicant_user, travel
from zhengwu.core.calendar.days import add_workdays
from zhengwu.core.notify.models import Notification

from .test_steps_support import (
    ACCEPTED,
    HOUSING,
    PROMISED_DUE,
    REVIEW_DUE,
    STATUTORY_DUE,
    accepted_case,
    active_step,
    event_types,
    events,
    fresh,
    new_staff,
)

pytestmark = pytest.mark.django_db
SUSPEND_ON = dt.date(2025, 10, 9)  # Thursday; the 审查 step is due the next day
RESUME_ON = dt.date(2025, 10, 29)  # 15 working days later (10-11 is a make-up Saturday)


@pytest.fixture
def case(demo_org: Any) -> Case:
    return accepted_case()


@pytest.fixture
def reviewer(demo_org: Any) -> Any:
    return actor_of("reviewer")


@pytest.fixture
def approver(demo_org: Any) -> Any:
    return actor_of("approver")


def suspend(case: Case, actor: Any, **kw: Any) -> Suspension:
    values: dict[str, Any] = {
        "kind": "site_check",
        "reason": "需对经营场所进行现场核查",
        "expected_workdays": 15,
    }
    values.update(kw)
    return case_suspend(actor=actor, case_id=case.pk, revision=fresh(case).revision, **values)


def test_the_clock_fixture_dates() -> None:
    assert add_workdays(ACCEPTED, 10) == PROMISED_DUE
    assert add_workdays(SUSPEND_ON, 15) == RESUME_ON


def test_a_15_working_day_suspension_moves_every_deadline(case: Case, reviewer: Any) -> None:
    with travel(SUSPEND_ON):
        suspension = suspend(case, reviewer)
    case = fresh(case)
    assert case.status == CaseStatus.SUSPENDED
    assert suspension.started_on == SUSPEND_ON and suspension.expected_workdays == 15
    assert CaseDocument.objects.get(case=case).kind == DocumentKind.SUSPENSION
    suspended = events(case, "cases.case_suspended")[0]
    assert {
        "kind": "site_check",
        "expected_workdays": 15,
        "started_on": "2025-10-09",
    }.items() <= suspended.items()
    assert Notification.objects.filter(template="cases.suspended", user_id=case.applicant_user_id).exists()
    assert case.promised_due == PROMISED_DUE  # nothing moves until the procedure ends

    with travel(RESUME_ON, 9):
        case_resume(actor=reviewer, case_id=case.pk, revision=case.revision, result="核查合格")
    case = fresh(case)
    suspension.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert suspension.ended_on == RESUME_ON and suspension.workdays == 15 and suspension.result == "核查合格"
    assert case.suspended_workdays == 15
    assert case.promised_due == add_workdays(PROMISED_DUE, 15) == dt.date(2025, 11, 6)
    assert case.statutory_due == add_workdays(STATUTORY_DUE, 15) == dt.date(2025, 11, 20)
    assert active_step(case).due_on == add_workdays(REVIEW_DUE, 15) == dt.date(2025, 10, 30)
    resumed = events(case, "cases.case_resumed")[0]
    assert resumed["workdays"] == 15 and resumed["ended_on"] == "2025-10-29"
    assert resumed["suspended_workdays"] == 15 and resumed["promised_due"] == "2025-11-06"
    assert TimelineEntry.objects.filter(
        case=case, action="case_resumed", title="特别程序结束：现场核查"
    ).exists()


def test_two_suspensions_add_up(case: Case, reviewer: Any) -> None:
    with travel(dt.date(2025, 10, 9)):
        suspend(case, reviewer, expected_workdays=2)
    with travel(dt.date(2025, 10, 13)):  # 10-10, 10-11 (make-up Saturday), 10-13
        case_resume(actor=reviewer, case_id=case.pk)
    with travel(dt.date(2025, 10, 14)):
        suspend(case, reviewer, kind="expert_review", expected_workdays=1)
    with travel(dt.date(2025, 10, 15)):
        case_resume(actor=reviewer, case_id=case.pk)
    case = fresh(case)
    assert case.suspended_workdays == 4
    assert case.promised_due == add_workdays(PROMISED_DUE, 4)
    assert case.statutory_due == add_workdays(STATUTORY_DUE, 4)


def test_a_suspended_case_takes_no_step_and_cannot_be_suspended_twice(case: Case, reviewer: Any) -> None:
    with travel(SUSPEND_ON):
        suspend(case, reviewer)
    with pytest.raises(CaseConflict, match="特别程序"):
        step_complete(actor=reviewer, step_id=active_step(case).pk, opinion="agree", comment="")
    with pytest.raises(CaseConflict):
        suspend(case, reviewer)
    with pytest.raises(CaseConflict):  # resume from a stale page
        case_resume(actor=reviewer, case_id=case.pk, revision=0)


def test_suspension_input_is_checked_field_by_field(case: Case, reviewer: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        suspend(case, reviewer, kind="nap", reason=" ", expected_workdays=0)
    assert set(exc.value.message_dict) == {"kind", "reason", "expected_workdays"}
    with pytest.raises(ValidationError) as exc:
        suspend(case, reviewer, expected_workdays="abc")
    assert "expected_workdays" in exc.value.message_dict
    assert fresh(case).status == CaseStatus.ACCEPTED and not Suspension.objects.exists()
    assert event_types(case) == []


def test_who_may_suspend(case: Case) -> None:
    with pytest.raises(PermissionDenied):
        suspend(case, actor_of("clerk"))  # sees the case through the window, no back-office role
    for outsider in (new_staff(["reviewer"], dept=HOUSING), actor_of(applicant_user())):
        with pytest.raises(Case.DoesNotExist):
            suspend(case, outsider)


def test_an_approved_extension_adds_10_working_days_once(case: Case, reviewer: Any, approver: Any) -> None:
    with travel(dt.date(2025, 10, 13)):
        extension = extension_request(actor=reviewer, case_id=case.pk, reason="需征求住建部门意见")
    assert extension.status == ExtensionStatus.REQUESTED and extension.workdays == 10
    assert TimelineEntry.objects.filter(case=case, action="extension_requested", public=False).exists()
    assert fresh(case).promised_due == PROMISED_DUE  # not before the approval

    with pytest.raises(PermissionDenied, match="部门负责人"):
        extension_decide(actor=reviewer, extension_id=extension.pk, approve=True)
    with pytest.raises(Extension.DoesNotExist):
        extension_decide(actor=new_staff(["approver"], dept=HOUSING), extension_id=extension.pk, approve=True)

    with travel(dt.date(2025, 10, 14)):
        extension_decide(actor=approver, extension_id=extension.pk, approve=True, comment="同意延期")
    extension.refresh_from_db()
    case = fresh(case)
    assert extension.status == ExtensionStatus.APPROVED and extension.decided_by_id == approver.user_id
    assert case.extension_workdays == 10
    assert case.promised_due == add_workdays(PROMISED_DUE, 10) == dt.date(2025, 10, 30)
    assert case.statutory_due == add_workdays(STATUTORY_DUE, 10) == dt.date(2025, 11, 13)
    assert CaseDocument.objects.get(case=case).kind == DocumentKind.EXTENSION
    assert events(case, "cases.case_extended")[0]["workdays"] == 10
    assert Notification.objects.filter(template="cases.extended", user_id=case.applicant_user_id).exists()

    with pytest.raises(CaseConflict):
        extension_decide(actor=approver, extension_id=extension.pk, approve=True)
    with pytest.raises(ValidationError) as exc:
        extension_request(actor=reviewer, case_id=case.pk, reason="再延一次")
    assert "不能再次延期" in exc.value.message_dict["reason"][0]
    assert Extension.objects.filter(case=case).count() == 1


def test_a_refused_extension_changes_nothing_and_cannot_be_asked_again(
    case: Case, reviewer: Any, approver: Any
) -> None:
    extension = extension_request(actor=reviewer, case_id=case.pk, reason="需补充检测")
    with pytest.raises(ValidationError):  # a second request while the first waits
        extension_request(actor=reviewer, case_id=case.pk, reason="再次申请")
    extension_decide(actor=approver, extension_id=extension.pk, approve=False, comment="时限充足")
    extension.refresh_from_db()
    case = fresh(case)
    assert extension.status == ExtensionStatus.REFUSED and extension.decision_comment == "时限充足"
    assert case.extension_workdays == 0 and case.promised_due == PROMISED_DUE
    assert "cases.case_extended" not in event_types(case)
    with pytest.raises(ValidationError):
        extension_request(actor=reviewer, case_id=case.pk, reason="再次申请")


def test_extension_and_suspension_together(case: Case, reviewer: Any, approver: Any) -> None:
    with travel(SUSPEND_ON):
        suspend(case, reviewer)
        extension = extension_request(actor=reviewer, case_id=case.pk, reason="专家评审后需复核")
    with travel(SUSPEND_ON, 15):  # approved while the clock stands still
        extension_decide(actor=approver, extension_id=extension.pk, approve=True)
    assert fresh(case).promised_due == add_workdays(ACCEPTED, 10 + 10)
    with travel(RESUME_ON):
        case_resume(actor=reviewer, case_id=case.pk)
    case = fresh(case)
    assert case.promised_due == add_workdays(ACCEPTED, 10 + 15 + 10)
    assert case.statutory_due == add_workdays(ACCEPTED, 20 + 15 + 10)


def test_extension_request_needs_a_reason_and_the_department(case: Case, reviewer: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        extension_request(actor=reviewer, case_id=case.pk, reason="")
    assert "reason" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        extension_request(actor=actor_of("clerk"), case_id=case.pk, reason="x")
    with pytest.raises(Extension.DoesNotExist):
        extension_decide(actor=actor_of("approver"), extension_id=10**9, approve=True)
    with pytest.raises(Extension.DoesNotExist):
        extension_decide(actor=actor_of("approver"), extension_id="x", approve=True)  # type: ignore[arg-type]
