"""网上办事 in a real browser: a citizen applies online with uploads, at 1280 px and on a 360 px phone
(the phone also in large-text mode), sees the receipt, 我的办件 and the case page, and a visitor
without an account looks the case up on the public progress page. Every screen is photographed and
checked with axe; the phone pages must not scroll sideways.
"""

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
CITIZEN = "13800000001"


@pytest.fixture
def fixed_clock(settings):
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    with time_machine.travel(dt.datetime(2026, 3, 4, 9, 30, tzinfo=SHANGHAI), tick=True):
        yield


@pytest.fixture
def food_item(demo_city, fixed_clock) -> Any:
    from zhengwu.cases.tests.factories import make_item_for_cases
    from zhengwu.catalog.models.choices import FieldType, PrefillSource

    return make_item_for_cases(
        name="食品经营许可",
        allows_deficiency=False,  # so the missing 经营场所使用证明 is an error (not a 容缺 candidate)
        extra_fields=[
            {"key": "person_name", "label": "经营者姓名", "prefill": PrefillSource.PERSON_NAME},
            {
                "key": "area",
                "label": "经营场所面积（平方米）",
                "field_type": FieldType.NUMBER,
                "validation": {"min": 1},
                "help_text": "按房产证或租赁合同填写",
            },
            {
                "key": "kind",
                "label": "经营类别",
                "field_type": FieldType.CHOICE,
                "choices": ["餐饮服务", "食品销售"],
            },
        ],
    )


def login(page: Any, username: str, next_url: str) -> None:
    from zhengwu.org.demo import PASSWORD

    page.goto(f"/accounts/login/?next={next_url}")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.locator('form.form button[type="submit"]').click()
    page.wait_for_url(re.compile(re.escape(next_url) + r"(\?.*)?$"))


def sample_pdf(name: str) -> dict[str, Any]:
    from zhengwu.core.files.tests.samples import pdf_bytes

    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes(name)}


def check(page: Any, name: str, width: int) -> None:
    if width <= 360:
        assert_no_horizontal_scroll(page, width)
    screenshot(page, name)
    assert_accessible(page, name)


@pytest.mark.parametrize(("width", "large_text"), [(1280, False), (360, False), (360, True)])
def test_citizen_applies_online_with_an_upload(open_page, food_item, live_server, width, large_text):
    from zhengwu.cases.models import Case, CaseStatus

    suffix = f"{width}{'-large-text' if large_text else ''}"
    page = open_page(width, 900 if width > 360 else 780)
    if large_text:
        page.context.add_cookies([{"name": "zw_large_text", "value": "1", "url": live_server.url}])
    login(page, CITIZEN, f"/cases/apply/item/{food_item.pk}/")
    assert "本人：林示范" in page.locator("main").inner_text()
    check(page, f"cases-portal-apply-start-{suffix}", width)
    page.get_by_role("button", name="开始填写").click()
    page.wait_for_url(re.compile(r"/cases/drafts/\d+/$"))
    assert page.locator("#id_person_name").input_value() == "林示范"  # prefilled from the profile
    check(page, f"cases-portal-form-{suffix}", width)

    # Submit too early: every problem at once, at the top and at each field; nothing lost.
    page.fill("#id_applicant_name", "林示范面馆 <script>alert(1)</script>")
    page.fill("#id_area", "0")
    files = page.locator('input[type="file"]')
    files.first.set_input_files(sample_pdf("营业执照.pdf"))
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    assert summary.is_visible()
    text = summary.inner_text()
    assert "经营场所面积" in text and "经营类别" in text and "经营场所使用证明" in text
    assert page.locator("#id_area").input_value() == "0"
    assert "营业执照.pdf" in page.locator("main").inner_text()
    check(page, f"cases-portal-form-errors-{suffix}", width)

    # Fix and submit.
    page.fill("#id_area", "48.5")
    page.get_by_label("餐饮服务").check()
    page.locator('input[type="file"]').nth(1).set_input_files(sample_pdf("经营场所使用证明.pdf"))
    page.get_by_role("button", name="提交申请").click()
    page.wait_for_url(re.compile(r"/cases/mine/\d+/receipt/$"))
    case = Case.objects.get(item=food_item, applicant_user__username=CITIZEN, status=CaseStatus.SUBMITTED)
    main = page.locator("main").inner_text()
    assert case.number in main and case.query_code in main
    assert case.form_data["applicant_name"] == "林示范面馆 <script>alert(1)</script>"
    check(page, f"cases-portal-receipt-{suffix}", width)

    page.get_by_role("link", name="我的办件").last.click()
    page.wait_for_url("**/cases/mine/")
    assert case.number in page.locator("main").inner_text()
    check(page, f"cases-portal-mine-{suffix}", width)

    # The demo citizen has earlier demo cases of the same item: open this one.
    page.locator(f'main a[href$="/cases/mine/{case.pk}/"]').first.click()
    page.wait_for_url(f"**/cases/mine/{case.pk}/")
    main = page.locator("main").inner_text()
    assert "收件" in main and "受理期限" in main and "营业执照.pdf" in main
    check(page, f"cases-portal-detail-{suffix}", width)

    # Anyone with the number and the query code (e.g. from the QR code) sees the progress, no PII.
    visitor = open_page(width, 900 if width > 360 else 780)
    if large_text:
        visitor.context.add_cookies([{"name": "zw_large_text", "value": "1", "url": live_server.url}])
    visitor.goto("/cases/progress/")
    visitor.fill("#id_number", case.number)
    visitor.fill("#id_code", case.query_code.lower())
    visitor.get_by_role("button", name="查询").click()
    visitor.wait_for_url(re.compile(r"/cases/progress/\?"))
    main = visitor.locator("main").inner_text()
    assert "待受理" in main and case.item_name in main and "收件" in main
    assert "林示范" not in main and "/files/" not in visitor.content()
    check(visitor, f"cases-portal-progress-{suffix}", width)
