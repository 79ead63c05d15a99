"""受理: accept, reject, one-time supplement (and the late notice), 容缺受理 and its sweep, 告知承诺, 即办."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengwu.cases.models import (
    AcceptanceMode,
    Case,
    CaseDocument,
    CaseStatus,
    CaseStep,
    Decision,
    DocumentKind,
    MaterialState,
    StepStatus,
    SupplementRequest,
    TerminationReason,
)
from zhengwu.cases.services._base import CaseConflict
from zhengwu.cases.services.acceptance import (
    case_accept,
    case_accept_with_deficiency,
    case_deficiency_supplied,
    case_reject,
    case_request_supplement,
    case_supplement_submit,
    deficiency_sweep,
)
from zhengwu.cases.services.intake import case_material_upload
from zhengwu.cases.tests.factories import (
    actor_of,
    add_case_file,
    applicant_user,
    make_case,
    make_item_for_cases,
    pdf_upload,
    travel,
)
from zhengwu.catalog.models.choices import HandlingType
from zhengwu.core.events.models import Event
from zhengwu.core.notify.models import Notification

pytestmark = pytest.mark.django_db
RECEIVED = dt.date(2025, 9, 26)
LEGAL_BASIS = "《中华人民共和国行政许可法》第三十二条"


@pytest.fixture
def item(demo_org: Any) -> Any:
    return make_item_for_cases(promised_limit=5)  # 5 working days: accepted 26 Sep → due 10 Oct


@pytest.fixture
def clerk(demo_org: Any) -> Any:
    return actor_of("clerk")


@pytest.fixture
def person(demo_org: Any) -> Any:
    return actor_of(applicant_user())


def complete_case(item: Any, **kw: Any) -> Case:
    return make_case(item=item, with_files=True, **kw)


def only_licence(item: Any, **kw: Any) -> Case:
    """Received without 经营场所使用证明 (the deferrable material)."""
    case = make_case(item=item, **kw)
    add_case_file(case.materials.get(name="营业执照"))
    return case


def event_types(case: Case) -> list[str]:
    """The case's event types, sorted (events of one transaction share their instant under a fixed clock)."""
    return sorted(
        Event.objects.filter(aggregate_type="cases.case", aggregate_id=str(case.pk)).values_list(
            "type", flat=True
        )
    )


def kinds(case: Case) -> list[str]:
    return list(CaseDocument.objects.filter(case=case).order_by("pk").values_list("kind", flat=True))


# --- accept -----------------------------------------------------------------------------------


def test_accept_starts_the_clock_the_steps_and_tells_the_applicant(item: Any, clerk: Any) -> None:
    case = complete_case(item)
    with travel(RECEIVED, 15):
        accepted = case_accept(actor=clerk, case_id=case.pk, revision=case.revision)
    assert accepted.status == CaseStatus.ACCEPTED and accepted.acceptance_mode == AcceptanceMode.NORMAL
    assert accepted.accepted_on == RECEIVED
    assert accepted.promised_due == dt.date(2025, 10, 10)
    assert accepted.statutory_due == dt.date(2025, 10, 30)
    assert accepted.window_id in clerk.window_ids
    assert all(m.state == MaterialState.ACCEPTED for m in accepted.materials.all())
    steps = list(CaseStep.objects.filter(case=case).order_by("order"))
    assert [(s.stage, s.status) for s in steps] == [
        ("review", StepStatus.ACTIVE),
        ("decide", StepStatus.PENDING),
    ]
    assert steps[0].due_on == dt.date(2025, 10, 10)  # review step: 5 working days
    assert event_types(case) == ["cases.case_accepted"]
    event = Event.objects.get(type="cases.case_accepted")
    assert event.payload["mode"] == "normal" and event.payload["accepted_on"] == "2025-09-26"
    assert event.payload["window_id"] == accepted.window_id
    assert kinds(case) == [DocumentKind.ACCEPTANCE]
    sms = Notification.objects.get(template="cases.accepted", channel="sms")
    assert "2025年10月10日" in sms.body


def test_a_second_clerk_or_a_stale_page_gets_a_conflict(item: Any, clerk: Any) -> None:
    case = complete_case(item)
    chief = actor_of("chief")
    with travel(RECEIVED, 15):
        case_accept(actor=chief, case_id=case.pk, revision=case.revision)
        with pytest.raises(CaseConflict) as err:
            case_accept(actor=clerk, case_id=case.pk)
    assert "审查中" in err.value.message
    other = complete_case(item)
    with pytest.raises(CaseConflict):
        case_accept(actor=clerk, case_id=other.pk, revision=other.revision - 1)


