"""Helpers of the workbench page tests (the fixtures are in conftest.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.test import Client

from zhengwu.cases.models import Case
from zhengwu.catalog.selectors.for_cases import window_category_for

from ..factories import make_case, make_item_for_cases

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2025, 9, 29, 10, tzinfo=SHANGHAI)  # Monday; National Day holiday 10-01 … 10-08
TODAY = NOW.date()


def client_for(username: str, *, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def new_case(**fields: Any) -> Case:
    """make_case with the window category intake would have stored."""
    item = fields.get("item") or make_item_for_cases()
    fields["item"] = item
    fields.setdefault("window_category", window_category_for(item))
    return make_case(**fields)


def body(response: Any) -> str:
    return response.content.decode()
