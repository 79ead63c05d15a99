"""Clients for the catalogue's staff pages: the market bureau drafts, the hall's reform office reviews."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from ..factories import make_item, staff_user

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _fixed_clock():
    # A Wednesday with working days around it: announcement dates are predictable.
    with time_machine.travel(dt.datetime(2026, 3, 4, 10, tzinfo=SHANGHAI), tick=False):
        yield


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(staff_user(username))
    return client


@pytest.fixture
def drafter_client(demo_org) -> Client:
    return client_for("reviewer")  # 示范市市场监督管理局, REVIEWER


@pytest.fixture
def reform_client(demo_org) -> Client:
    return client_for("hallmgr")  # 市政务服务数据管理局, HALL_MANAGER (审改办)


@pytest.fixture
def outsider_client(demo_org) -> Client:
    """The demo reviewer of the city housing bureau: same city, another department and line."""
    client = Client()
    client.force_login(get_user_model().objects.get(username="housing_reviewer"))
    return client


@pytest.fixture
def applicant_client(demo_org) -> Client:
    from zhengwu.org.demo import PERSON_PHONE

    client = Client()
    client.force_login(get_user_model().objects.get(username=PERSON_PHONE))
    return client


@pytest.fixture
def item(demo_org) -> Any:
    return make_item()


def form_data(form: Any) -> dict[str, Any]:
    """What a browser would post for an unbound form or formset as rendered (its initial values)."""
    data: dict[str, Any] = {}
    forms = [form.management_form, *form.forms] if hasattr(form, "management_form") else [form]
    for f in forms:
        for bf in f:
            value = bf.value()
            if value is None or bf.widget_type in ("file", "clearablefile"):
                continue
            if value is False:
                continue
            if value is True:
                value = "on"
            if isinstance(value, (list, tuple)):
                data[bf.html_name] = [str(v) for v in value]
            else:
                data[bf.html_name] = str(value)
    return data
