"""Applicant pages on the demo city with a fixed clock (Friday 2025-09-26, 10:00 Asia/Shanghai).

13800000001 林示范 is a person with a real-name profile; 13800000002 黄经办 is the agent of 示范市示范科技
有限公司 (the demo authorises agents from 2026, so the fixture here authorises him from 2025 too);
`stranger` is another registered person who must never see 林示范's cases.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client

from zhengwu.cases.tests.factories import AGENT_PHONE, PERSON_PHONE, at, make_item_for_cases
from zhengwu.catalog.models.choices import FieldType, PrefillSource

NOW_DAY = dt.date(2025, 9, 26)

EXTRA_FIELDS = [
    {"key": "person_name", "label": "姓名", "prefill": PrefillSource.PERSON_NAME, "required": True},
    {"key": "area", "label": "经营面积", "field_type": FieldType.NUMBER, "validation": {"min": 1}},
    {"key": "kind", "label": "主体类型", "field_type": FieldType.CHOICE, "choices": ["个体", "企业"]},
    {"key": "opened", "label": "开业日期", "field_type": FieldType.DATE, "required": False},
    {
        "key": "note",
        "label": "经营项目",
        "field_type": FieldType.TEXTAREA,
        "required": False,
        "help_text": "如：热食类食品制售",
    },
]


@pytest.fixture(autouse=True)
def _fixed_clock(settings: Any) -> Any:
    settings.CALENDAR_RECHECK_SECONDS = 3600
    cache.clear()  # the progress throttle counts per address in the cache
    with time_machine.travel(at(NOW_DAY, 10), tick=False):
        yield
    cache.clear()


def login(username: str, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def item(demo_org: Any) -> Any:
    return make_item_for_cases(extra_fields=EXTRA_FIELDS)


@pytest.fixture
def person(demo_org: Any) -> Client:
    return login(PERSON_PHONE)


@pytest.fixture
def agent(demo_org: Any) -> Client:
    from zhengwu.org.people import company_agent_authorise

    user = get_user_model().objects.get(username=AGENT_PHONE)
    for company_id in _demo_company_ids(user):
        company_agent_authorise(
            actor=None, company_id=company_id, user_id=user.pk, authorised_from=dt.date(2025, 1, 1)
        )
    return login(AGENT_PHONE)


def _demo_company_ids(user: Any) -> set[int]:
    from django.apps import apps

    return set(
        apps.get_model("org", "CompanyAgent")
        .objects.filter(user_id=user.pk)
        .values_list("company_id", flat=True)
    )


@pytest.fixture
def stranger(demo_org: Any) -> Client:
    """Another real-name applicant (not 林示范, no company)."""
    from zhengwu.org.demo import resident_id
    from zhengwu.org.people import person_profile_upsert

    user = get_user_model().objects.create_user(
        username="13900000009", password="x", kind="applicant", phone="13900000009", display_name="陈路人"
    )
    person_profile_upsert(
        actor=None,
        user_id=user.pk,
        name="陈路人",
        id_number=resident_id("44010619850505123"),
        phone="13900000009",
    )
    return login("13900000009")


@pytest.fixture
def clerk(demo_org: Any) -> Client:
    return login("clerk")
