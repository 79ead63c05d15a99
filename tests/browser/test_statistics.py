"""Statistics dashboard in the real browser: ECharts drawn from the embedded JSON (no CDN), tables
beside the charts, screenshots and axe at 1280 and 360 px and in the large-text mode, the drill-down.
The clock is fixed (20 Nov 2026, after the demo city went live on 2026-01-01); the demo history is
seeded under it."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from .conftest import assert_accessible, assert_no_horizontal_scroll, screenshot
from .test_supervision import login

pytestmark = pytest.mark.browser
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def stats_city(transactional_db: Any, settings: Any) -> Any:
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    with time_machine.travel(dt.datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI), tick=True):
        call_command("seed_demo", verbosity=0)
        from zhengwu.statistics.services import rollup_refresh
        from zhengwu.statistics.tests.data import ingest_all

        ingest_all(on_day=dt.date(2026, 11, 20))  # adds an open Dongcheng case for the lights
        rollup_refresh()
        yield


def charts_drawn(page: Any) -> int:
    page.wait_for_selector("#chart-trend canvas")
    return page.locator(".stat-canvas canvas").count()


@pytest.mark.parametrize("width", [1280, 360])
def test_dashboard(open_page: Any, stats_city: Any, width: int) -> None:
    page = open_page(width)
    login(page, "sup_city", "/supervision/stats/")
    assert page.locator("h1").inner_text().startswith("示范市")
    assert charts_drawn(page) == 4
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.reload()
    charts_drawn(page)
    assert all(url.startswith(page.url.split("/supervision")[0]) for url in requests)  # no CDN
    screenshot(page, f"statistics-dashboard-{width}")
    assert_accessible(page, "statistics dashboard")
    if width == 360:
        assert_no_horizontal_scroll(page, width)
        page.get_by_test_id("large-text-toggle").click()
        page.wait_for_selector("html.large-text")
        charts_drawn(page)
        screenshot(page, "statistics-dashboard-360-large")
        assert_accessible(page, "statistics dashboard, large text")
        assert_no_horizontal_scroll(page, width)


def test_drill_down_and_bulletin(open_page: Any, stats_city: Any) -> None:
    page = open_page()
    login(page, "sup_city", "/supervision/stats/")
    page.get_by_role("link", name="示范市", exact=True).first.click()
    page.wait_for_url("**/supervision/stats/regions/449900000000/**")
    page.locator(".stat-table tbody th a").first.click()
    page.wait_for_url("**/supervision/stats/departments/**")
    assert page.locator(".stat-table tbody tr").count() >= 1
    screenshot(page, "statistics-department-1280")
    assert_accessible(page, "statistics department")
    page.goto("/supervision/stats/bulletin/?month=2026-10")
    assert "2026年10月" in page.content()
    assert_accessible(page, "statistics bulletin")


def test_district_supervisor_sees_only_the_district(open_page: Any, stats_city: Any) -> None:
    page = open_page()
    login(page, "sup_district", "/supervision/stats/")
    content = page.content()
    assert "东城区" in content and "西城区" not in content
