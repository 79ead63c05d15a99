"""Clients and cases for the workbench case pages, on the demo city with a fixed clock.

The clock stands on Monday 2025-09-29, 10:00 (Asia/Shanghai): the factory's cases were received on
Friday 2025-09-26, and the National Day holiday (10-01 … 10-08) lies just ahead, so deadlines and
working days left cross a holiday.
"""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from ..factories import make_item_for_cases
from .helpers import NOW, client_for


@pytest.fixture(autouse=True)
def _fixed_clock(settings):
    settings.CALENDAR_RECHECK_SECONDS = 3600  # no calendar fingerprint query in the middle of a count
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def clerk(demo_org) -> Client:
    """陈受理: window clerk of the city market bureau at A01 (registration) and B01 (market)."""
    return client_for("clerk")


@pytest.fixture
def reviewer(demo_org) -> Client:
    return client_for("reviewer")


@pytest.fixture
def approver(demo_org) -> Client:
    return client_for("approver")


@pytest.fixture
def dc_clerk(demo_org) -> Client:
    """何窗口: clerk of the Dongcheng district market bureau (another district)."""
    return client_for("dc_clerk")


@pytest.fixture
def housing_reviewer(demo_org) -> Client:
    """The demo reviewer of the city housing bureau: same city, another department and line."""
    return client_for("housing_reviewer")


@pytest.fixture
def item(demo_org) -> Any:
    """An effective licensing item of the city market bureau (经营许可类: B01 covers it)."""
    return make_item_for_cases()
