"""我的办件: the list (badges, deadlines, constant queries), the case page, supplement, withdraw, 容缺."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhengwu.cases.models import CaseFile, CaseStatus, MaterialState, SupplementRequest
from zhengwu.cases.tests.factories import PERSON_ID, make_case, pdf_upload

from .helpers import add_document, body, supplement_case, with_timeline

pytestmark = pytest.mark.django_db


def test_list_shows_status_badges_and_deadlines(person, item):
    submitted = make_case(item=item)
    accepted = make_case(item=item, status=CaseStatus.ACCEPTED)
    waiting, _request = supplement_case(item=item)
    response = person.get(reverse("cases_portal:mine"))
    assert response.status_code == 200
    html = body(response)
    for case in (submitted, accepted, waiting):
        assert case.number in html
        assert reverse("cases_portal:detail", args=[case.pk]) in html
    assert '<span class="badge badge-blue">待受理</span>' in html
    assert '<span class="badge badge-blue">审查中</span>' in html
    assert '<span class="badge badge-yellow">待补正</span>' in html
    assert submitted.acceptance_due.isoformat() in html
    assert accepted.promised_due.isoformat() in html
    assert reverse("cases_portal:supplement", args=[waiting.pk]) in html
    # tabs filter
    html = body(person.get(reverse("cases_portal:mine") + "?tab=action"))
    assert waiting.number in html and submitted.number not in html
    assert person.get(reverse("cases_portal:mine") + "?tab=bogus&page=x").status_code == 200


def _count(client: Any) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("cases_portal:mine")).status_code == 200
    return len(ctx.captured_queries)


def test_list_does_a_constant_number_of_queries(person, item):
    make_case(item=item)
    few = _count(person)
    for _ in range(5):
        make_case(item=item, status=CaseStatus.ACCEPTED)
    supplement_case(item=item)
    supplement_case(item=item)
    assert _count(person) == few


def test_case_page_shows_timeline_deadlines_documents_and_masked_data(person, item):
    case = make_case(item=item, status=CaseStatus.ACCEPTED, with_files=True)
    with_timeline(
        case,
        ("case_received", "收件", True),
        ("case_accepted", "受理", True),
        ("step_transfer", "内部转办", False),
    )
    notice = add_document(case)
    response = person.get(reverse("cases_portal:detail", args=[case.pk]))
    assert response.status_code == 200
    html = body(response)
    assert "收件" in html and "受理" in html and "内部转办" not in html
    assert "2025-09-26 09:00" in html
    assert "承诺办结期限" in html and "法定办结期限" in html and "受理期限" in html
    assert reverse("files:download", args=[notice.file_id]) in html
    # materials with their files, downloadable through core.files
    f = CaseFile.objects.filter(material__case=case).first()
    assert reverse("files:download", args=[f.file_id]) in html
    # the ID number is masked, never shown in full
    assert PERSON_ID not in html and PERSON_ID[:4] + "**********" + PERSON_ID[-4:] in html
    assert case.query_code in html
    assert reverse("cases_portal:withdraw", args=[case.pk]) in html
    # the files open for the applicant
    assert person.get(reverse("files:download", args=[notice.file_id])).status_code == 200
    assert person.get(reverse("files:download", args=[f.file_id])).status_code == 200


def test_result_documents_are_offered_for_download(person, item):
    case = make_case(
        item=item,
        status=CaseStatus.COMPLETED,
        decision="grant",
        decided_at=dt.datetime(2025, 9, 26, 3, tzinfo=dt.UTC),
    )
    result = add_document(case, kind="grant", title="准予许可决定书", result=True)
    html = body(person.get(reverse("cases_portal:detail", args=[case.pk])))
    assert "办理结果" in html and "下载 准予许可决定书" in html
    assert reverse("files:download", args=[result.file_id]) in html
    response = person.get(reverse("files:download", args=[result.file_id]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert reverse("cases_portal:withdraw", args=[case.pk]) not in html  # decided: no withdrawal


def test_supplement_only_listed_materials_then_submit(person, item):
    case, request = supplement_case(item=item)
    listed_id = request.items[0]["material_id"]
    other = case.materials.exclude(pk=listed_id).first()
    url = reverse("cases_portal:supplement", args=[case.pk])
    html = body(person.get(url))
    assert f'name="material-{listed_id}"' in html
    assert f'name="material-{other.pk}"' not in html
    assert "复印件不清晰" in html
    # submitting without the new file: the material is named, nothing changes
    response = person.post(url, {"action": "submit"})
    assert response.status_code == 400
    assert f'href="#material-{listed_id}"' in body(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUPPLEMENT
    # a file for an unlisted material is simply not taken
    person.post(url, {"action": "save", f"material-{other.pk}": pdf_upload("其他.pdf")})
    assert not CaseFile.objects.filter(material=other, round=1).exists()
    # upload, then submit
    response = person.post(url, {"action": "save", f"material-{listed_id}": pdf_upload("清晰的营业执照.pdf")})
    assert response.status_code == 302
    assert "清晰的营业执照.pdf" in body(person.get(url))
    response = person.post(url, {"action": "submit"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "cases_portal:detail", args=[case.pk]
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    assert SupplementRequest.objects.get(pk=request.pk).answered_at is not None
    # no open notice any more: the page sends back to the case
    assert person.get(url).status_code == 302


def test_withdraw_confirm_page_then_post(person, item):
    case = make_case(item=item)
    url = reverse("cases_portal:withdraw", args=[case.pk])
    response = person.get(url)
    assert response.status_code == 200 and "确认撤回" in body(response)
    # without the confirmation box: 400, nothing happens
    response = person.post(url, {"reason": "不想办了"})
    assert response.status_code == 400 and "请勾选确认后再撤回" in body(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    response = person.post(url, {"reason": "不想办了", "confirm": "on"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN
    # once withdrawn the page sends back to the case
    assert person.get(url).status_code == 302


def test_deferred_materials_can_be_supplied_later(person, item):
    case = make_case(
        item=item, status=CaseStatus.ACCEPTED, with_files=False, deficiency_due=dt.date(2025, 10, 10)
    )
    deferred = case.materials.filter(deferrable=True).first()
    deferred.state = MaterialState.DEFERRED
    deferred.deferred_until = dt.date(2025, 10, 10)
    deferred.save()
    detail = body(person.get(reverse("cases_portal:detail", args=[case.pk])))
    url = reverse("cases_portal:deferred", args=[case.pk])
    assert url in detail
    html = body(person.get(url))
    assert f'name="material-{deferred.pk}"' in html
    assert (
        person.post(
            url, {"action": "save", f"material-{deferred.pk}": pdf_upload("场所证明.pdf")}
        ).status_code
        == 302
    )
    assert person.post(url, {"action": "submit"}).status_code == 302
    case.refresh_from_db()
    assert case.deficiency_due is None
