"""The catalogue's staff pages in a real browser: a department drafts a change, the reform office
approves it; list, editor, review and checker pages at 1280 and 360 px, with an axe check."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import assert_accessible, assert_no_horizontal_scroll, screenshot

pytestmark = pytest.mark.browser


def login(page: Any, username: str, next_url: str) -> None:
    from zhengwu.org.demo import PASSWORD

    page.goto(f"/accounts/login/?next={next_url}")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.locator('form.form button[type="submit"]').click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


@pytest.fixture
def market_item(demo_city) -> Any:
    """An item in force at 示范市市场监督管理局 (the demo catalogue's if seeded, else one made here)."""
    from zhengwu.catalog.models import ServiceItem
    from zhengwu.catalog.tests.factories import make_item

    item = (
        ServiceItem.objects.filter(department__name="示范市市场监督管理局", is_active=True)
        .exclude(versions__status__in=["draft", "submitted", "returned", "reviewed", "announced"])
        .order_by("pk")
        .first()
    )
    return item or make_item(name="食品经营许可")


def test_draft_submit_review_approve(open_page, market_item):
    item = market_item
    page = open_page(1280)
    login(page, "reviewer", "/workbench/catalog/")
    assert page.locator("h1").inner_text() == "事项管理"
    screenshot(page, "catalog-staff-list-1280")
    assert_accessible(page, "catalog list 1280")

    page.goto(f"/workbench/catalog/items/{item.pk}/")
    page.get_by_text("发起变更", exact=True).click()
    page.fill("#id_adjust-reason", "按新修订的办事指南压缩承诺时限")
    page.get_by_role("button", name="生成变更草稿").click()
    page.wait_for_url(re.compile(r"/versions/\d+/$"))
    version_url = page.url.split(page.url.split("/workbench")[0])[1]
    statutory = int(page.input_value("#id_statutory_limit") or 20)
    current = int(page.input_value("#id_promised_limit") or statutory)
    page.fill("#id_promised_limit", str(current - 1 if current > 1 else min(2, statutory)))
    page.get_by_role("button", name="保存", exact=True).click()
    page.wait_for_url(re.compile(r"/versions/\d+/#checks$"))
    assert "已保存" in page.locator(".messages").inner_text()
    screenshot(page, "catalog-staff-editor-1280")
    assert_accessible(page, "draft editor 1280")
    page.get_by_role("link", name="申请材料").click()
    page.wait_for_url(re.compile(r"/materials/$"))
    screenshot(page, "catalog-staff-materials-1280")
    assert_accessible(page, "materials editor 1280")

    phone = open_page(360, 780)
    login(phone, "reviewer", "/workbench/catalog/")
    assert_no_horizontal_scroll(phone, 360)
    screenshot(phone, "catalog-staff-list-360")
    phone.goto(version_url)
    assert_no_horizontal_scroll(phone, 360)
    screenshot(phone, "catalog-staff-editor-360")
    assert_accessible(phone, "draft editor 360")

    page.goto(version_url)
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_url(re.compile(rf"/items/{item.pk}/$"))
    assert "已提交审改部门审核" in page.locator(".messages").inner_text()

    hall = open_page(1280)
    login(hall, "hallmgr", "/workbench/catalog/reviews/")
    version_id = re.search(r"/versions/(\d+)/", version_url).group(1)  # type: ignore[union-attr]
    hall.locator(f'a[href$="/reviews/{version_id}/"]').click()
    hall.wait_for_url(re.compile(r"/reviews/\d+/$"))
    assert "承诺办结时限" in hall.locator(".diff-table").inner_text()
    screenshot(hall, "catalog-staff-review-1280")
    assert_accessible(hall, "review 1280")
    review_url = hall.url.split("/workbench")[1]
    hall_phone = open_page(360, 780)
    login(hall_phone, "hallmgr", "/workbench/catalog/reviews/")
    hall_phone.goto("/workbench" + review_url)
    assert_no_horizontal_scroll(hall_phone, 360)
    screenshot(hall_phone, "catalog-staff-review-360")
    hall.fill("#id_comment", "同意调整")
    hall.get_by_role("button", name="审核通过并公示").click()
    hall.wait_for_url(re.compile(r"/reviews/$"))
    assert "审核通过" in hall.locator(".messages").inner_text()

    hall.goto("/workbench/catalog/report/")
    screenshot(hall, "catalog-staff-report-1280")
    assert_accessible(hall, "checker report 1280")
    hall_phone.goto("/workbench/catalog/report/")
    assert_no_horizontal_scroll(hall_phone, 360)
    screenshot(hall_phone, "catalog-staff-report-360")

    page.goto(f"/workbench/catalog/items/{item.pk}/")
    assert "公示中" in page.locator("#history ~ .table-wrap").inner_text()