def test_only_a_clerk_whose_window_covers_the_case_accepts(item: Any) -> None:
    case = complete_case(item)
    with pytest.raises(PermissionDenied):
        case_accept(actor=actor_of("reviewer"), case_id=case.pk)  # sees it, sits at no window
    with pytest.raises(Case.DoesNotExist):
        case_accept(actor=actor_of("dc_clerk"), case_id=case.pk)  # another district's window
    with pytest.raises(Case.DoesNotExist):
        case_accept(actor=actor_of(applicant_user()), case_id=case.pk)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED


def test_accept_refuses_missing_required_materials_unless_checked_on_paper(item: Any, clerk: Any) -> None:
    case = make_case(item=item)
    ids = [m.pk for m in case.materials.all()]
    with travel(RECEIVED, 15):
        with pytest.raises(ValidationError) as err:
            case_accept(actor=clerk, case_id=case.pk)
        assert set(err.value.message_dict) == {f"material_{i}" for i in ids}
        assert "一次性告知补正" in err.value.message_dict[f"material_{ids[0]}"][0]
        with pytest.raises(ValidationError) as err:
            case_accept(actor=clerk, case_id=case.pk, checks={ids[0]: True, ids[1]: False})
        assert set(err.value.message_dict) == {f"material_{ids[1]}"}
        accepted = case_accept(actor=clerk, case_id=case.pk, checks={str(i): True for i in ids})
    assert accepted.status == CaseStatus.ACCEPTED


# --- reject -----------------------------------------------------------------------------------


def test_reject_needs_reasons_and_legal_basis_and_states_the_remedies(item: Any, clerk: Any) -> None:
    case = complete_case(item)
    with pytest.raises(ValidationError) as err:
        case_reject(actor=clerk, case_id=case.pk, reasons=["  "], legal_basis="")
    assert set(err.value.message_dict) == {"reasons", "legal_basis"}
    with travel(RECEIVED, 15):
        rejected = case_reject(
            actor=clerk,
            case_id=case.pk,
            reasons=["申请事项不属于本机关职权范围"],
            text="请向区级部门申请。",
            legal_basis=LEGAL_BASIS,
        )
    assert rejected.status == CaseStatus.REJECTED and rejected.closed_at is not None
    assert rejected.rejection_reasons == ["申请事项不属于本机关职权范围"]
    assert rejected.decision_legal_basis == LEGAL_BASIS
    assert kinds(case) == [DocumentKind.REJECTION]
    assert event_types(case) == ["cases.case_rejected"]
    assert Event.objects.get(type="cases.case_rejected").payload["reasons"] == [
        "申请事项不属于本机关职权范围"
    ]
    assert Notification.objects.filter(template="cases.rejected").count() == 2


# --- supplement -------------------------------------------------------------------------------


def test_supplement_lists_every_material_and_only_those_may_be_supplied(
    item: Any, clerk: Any, person: Any
) -> None:
    case = complete_case(item)
    licence, premises = case.materials.order_by("order")
    with pytest.raises(ValidationError) as err:
        case_request_supplement(actor=clerk, case_id=case.pk, items=[])
    assert "items" in err.value.message_dict
    with travel(dt.date(2025, 9, 29), 10):
        request = case_request_supplement(
            actor=clerk,
            case_id=case.pk,
            items=[{"material_id": licence.pk, "reason": "营业执照已过期"}],
            note="请一次性补齐",
        )
    assert request.round == 1 and not request.late
    assert request.items == [{"material_id": licence.pk, "name": "营业执照", "reason": "营业执照已过期"}]
    case.refresh_from_db()
    licence.refresh_from_db()
    assert case.status == CaseStatus.SUPPLEMENT and licence.state == MaterialState.DEFECTIVE
    assert licence.check_note == "营业执照已过期"
    assert kinds(case) == [DocumentKind.SUPPLEMENT]
    assert Event.objects.get(type="cases.case_supplement_requested").payload["materials"] == ["营业执照"]
    assert "营业执照" in Notification.objects.get(template="cases.supplement", channel="sms").body

    with pytest.raises(ValidationError) as err:  # an unrequested material is refused
        case_material_upload(actor=person, case_id=case.pk, material_id=premises.pk, upload=pdf_upload())
    assert "不在补正告知书所列材料中" in err.value.message_dict["material_id"][0]
    assert premises.files.count() == 1
    with pytest.raises(ValidationError) as err:  # the listed one has no new file yet
        case_supplement_submit(actor=person, case_id=case.pk)
    assert list(err.value.message_dict) == [f"material_{licence.pk}"]

    new_file = case_material_upload(
        actor=person, case_id=case.pk, material_id=licence.pk, upload=pdf_upload()
    )
    assert new_file.round == 1
    with travel(dt.date(2025, 9, 30), 10):
        supplied = case_supplement_submit(actor=person, case_id=case.pk)
    assert supplied.status == CaseStatus.SUBMITTED
    assert supplied.acceptance_due == dt.date(2025, 10, 14)  # a fresh 5 working days from the supply
    assert SupplementRequest.objects.get(pk=request.pk).answered_at is not None
    assert Event.objects.get(type="cases.case_supplement_received").payload["round"] == 1
    with travel(dt.date(2025, 10, 9), 10):
        accepted = case_accept(actor=clerk, case_id=case.pk)
    assert accepted.accepted_on == dt.date(2025, 10, 9)  # the notice was in time


