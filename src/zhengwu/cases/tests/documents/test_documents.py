"""Each kind of document: a real PDF with the case's number, department, item and its own content."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from zhengwu.cases.documents import document_issue
from zhengwu.cases.documents.context import chinese_date, progress_path
from zhengwu.cases.models import (
    Case,
    CaseDocument,
    DocumentKind,
    Extension,
    ExtensionStatus,
    MaterialState,
    SupplementRequest,
    Suspension,
    SuspensionKind,
    TerminationReason,
)
from zhengwu.cases.tests.factories import PERSON_ID, at
from zhengwu.core.access.actor import Actor
from zhengwu.core.audit.masking import mask_id_number
from zhengwu.core.files.models import StoredFile

from .conftest import flat, pdf_text, stored_bytes

ISSUED = at(dt.date(2025, 9, 26), 15)


def issue(case: Case, kind: str, actor: Actor, **context: Any) -> tuple[CaseDocument, str]:
    document = document_issue(case=case, kind=kind, actor=actor, context=context or None, at=ISSUED)
    return document, flat(pdf_text(stored_bytes(document)))


def _prepare(case: Case, kind: str, actor: Actor) -> tuple[dict[str, Any], list[str]]:
    """Set up what the kind shows; return (context for document_issue, texts the PDF must contain)."""
    materials = list(case.materials.all())
    if kind == DocumentKind.RECEIPT:
        return {}, [
            "收件凭证",
            "不表示申请已被受理",
            chinese_date(case.acceptance_due),
            *[m.name for m in materials],
        ]
    if kind == DocumentKind.ACCEPTANCE:
        return {}, [
            "受理通知书",
            "予以受理",
            chinese_date(case.promised_due),
            chinese_date(case.statutory_due),
        ]
    if kind == DocumentKind.REJECTION:
        context = {
            "reasons": ["申请事项不属于本机关职权范围", {"label": "申请人不具备申请资格"}],
            "legal_basis": "《中华人民共和国行政许可法》第三十二条第一款第二项",
        }
        return context, [
            "不予受理决定书",
            "申请事项不属于本机关职权范围",
            "申请人不具备申请资格",
            "第三十二条第一款第二项",
            "60日内",
            "行政复议",
            "6个月内",
            "行政诉讼",
        ]
    if kind == DocumentKind.SUPPLEMENT:
        first, second = materials[0], materials[1]
        SupplementRequest.objects.create(
            case=case,
            round=1,
            items=[{"material_id": first.pk, "name": first.name, "reason": "旧的一轮"}],
            issued_at=ISSUED - dt.timedelta(days=1),
            issued_by_id=actor.user_id,
        )
        SupplementRequest.objects.create(
            case=case,
            round=2,
            items=[
                {"material_id": first.pk, "name": first.name, "reason": "复印件不清晰，请重新扫描"},
                {"material_id": second.pk, "reason": "租赁合同已过期"},  # the name comes from the material
            ],
            note="请一次补齐",
            issued_at=ISSUED,
            issued_by_id=actor.user_id,
        )
        return {}, [
            "补正材料告知书",
            f"{first.name}：复印件不清晰，请重新扫描",
            f"{second.name}：租赁合同已过期",
            "一次性告知",
            "请一次补齐",
        ]
    if kind == DocumentKind.DEFICIENCY:
        deferred = materials[-1]
        deferred.state = MaterialState.DEFERRED
        deferred.deferred_until = dt.date(2025, 10, 17)
        deferred.save()
        case.deficiency_due = dt.date(2025, 10, 17)
        case.save()
        return {"commitment_signed": True}, [
            "容缺受理通知书",
            f"{deferred.name}：请于2025年10月17日前补齐",
            "于2025年10月17日前补齐",
            "已签署容缺受理承诺书",
            "终止办理",
        ]
    if kind == DocumentKind.SUSPENSION:
        Suspension.objects.create(
            case=case,
            kind=SuspensionKind.SITE_CHECK,
            reason="需对经营场所进行现场核查",
            expected_workdays=7,
            started_at=ISSUED,
            started_on=ISSUED.date(),
            created_by_id=actor.user_id,
        )
        return {}, [
            "特别程序告知书",
            "现场核查",
            "需对经营场所进行现场核查",
            "7个工作日",
            "不计算在办理期限内",
            "暂停计算",
        ]
    if kind == DocumentKind.EXTENSION:
        Extension.objects.create(
            case=case,
            reason="需要征求相关部门意见",
            status=ExtensionStatus.APPROVED,
            requested_by_id=actor.user_id,
        )
        case.promised_due = dt.date(2025, 11, 7)
        case.save()
        return {}, ["延期告知书", "需要征求相关部门意见", "延长10个工作日", "2025年11月7日前作出决定"]
    if kind == DocumentKind.GRANT:
        case.decision = "grant"
        case.save()
        return {}, ["准予许可决定书", "决定准予许可", "60日内", "6个月内"]
    if kind == DocumentKind.DENIAL:
        case.decision = "deny"
        case.decision_reason = "经营场所与经营品种不相适应"
        case.decision_legal_basis = "《食品经营许可管理办法》第十二条"
        case.save()
        return {}, [
            "不予许可决定书",
            "决定不予许可",
            "经营场所与经营品种不相适应",
            "《食品经营许可管理办法》第十二条",
            "60日内依法申请行政复议",
            "6个月内依法向人民法院提起行政诉讼",
        ]
    if kind == DocumentKind.TERMINATION:
        case.termination_reason = TerminationReason.DEFICIENCY_OVERDUE
        case.save()
        return {"text": "容缺材料截至2025年10月17日仍未补齐。"}, [
            "终止办理告知书",
            "因容缺材料逾期未补齐，本机关决定终止办理",
            "容缺材料截至2025年10月17日仍未补齐",
        ]
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_each_kind_renders_a_pdf_with_the_case_and_its_own_content(
    case: Case, clerk: Actor, kind: str
) -> None:
    context, expected = _prepare(case, kind, clerk)
    document, text = issue(case, kind, clerk, **context)

    content = stored_bytes(document)
    assert content.startswith(b"%PDF")
    for shown in (case.number, case.department.name, case.item_name, case.applicant_name, "（印章）"):
        assert flat(shown) in text, shown
    assert mask_id_number(case.applicant_id_number) in text
    assert PERSON_ID not in text and case.applicant_id_number not in text
    assert "2025年9月26日" in text  # the date of the document, in Chinese format
    assert document.number in text
    for shown in expected:
        assert flat(shown) in text, shown
    assert document.kind == kind
    assert document.title == DocumentKind(kind).label
    assert document.is_result is (kind in (DocumentKind.GRANT, DocumentKind.DENIAL))
    assert document.issued_by_id == clerk.user_id
    assert document.issued_at == ISSUED


def test_document_numbers_are_per_department_kind_and_year(case: Case, clerk: Actor) -> None:
    short = case.department.short_name or case.department.name
    first = document_issue(case=case, kind=DocumentKind.ACCEPTANCE, actor=clerk, at=ISSUED)
    second = document_issue(case=case, kind=DocumentKind.ACCEPTANCE, actor=clerk, at=ISSUED)
    other_kind = document_issue(case=case, kind=DocumentKind.RECEIPT, actor=clerk, at=ISSUED)
    next_year = document_issue(
        case=case, kind=DocumentKind.ACCEPTANCE, actor=clerk, at=at(dt.date(2026, 1, 5))
    )
    assert first.number == f"{short}受〔2025〕0001号"
    assert second.number == f"{short}受〔2025〕0002号"
    assert other_kind.number == f"{short}收〔2025〕0001号"
    assert next_year.number == f"{short}受〔2026〕0001号"


def test_the_qr_code_links_to_the_public_progress_page(case: Case, clerk: Actor, settings: Any) -> None:
    settings.PUBLIC_BASE_URL = "https://zwfw.example.gov.cn"
    document = document_issue(case=case, kind=DocumentKind.ACCEPTANCE, actor=clerk, at=ISSUED)
    content = stored_bytes(document)
    path = progress_path(case)
    assert path.startswith("/cases/progress/?")
    assert f"number={case.number}" in path and f"code={case.query_code}" in path
    # The link annotation over the QR code carries the same URL as the code itself.
    assert b"/URI (https://zwfw.example.gov.cn" + path.encode() + b")" in content
    text = flat(pdf_text(content))
    assert "扫码查询办理进度" in text and case.query_code in text


def test_the_pdf_is_stored_for_the_applicant(case: Case, clerk: Actor) -> None:
    from zhengwu.cases.tests.factories import actor_of
    from zhengwu.core.files.access import can_read

    document = document_issue(case=case, kind=DocumentKind.GRANT, actor=clerk, at=ISSUED)
    stored = StoredFile.objects.get(pk=document.file_id)
    assert stored.purpose == "case_document"
    assert stored.owner_user_id == case.applicant_user_id
    assert stored.content_type == "application/pdf"
    assert stored.original_name.endswith(".pdf") and "准予许可决定书" in stored.original_name
    assert can_read(actor_of(case.applicant_user), stored)
    assert not can_read(actor_of("13800000003"), stored)  # another applicant


def test_issuing_is_audited(case: Case, clerk: Actor) -> None:
    from zhengwu.core.audit.models import AuditEntry

    document = document_issue(case=case, kind=DocumentKind.ACCEPTANCE, actor=clerk, at=ISSUED)
    entry = AuditEntry.objects.get(action="cases.document_issued")
    assert entry.obj_id == str(case.pk)
    assert document.number in entry.summary


def test_an_unknown_kind_is_refused(case: Case, clerk: Actor) -> None:
    with pytest.raises(ValueError):
        document_issue(case=case, kind="licence", actor=clerk)


def test_an_acceptance_on_commitment_says_so(case: Case, clerk: Actor) -> None:
    case.acceptance_mode = "commitment"
    case.save()
    _, text = issue(case, DocumentKind.ACCEPTANCE, clerk)
    assert "按告知承诺方式办理" in text and "承诺不实" in text
    case.acceptance_mode = "normal"
    case.save()
    _, text = issue(case, DocumentKind.ACCEPTANCE, clerk)
    assert "告知承诺" not in text


def test_a_window_case_without_an_account_still_gets_its_documents(case: Case, clerk: Actor) -> None:
    case.applicant_user = None
    case.save()
    document, text = issue(case, DocumentKind.RECEIPT, clerk)
    assert case.number in text
    assert StoredFile.objects.get(pk=document.file_id).purpose == "case_document"


def test_the_context_the_acceptance_services_pass(case: Case, clerk: Actor) -> None:
    """As services/acceptance.py calls it: reasons + text + legal basis + a full remedy sentence;
    termination with the reason code; acceptance with the mode; deficiency with {material_id: date}."""
    full = "如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者六个月内提起行政诉讼。"
    _, text = issue(
        case,
        DocumentKind.REJECTION,
        clerk,
        reasons=["材料不全"],
        text="另附说明",
        legal_basis="某条",
        remedy=full,
    )
    assert flat(full) in text and "60日内" not in text  # not stated twice
    assert "另附说明" in text
    _, text = issue(
        case, DocumentKind.REJECTION, clerk, reasons=["材料不全"], remedy="复议机关：示范市人民政府"
    )
    assert "60日内" in text and "复议机关：示范市人民政府" in text
    _, text = issue(case, DocumentKind.TERMINATION, clerk, reason=TerminationReason.COMMITMENT_FALSE, text="")
    assert "因承诺内容与实际不符" in text
    _, text = issue(case, DocumentKind.ACCEPTANCE, clerk, mode="commitment")
    assert "按告知承诺方式办理" in text
    material = case.materials.all()[1]
    _, text = issue(
        case,
        DocumentKind.DEFICIENCY,
        clerk,
        deferred={material.pk: dt.date(2025, 10, 9)},
        commitment_signed=True,
    )
    assert flat(f"{material.name}：请于2025年10月9日前补齐") in text
