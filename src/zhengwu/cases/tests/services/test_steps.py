"""后台分类审批: 审查 → 决定 with return and transfer; who may take a step; the decide step decides."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from zhengwu.cases.models import (
    Case,
    CaseDocument,
    CaseStatus,
    CaseStep,
    Decision,
    DocumentKind,
    Opinion,
    StepStatus,
    TimelineEntry,
)
from zhengwu.cases.services._base import CaseConflict
from zhengwu.cases.services.steps import (
    step_claim,
    step_complete,
    step_return,
    step_transfer,
    steps_start,
)
from zhengwu.cases.tests.factories import actor_of, applicant_user, make_case, travel
from zhengwu.core.audit.models import AuditEntry
from zhengwu.core.calendar.days import add_workdays
from zhengwu.core.notify.models import Notification

from .test_steps_support import (
    HOUSING,
    REVIEW_DUE,
    accepted_case,
    active_step,
    delegate,
    event_types,
    events,
    fresh,
    new_staff,
    steps_of,
    titles,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 10, 9)  # a Thursday, in the 审查 step's limit
NEXT = dt.date(2025, 10, 10)


@pytest.fixture
def case(demo_org: Any) -> Case:
    return accepted_case()


@pytest.fixture
def reviewer(demo_org: Any) -> Any:
    return actor_of("reviewer")


@pytest.fixture
def approver(demo_org: Any) -> Any:
    return actor_of("approver")


def test_steps_start_copies_review_and_decide_steps_and_starts_the_first(case: Case) -> None:
    CaseStep.objects.filter(case=case).delete()
    with transaction.atomic():
        steps_start(case, actor=None)
        steps_start(case, actor=None)  # a second call changes nothing
    steps = steps_of(case)
    assert [(s.name, s.stage, s.role, s.limit) for s in steps] == [
        ("审查", "review", "reviewer", 5),
        ("决定", "decide", "approver", 2),
    ]
    first, second = steps
    assert first.status == StepStatus.ACTIVE and first.due_on == REVIEW_DUE
    assert first.department_id == case.department_id and first.started_at == case.accepted_at
    assert second.status == StepStatus.PENDING and second.due_on is None


def test_review_then_decide_grants(case: Case, reviewer: Any, approver: Any) -> None:
    review = active_step(case)
    with travel(DAY):
        step_complete(
            actor=reviewer, step_id=review.pk, revision=case.revision, opinion="agree", comment="材料齐全"
        )
    review.refresh_from_db()
    assert review.status == StepStatus.DONE and review.finished_by_id == reviewer.user_id
    assert review.opinion == Opinion.AGREE and review.comment == "材料齐全"
    decide = active_step(case)
    assert decide.name == "决定" and decide.due_on == add_workdays(DAY, 2)
    assert fresh(case).status == CaseStatus.ACCEPTED

    with travel(NEXT, 15):
        step_complete(actor=approver, step_id=decide.pk, opinion="agree", comment="同意")
    case = fresh(case)
    assert case.status == CaseStatus.DECIDED and case.decision == Decision.GRANT
    assert case.delivery_due == add_workdays(NEXT, 10)
    assert case.decision_legal_basis == case.item_version.legal_basis  # a grant cites the item's basis
    grant = CaseDocument.objects.get(case=case)
    assert grant.kind == DocumentKind.GRANT and grant.is_result
    assert event_types(case) == [
        "cases.case_decided",
        "cases.case_step_completed",
        "cases.case_step_completed",
    ]
    first = events(case, "cases.case_step_completed")[0]
    assert first["step_name"] == "审查" and first["opinion"] == "agree" and first["step_due"] == "2025-10-10"
    assert titles(case) == ["审查：同意", "决定：同意", "作出决定：准予许可"]
    assert Notification.objects.filter(template="cases.decided", user_id=case.applicant_user_id).exists()


def test_decide_step_disagree_is_a_denial_with_reason_and_legal_basis(
    case: Case, reviewer: Any, approver: Any
) -> None:
    with travel(DAY):
        step_complete(
            actor=reviewer, step_id=active_step(case).pk, opinion="disagree", comment="场所面积不足"
        )
        decide = active_step(case)  # a disagreeing review still goes on to the decision
        with pytest.raises(ValidationError) as exc:
            step_complete(actor=approver, step_id=decide.pk, opinion="disagree", comment="不同意")
    assert set(exc.value.message_dict) == {"reason", "legal_basis"}
    assert active_step(case).pk == decide.pk  # nothing written
    assert fresh(case).status == CaseStatus.ACCEPTED

    with travel(DAY, 16):
        step_complete(
            actor=approver,
            step_id=decide.pk,
            opinion="disagree",
            comment="不同意",
            reason="经营场所面积不符合要求",
            legal_basis="《食品经营许可管理办法》第十二条",
        )
    case = fresh(case)
    assert case.status == CaseStatus.DECIDED and case.decision == Decision.DENY
    assert case.decision_reason == "经营场所面积不符合要求"
    assert CaseDocument.objects.get(case=case).kind == DocumentKind.DENIAL
    assert titles(case)[-1] == "作出决定：不予许可"


def test_opinion_and_comment_are_checked(case: Case, reviewer: Any) -> None:
    step = active_step(case)
    with pytest.raises(ValidationError) as exc:
        step_complete(actor=reviewer, step_id=step.pk, opinion="return", comment="")
    assert "opinion" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        step_complete(actor=reviewer, step_id=step.pk, opinion="disagree", comment="  ")
    assert "comment" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        step_complete(actor=reviewer, step_id=step.pk, opinion="agree", comment="", attachment_ids=["nope"])
    assert "attachment_ids" in exc.value.message_dict
    assert active_step(case).pk == step.pk and event_types(case) == []


def test_return_sends_the_step_back_to_who_finished_the_previous_one(
    case: Case, reviewer: Any, approver: Any
) -> None:
    review = active_step(case)
    with travel(DAY):
        step_complete(actor=reviewer, step_id=review.pk, opinion="agree", comment="材料齐全")
    decide = active_step(case)
    with pytest.raises(ValidationError) as exc:
        step_return(actor=approver, step_id=decide.pk, comment="")
    assert "comment" in exc.value.message_dict

    with travel(NEXT):
        step_return(
            actor=approver, step_id=decide.pk, revision=fresh(case).revision, comment="请核实场所证明"
        )
    decide.refresh_from_db()
    review.refresh_from_db()
    assert decide.status == StepStatus.RETURNED and decide.opinion == Opinion.RETURN
    assert review.status == StepStatus.ACTIVE and review.assignee_id == reviewer.user_id
    assert review.due_on == add_workdays(NEXT, 5) and review.opinion == ""
    returned = TimelineEntry.objects.get(case=case, action="case_step_returned")
    assert returned.title == "决定退回审查" and returned.summary == "请核实场所证明" and not returned.public
    assert events(case, "cases.case_step_returned")[0]["step_name"] == "决定"

    # the first step cannot be returned
    with pytest.raises(ValidationError):
        step_return(actor=reviewer, step_id=review.pk, comment="再退")

    with travel(NEXT, 14):
        step_complete(actor=reviewer, step_id=review.pk, opinion="agree", comment="已核实")
    decide = active_step(case)
    assert decide.name == "决定" and decide.comment == "" and decide.assignee_id is None
    with travel(NEXT, 16):
        step_complete(actor=approver, step_id=decide.pk, opinion="agree", comment="同意")
    assert fresh(case).status == CaseStatus.DECIDED


def test_transfer_to_a_colleague_with_the_role(case: Case, reviewer: Any, approver: Any) -> None:
    colleague = new_staff(["reviewer"], name="周审查")
    step = active_step(case)
    for target, message in (
        (reviewer.user_id, "自己"),
        (approver.user_id, "具有该环节办理角色"),  # same department, other role
        (new_staff(["reviewer"], dept=HOUSING).user_id, "本部门"),
        (999999, "本部门"),
    ):
        with pytest.raises(ValidationError) as exc:
            step_transfer(actor=reviewer, step_id=step.pk, to_user_id=target)
        assert message in exc.value.message_dict["to_user_id"][0]

    before = fresh(case).revision
    step_transfer(actor=reviewer, step_id=step.pk, to_user_id=colleague.user_id, comment="休假")
    step.refresh_from_db()
    assert step.assignee_id == colleague.user_id
    assert fresh(case).revision == before + 1
    entry = TimelineEntry.objects.get(case=case, action="case_step_transferred")
    assert not entry.public and entry.title == "审查转交周审查" and entry.summary == "休假"
    assert AuditEntry.objects.filter(action="cases.step_assignee", obj_id=str(step.pk)).exists()
    assert event_types(case) == []  # a transfer publishes no event

    # now only the colleague may take it
    with pytest.raises(PermissionDenied, match="转交"):
        step_complete(actor=reviewer, step_id=step.pk, opinion="agree", comment="")
    with travel(DAY):
        step_complete(actor=colleague, step_id=step.pk, opinion="agree", comment="")
    assert active_step(case).name == "决定"


def test_claim_assigns_the_step_to_the_actor(case: Case, reviewer: Any) -> None:
    colleague = new_staff(["reviewer"])
    step = step_claim(actor=reviewer, step_id=active_step(case).pk)
    assert step.assignee_id == reviewer.user_id
    with pytest.raises(PermissionDenied):
        step_claim(actor=colleague, step_id=step.pk)
    assert titles(case, public=False) == ["审查认领"]


@pytest.mark.parametrize(
    "who",
    ["approver", "clerk", "hallmgr", "sup_city"],
    ids=["other-role", "window-clerk", "hall-manager", "supervisor"],
)
def test_visible_staff_without_the_role_are_refused(case: Case, who: str) -> None:
    with pytest.raises(PermissionDenied, match="审查人员"):
        step_complete(actor=actor_of(who), step_id=active_step(case).pk, opinion="agree", comment="")
    assert event_types(case) == []


def test_staff_of_other_departments_and_applicants_do_not_see_the_case(case: Case) -> None:
    step = active_step(case)
    outsiders = [
        new_staff(["reviewer"], dept=HOUSING),  # same city, other department and line
        new_staff(["reviewer"], dept="示范市东城区市场监督管理局"),  # same line, a lower level
        actor_of(applicant_user()),
    ]
    for outsider in outsiders:
        with pytest.raises(Case.DoesNotExist):
            step_complete(actor=outsider, step_id=step.pk, opinion="agree", comment="")
        with pytest.raises(Case.DoesNotExist):
            step_return(actor=outsider, step_id=step.pk, comment="x")
        with pytest.raises(Case.DoesNotExist):
            step_transfer(actor=outsider, step_id=step.pk, to_user_id=1)
    for bad in (0, 10**9, "abc", None):
        with pytest.raises(Case.DoesNotExist):
            step_complete(actor=actor_of("reviewer"), step_id=bad, opinion="agree", comment="")  # type: ignore[arg-type]


def test_chief_representative_decides_delegated_items_only(case: Case, reviewer: Any) -> None:
    with travel(DAY):
        step_complete(actor=reviewer, step_id=active_step(case).pk, opinion="agree", comment="")
    decide = active_step(case)
    chief = actor_of("chief")  # demo delegation does not cover this item
    with pytest.raises(PermissionDenied):
        step_complete(actor=chief, step_id=decide.pk, opinion="agree", comment="")
    chief = delegate("chief", [case.implementation_code])
    with travel(DAY, 15):
        step_complete(actor=chief, step_id=decide.pk, opinion="agree", comment="首席代表审批")
    case = fresh(case)
    assert case.status == CaseStatus.DECIDED and case.decision == Decision.GRANT
    # …but not the review steps
    other = accepted_case()
    with pytest.raises(PermissionDenied):
        step_complete(actor=chief, step_id=active_step(other).pk, opinion="agree", comment="")


def test_basic_code_delegation_counts_too(demo_org: Any) -> None:
    case = accepted_case()
    chief = delegate("chief", [case.item.basic_code])
    CaseStep.objects.filter(case=case, order=2).update(status=StepStatus.DONE)
    CaseStep.objects.filter(case=case, order=3).update(
        status=StepStatus.ACTIVE, due_on=REVIEW_DUE, started_at=case.accepted_at
    )
    with travel(DAY):
        step_complete(actor=chief, step_id=active_step(case).pk, opinion="agree", comment="")
    assert fresh(case).status == CaseStatus.DECIDED


def test_stale_page_finished_step_and_wrong_status_are_conflicts(
    case: Case, reviewer: Any, approver: Any
) -> None:
    step = active_step(case)
    revision = case.revision
    with travel(DAY):
        step_transfer(actor=reviewer, step_id=step.pk, to_user_id=new_staff(["reviewer"]).user_id)
    colleague_step = active_step(case)
    with pytest.raises(CaseConflict):  # the page was opened before the transfer
        step_complete(
            actor=actor_of(colleague_step.assignee),
            step_id=step.pk,
            revision=revision,
            opinion="agree",
            comment="",
        )
    with travel(DAY):
        step_complete(actor=actor_of(colleague_step.assignee), step_id=step.pk, opinion="agree", comment="")
    with pytest.raises(CaseConflict, match="已由他人办理"):
        step_complete(actor=reviewer, step_id=step.pk, opinion="agree", comment="")
    suspended = make_case(status=CaseStatus.SUSPENDED, item=case.item)
    with pytest.raises(CaseConflict, match="特别程序"):
        step_complete(actor=reviewer, step_id=active_step(suspended).pk, opinion="agree", comment="")