def test_a_supplement_notice_on_the_sixth_working_day_makes_the_receipt_day_the_acceptance_day(
    item: Any, clerk: Any, person: Any
) -> None:
    case = complete_case(item)  # received 26 Sep; acceptance due 10 Oct
    licence = case.materials.get(name="营业执照")
    with travel(dt.date(2025, 10, 11), 10):  # the 6th working day (make-up Saturday)
        request = case_request_supplement(actor=clerk, case_id=case.pk, items=[{"material_id": licence.pk}])
    assert request.late
    assert request.items[0]["reason"] == "材料不符合法定形式，请重新提交"
    assert Event.objects.get(type="cases.case_supplement_requested").payload["late"] is True
    with travel(dt.date(2025, 10, 13), 10):
        case_material_upload(actor=person, case_id=case.pk, material_id=licence.pk, upload=pdf_upload())
        supplied = case_supplement_submit(actor=person, case_id=case.pk)
    assert supplied.acceptance_due == dt.date(2025, 10, 10)  # unchanged: it already counts as accepted
    with travel(dt.date(2025, 10, 15), 10):
        accepted = case_accept(actor=clerk, case_id=case.pk)
    assert accepted.accepted_on == RECEIVED
    assert accepted.promised_due == dt.date(2025, 10, 10)  # counted from the receipt day
    assert accepted.accepted_at is not None and accepted.accepted_at.date() == dt.date(2025, 10, 15)
    assert Event.objects.get(type="cases.case_accepted").payload["accepted_on"] == "2025-09-26"


# --- 容缺受理 ------------------------------------------------------------------------------------


def test_accept_with_deficiency_defers_a_deferrable_material_to_a_date(item: Any, clerk: Any) -> None:
    case = only_licence(item)
    premises = case.materials.get(name="经营场所使用证明")
    with travel(RECEIVED, 15):
        accepted = case_accept_with_deficiency(
            actor=clerk, case_id=case.pk, deferred={premises.pk: "2025-10-09"}, commitment_signed=True
        )
    premises.refresh_from_db()
    assert accepted.status == CaseStatus.ACCEPTED and accepted.acceptance_mode == AcceptanceMode.DEFICIENCY
    assert accepted.deficiency_due == dt.date(2025, 10, 9) and accepted.promised_due == dt.date(2025, 10, 10)
    assert premises.state == MaterialState.DEFERRED and premises.deferred_until == dt.date(2025, 10, 9)
    assert accepted.materials.get(name="营业执照").state == MaterialState.ACCEPTED
    assert CaseStep.objects.filter(case=case, status=StepStatus.ACTIVE).count() == 1
    event = Event.objects.get(type="cases.case_accepted_with_deficiency")
    assert event.payload["deferred_materials"] == ["经营场所使用证明"]
    assert event.payload["deficiency_due"] == "2025-10-09"
    assert kinds(case) == [DocumentKind.DEFICIENCY]
    assert "2025年10月9日" in Notification.objects.get(template="cases.deficiency", channel="sms").body


