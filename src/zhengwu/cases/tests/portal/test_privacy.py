"""An applicant never sees another applicant's case or file: every URL answers 404 (not 403)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengwu.cases.models import CaseFile, CaseStatus
from zhengwu.cases.tests.factories import make_case

from .helpers import add_document, body, supplement_case

pytestmark = pytest.mark.django_db


def test_another_applicant_gets_404_everywhere(stranger, person, item):
    case, _request = supplement_case(item=item)  # 林示范's, with files and an open notice
    document = add_document(case)
    material_file = CaseFile.objects.filter(material__case=case).first()
    draft = make_case(item=item, status=CaseStatus.DRAFT, with_files=True)
    draft_file = CaseFile.objects.filter(material__case=draft).first()
    get_urls = [
        reverse("cases_portal:detail", args=[case.pk]),
        reverse("cases_portal:receipt", args=[case.pk]),
        reverse("cases_portal:supplement", args=[case.pk]),
        reverse("cases_portal:deferred", args=[case.pk]),
        reverse("cases_portal:withdraw", args=[case.pk]),
        reverse("cases_portal:draft", args=[draft.pk]),
        reverse("files:download", args=[document.file_id]),
        reverse("files:download", args=[material_file.file_id]),
        reverse("files:download", args=[draft_file.file_id]),
    ]
    for url in get_urls:
        assert stranger.get(url).status_code == 404, url
    post_urls = [
        reverse("cases_portal:supplement", args=[case.pk]),
        reverse("cases_portal:withdraw", args=[case.pk]),
        reverse("cases_portal:draft", args=[draft.pk]),
        reverse("cases_portal:file_remove", args=[draft.pk, draft_file.pk]),
    ]
    for url in post_urls:
        assert stranger.post(url, {"action": "submit", "confirm": "on"}).status_code == 404, url
    case.refresh_from_db()
    draft.refresh_from_db()
    assert case.status == CaseStatus.SUPPLEMENT and draft.status == CaseStatus.DRAFT
    assert not CaseFile.objects.get(pk=draft_file.pk).removed
    # the list shows none of it
    html = body(stranger.get(reverse("cases_portal:mine")))
    assert case.number not in html and "您还没有提交过申请" in html
    assert reverse("cases_portal:draft", args=[draft.pk]) not in html
    # …while the owner sees all of it
    for url in get_urls[:3] + get_urls[5:]:
        assert person.get(url).status_code in (200, 302), url


def test_company_cases_are_shared_by_the_company_agents_only(agent, stranger, person, item):
    from zhengwu.cases.models import ApplicantKind
    from zhengwu.cases.tests.factories import applicant_user
    from zhengwu.org.selectors import actor_for_user

    agent_user = applicant_user("13800000002")
    company_id = sorted(actor_for_user(agent_user).company_ids)[0]
    case = make_case(
        item=item,
        applicant_user=agent_user,
        applicant_kind=ApplicantKind.COMPANY,
        applicant_name="示范市示范科技有限公司",
        company_id=company_id,
    )
    url = reverse("cases_portal:detail", args=[case.pk])
    assert agent.get(url).status_code == 200
    assert case.number in body(agent.get(reverse("cases_portal:mine")))
    assert stranger.get(url).status_code == 404
    assert person.get(url).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, item):
    case = make_case(item=item)
    for url in (
        reverse("cases_portal:mine"),
        reverse("cases_portal:detail", args=[case.pk]),
        reverse("cases_portal:withdraw", args=[case.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.post(reverse("cases_portal:withdraw", args=[case.pk]), {"confirm": "on"}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_csrf_is_enforced_on_withdraw(demo_org, item):
    from .conftest import login

    case = make_case(item=item)
    client = login("13800000001", csrf=True)
    response = client.post(reverse("cases_portal:withdraw", args=[case.pk]), {"confirm": "on"})
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
