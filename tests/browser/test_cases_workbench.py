"""办件, end to end in a real browser: a citizen applies online with an upload, the window clerk
accepts, a reviewer and an approver approve, and the citizen downloads the decision PDF, whose text
(pdftotext) carries the case number. Every screen is photographed at 1280 px (the task list also at
360 px) and checked with axe.

The clock is fixed (Wednesday 2026-03-04, ticking) so deadlines and lights are the same on every run;
cookies are session cookies so a browser living in the real present keeps them.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
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
def demo_item(demo_city, fixed_clock) -> Any:
    """A demo-like licensing item of the city market bureau: two materials, one form field, the
    review (审查) and decide (决定) steps; 经营许可类, so the clerk's B01 window receives it."""
    from zhengwu.cases.tests.factories import make_item_for_cases

    return make_item_for_cases(name="食品经营许可（端到端演示）")


def login(page: Any, username: str, next_url: str) -> None:
    from zhengwu.org.demo import PASSWORD

    page.goto(f"/accounts/login/?next={next_url}")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.locator('form.form button[type="submit"]').click()
    page.wait_for_url(re.compile(re.escape(next_url) + r"(\?.*)?$"))


def shoot(page: Any, name: str) -> None:
    screenshot(page, name)
    assert_accessible(page, name)


def sample_pdf(name: str) -> dict[str, Any]:
    from zhengwu.core.files.tests.samples import pdf_bytes

    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes(name)}


def test_apply_accept_review_approve_download(open_page, demo_item):
    from zhengwu.cases.models import Case, CaseStatus

    item = demo_item

    # 1. The citizen applies online with an upload per material.
    citizen = open_page(1280)
    login(citizen, CITIZEN, f"/cases/apply/item/{item.pk}/")
    shoot(citizen, "cases-e2e-01-apply-start-1280")
    citizen.get_by_role("button", name="开始填写").click()
    citizen.wait_for_url(re.compile(r"/cases/drafts/\d+/$"))
    if citizen.locator("#id_applicant_name").input_value() == "":
        citizen.fill("#id_applicant_name", "林示范")
    for i, input_ in enumerate(citizen.locator('input[type="file"]').all()):
        input_.set_input_files(sample_pdf(f"材料{i + 1}.pdf"))
    shoot(citizen, "cases-e2e-02-draft-1280")
    citizen.get_by_role("button", name="提交申请").click()
    citizen.wait_for_url(re.compile(r"/cases/mine/\d+/receipt/$"))
    case = Case.objects.get(item=item)
    assert case.status == CaseStatus.SUBMITTED and case.number
    assert case.number in citizen.locator("main").inner_text()
    shoot(citizen, "cases-e2e-03-receipt-1280")

    # 2. The window clerk finds it in the queue and accepts it.
    clerk = open_page(1280)
    login(clerk, "clerk", "/workbench/cases/window/")
    assert case.number in clerk.locator("main").inner_text()
    shoot(clerk, "cases-e2e-04-window-queue-1280")
    clerk.locator(f'a[href="/workbench/cases/{case.pk}/accept/"]').first.click()
    clerk.wait_for_url(f"**/workbench/cases/{case.pk}/accept/")
    assert "材料核验清单" in clerk.locator("main").inner_text()
    shoot(clerk, "cases-e2e-05-acceptance-1280")
    clerk.get_by_role("button", name="受理", exact=True).click()
    clerk.wait_for_url(f"**/workbench/cases/{case.pk}/")
    assert "受理通知书" in clerk.locator(".new-docs").inner_text()
    shoot(clerk, "cases-e2e-06-accepted-1280")

    # 3. The reviewer takes the 审查 step from the task list (also checked on a 360 px phone).
    reviewer = open_page(1280)
    login(reviewer, "reviewer", "/workbench/cases/")
    assert case.number in reviewer.locator("main").inner_text()
    shoot(reviewer, "cases-e2e-07-tasks-reviewer-1280")
    phone = open_page(360, 780)
    login(phone, "reviewer", "/workbench/cases/")
    assert_no_horizontal_scroll(phone, 360)
    shoot(phone, "cases-e2e-07-tasks-reviewer-360")
    reviewer.get_by_role("link", name=case.item_name).first.click()
    reviewer.wait_for_url(f"**/workbench/cases/{case.pk}/")
    shoot(reviewer, "cases-e2e-08-case-review-1280")
    reviewer.fill("#id_step-comment", "材料齐全，经营场所符合要求，建议准予许可。")
    reviewer.get_by_role("button", name="提交意见").click()
    reviewer.wait_for_url(f"**/workbench/cases/{case.pk}/")
    assert "已提交" in reviewer.locator(".messages").inner_text()

    # 4. The approver decides (the last step): granted, 准予许可决定书 issued.
    approver = open_page(1280)
    login(approver, "approver", "/workbench/cases/")
    approver.get_by_role("link", name=case.item_name).first.click()
    approver.wait_for_url(f"**/workbench/cases/{case.pk}/")
    shoot(approver, "cases-e2e-09-case-decide-1280")
    approver.get_by_role("button", name="提交意见").click()
    approver.wait_for_url(f"**/workbench/cases/{case.pk}/")
    assert "准予许可决定书" in approver.locator(".new-docs").inner_text()
    shoot(approver, "cases-e2e-10-decided-1280")
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.decision == "grant"

    # 5. The citizen downloads the decision; its text carries the case number.
    citizen.goto(f"/cases/mine/{case.pk}/")
    shoot(citizen, "cases-e2e-11-citizen-result-1280")
    link = citizen.locator("a", has_text="准予许可决定书").first
    response = citizen.request.get(link.get_attribute("href"))
    assert response.ok and response.body()[:5] == b"%PDF-"
    assert case.number in pdf_text(response.body())


def pdf_text(data: bytes) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext (poppler-utils) is needed: apt-get install poppler-utils"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "decision.pdf"
        path.write_bytes(data)
        out = subprocess.run(
            [pdftotext, "-layout", str(path), "-"], capture_output=True, check=True, timeout=60
        )
    return re.sub(r"\s+", "", out.stdout.decode("utf-8"))
