"""The assessment ranking and one score's breakdown in the real browser: screenshots and axe at
desktop width and on a 360 px phone. Dates are fixed: the 2025-Q4 data set of the supervision tests
(the demo city's own history, dated back from today, may add cases to the departments' scores; the
staff scores are the data set's only)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from .conftest import assert_accessible, assert_no_horizontal_scroll, screenshot
from .test_supervision import login

pytestmark = pytest.mark.browser
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def assessed(demo_city: Any, settings: Any) -> Any:
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, 30, tzinfo=SHANGHAI), tick=True):
        from zhengwu.supervision.services.assessment import assessment_compute
        from zhengwu.supervision.tests import assessment_data

        assessment_data.load()
        assessment_compute(actor=None, period="2025-Q4", on_day=assessment_data.ON_DAY)
        yield


@pytest.mark.parametrize("width", [1280, 360])
def test_ranking_and_breakdown(open_page: Any, assessed: Any, width: int) -> None:
    page = open_page(width)
    login(page, "sup_city", "/supervision/assessment/")  # the demo's own latest period
    page.get_by_label("评估周期", exact=True).select_option("2025-Q4")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url(re.compile(r"period=2025-Q4"))
    assert "2025 年第 4 季度" in page.content()
    assert page.locator("table tbody tr").count() >= 2
    screenshot(page, f"supervision-assessment-{width}")
    assert_accessible(page, "assessment ranking")
    if width == 360:
        assert_no_horizontal_scroll(page, width)
    page.get_by_label("评估对象", exact=True).select_option("staff")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url(re.compile(r"kind=staff"))
    page.get_by_role("link", name="王审批").click()
    page.wait_for_url(re.compile(r"/supervision/assessment/scores/\d+/$"))
    assert "69.11" in page.content()
    screenshot(page, f"supervision-assessment-score-{width}")
    assert_accessible(page, "assessment score")
    if width == 360:
        assert_no_horizontal_scroll(page, width)
