"""在线申请: start, the form from the version's fields, uploads, 暂存, 提交 (idempotent), errors."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhengwu.cases.models import ApplicantKind, Case, CaseFile, CaseStatus, TimelineEntry
from zhengwu.cases.tests.factories import pdf_upload
from zhengwu.core.files.tests.samples import ELF

from .conftest import login

pytestmark = pytest.mark.django_db


def body(response: Any) -> str:
    return response.content.decode()


def start(client: Any, item: Any, applicant: str = "person") -> Case:
    response = client.post(reverse("cases_portal:apply_item", args=[item.pk]), {"applicant": applicant})
    assert response.status_code == 302, body(response)
    case_id = int(re.search(r"/drafts/(\d+)/", response["Location"]).group(1))
    return Case.objects.get(pk=case_id)


def materials(case: Case) -> list[Any]:
    return list(case.materials.order_by("order", "pk"))


def filled(case: Case, **extra: Any) -> dict[str, Any]:
    data = {
        "applicant_name": "林示范面馆",
        "person_name": "林示范",
        "area": "35.5",
        "kind": "个体",
        "opened": "2025-10-08",
        "note": "热食类食品制售",
        "submit_token": "tok-1",
    }
    data.update(extra)
    return data


def test_start_page_renders_and_needs_login(client, person, item):
    url = reverse("cases_portal:apply_item", args=[item.pk])
    assert client.get(url).status_code == 302  # anonymous → login
    response = person.get(url)
    assert response.status_code == 200
    html = body(response)
    assert "在线申请" in html and item.name in html
    assert "本人：林示范" in html


def test_start_page_of_unknown_item_is_404(person, demo_org):
    assert person.get(reverse("cases_portal:apply_item", args=[999999])).status_code == 404


def test_staff_get_404_on_applicant_pages(clerk, item):
    assert clerk.get(reverse("cases_portal:apply_item", args=[item.pk])).status_code == 404
    assert clerk.get(reverse("cases_portal:mine")).status_code == 404


def test_draft_form_is_rendered_from_the_version_fields_and_prefilled(person, item):
    case = start(person, item)
    response = person.get(reverse("cases_portal:draft", args=[case.pk]))
    assert response.status_code == 200
    html = body(response)
    # label, required marker, help text, choices, type
    assert 'for="id_person_name" class="required">姓名' in html
    assert 'value="林示范"' in html  # prefilled from the real-name profile
    assert 'type="radio" name="kind" value="个体"' in html
    assert 'type="date" name="opened"' in html
    assert "如：热食类食品制售" in html
    # one upload control per material, with the accepted types and the size limit
    for m in materials(case):
        assert f'name="material-{m.pk}"' in html
    assert 'accept=".pdf,application/pdf' in html
    assert "20 MB" in html and "PDF、JPG、PNG、OFD、DOCX、XLSX" in html
    assert 'name="submit_token"' in html


def test_save_draft_with_upload_and_come_back(person, item):
    case = start(person, item)
    licence, _premises = materials(case)
    url = reverse("cases_portal:draft", args=[case.pk])
    response = person.post(
        url, {**filled(case), "action": "save", f"material-{licence.pk}": pdf_upload("营业执照.pdf")}
    )
    assert response.status_code == 302 and response["Location"] == url
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT
    assert case.form_data["area"] == 35.5 and case.form_data["kind"] == "个体"
    assert CaseFile.objects.filter(material=licence, removed=False).count() == 1
    # coming back: the values and the file are there
    html = body(person.get(url))
    assert 'value="35.5"' in html and "营业执照.pdf" in html
    assert "已暂存" in html
    # and the draft is listed in 我的办件
    assert reverse("cases_portal:draft", args=[case.pk]) in body(person.get(reverse("cases_portal:mine")))


def test_numbers_used_up_for_the_day_says_so_and_keeps_the_draft(person, item):
    from zhengwu.cases.services._base import today
    from zhengwu.core.numbering.models import Counter

    case = start(person, item)
    licence, premises = materials(case)
    Counter.objects.create(key=f"cases:{item.implementation_code}", day=today(), value=9999)
    url = reverse("cases_portal:draft", args=[case.pk])
    response = person.post(
        url,
        {
            **filled(case),
            "action": "submit",
            f"material-{licence.pk}": pdf_upload("营业执照.pdf"),
            f"material-{premises.pk}": pdf_upload("场所证明.pdf"),
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    assert "今天的办件编号已用完" in body(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT and not case.number


def test_submit_gives_a_receipt_and_a_double_click_creates_nothing(person, item):
    case = start(person, item)
    licence, premises = materials(case)
    url = reverse("cases_portal:draft", args=[case.pk])
    data = {
        **filled(case),
        "action": "submit",
        f"material-{licence.pk}": pdf_upload("营业执照.pdf"),
        f"material-{premises.pk}": pdf_upload("场所证明.pdf"),
    }
    response = person.post(url, data)
    receipt_url = reverse("cases_portal:receipt", args=[case.pk])
    assert response.status_code == 302 and response["Location"] == receipt_url
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.number and case.query_code
    # the second click of a double click (same token, same files)
    again = person.post(
        url,
        {
            **filled(case),
            "action": "submit",
            f"material-{licence.pk}": pdf_upload("营业执照.pdf"),
        },
    )
    assert again.status_code == 302 and again["Location"] == receipt_url
    assert Case.objects.exclude(status=CaseStatus.DRAFT).count() == 1
    assert TimelineEntry.objects.filter(case=case, action="case_received").count() == 1
    case.refresh_from_db()
    number = case.number
    html = body(person.get(receipt_url))
    assert number in html and case.query_code in html
    assert "受理期限" in html and case.acceptance_due.strftime("%Y年%-m月%-d日") in html
    assert "接下来会怎样" in html
    assert reverse("cases_portal:progress") in html


def test_submit_with_errors_shows_every_error_and_loses_nothing(person, item):
    case = start(person, item)
    licence, premises = materials(case)
    url = reverse("cases_portal:draft", args=[case.pk])
    response = person.post(
        url,
        {
            **filled(case, person_name="", area="很多", kind=""),
            "applicant_name": "<script>alert(1)</script>",
            "action": "submit",
            f"material-{premises.pk}": pdf_upload("场所证明.pdf"),
        },
    )
    assert response.status_code == 400
    html = body(response)
    # the summary at the top, field by field, in Chinese, linking to the fields
    summary = html[
        html.index('class="card error-summary"') : html.index("</div>", html.index("error-summary"))
    ]
    assert "请修改以下内容" in summary
    assert 'href="#id_person_name"' in summary and 'href="#id_area"' in summary
    assert 'href="#id_kind_0"' in summary
    assert "请输入一个数字" in html or "须为数字" in html or "数字" in summary
    assert f'href="#material-{licence.pk}"' in summary  # the missing material is reported at once
    assert 'aria-invalid="true"' in html
    # what was typed stays on the page, escaped
    assert 'value="很多"' in html
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # the upload stayed with the draft, the valid values were saved, nothing was submitted
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT
    assert CaseFile.objects.filter(material=premises, removed=False).count() == 1
    assert "场所证明.pdf" in html
    assert case.form_data["applicant_name"] == "<script>alert(1)</script>"
    assert case.form_data.get("area") is None


def test_a_refused_file_is_reported_on_its_material(person, item):
    case = start(person, item)
    licence, premises = materials(case)
    bad = SimpleUploadedFile("营业执照.pdf", ELF, content_type="application/pdf")
    response = person.post(
        reverse("cases_portal:draft", args=[case.pk]),
        {
            **filled(case),
            "action": "save",
            f"material-{licence.pk}": bad,
            f"material-{premises.pk}": pdf_upload(),
        },
    )
    assert response.status_code == 400
    html = body(response)
    error = re.search(rf'id="material-{licence.pk}-error">([^<]+)<', html)
    assert error and error.group(1).strip()
    assert CaseFile.objects.filter(material=premises).count() == 1
    assert CaseFile.objects.filter(material=licence).count() == 0


def test_remove_a_file_from_the_draft(person, item):
    case = start(person, item)
    licence, _premises = materials(case)
    person.post(
        reverse("cases_portal:draft", args=[case.pk]),
        {**filled(case), "action": "save", f"material-{licence.pk}": pdf_upload()},
    )
    case_file = CaseFile.objects.get(material=licence)
    url = reverse("cases_portal:file_remove", args=[case.pk, case_file.pk])
    assert person.get(url).status_code == 405
    response = person.post(url)
    assert response.status_code == 302
    case_file.refresh_from_db()
    assert case_file.removed


def test_company_agent_chooses_the_company(agent, item):
    url = reverse("cases_portal:apply_item", args=[item.pk])
    html = body(agent.get(url))
    option = re.search(r'value="(company:\d+)"', html)
    assert option and "企业：示范市示范科技有限公司" in html
    case = start(agent, item, applicant=option.group(1))
    assert case.applicant_kind == ApplicantKind.COMPANY
    assert case.applicant_name == "示范市示范科技有限公司"
    draft = body(agent.get(reverse("cases_portal:draft", args=[case.pk])))
    assert 'value="示范市示范科技有限公司"' in draft  # applicant_name prefilled from the company


def test_agent_cannot_apply_for_a_company_not_theirs(agent, item):
    response = agent.post(reverse("cases_portal:apply_item", args=[item.pk]), {"applicant": "company:999999"})
    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_csrf_is_enforced_on_the_draft_post(demo_org, item):
    from zhengwu.cases.tests.factories import PERSON_PHONE

    client = login(PERSON_PHONE, csrf=True)
    response = client.post(reverse("cases_portal:apply_item", args=[item.pk]), {"applicant": "person"})
    assert response.status_code == 403
    assert Case.objects.count() == 0
    # with the token from the page it works
    page = client.get(reverse("cases_portal:apply_item", args=[item.pk]))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body(page)).group(1)
    response = client.post(
        reverse("cases_portal:apply_item", args=[item.pk]),
        {"applicant": "person", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302


def test_bad_input_never_500s(person, item):
    case = start(person, item)
    url = reverse("cases_portal:draft", args=[case.pk])
    for data in (
        {"action": "submit", "area": "1e999"},
        {"action": "save", "opened": "2025-02-30"},
        {"action": "save", "kind": "别的"},
        {"action": "weird", "area": "-5"},
        {"action": "save", "submit_token": "x" * 500},
    ):
        response = person.post(url, data)
        assert response.status_code in (302, 400), data
    assert (
        person.post(reverse("cases_portal:apply_item", args=[item.pk]), {"applicant": "nobody"}).status_code
        == 400
    )
