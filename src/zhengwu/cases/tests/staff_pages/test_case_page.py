"""办件详情 (staff): masked applicant and the audited full read, timeline, deadlines, documents, and
every back-office action with its errors, conflicts and scope."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from zhengwu.cases.models import CaseStatus, CaseStep, Extension, StepStatus
from zhengwu.core.audit.models import AuditEntry
from zhengwu.org.people import staff_profile_upsert

from ..factories import pdf_upload
from .helpers import body, client_for, new_case

pytestmark = pytest.mark.django_db


def url(case, name="case", *args):
    return reverse(f"cases_staff:{name}", args=[case.pk, *args])


@pytest.fixture
def case(item):
    return new_case(item=item, status=CaseStatus.ACCEPTED, with_files=True)


def active(case) -> CaseStep:
    return case.steps.get(status=StepStatus.ACTIVE)


def rev(case, prefix: str) -> dict[str, int]:
    case.refresh_from_db()
    return {f"{prefix}-revision": case.revision}


# --- the page -----------------------------------------------------------------------------


def test_page_shows_masked_applicant_materials_timeline_and_deadlines(reviewer, case):
    response = reviewer.get(url(case))
    assert response.status_code == 200
    page = body(response)
    assert case.applicant_id_number not in page
    assert case.applicant_id_number[:4] + "**********" + case.applicant_id_number[-4:] in page
    assert "显示完整证件号" in page
    for material in case.materials.all():
        assert material.name in page and str(material.files.first().file_id) in page
    assert "承诺办结期限" in page and "法定办结期限" in page
    assert "提交办理意见" in page  # the reviewer holds the active step


def test_reveal_full_id_number_is_audited(reviewer, case):
    assert reviewer.get(url(case, "reveal_id")).status_code == 405  # a read that is logged is a POST
    response = reviewer.post(url(case, "reveal_id"))
    assert response.status_code == 200
    assert case.applicant_id_number in body(response)
    entry = AuditEntry.objects.get(is_pii_read=True, obj_type="cases.case", obj_id=str(case.pk))
    assert "applicant_id_number" in entry.summary


@pytest.mark.parametrize("who", ["dc_clerk", "housing_reviewer"])
def test_out_of_scope_is_404(request, case, who):
    client = request.getfixturevalue(who)
    assert client.get(url(case)).status_code == 404
    assert client.post(url(case, "reveal_id")).status_code == 404
    step = active(case)
    response = client.post(
        url(case, "step_complete", step.pk),
        {**rev(case, "step"), "step-opinion": "agree", "step-comment": "x"},
    )
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(is_pii_read=True).exists()
    assert client.get("/workbench/cases/999999/").status_code == 404


def test_timeline_shows_every_entry_including_internal_ones(reviewer, approver, case):
    step = active(case)
    reviewer.post(url(case, "step_complete", step.pk), {**rev(case, "step"), "step-opinion": "agree"})
    decide = active(case)
    approver.post(
        url(case, "step_return", decide.pk),
        {**rev(case, "step_return"), "step_return-comment": "补充现场照片"},
    )
    page = body(reviewer.get(url(case)))
    assert "退回" in page and "内部" in page and "补充现场照片" in page


# --- steps ----------------------------------------------------------------------------------


def test_review_then_decide_then_complete_then_deliver(reviewer, approver, clerk, case):
    step = active(case)
    response = reviewer.post(
        url(case, "step_complete", step.pk),
        {
            **rev(case, "step"),
            "step-opinion": "agree",
            "step-comment": "材料齐全，符合条件。",
            "step-attachments": [pdf_upload("现场核查记录.pdf")],
        },
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.status == StepStatus.DONE and len(step.attachment_ids) == 1
    decide = active(case)
    assert decide.stage == "decide"
    assert "当前环节：决定" in body(approver.get(url(case)))
    response = approver.post(
        url(case, "step_complete", decide.pk), {**rev(case, "step"), "step-opinion": "agree"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.decision == "grant"
    page = body(approver.get(url(case)))
    assert "准予许可决定书" in page and "本次生成的文书" in page
    assert approver.post(url(case, "complete"), rev(case, "complete")).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    # Window pick-up needs who signed for it.
    response = clerk.post(url(case, "deliver"), {**rev(case, "deliver"), "deliver-method": "window"})
    assert response.status_code == 400 and "签收人" in body(response)
    response = clerk.post(
        url(case, "deliver"),
        {**rev(case, "deliver"), "deliver-method": "post", "deliver-tracking_number": "EMS1234567890"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DELIVERED and case.tracking_number == "EMS1234567890"


def test_deny_at_the_decide_step_needs_reasons_and_legal_basis(reviewer, approver, case):
    reviewer.post(url(case, "step_complete", active(case).pk), {**rev(case, "step"), "step-opinion": "agree"})
    decide = active(case)
    data = {**rev(case, "step"), "step-opinion": "disagree", "step-comment": "不符合条件"}
    response = approver.post(url(case, "step_complete", decide.pk), data)
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    data.update(
        {
            "step-reason": "经营场所与食品安全要求不符",
            "step-legal_basis": "《中华人民共和国食品安全法》第三十五条",
        }
    )
    assert approver.post(url(case, "step_complete", decide.pk), data).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.decision == "deny"
    assert "不予许可决定书" in body(approver.get(url(case)))


def test_someone_elses_step_is_refused_with_a_message(approver, case):
    step = active(case)  # the reviewer's step
    assert "提交办理意见" not in body(approver.get(url(case)))
    response = approver.post(
        url(case, "step_complete", step.pk), {**rev(case, "step"), "step-opinion": "agree"}
    )
    assert response.status_code == 403
    assert "审查人员" in body(response)
    step.refresh_from_db()
    assert step.status == StepStatus.ACTIVE


def test_transfer_to_a_colleague(reviewer, case):
    from zhengwu.catalog.tests.factories import department

    colleague = get_user_model().objects.create_user(
        username="reviewer2", password="x", kind="staff", display_name="钱审查"
    )
    staff_profile_upsert(actor=None, user_id=colleague.pk, department_id=department().pk, roles=["reviewer"])
    step = active(case)
    page = body(reviewer.get(url(case)))
    assert "转交同事" in page and "钱审查" in page
    response = reviewer.post(
        url(case, "step_transfer", step.pk),
        {**rev(case, "transfer"), "transfer-to_user": colleague.pk, "transfer-comment": "请代为审查"},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.assignee_id == colleague.pk
    # Now it is the colleague's: gone from the reviewer's tasks, shown in the colleague's.
    assert case.number not in body(reviewer.get("/workbench/cases/"))
    assert case.number in body(client_for("reviewer2").get("/workbench/cases/"))


# --- suspension and extension ---------------------------------------------------------------


def test_suspend_and_resume(reviewer, case):
    response = reviewer.post(
        url(case, "suspend"),
        {
            **rev(case, "suspend"),
            "suspend-kind": "expert_review",
            "suspend-reason": "需专家评审",
            "suspend-expected_workdays": 15,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED
    page = body(reviewer.get(url(case)))
    assert "特别程序告知书" in page and "结束特别程序" in page
    response = reviewer.post(url(case, "resume"), {**rev(case, "resume"), "resume-result": "专家评审通过"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


def test_suspend_form_errors_are_400(reviewer, case):
    response = reviewer.post(url(case, "suspend"), {**rev(case, "suspend"), "suspend-kind": "nonsense"})
    assert response.status_code == 400
    assert "特别程序种类" in body(response)


def test_extension_request_and_approval(reviewer, approver, case):
    response = reviewer.post(
        url(case, "extension_request"),
        {**rev(case, "extension_request"), "extension_request-reason": "情况复杂"},
    )
    assert response.status_code == 302
    extension = Extension.objects.get(case=case)
    assert "待批准的延期申请" in body(approver.get("/workbench/cases/"))
    before = case.promised_due
    response = approver.post(
        url(case, "extension_decide"),
        {
            **rev(case, "extension_decide"),
            "extension_decide-extension": extension.pk,
            "extension_decide-approve": "1",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.extension_workdays == 10 and case.promised_due > before
    assert "延期告知书" in body(approver.get(url(case)))
    # Only once.
    assert "申请延期（10 个工作日，限一次）" not in body(reviewer.get(url(case)))
    response = reviewer.post(
        url(case, "extension_request"), {**rev(case, "extension_request"), "extension_request-reason": "再次"}
    )
    assert response.status_code == 400 and "不能再次延期" in body(response)


# --- errors, conflicts, CSRF ----------------------------------------------------------------


def test_stale_revision_shows_the_conflict_message(reviewer, case):
    step = active(case)
    data = {"step-revision": case.revision - 1 if case.revision else 99, "step-opinion": "agree"}
    response = reviewer.post(url(case, "step_complete", step.pk), data, follow=True)
    assert "该办件已被他人处理" in body(response)
    assert response.redirect_chain[-1][0] == url(case)
    step.refresh_from_db()
    assert step.status == StepStatus.ACTIVE


def test_csrf_on_case_actions(case, demo_org):
    strict = client_for("reviewer", csrf=True)
    step = active(case)
    response = strict.post(
        url(case, "step_complete", step.pk), {**rev(case, "step"), "step-opinion": "agree"}
    )
    assert response.status_code == 403
    assert strict.post(url(case, "reveal_id")).status_code == 403


def test_get_on_an_action_is_405(reviewer, case):
    assert reviewer.get(url(case, "suspend")).status_code == 405


# --- bundles --------------------------------------------------------------------------------


def test_bundle_page_and_unified_delivery(clerk, approver, demo_org):
    from zhengwu.cases.models import BundleCase
    from zhengwu.catalog.models import Bundle
    from zhengwu.catalog.tests.factories import department

    from ..factories import make_item_for_cases

    dept = department()
    first = make_item_for_cases(name="食品经营许可")
    second = make_item_for_cases(name="药品经营许可")
    bundle = Bundle.objects.create(
        code="open-shop", name="开办药店", region=dept.region, lead_department=dept
    )
    bundle_case = BundleCase.objects.create(
        query_code="ABC234",
        number="YJS449900202509260001",
        bundle=bundle,
        region_code=dept.region.code,
        lead_department=dept,
        status="decided",
        channel="online",
        applicant_kind="person",
        applicant_name="林示范",
        applicant_id_number="440106199001011234",
    )
    a = new_case(item=first, status=CaseStatus.COMPLETED, bundle_case=bundle_case, decision="grant")
    b = new_case(item=second, status=CaseStatus.DECIDED, bundle_case=bundle_case, decision="grant")
    bundle_url = reverse("cases_staff:bundle", args=[bundle_case.pk])
    page = body(clerk.get(bundle_url))
    assert a.number in page and b.number in page and "尚有办件未" in page
    # A member case cannot be delivered alone; its page points to the bundle.
    assert "前往统一出件" in body(clerk.get(url(a)))
    approver.post(url(b, "complete"), rev(b, "complete"))
    page = body(clerk.get(bundle_url))
    assert "统一出件" in page
    response = clerk.post(
        reverse("cases_staff:bundle_deliver", args=[bundle_case.pk]),
        {"method": "window", "delivered_to": "林示范"},
    )
    assert response.status_code == 302
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.status == b.status == CaseStatus.DELIVERED
    assert client_for("dc_clerk").get(bundle_url).status_code == 404
