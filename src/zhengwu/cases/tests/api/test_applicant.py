"""Applicant endpoints: draft, form, upload, submit, my cases, withdraw, public progress."""

from __future__ import annotations

from typing import Any

import pytest

from zhengwu.cases.models import Case, CaseStatus, TimelineEntry

from .conftest import API, new_submitted_case, upload

pytestmark = pytest.mark.django_db


def test_draft_is_prefilled_and_lists_the_materials(applicant: Any, item: Any) -> None:
    response = applicant.post(f"{API}drafts/", {"item_id": item.pk}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["case"]["status"] == CaseStatus.DRAFT
    assert body["case"]["number"] == ""
    assert body["can_edit"] is True
    assert [m["name"] for m in body["materials"]] == ["营业执照", "经营场所使用证明"]
    assert body["query_code"] == ""  # no code before the case is received


def test_unknown_item_is_a_field_error(applicant: Any, demo_org: Any) -> None:
    response = applicant.post(f"{API}drafts/", {"item_id": 999999}, format="json")
    assert response.status_code == 400
    assert "item_id" in response.json()["errors"]


def test_submit_without_materials_lists_every_missing_one(applicant: Any, item: Any) -> None:
    case = applicant.post(f"{API}drafts/", {"item_id": item.pk}, format="json").json()
    response = applicant.post(f"{API}mine/{case['case']['id']}/submit/")
    assert response.status_code == 400
    errors = response.json()["errors"]
    licence = case["materials"][0]["id"]
    assert errors[f"material_{licence}"] == ["请上传“营业执照”"]
    assert Case.objects.get(pk=case["case"]["id"]).status == CaseStatus.DRAFT


def test_upload_refuses_a_fake_pdf(applicant: Any, item: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = applicant.post(f"{API}drafts/", {"item_id": item.pk}, format="json").json()
    fake = SimpleUploadedFile("营业执照.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = applicant.post(
        f"{API}mine/{case['case']['id']}/materials/{case['materials'][0]['id']}/files/",
        {"file": fake},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in response.json()["errors"]


def test_upload_needs_a_file(applicant: Any, item: Any) -> None:
    case = applicant.post(f"{API}drafts/", {"item_id": item.pk}, format="json").json()
    response = applicant.post(
        f"{API}mine/{case['case']['id']}/materials/{case['materials'][0]['id']}/files/",
        {},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["file"]


def test_submit_numbers_the_case_and_shows_it_in_my_cases(applicant: Any, item: Any) -> None:
    body = new_submitted_case(applicant, item)
    case = body["case"]
    assert case["status"] == CaseStatus.SUBMITTED
    assert case["number"].startswith(item.implementation_code + "20260302")
    assert len(body["query_code"]) == 6
    assert [t["action"] for t in body["timeline"]] == ["case_received"]
    assert body["deadlines"][0]["due"] == "2026-03-09"  # 5 working days after Monday 2 March
    listed = applicant.get(f"{API}mine/").json()
    assert listed["count"] == 1
    assert listed["results"][0]["number"] == case["number"]
    assert applicant.get(f"{API}mine/?status=draft").json()["count"] == 0
    assert applicant.get(f"{API}mine/?status=bogus").status_code == 400


def test_form_update_checks_types_and_revision(applicant: Any, item: Any) -> None:
    case = applicant.post(f"{API}drafts/", {"item_id": item.pk}, format="json").json()
    url = f"{API}mine/{case['case']['id']}/form/"
    ok = applicant.put(url, {"form_data": {"applicant_name": "林示范的小店"}}, format="json")
    assert ok.status_code == 200, ok.json()
    assert ok.json()["case"]["form_data"]["applicant_name"] == "林示范的小店"
    stale = applicant.put(
        url, {"form_data": {"applicant_name": "x"}, "revision": case["case"]["revision"]}, format="json"
    )
    assert stale.status_code == 409
    assert "刷新" in stale.json()["detail"]


def test_draft_file_can_be_removed_and_downloaded_by_its_owner(applicant: Any, item: Any) -> None:
    case = applicant.post(f"{API}drafts/", {"item_id": item.pk}, format="json").json()
    stored = upload(applicant, case["case"]["id"], case["materials"][0]["id"]).json()
    url = f"{API}mine/{case['case']['id']}/files/{stored['id']}/"
    download = applicant.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert applicant.delete(url).status_code == 204
    assert applicant.get(url).status_code == 404


def test_withdraw(applicant: Any, item: Any) -> None:
    body = new_submitted_case(applicant, item)
    response = applicant.post(
        f"{API}mine/{body['case']['id']}/withdraw/", {"reason": "不办了"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["case"]["status"] == CaseStatus.WITHDRAWN
    again = applicant.post(f"{API}mine/{body['case']['id']}/withdraw/", {}, format="json")
    assert again.status_code == 409
    assert "不能撤回" in again.json()["detail"]


def test_company_agent_applies_for_the_company(agent: Any, item: Any) -> None:
    from django.contrib.auth import get_user_model

    from zhengwu.cases.tests.factories import AGENT_PHONE
    from zhengwu.core.access.actor import actor_for

    user = get_user_model().objects.get(username=AGENT_PHONE)
    company_id = next(iter(actor_for(user).company_ids))
    response = agent.post(f"{API}drafts/", {"item_id": item.pk, "company_id": company_id}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["case"]["applicant_kind"] == "company"
    assert response.json()["case"]["company_id"] == company_id
    other = agent.post(f"{API}drafts/", {"item_id": item.pk, "company_id": company_id + 1000}, format="json")
    assert other.status_code == 400
    assert "company_id" in other.json()["errors"]


# --- public progress ------------------------------------------------------------------------


def test_progress_shows_no_personal_data(applicant: Any, item: Any, client: Any) -> None:
    body = new_submitted_case(applicant, item)
    number, code = body["case"]["number"], body["query_code"]
    response = client.get(f"{API}progress/", {"number": number, "code": code.lower()})
    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["number"] == number
    assert data["status"] == CaseStatus.SUBMITTED
    assert [s["title"] for s in data["steps"]] == ["收件"]
    text = response.content.decode()
    case = Case.objects.get(pk=body["case"]["id"])
    for secret in (
        case.applicant_name,
        case.applicant_id_number,
        case.applicant_phone,
        case.applicant_address,
    ):
        assert secret and secret not in text
    assert response["Cache-Control"] == "no-store"


def test_progress_wrong_code_or_number_is_the_same_404(applicant: Any, item: Any, client: Any) -> None:
    body = new_submitted_case(applicant, item)
    wrong_code = client.get(f"{API}progress/", {"number": body["case"]["number"], "code": "AAAAAA"})
    wrong_number = client.get(
        f"{API}progress/", {"number": "X" + body["case"]["number"], "code": body["query_code"]}
    )
    assert wrong_code.status_code == wrong_number.status_code == 404
    assert wrong_code.json() == wrong_number.json()
    missing = client.get(f"{API}progress/", {"number": body["case"]["number"]})
    assert missing.status_code == 400
    assert "code" in missing.json()["errors"]


def test_progress_is_throttled(demo_org: Any, client: Any, settings: Any) -> None:
    from django.core.cache import cache

    cache.clear()
    settings.CASES_PROGRESS_RATE = "3/min"
    answers = [client.get(f"{API}progress/", {"number": "N", "code": "C"}).status_code for _ in range(4)]
    assert answers == [404, 404, 404, 429]
    cache.clear()


def test_progress_timeline_is_public_entries_only(applicant: Any, item: Any, client: Any) -> None:
    body = new_submitted_case(applicant, item)
    TimelineEntry.objects.create(
        case_id=body["case"]["id"],
        at=Case.objects.get(pk=body["case"]["id"]).submitted_at,
        action="x",
        title="内部备注",
        public=False,
    )
    data = client.get(
        f"{API}progress/", {"number": body["case"]["number"], "code": body["query_code"]}
    ).json()
    assert "内部备注" not in [s["title"] for s in data["steps"]]


def test_the_receipt_is_what_its_declared_fields_give(applicant: Any, item: Any) -> None:
    from rest_framework import serializers

    from zhengwu.cases.api.serializers import ReceiptOut

    new_submitted_case(applicant, item)
    case = Case.objects.get(status=CaseStatus.SUBMITTED)
    receipt = ReceiptOut(case)
    assert receipt.data == serializers.Serializer.to_representation(receipt, case)
    assert receipt.data["submitted_at"].endswith("+08:00") and receipt.data["status_label"] == "待受理"
