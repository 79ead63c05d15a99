"""决定 (grant / deny with reasons, legal basis and the rights to review or sue), 办结 and 终止办理."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from zhengwu.cases.models import (
    AcceptanceMode,
    Case,
    CaseDocument,
    CaseStatus,
    CaseStep,
    Decision,
    DocumentKind,
    StepStatus,
    Suspension,
    TerminationReason,
)
from zhengwu.cases.services._base import CaseConflict
from zhengwu.cases.services.decision import case_complete, case_decide, case_terminate
from zhengwu.cases.services.suspension import case_suspend
from zhengwu.cases.tests.factories import actor_of, make_case, make_item_for_cases, travel
from zhengwu.catalog.models.choices import HandlingType
from zhengwu.core.calendar.days import add_workdays
from zhengwu.core.files.models import StoredFile
from zhengwu.core.notify.models import Notification

from .test_steps_support import (
    HOUSING,
    accepted_case,
    delegate,
    event_types,
    events,
    finish_steps,
    fresh,
    new_staff,
    titles,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 10, 14)
DENY = {"reason": "经营场所与食品经营品种不相适应", "legal_basis": "《食品经营许可管理办法》第十二条"}


@pytest.fixture
def case(demo_org: Any) -> Case:
    case = accepted_case()
    finish_steps(case)
    return case


@pytest.fixture
def approver(demo_org: Any) -> Any:
    return actor_of("approver")


def pdf_text(document: CaseDocument) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    stored = StoredFile.objects.get(pk=document.file_id)
    with default_storage.open(stored.storage_name, "rb") as fh:
        content = fh.read()
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content, capture_output=True, check=True)
    return "".join(out.stdout.decode("utf-8").split())


def test_grant(case: Case, approver: Any) -> None:
    with travel(DAY, 15):
        case_decide(actor=approver, case_id=case.pk, revision=case.revision, decision="grant")
    case = fresh(case)
    assert case.status == CaseStatus.DECIDED and case.decision == Decision.GRANT
    assert case.decided_at is not None and case.delivery_due == add_workdays(DAY, 10) == dt.date(2025, 10, 28)
    assert case.decision_legal_basis == "《中华人民共和国食品安全法》第三十五条"
    document = CaseDocument.objects.get(case=case)
    assert document.kind == DocumentKind.GRANT and document.is_result
    decided = events(case, "cases.case_decided")[0]
    assert decided["decision"] == "grant" and decided["delivery_due"] == "2025-10-28"
    assert titles(case) == ["作出决定：准予许可"]
    assert Notification.objects.filter(template="cases.decided", phone=case.applicant_phone).exists()


def test_deny_needs_reason_and_legal_basis_and_states_the_remedies(case: Case, approver: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        case_decide(actor=approver, case_id=case.pk, decision="deny", reason=" ")
    assert set(exc.value.message_dict) == {"reason", "legal_basis"}
    with pytest.raises(ValidationError) as exc:
        case_decide(actor=approver, case_id=case.pk, decision="maybe")
    assert set(exc.value.message_dict) == {"decision"}
    assert fresh(case).status == CaseStatus.ACCEPTED and event_types(case) == []
    assert not CaseDocument.objects.filter(case=case).exists()

    with travel(DAY):
        case_decide(actor=approver, case_id=case.pk, decision="deny", **DENY)
    case = fresh(case)
    assert case.decision == Decision.DENY and case.decision_reason == DENY["reason"]
    assert case.decision_legal_basis == DENY["legal_basis"]
    document = CaseDocument.objects.get(case=case)
    assert document.kind == DocumentKind.DENIAL and document.is_result
    text = pdf_text(document)
    assert case.number in text and "不予许可" in text
    assert "60日内" in text and "行政复议" in text and "6个月内" in text and "行政诉讼" in text


def test_decision_with_open_steps_is_taken_in_the_step(demo_org: Any, approver: Any) -> None:
    case = accepted_case()
    with pytest.raises(ValidationError, match="办理环节"):
        case_decide(actor=approver, case_id=case.pk, decision="grant")


def test_who_may_decide(case: Case) -> None:
    for refused in ("reviewer", "clerk", "chief"):  # chief: demo delegation does not cover this item
        with pytest.raises(PermissionDenied):
            case_decide(actor=actor_of(refused), case_id=case.pk, decision="grant")
    with pytest.raises(Case.DoesNotExist):
        case_decide(actor=new_staff(["approver"], dept=HOUSING), case_id=case.pk, decision="grant")
    chief = delegate("chief", [case.implementation_code])
    case_decide(actor=chief, case_id=case.pk, decision="grant")
    assert fresh(case).status == CaseStatus.DECIDED
    with pytest.raises(CaseConflict):  # already decided
        case_decide(actor=actor_of("approver"), case_id=case.pk, decision="deny", **DENY)


def test_immediate_items_are_decided_by_the_accepting_window(demo_org: Any) -> None:
    item = make_item_for_cases(handling_type=HandlingType.INSTANT)
    case = make_case(status=CaseStatus.ACCEPTED, item=item, acceptance_mode=AcceptanceMode.IMMEDIATE)
    CaseStep.objects.filter(case=case).delete()
    case_decide(actor=actor_of("clerk"), case_id=case.pk, decision="grant")
    assert fresh(case).decision == Decision.GRANT
    normal = accepted_case(item=item)
    CaseStep.objects.filter(case=normal).delete()
    with pytest.raises(PermissionDenied):
        case_decide(actor=actor_of("clerk"), case_id=normal.pk, decision="grant")


def test_complete(case: Case, approver: Any) -> None:
    with pytest.raises(CaseConflict):
        case_complete(actor=approver, case_id=case.pk)
    case_decide(actor=approver, case_id=case.pk, decision="grant")
    with pytest.raises(CaseConflict):  # a stale page
        case_complete(actor=approver, case_id=case.pk, revision=case.revision)
    with pytest.raises(Case.DoesNotExist):
        case_complete(actor=new_staff(["reviewer"], dept=HOUSING), case_id=case.pk)
    case_complete(actor=actor_of("clerk"), case_id=case.pk)  # the window that will hand it out
    case = fresh(case)
    assert case.status == CaseStatus.COMPLETED and case.closed_at is not None
    assert events(case, "cases.case_completed")[0]["decision"] == "grant"


def test_terminate_closes_the_open_step_and_the_special_procedure(demo_org: Any, approver: Any) -> None:
    case = accepted_case()
    case_suspend(actor=approver, case_id=case.pk, kind="testing", reason="送检", expected_workdays=5)
    with pytest.raises(ValidationError) as exc:
        case_terminate(actor=approver, case_id=case.pk, reason="bored")
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        case_terminate(actor=approver, case_id=case.pk, reason=TerminationReason.OTHER)
    assert "text" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        case_terminate(
            actor=actor_of("reviewer"), case_id=case.pk, reason=TerminationReason.APPLICANT_REQUEST
        )

    case_terminate(
        actor=approver, case_id=case.pk, reason=TerminationReason.APPLICANT_REQUEST, text="申请人书面申请终止"
    )
    case = fresh(case)
    assert case.status == CaseStatus.TERMINATED and case.closed_at is not None
    assert case.termination_reason == TerminationReason.APPLICANT_REQUEST
    assert not CaseStep.objects.filter(case=case, status=StepStatus.ACTIVE).exists()
    assert Suspension.objects.get(case=case).ended_at is not None
    assert set(CaseDocument.objects.filter(case=case).values_list("kind", flat=True)) == {
        DocumentKind.SUSPENSION,
        DocumentKind.TERMINATION,
    }
    assert events(case, "cases.case_terminated")[0]["reason"] == "applicant_request"
    assert Notification.objects.filter(template="cases.terminated").exists()
    with pytest.raises(CaseConflict):
        case_terminate(actor=approver, case_id=case.pk, reason=TerminationReason.OTHER, text="再次终止")


def test_the_system_terminates_without_an_actor(demo_org: Any) -> None:
    case = accepted_case()
    case_terminate(actor=None, case_id=case.pk, reason=TerminationReason.COMMITMENT_FALSE)
    assert fresh(case).status == CaseStatus.TERMINATED