def test_deficiency_refusals_are_field_level_and_write_nothing(item: Any, clerk: Any) -> None:
    case = only_licence(item)
    licence, premises = case.materials.order_by("order")
    with travel(RECEIVED, 15), pytest.raises(ValidationError) as err:
        case_accept_with_deficiency(
            actor=clerk,
            case_id=case.pk,
            deferred={premises.pk: dt.date(2025, 10, 13), licence.pk: dt.date(2025, 10, 9)},
            commitment_signed=False,
        )
    errors = err.value.message_dict
    assert errors["commitment_signed"] == ["申请人须签署容缺受理承诺书。"]
    assert "不能晚于承诺办结期限（2025-10-10）" in errors[f"material_{premises.pk}"][0]
    assert errors[f"material_{licence.pk}"] == ["“营业执照”不是可容缺的材料。"]
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.deficiency_due is None
    assert not CaseStep.objects.filter(case=case).exists() and not event_types(case)

    strict = make_item_for_cases(allows_deficiency=False)
    other = only_licence(strict)
    with pytest.raises(ValidationError) as err:
        case_accept_with_deficiency(
            actor=clerk,
            case_id=other.pk,
            deferred={other.materials.get(name="经营场所使用证明").pk: dt.date(2025, 10, 9)},
            commitment_signed=True,
        )
    assert err.value.message_dict["deferred"] == ["该事项不适用容缺受理。"]


def test_a_missed_deficiency_date_terminates_the_case(item: Any, clerk: Any) -> None:
    case = only_licence(item)
    premises = case.materials.get(name="经营场所使用证明")
    with travel(RECEIVED, 15):
        case_accept_with_deficiency(
            actor=clerk, case_id=case.pk, deferred={premises.pk: dt.date(2025, 10, 9)}, commitment_signed=True
        )
    assert deficiency_sweep(today=dt.date(2025, 10, 9)) == 0  # the last day is still open
    with travel(dt.date(2025, 10, 10), 1):
        assert deficiency_sweep(today=dt.date(2025, 10, 10)) == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.TERMINATED
    assert case.termination_reason == TerminationReason.DEFICIENCY_OVERDUE
    assert "经营场所使用证明" in case.note and case.closed_at is not None
    assert not CaseStep.objects.filter(case=case, status=StepStatus.ACTIVE).exists()
    assert event_types(case) == ["cases.case_accepted_with_deficiency", "cases.case_terminated"]
    assert Event.objects.get(type="cases.case_terminated").payload["reason"] == "deficiency_overdue"
    assert kinds(case) == [DocumentKind.DEFICIENCY, DocumentKind.TERMINATION]
    assert Notification.objects.filter(template="cases.terminated").count() == 2
    assert deficiency_sweep(today=dt.date(2025, 10, 11)) == 0  # safe to run again


def test_supplied_deferred_materials_clear_the_date(item: Any, clerk: Any, person: Any) -> None:
    case = only_licence(item)
    premises = case.materials.get(name="经营场所使用证明")
    with travel(RECEIVED, 15):
        case_accept_with_deficiency(
            actor=clerk, case_id=case.pk, deferred={premises.pk: dt.date(2025, 10, 9)}, commitment_signed=True
        )
    with pytest.raises(ValidationError) as err:
        case_deficiency_supplied(actor=person, case_id=case.pk)
    assert err.value.message_dict == {f"material_{premises.pk}": ["请上传“经营场所使用证明”"]}
    licence = case.materials.get(name="营业执照")
    with pytest.raises(ValidationError):  # only deferred materials may follow after acceptance
        case_material_upload(actor=person, case_id=case.pk, material_id=licence.pk, upload=pdf_upload())
    case_material_upload(actor=person, case_id=case.pk, material_id=premises.pk, upload=pdf_upload())
    supplied = case_deficiency_supplied(actor=person, case_id=case.pk)
    assert supplied.deficiency_due is None
    premises.refresh_from_db()
    assert premises.state == MaterialState.SUBMITTED and premises.supplied_at is not None
    assert "cases.case_deficiency_supplied" in event_types(case)
    assert deficiency_sweep(today=dt.date(2025, 10, 20)) == 0


