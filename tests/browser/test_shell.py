"""The web shell in a real browser: portal home, large text, language, staff login, workbench."""

from __future__ import annotations

import re

import pytest

from .conftest import assert_accessible, assert_no_horizontal_scroll, screenshot

pytestmark = pytest.mark.browser


def font_size(page, selector: str = "body") -> float:
    return float(page.eval_on_selector(selector, "e => parseFloat(getComputedStyle(e).fontSize)"))


def test_portal_home_desktop(open_page, demo_city):
    page = open_page(1280)
    page.goto("/")
    assert page.locator("h1").inner_text().startswith("欢迎访问")
    assert page.locator(".brand-name").inner_text() == "示范市政务服务网"
    if demo_city["service_point"]:
        assert page.get_by_text(demo_city["service_point"], exact=True).first.is_visible()
    assert page.locator('.sp-card a[href^="tel:"]').count() >= 1
    # htmx is served locally (no CDN) and loads.
    assert page.evaluate("typeof window.htmx") == "object"
    screenshot(page, "portal-home-1280")
    assert_accessible(page, "portal home 1280")


def test_portal_home_phone_has_no_horizontal_scroll(open_page, demo_city):
    page = open_page(360, 780)
    page.goto("/")
    assert_no_horizontal_scroll(page, 360)
    screenshot(page, "portal-home-360")
    assert_accessible(page, "portal home 360")


def test_large_text_mode_grows_the_text(open_page, demo_city):
    page = open_page(360, 780)
    page.goto("/")
    normal_body, normal_heading = font_size(page), font_size(page, ".sp-card h4")
    page.get_by_test_id("large-text-toggle").click()
    page.wait_for_url(re.compile(r"/$"))
    assert "large-text" in (page.get_attribute("html", "class") or "")
    assert font_size(page) >= 20 > normal_body
    assert font_size(page, ".sp-card h4") > normal_heading
    assert_no_horizontal_scroll(page, 360)
    screenshot(page, "portal-home-360-large-text")
    assert_accessible(page, "portal home, large text")
    # The setting survives a reload and switches back off.
    page.reload()
    assert font_size(page) >= 20
    page.get_by_test_id("large-text-toggle").click()
    page.wait_for_load_state()
    assert font_size(page) == normal_body


def test_language_switch_to_english_and_back(open_page, demo_city):
    page = open_page(1280)
    page.goto("/accessibility/")
    assert page.get_attribute("html", "lang") == "zh-CN"
    page.get_by_test_id("language-en").click()
    page.wait_for_url(re.compile(r"/accessibility/$"))
    assert page.get_attribute("html", "lang") == "en"
    page.get_by_test_id("language-zh-hans").click()
    page.wait_for_url(re.compile(r"/accessibility/$"))
    assert page.get_attribute("html", "lang") == "zh-CN"


def test_skip_link_appears_on_keyboard_focus(open_page, demo_city):
    page = open_page(1280)
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert "skip-link" in focused
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0
    outline = page.eval_on_selector(".skip-link", "e => getComputedStyle(e).outlineStyle")
    assert outline != "none"


def test_staff_login_reaches_the_workbench(open_page, staff_login):
    page = open_page(1280)
    page.goto("/accounts/login/?next=/workbench/")
    screenshot(page, "staff-login-1280")
    assert_accessible(page, "staff login")
    page.fill('input[name="username"]', staff_login["username"])
    page.fill('input[name="password"]', staff_login["password"])
    page.locator('form.form button[type="submit"]').click()
    page.wait_for_url(re.compile(r"/workbench/$"))
    assert page.locator("h1").inner_text() == "工作台"
    assert page.locator(".wb-user-name").inner_text() == staff_login["name"]
    assert page.locator(".role-card h2").first.inner_text() == "电子监察人员"
    screenshot(page, "workbench-1280")
    assert_accessible(page, "workbench")

    phone = open_page(360, 780)
    phone.context.add_cookies(page.context.cookies())
    phone.goto("/workbench/")
    assert_no_horizontal_scroll(phone, 360)
    screenshot(phone, "workbench-360")


def test_login_and_error_pages_are_accessible_on_a_phone(open_page, demo_city):
    page = open_page(360, 780)
    for path, name in [
        ("/accounts/login/", "staff-login-360"),
        ("/accounts/applicant-login/", "applicant-login-360"),
        ("/accessibility/", "accessibility-360"),
        ("/no-such-page/", "not-found-360"),
    ]:
        page.goto(path)
        assert_no_horizontal_scroll(page, 360)
        screenshot(page, name)
        assert_accessible(page, name)
