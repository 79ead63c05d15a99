"""Real-browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Never run `playwright install`: the system Chromium at /usr/bin/chromium is the browser under test.
Set ZHENGWU_SKIP_BROWSER=1 to skip these tests on a machine without it.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
STAFF_PASSWORD = "Zw-browser-test-2025"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # No collectstatic in tests: serve and name static files straight from the app directories.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        if os.environ.get("ZHENGWU_SKIP_BROWSER") == "1":
            pytest.skip("ZHENGWU_SKIP_BROWSER=1 and /usr/bin/chromium is missing")
        pytest.fail(
            "Browser tests need Debian's Chromium at /usr/bin/chromium (apt-get install chromium "
            "fonts-wqy-microhei); set ZHENGWU_SKIP_BROWSER=1 to skip them."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def open_page(browser, live_server, transactional_db):
    """open_page(width) -> a fresh page (own cookies) whose base URL is the live server."""
    contexts = []

    def make(width: int = 1280, height: int = 900) -> Any:
        context = browser.new_context(
            viewport={"width": width, "height": height}, locale="zh-CN", base_url=live_server.url
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def demo_city(transactional_db) -> dict[str, Any]:
    """The demo city from seed_demo when that command exists, else a minimal one built here."""
    if "seed_demo" in get_commands():
        call_command("seed_demo", verbosity=0)
        from zhengwu.org.selectors import service_points_for_portal

        points = service_points_for_portal()
        return {"service_point": points[0]["name"] if points else None}
    from zhengwu.org import services as org

    org.region_create(actor=None, code="440000000000", name="示范省")
    org.region_create(actor=None, code="440600000000", name="示范市")
    org.region_create(actor=None, code="440604000000", name="东区")
    point = org.service_point_create(
        actor=None,
        name="示范市政务服务中心",
        kind="center",
        region_code="440600000000",
        address="示范市人民路1号",
        opening_hours="周一至周五 9:00-17:00",
        phone="0757-12345678",
    )
    org.window_create(actor=None, service_point_id=point.pk, code="A01", name="综合窗口一")
    return {"service_point": point.name}


@pytest.fixture
def staff_login(demo_city) -> dict[str, str]:
    """Credentials of a city supervisor: the seed_demo account when it exists, else one made here."""
    if "seed_demo" in get_commands():
        from zhengwu.org import demo

        account = next(a for a in demo.STAFF_ACCOUNTS if a.username == "sup_city")
        return {"username": account.username, "password": demo.PASSWORD, "name": account.display_name}
    from zhengwu.org import services as org

    department = org.department_create(
        actor=None, name="示范市市场监督管理局", uscc="11440600MB2C92701M", region_code="440600000000"
    )
    user = get_user_model().objects.create_user(
        username="browser_supervisor", password=STAFF_PASSWORD, kind="staff", display_name="浏览器测试员"
    )
    org.staff_profile_upsert(actor=None, user_id=user.pk, department_id=department.pk, roles=["supervisor"])
    return {"username": user.username, "password": STAFF_PASSWORD, "name": "浏览器测试员"}


def screenshot(page: Any, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_accessible(page: Any, name: str) -> None:
    """No axe violation of impact serious or critical; the full list is printed when failing."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response["violations"]
    bad = [v for v in violations if v.get("impact") in {"serious", "critical"}]
    if violations:
        print(f"axe on {name}: {len(violations)} violation(s)")
        for v in violations:
            print(f"  [{v.get('impact')}] {v['id']}: {v['help']}")
    details = json.dumps(
        [
            {
                "id": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:10],
            }
            for v in bad
        ],
        ensure_ascii=False,
        indent=2,
    )
    assert not bad, f"axe found serious/critical violations on {name}:\n{details}"


def assert_no_horizontal_scroll(page: Any, width: int) -> None:
    scroll_width = page.evaluate("document.scrollingElement.scrollWidth")
    if scroll_width > width:
        culprits = page.evaluate(
            """(w) => [...document.querySelectorAll('body *')]
                 .filter(e => e.getBoundingClientRect().right > w + 1)
                 .slice(0, 8).map(e => e.tagName + '.' + e.className)""",
            width,
        )
        raise AssertionError(f"page is {scroll_width}px wide at a {width}px viewport; widest: {culprits}")
