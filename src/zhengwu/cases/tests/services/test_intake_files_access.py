"""Case files (materials and documents) open to the applicant side and the staff in scope only."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhengwu.cases.models import CaseDocument, IntakeChannel
from zhengwu.cases.services.acceptance import case_accept
from zhengwu.cases.services.intake import case_draft_create, case_material_upload
from zhengwu.cases.tests.factories import (
    AGENT_PHONE,
    actor_of,
    add_case_file,
    applicant_user,
    make_case,
    make_item_for_cases,
    pdf_upload,
    travel,
)
from zhengwu.core.access.actor import ANONYMOUS
from zhengwu.core.files.access import can_read
from zhengwu.core.files.models import StoredFile

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(demo_org: Any) -> Any:
    return make_item_for_cases()


def stored(file_id: Any) -> StoredFile:
    return StoredFile.objects.get(pk=file_id)


def test_an_applicant_cannot_read_another_applicants_material(item: Any) -> None:
    person = actor_of(applicant_user())
    case = case_draft_create(actor=person, item_id=item.pk, channel=IntakeChannel.ONLINE)
    material = case.materials.first()
    case_file = case_material_upload(
        actor=person, case_id=case.pk, material_id=material.pk, upload=pdf_upload()
    )
    f = stored(case_file.file_id)
    assert f.purpose == "case_material" and f.owner_user_id == person.user_id
    assert can_read(person, f)
    assert not can_read(actor_of(AGENT_PHONE), f)  # another applicant
    assert not can_read(ANONYMOUS, f)
    assert can_read(actor_of("reviewer"), f)  # the department's staff
    assert can_read(actor_of("clerk"), f)
    assert can_read(actor_of("sup_city"), f)  # supervision of the region
    assert not can_read(actor_of("dc_clerk"), f)  # another district
    assert not can_read(actor_of("handler"), f)  # another department and line


def test_the_file_url_answers_404_to_another_applicant(item: Any, client: Client) -> None:
    case = make_case(item=item)
    f = stored(add_case_file(case.materials.first()).file_id)
    url = reverse("files:download", args=[f.pk])
    client.force_login(applicant_user(AGENT_PHONE))
    assert client.get(url).status_code == 404
    client.force_login(applicant_user())
    assert client.get(url).status_code == 200


def test_company_agents_read_the_companys_case_files(item: Any) -> None:
    agent = actor_of(AGENT_PHONE)
    (company_id,) = agent.company_ids
    case = case_draft_create(
        actor=agent, item_id=item.pk, channel=IntakeChannel.ONLINE, applicant={"company_id": company_id}
    )
    case_file = case_material_upload(
        actor=agent, case_id=case.pk, material_id=case.materials.first().pk, upload=pdf_upload()
    )
    f = stored(case_file.file_id)
    f.owner_user_id = None  # e.g. uploaded by a colleague who has since left: the company link still holds
    f.created_by_user_id = None
    f.save(update_fields=["owner_user_id", "created_by_user_id"])
    assert can_read(agent, f)
    assert not can_read(actor_of(applicant_user()), f)


def test_documents_open_to_the_applicant_and_not_to_others(item: Any) -> None:
    case = make_case(item=item, with_files=True)
    with travel(dt.date(2025, 9, 26), 15):
        case_accept(actor=actor_of("clerk"), case_id=case.pk)
    document = CaseDocument.objects.get(case=case)
    f = stored(document.file_id)
    assert f.purpose == "case_document"
    assert can_read(actor_of(applicant_user()), f)
    assert can_read(actor_of("approver"), f)
    assert not can_read(actor_of(AGENT_PHONE), f)
    assert not can_read(actor_of("dc_clerk"), f)


def test_a_file_linked_to_no_case_opens_to_nobody_else(demo_org: Any) -> None:
    from zhengwu.core.files.services import file_store

    f = file_store(actor=None, upload=pdf_upload(), purpose="case_material", owner_user_id=None)
    assert not can_read(actor_of("reviewer"), f)
    assert not can_read(actor_of(applicant_user()), f)
