"""The whole life of a case over REST: apply online, accept at the window, review, decide, deliver."""

from __future__ import annotations

from typing import Any

import pytest

from zhengwu.cases.models import CaseStatus

from .conftest import API, new_submitted_case

pytestmark = pytest.mark.django_db


def staff_case(client: Any, case_id: int) -> dict[str, Any]:
    response = client.get(f"{API}staff/cases/{case_id}/")
    assert response.status_code == 200, response.json()
    return response.json()


def test_online_application_to_delivery(
    applicant: Any, clerk: Any, reviewer: Any, approver: Any, item: Any
) -> None:
    submitted = new_submitted_case(applicant, item)
    case_id = submitted["case"]["id"]

    # The window's queue shows it; the clerk accepts.
    queue = clerk.get(f"{API}staff/queue/").json()
    assert [row["case"]["id"] for row in queue["results"]] == [case_id]
    assert queue["results"][0]["id_number_masked"].count("*") >= 6
    accepted = clerk.post(f"{API}staff/cases/{case_id}/accept/", {}, format="json")
    assert accepted.status_code == 200, accepted.json()
    body = accepted.json()
    assert body["case"]["status"] == CaseStatus.ACCEPTED
    assert body["case"]["promised_due"]
    assert {d["kind"] for d in body["documents"]} >= {"acceptance"}
    review = body["active_step_id"]
    assert review

    # The reviewer sees the task with its light and working days left, and agrees.
    tasks = reviewer.get(f"{API}staff/tasks/").json()
    row = next(r for r in tasks["results"] if r["case"]["id"] == case_id)
    assert row["step"]["id"] == review
    assert row["due"]["light"] in ("green", "yellow")
    assert row["due"]["left"] is not None
    done = reviewer.post(
        f"{API}staff/steps/{review}/complete/",
        {"opinion": "agree", "comment": "材料齐全，符合条件。"},
        format="json",
    )
    assert done.status_code == 200, done.json()
    decide_step = done.json()["active_step_id"]
    assert decide_step and decide_step != review

    # The approver decides (the last step), then completes; the clerk delivers at the window.
    decided = approver.post(
        f"{API}staff/steps/{decide_step}/complete/",
        {"opinion": "agree", "comment": "准予许可。"},
        format="json",
    )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["case"]["status"] == CaseStatus.DECIDED
    assert decided.json()["case"]["decision"] == "grant"
    completed = approver.post(f"{API}staff/cases/{case_id}/complete/", {}, format="json")
    assert completed.status_code == 200, completed.json()
    delivered = clerk.post(
        f"{API}staff/cases/{case_id}/deliver/", {"method": "window", "delivered_to": "林示范"}, format="json"
    )
    assert delivered.status_code == 200, delivered.json()
    assert delivered.json()["case"]["status"] == CaseStatus.DELIVERED

    # The applicant sees the whole timeline and downloads the decision.
    mine = applicant.get(f"{API}mine/{case_id}/").json()
    assert mine["case"]["status"] == CaseStatus.DELIVERED
    actions = [t["action"] for t in mine["timeline"]]
    assert actions[0] == "case_received" and "case_accepted" in actions and actions[-1] == "case_delivered"
    result = next(d for d in mine["documents"] if d["is_result"])
    pdf = applicant.get(f"{API}mine/{case_id}/documents/{result['id']}/")
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_supplement_round_trip(applicant: Any, clerk: Any, item: Any) -> None:
    submitted = new_submitted_case(applicant, item)
    case_id = submitted["case"]["id"]
    licence, premises = (m["id"] for m in submitted["materials"])
    response = clerk.post(
        f"{API}staff/cases/{case_id}/supplement-request/",
        {"items": [{"material_id": premises, "reason": "租赁合同已过期"}], "note": "请补正"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["case"]["status"] == CaseStatus.SUPPLEMENT

    mine = applicant.get(f"{API}mine/{case_id}/").json()
    assert [i["material_id"] for i in mine["open_supplement"]["items"]] == [premises]
    from .conftest import upload

    refused = upload(applicant, case_id, licence)
    assert refused.status_code == 400
    assert "material_id" in refused.json()["errors"]
    assert upload(applicant, case_id, premises, "新租赁合同.pdf").status_code == 201
    back = applicant.post(f"{API}mine/{case_id}/supplement/")
    assert back.status_code == 200, back.json()
    assert back.json()["case"]["status"] == CaseStatus.SUBMITTED


def test_reject_needs_reasons_and_legal_basis(applicant: Any, clerk: Any, item: Any) -> None:
    case_id = new_submitted_case(applicant, item)["case"]["id"]
    bad = clerk.post(f"{API}staff/cases/{case_id}/reject/", {"reasons": []}, format="json")
    assert bad.status_code == 400
    assert set(bad.json()["errors"]) >= {"reasons", "legal_basis"}
    ok = clerk.post(
        f"{API}staff/cases/{case_id}/reject/",
        {"reasons": ["不属于本部门职权范围"], "legal_basis": "《中华人民共和国行政许可法》第三十二条"},
        format="json",
    )
    assert ok.status_code == 200, ok.json()
    assert ok.json()["case"]["status"] == CaseStatus.REJECTED


def test_suspend_resume_and_extension(
    applicant: Any, clerk: Any, reviewer: Any, approver: Any, item: Any
) -> None:
    case_id = new_submitted_case(applicant, item)["case"]["id"]
    assert clerk.post(f"{API}staff/cases/{case_id}/accept/", {}, format="json").status_code == 200
    suspended = reviewer.post(
        f"{API}staff/cases/{case_id}/suspend/",
        {"kind": "site_check", "reason": "需现场核查经营场所", "expected_workdays": 5},
        format="json",
    )
    assert suspended.status_code == 201, suspended.json()
    assert suspended.json()["case"]["status"] == CaseStatus.SUSPENDED
    resumed = reviewer.post(f"{API}staff/cases/{case_id}/resume/", {"result": "核查合格"}, format="json")
    assert resumed.status_code == 200, resumed.json()
    assert resumed.json()["case"]["status"] == CaseStatus.ACCEPTED

    asked = reviewer.post(
        f"{API}staff/cases/{case_id}/extension/", {"reason": "需征求相关部门意见"}, format="json"
    )
    assert asked.status_code == 201, asked.json()
    pending = approver.get(f"{API}staff/extensions/").json()
    extension = next(e for e in pending["results"] if e["case_id"] == case_id)
    before = asked.json()["case"]["extension_workdays"]
    approved = approver.post(
        f"{API}staff/extensions/{extension['id']}/decide/",
        {"approve": True, "comment": "同意延期"},
        format="json",
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["case"]["extension_workdays"] == before + 10
    again = reviewer.post(f"{API}staff/cases/{case_id}/extension/", {"reason": "再延一次"}, format="json")
    assert again.status_code in (400, 409)


def test_two_clerks_accepting_at_once_one_gets_409(applicant: Any, clerk: Any, item: Any) -> None:
    submitted = new_submitted_case(applicant, item)
    case_id = submitted["case"]["id"]
    revision = staff_case(clerk, case_id)["case"]["revision"]
    first = clerk.post(f"{API}staff/cases/{case_id}/accept/", {"revision": revision}, format="json")
    second = clerk.post(f"{API}staff/cases/{case_id}/accept/", {"revision": revision}, format="json")
    assert first.status_code == 200
    assert second.status_code == 409
    assert "刷新" in second.json()["detail"] or "不能进行此操作" in second.json()["detail"]


def test_reviewer_may_not_complete_the_approvers_step_403(
    applicant: Any, clerk: Any, reviewer: Any, item: Any
) -> None:
    case_id = new_submitted_case(applicant, item)["case"]["id"]
    body = clerk.post(f"{API}staff/cases/{case_id}/accept/", {}, format="json").json()
    review = body["active_step_id"]
    reviewer.post(
        f"{API}staff/steps/{review}/complete/", {"opinion": "agree", "comment": "同意"}, format="json"
    )
    decide_step = staff_case(reviewer, case_id)["active_step_id"]
    refused = reviewer.post(
        f"{API}staff/steps/{decide_step}/complete/", {"opinion": "agree", "comment": "同意"}, format="json"
    )
    assert refused.status_code == 403
    assert "审批人" in refused.json()["detail"]


def test_walk_in_at_the_window(clerk: Any, item: Any) -> None:
    from django.contrib.auth import get_user_model

    from zhengwu.cases.tests.factories import PERSON_ID, pdf_upload
    from zhengwu.core.access.actor import actor_for

    window_id = sorted(actor_for(get_user_model().objects.get(username="clerk")).window_ids)[-1]
    bad = clerk.post(
        f"{API}staff/drafts/",
        {
            "item_id": item.pk,
            "window_id": window_id,
            "applicant": {"kind": "person", "name": "陈来办", "id_number": "440106199001011230"},
        },
        format="json",
    )
    assert bad.status_code == 400
    assert "applicant_id_number" in bad.json()["errors"]
    made = clerk.post(
        f"{API}staff/drafts/",
        {
            "item_id": item.pk,
            "window_id": window_id,
            "applicant": {"kind": "person", "name": "陈来办", "id_number": PERSON_ID, "phone": "13900000000"},
            "form_data": {"applicant_name": "陈来办"},
        },
        format="json",
    )
    assert made.status_code == 201, made.json()
    case_id = made.json()["case"]["id"]
    for material in made.json()["materials"]:
        stored = clerk.post(
            f"{API}staff/cases/{case_id}/materials/{material['id']}/files/",
            {"file": pdf_upload(f"{material['name']}.pdf")},
            format="multipart",
        )
        assert stored.status_code == 201, stored.json()
    submitted = clerk.post(f"{API}staff/cases/{case_id}/submit/")
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["case"]["channel"] == "window"
    assert submitted.json()["case"]["number"]
