"""公开进度查询: no login, no personal data, wrong code = wrong number, brute force throttled."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from zhengwu.cases.models import CaseStatus
from zhengwu.cases.tests.factories import PERSON_ID, PERSON_NAME, PERSON_PHONE, make_case

from .helpers import add_document, body, with_timeline

pytestmark = pytest.mark.django_db
URL = "/cases/progress/"


def main(html: str) -> str:
    """The page's main content without the echoed query (so two answers can be compared)."""
    content = html[html.index("<main") : html.index("</main>")]
    return re.sub(r'value="[^"]*"', 'value=""', content)


def test_url_name_is_the_one_the_documents_qr_codes_use():
    assert reverse("cases_portal:progress") == URL


def test_blank_form_renders_without_login(client, demo_org):
    response = client.get(URL)
    assert response.status_code == 200
    html = body(response)
    assert "办件编号" in html and "查询码" in html
    assert 'method="get"' in html


def test_right_number_and_code_show_progress_without_personal_data(client, item):
    case = make_case(item=item, status=CaseStatus.ACCEPTED, with_files=True)
    with_timeline(
        case,
        ("case_received", "收件", True),
        ("case_accepted", "受理", True),
        ("step_transfer", "内部转办", False),
    )
    document = add_document(case)
    response = client.get(URL, {"number": case.number, "code": case.query_code.lower()})
    assert response.status_code == 200
    html = body(response)
    assert case.item_name in html and "审查中" in html
    assert "收件" in html and "受理" in html and "内部转办" not in html
    assert "承诺办结期限" in html and case.promised_due.strftime("%Y年%-m月%-d日") in html
    for private in (PERSON_NAME, PERSON_ID, PERSON_ID[-4:] + "<", PERSON_PHONE, "湖滨路", "/files/"):
        assert private not in html, private
    assert str(document.file_id) not in html
    assert response["Cache-Control"] == "private, no-store"


def test_wrong_code_and_wrong_number_give_the_same_answer(client, item):
    case = make_case(item=item)
    wrong_code = client.get(URL, {"number": case.number, "code": "ZZZZZZ"})
    wrong_number = client.get(URL, {"number": case.number[:-1] + "9", "code": case.query_code})
    assert wrong_code.status_code == wrong_number.status_code == 404
    assert main(body(wrong_code)) == main(body(wrong_number))
    assert "未查询到办件" in body(wrong_code)
    assert case.item_name not in body(wrong_code)


def test_drafts_are_never_found(client, item):
    draft = make_case(item=item, status=CaseStatus.DRAFT)
    assert client.get(URL, {"number": "", "code": draft.query_code}).status_code == 400
    assert client.get(URL, {"number": "x", "code": draft.query_code}).status_code == 404


def test_brute_force_is_throttled_per_address(client, item, settings):
    settings.CASES_PROGRESS_MAX_FAILURES = 3
    case = make_case(item=item)
    for n in range(3):
        assert client.get(URL, {"number": case.number, "code": f"AAAA{n}A"}).status_code == 404
    response = client.get(URL, {"number": case.number, "code": case.query_code})
    assert response.status_code == 429  # even the right code, once locked out
    assert "查询失败次数过多" in body(response)
    # another address is not affected
    other = client.get(URL, {"number": case.number, "code": case.query_code}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_bad_input_is_400_not_500(client, demo_org):
    for params in ({"number": "x" * 500, "code": "A"}, {"number": "", "code": ""}, {"code": "\x00"}):
        assert client.get(URL, params).status_code in (400, 404)
