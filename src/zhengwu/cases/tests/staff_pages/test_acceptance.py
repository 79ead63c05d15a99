"""受理 page: the material checklist, then accept / 告知承诺 / reject / supplement / 容缺受理; scope,
CSRF and the conflict message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from zhengwu.cases.models import CaseStatus, DocumentKind, MaterialState

from ..factories import make_item_for_cases
from .helpers import body, client_for, new_case

pytestmark = pytest.mark.django_db


def url(case, name="accept"):
    return reverse(f"cases_staff:{name}", args=[case.pk])


def checklist(case, marks=None):
    """POST data for the checklist: every material ok unless marked {material_id: (state, reason, date)}."""
    data = {"revision": case.revision}
    for m in case.materials.all():
        state, reason, day = (marks or {}).get(m.pk, ("ok", "", None))
        data[f"check_{m.pk}"] = state
        data[f"reason_{m.pk}"] = reason
        if day:
            data[f"defer_{m.pk}"] = day
    return data


@pytest.fixture
def case(item):
    return new_case(item=item, with_files=True)


def test_checklist_lists_every_material_with_its_files(clerk, case):
    response = clerk.get(url(case))
    assert response.status_code == 200
    page = body(response)
    for material in case.materials.all():
        assert material.name in page
        assert str(material.files.first().file_id) in page
    assert "一次性告知补正" in page and "不予受理" in page and "容缺受理" in page


def test_accept_issues_the_notice_and_starts_the_steps(clerk, case):
    response = clerk.post(url(case), {**checklist(case), "action": "accept"})
    assert response.status_code == 302 and response["Location"] == url(case, "case")
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED and case.acceptance_mode == "normal"
    assert case.steps.filter(status="active").exists()
    page = body(clerk.get(url(case, "case")))
    assert "本次生成的文书" in page and "受理通知书" in page
    doc = case.documents.get(kind=DocumentKind.ACCEPTANCE)
    assert str(doc.file_id) in page
    # The list of new documents is shown once.
    assert "本次生成的文书" not in body(clerk.get(url(case, "case")))


def test_accept_on_commitment_only_where_the_item_allows_it(clerk, demo_org):
    plain = new_case(item=make_item_for_cases(allows_commitment=False), with_files=True)
    assert "告知承诺受理" not in body(clerk.get(url(plain)))
    response = clerk.post(url(plain), {**checklist(plain), "action": "commitment"})
    assert response.status_code == 400 and "不适用告知承诺制" in body(response)
    allowed = new_case(item=make_item_for_cases(name="告知承诺事项", allows_commitment=True), with_files=True)
    assert "告知承诺受理" in body(clerk.get(url(allowed)))
    clerk.post(url(allowed), {**checklist(allowed), "action": "commitment"})
    allowed.refresh_from_db()
    assert allowed.acceptance_mode == "commitment"


def test_a_defective_required_material_blocks_acceptance(clerk, case):
    first = case.materials.first()
    response = clerk.post(
        url(case), {**checklist(case, {first.pk: ("defective", "模糊", None)}), "action": "accept"}
    )
    assert response.status_code == 400
    assert "缺失或未通过核验" in body(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_supplement_lists_every_defective_material_at_once(clerk, case):
    a, b = list(case.materials.all())
    data = checklist(case, {a.pk: ("defective", "复印件不清晰", None), b.pk: ("defective", "", None)})
    response = clerk.post(url(case), {**data, "action": "supplement"})
    assert response.status_code == 400 and "请写明需补正的原因" in body(response)
    data[f"reason_{b.pk}"] = "缺少盖章"
    response = clerk.post(url(case), {**data, "action": "supplement"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPLEMENT
    request = case.supplement_requests.get()
    assert {i["reason"] for i in request.items} == {"复印件不清晰", "缺少盖章"}
    page = body(clerk.get(url(case, "case")))
    assert "补正材料告知书" in page
    # Nothing marked defective: the clerk is asked to mark one.
    other = new_case(item=case.item, with_files=True)
    response = clerk.post(url(other), {**checklist(other), "action": "supplement"})
    assert response.status_code == 400 and "至少将一份材料标记" in body(response)


def test_walk_in_supplement_is_received_at_the_window(clerk, case):
    a = case.materials.first()
    clerk.post(
        url(case), {**checklist(case, {a.pk: ("defective", "复印件不清晰", None)}), "action": "supplement"}
    )
    case.refresh_from_db()
    page = body(clerk.get(url(case, "case")))
    assert "补正材料已收齐" in page
    from ..factories import pdf_upload

    response = clerk.post(url(case, "material_upload"), {"material": a.pk, "file": pdf_upload("补正.pdf")})
    assert response.status_code == 302
    response = clerk.post(url(case, "supplement_received"))
    assert response.status_code == 302 and response["Location"] == url(case)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_accept_with_deficiency(clerk, case):
    deferrable = case.materials.get(deferrable=True)
    promised = dt.date(2025, 10, 9)
    data = checklist(case, {deferrable.pk: ("defective", "尚未取得", promised.isoformat())})
    # Without the signed commitment: refused, the field says why.
    response = clerk.post(url(case), {**data, "action": "deficiency"})
    assert response.status_code == 400 and "承诺书" in body(response)
    response = clerk.post(url(case), {**data, "action": "deficiency", "commitment_signed": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    deferrable.refresh_from_db()
    assert case.acceptance_mode == "deficiency" and case.deficiency_due == promised
    assert deferrable.state == MaterialState.DEFERRED
    assert "容缺受理通知书" in body(clerk.get(url(case, "case")))


def test_deficiency_refused_when_the_item_does_not_allow_it(clerk, demo_org):
    case = new_case(item=make_item_for_cases(name="不可容缺事项", allows_deficiency=False), with_files=True)
    deferrable = case.materials.get(deferrable=True)
    data = checklist(case, {deferrable.pk: ("defective", "尚未取得", "2025-10-09")})
    response = clerk.post(url(case), {**data, "action": "deficiency", "commitment_signed": "on"})
    assert response.status_code == 400
    assert "该事项不适用容缺受理" in body(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_deficiency_date_past_the_promised_limit(clerk, case):
    deferrable = case.materials.get(deferrable=True)
    data = checklist(case, {deferrable.pk: ("defective", "尚未取得", "2026-06-01")})
    response = clerk.post(url(case), {**data, "action": "deficiency", "commitment_signed": "on"})
    assert response.status_code == 400 and "不能晚于承诺办结期限" in body(response)


def test_reject_with_reasons_basis_and_remedy(clerk, case):
    reject = url(case, "reject")
    response = clerk.post(
        reject, {"reject-revision": case.revision, "reject-legal_basis": "", "reject-remedy": "x"}
    )
    assert response.status_code == 400 and "不予受理理由" in body(response)
    response = clerk.post(
        reject,
        {
            "reject-revision": case.revision,
            "reject-reasons": ["not_competent", "other"],
            "reject-text": "属省级权限",
            "reject-legal_basis": "《中华人民共和国行政许可法》第三十二条第一款第二项",
            "reject-remedy": "可申请行政复议或提起行政诉讼。",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED
    assert "申请事项不属于本行政机关职权范围" in case.rejection_reasons
    assert "不予受理决定书" in body(clerk.get(url(case, "case")))


def test_a_stale_page_gets_the_conflict_message(clerk, case):
    data = {**checklist(case), "action": "accept"}
    data["revision"] = case.revision + 5  # another clerk acted since the page was opened
    response = clerk.post(url(case), data, follow=True)
    assert "该办件已被他人处理" in body(response)
    assert response.redirect_chain[-1][0] == url(case, "case")
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_two_clerks_one_wins(clerk, case, demo_org):
    chief = client_for("chief")  # also sits at B01
    data = {**checklist(case), "action": "accept"}
    assert clerk.post(url(case), data).status_code == 302
    response = chief.post(url(case), data, follow=True)
    assert "该办件已被他人处理" in body(response) or "不能进行此操作" in body(response)


def test_scope_and_roles(case, dc_clerk, reviewer, housing_reviewer):
    assert dc_clerk.get(url(case)).status_code == 404  # another district's clerk
    assert reviewer.get(url(case)).status_code == 404  # in scope, but no window covers it
    assert housing_reviewer.get(url(case)).status_code == 404
    assert dc_clerk.post(url(case), {**checklist(case), "action": "accept"}).status_code == 404


def test_csrf_is_enforced(case, demo_org):
    strict = client_for("clerk", csrf=True)
    assert strict.get(url(case)).status_code == 200
    assert strict.post(url(case), {**checklist(case), "action": "accept"}).status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_unknown_action_is_a_400(clerk, case):
    assert clerk.post(url(case), {**checklist(case), "action": "nonsense"}).status_code == 400
    assert clerk.post(url(case), {"action": "accept"}).status_code == 400  # no revision