def test_the_sweep_marks_uploaded_but_undeclared_deferred_materials_supplied(
    item: Any, clerk: Any, person: Any
) -> None:
    case = only_licence(item)
    premises = case.materials.get(name="经营场所使用证明")
    with travel(RECEIVED, 15):
        case_accept_with_deficiency(
            actor=clerk, case_id=case.pk, deferred={premises.pk: dt.date(2025, 10, 9)}, commitment_signed=True
        )
    case_material_upload(actor=person, case_id=case.pk, material_id=premises.pk, upload=pdf_upload())
    assert deficiency_sweep(today=dt.date(2025, 10, 10)) == 0
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED and case.deficiency_due is None


def test_an_applicant_with_a_broken_commitment_is_refused_deficiency_and_commitment(
    demo_org: Any, clerk: Any
) -> None:
    item = make_item_for_cases(promised_limit=5, allows_commitment=True)
    make_case(
        item=item,
        status=CaseStatus.TERMINATED,
        termination_reason=TerminationReason.DEFICIENCY_OVERDUE,
        received_on=dt.date(2025, 6, 3),
    )
    case = only_licence(item)
    premises = case.materials.get(name="经营场所使用证明")
    with travel(RECEIVED, 15):
        with pytest.raises(ValidationError) as err:
            case_accept_with_deficiency(
                actor=clerk,
                case_id=case.pk,
                deferred={premises.pk: dt.date(2025, 10, 9)},
                commitment_signed=True,
            )
        assert "承诺" in err.value.message_dict["__all__"][0]
        add_case_file(premises)
        with pytest.raises(ValidationError) as err:
            case_accept(actor=clerk, case_id=case.pk, mode=AcceptanceMode.COMMITMENT)
        assert "mode" in err.value.message_dict
        accepted = case_accept(actor=clerk, case_id=case.pk)  # the ordinary way stays open
    assert accepted.acceptance_mode == AcceptanceMode.NORMAL


# --- 告知承诺 and 即办 ---------------------------------------------------------------------------


def test_commitment_acceptance_only_where_the_item_allows_it(item: Any, clerk: Any) -> None:
    case = complete_case(item)
    with pytest.raises(ValidationError) as err:
        case_accept(actor=clerk, case_id=case.pk, mode=AcceptanceMode.COMMITMENT)
    assert err.value.message_dict["mode"] == ["该事项不适用告知承诺制。"]
    with pytest.raises(ValidationError):
        case_accept(actor=clerk, case_id=case.pk, mode="whatever")
    allowing = make_item_for_cases(allows_commitment=True)
    other = complete_case(allowing)
    with travel(RECEIVED, 15):
        accepted = case_accept(actor=clerk, case_id=other.pk, mode=AcceptanceMode.COMMITMENT)
    assert accepted.acceptance_mode == AcceptanceMode.COMMITMENT
    assert Event.objects.get(type="cases.case_accepted").payload["mode"] == "commitment"


def test_an_instant_item_is_decided_at_acceptance(demo_org: Any, clerk: Any) -> None:
    instant = make_item_for_cases(name="食品经营许可注销", handling_type=HandlingType.INSTANT)
    case = complete_case(instant)
    with travel(RECEIVED, 15):
        decided = case_accept(actor=clerk, case_id=case.pk)
    assert decided.status == CaseStatus.DECIDED and decided.decision == Decision.GRANT
    assert decided.acceptance_mode == AcceptanceMode.IMMEDIATE
    assert decided.delivery_due == dt.date(2025, 10, 16)
    assert not CaseStep.objects.filter(case=case).exists()
    assert event_types(case) == ["cases.case_accepted", "cases.case_decided"]  # one transaction
    assert kinds(case) == [DocumentKind.ACCEPTANCE, DocumentKind.GRANT]


def test_immediate_mode_is_only_for_instant_items(item: Any, clerk: Any) -> None:
    case = complete_case(item)
    with pytest.raises(ValidationError) as err:
        case_accept(actor=clerk, case_id=case.pk, mode=AcceptanceMode.IMMEDIATE)
    assert err.value.message_dict["mode"] == ["该事项不是即办件，不能即时办结。"]


def test_the_sweep_runs_as_a_periodic_job_and_the_file_rules_register_at_start_up() -> None:
    from zhengwu.core.events.periodic import registered_jobs
    from zhengwu.core.files.access import _rules

    names = {job.name for job in registered_jobs()}
    assert {"cases.deficiency_sweep", "cases.deemed_consent_sweep"} <= names
    assert _rules.get("case_material") and _rules.get("case_document")
