"""Fixtures of the case API tests: the demo city, one licensing item, logged-in API clients.

The clock is fixed at Monday 2026-03-02 10:00 (Asia/Shanghai): after the demo company agent's
authorisation (2026-01-01) and the items' effective date (2026-01-05).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from zhengwu.cases.tests.factories import AGENT_PHONE, PERSON_PHONE, make_item_for_cases, pdf_upload

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
API = "/api/v1/cases/"


@pytest.fixture(autouse=True)
def fixed_clock() -> Iterator[None]:
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def item(demo_org: Any) -> Any:
    return make_item_for_cases()


def client_for(username: str) -> APIClient:
    client = APIClient()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def applicant(demo_org: Any) -> APIClient:
    return client_for(PERSON_PHONE)


@pytest.fixture
def agent(demo_org: Any) -> APIClient:
    return client_for(AGENT_PHONE)


@pytest.fixture
def stranger(demo_org: Any) -> APIClient:
    """Another applicant account (the demo agency's agent): owns nothing of the above."""
    return client_for("13800000003")


@pytest.fixture
def clerk(demo_org: Any) -> APIClient:
    return client_for("clerk")


@pytest.fixture
def reviewer(demo_org: Any) -> APIClient:
    return client_for("reviewer")


@pytest.fixture
def approver(demo_org: Any) -> APIClient:
    return client_for("approver")


def upload(
    client: APIClient, case_id: int, material_id: int, name: str = "营业执照.pdf", **headers: Any
) -> Any:
    return client.post(
        f"{API}mine/{case_id}/materials/{material_id}/files/",
        {"file": pdf_upload(name)},
        format="multipart",
        **headers,
    )


def new_submitted_case(client: APIClient, item: Any) -> dict[str, Any]:
    """Draft → every material uploaded → submitted, over the API; returns the detail."""
    draft = client.post(
        f"{API}drafts/", {"item_id": item.pk, "form_data": {"applicant_name": "林示范"}}, format="json"
    )
    assert draft.status_code == 201, draft.json()
    case = draft.json()
    for material in case["materials"]:
        assert (
            upload(client, case["case"]["id"], material["id"], f"{material['name']}.pdf").status_code == 201
        )
    done = client.post(f"{API}mine/{case['case']['id']}/submit/")
    assert done.status_code == 200, done.json()
    receipt = done.json()
    assert receipt["number"] and len(receipt["query_code"]) == 6
    detail = client.get(receipt["detail_url"])
    assert detail.status_code == 200
    return detail.json()
