"""Supervision pages in the real browser: the wall and the drill-down, screenshots and axe, at
desktop width and on a 360 px phone. The clock is fixed (14 Oct 2025, after National Day)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from .conftest import assert_accessible, assert_no_horizontal_scroll, screenshot

pytestmark = pytest.mark.browser
SHANGHAI = ZoneInfo("Asia/Shanghai")
D = dt.date


@pytest.fixture
def supervised(demo_city: Any, settings: Any) -> Any:
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    with time_machine.travel(dt.datetime(2025, 10, 14, 9, 30, tzinfo=SHANGHAI), tick=True):
        from zhengwu.supervision.tests.factories import DC_MARKET, XC_MARKET, ingest, life

        ingest(*life("b-city"), on_day=D(2025, 10, 14))  # promised 10/13: red
        ingest(*life("b-dc", uscc=DC_MARKET, region_code="449902000000", promised=6), on_day=D(2025, 10, 14))
        ingest(*life("b-xc", uscc=XC_MARKET, region_code="449903000000", promised=9), on_day=D(2025, 10, 14))
        yield


def login(page: Any, username: str, next_url: str) -> None:
    from zhengwu.org.demo import PASSWORD

    page.goto(f"/accounts/login/?next={next_url}")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.locator('form.form button[type="submit"]').click()
    page.wait_for_url(re.compile(re.escape(next_url) + r"(\?.*)?$"))


@pytest.mark.parametrize("width", [1280, 360])
def test_wall_and_drill_down(open_page: Any, supervised: Any, width: int) -> None:
    page = open_page(width)
    login(page, "sup_city", "/supervision/")
    assert page.locator(".sup-tile-red .sup-tile-n").inner_text() == "1"
    screenshot(page, f"supervision-wall-{width}")
    assert_accessible(page, "supervision wall")
    if width == 360:
        assert_no_horizontal_scroll(page, width)
    page.get_by_role("link", name="逐级查看").click()
    page.get_by_role("link", name="东城区").click()
    page.get_by_role("link", name="示范市东城区市场监督管理局").click()
    page.get_by_role("link", name="食品经营许可").click()
    page.get_by_role("link", name="N-b-dc").click()
    page.wait_for_url(re.compile(r"/supervision/cases/\d+/$"))
    assert "环节时间与期限" in page.content()
    screenshot(page, f"supervision-case-{width}")
    assert_accessible(page, "supervision case")


def test_district_supervisor_sees_only_the_district(open_page: Any, supervised: Any) -> None:
    page = open_page()
    login(page, "sup_district", "/supervision/")
    content = page.content()
    assert "N-b-dc" in content and "N-b-city" not in content and "N-b-xc" not in content
