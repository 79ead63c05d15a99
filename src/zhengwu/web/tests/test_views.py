import re

import pytest
from django.conf import settings
from django.test import Client

from zhengwu.core.access.roles import Role
from zhengwu.web.service_points import tel_target

pytestmark = pytest.mark.django_db


def html_class(response) -> str:
    match = re.search(r'<html[^>]*class="([^"]*)"', response.content.decode())
    assert match, "no <html class=...>"
    return match.group(1)


# --- portal home -------------------------------------------------------------------------------


def test_home_lists_service_points_grouped_by_level(client, demo_org):
    response = client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    # City level comes before town level, each point under its own heading.
    order = [body.index(text) for text in ("市级", "示范市政务服务中心", "镇街", "东城街道便民服务中心")]
    assert order == sorted(order)
    assert "示范市人民路1号" in body
    assert "周一至周五 9:00-17:00" in body
    assert 'href="tel:0757-12345678"' in body
    assert "1 个" in body  # one active window in the city hall


def test_home_without_service_points_says_so(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "暂未发布服务网点信息" in response.content.decode()


def test_home_links_only_to_pages_that_exist(client, db):
    body = client.get("/").content.decode()
    for href in set(re.findall(r'href="(/[^"#?]*)', body)):
        if href.startswith("/static/"):
            continue
        assert client.get(href).status_code in {200, 302}, href


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0757-12345678", "0757-12345678"), ("0757-1234 5678 转 801", "0757-12345678"), ("暂无", ""), ("", "")],
)
def test_tel_target(text, expected):
    assert tel_target(text) == expected


# --- large-text mode ---------------------------------------------------------------------------


def test_large_text_on_sets_cookie_and_redirects_back(client, db):
    response = client.post("/large-text/", {"large_text": "1", "next": "/accessibility/"})
    assert response.status_code == 302
    assert response["Location"] == "/accessibility/"
    cookie = response.cookies["zw_large_text"]
    assert cookie.value == "1"
    assert int(cookie["max-age"]) >= 30 * 24 * 3600
    assert cookie["samesite"] == "Lax"
    page = client.get("/accessibility/")
    assert "large-text" in html_class(page)
    assert "标准字号" in page.content.decode()


def test_large_text_off_clears_cookie(client, db):
    client.cookies["zw_large_text"] = "1"
    response = client.post("/large-text/", {"large_text": "0", "next": "/"})
    assert response.cookies["zw_large_text"].value == ""
    assert response.cookies["zw_large_text"]["max-age"] == 0
    assert "large-text" not in html_class(client.get("/"))


def test_large_text_without_value_toggles(client, db):
    assert client.post("/large-text/").cookies["zw_large_text"].value == "1"
    assert client.post("/large-text/").cookies["zw_large_text"].value == ""


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/phish",
        "//evil.example/",
        "http://evil.example",
        "javascript:alert(1)",
        "/\\evil.example",
    ],
)
def test_large_text_refuses_external_redirect(client, db, target):
    response = client.post("/large-text/", {"large_text": "1", "next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_large_text_needs_post_and_csrf(db):
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.get("/large-text/").status_code == 405
    response = csrf_client.post("/large-text/", {"large_text": "1"})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()
    assert "zw_large_text" not in response.cookies


# --- language switch ---------------------------------------------------------------------------


def test_language_switch_to_english_and_back(client, db):
    body = client.get("/").content.decode()
    assert 'lang="zh-CN"' in body
    assert 'name="language" value="en"' in body
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    body = client.get("/").content.decode()
    assert '<html lang="en"' in body
    assert 'name="language" value="zh-hans"' in body
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert 'lang="zh-CN"' in client.get("/").content.decode()


# --- workbench ---------------------------------------------------------------------------------


def test_workbench_sends_anonymous_users_to_login(client, db):
    response = client.get("/workbench/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/workbench/"


def test_workbench_is_not_found_for_applicants(client, applicant):
    client.force_login(applicant)
    assert client.get("/workbench/").status_code == 404


def test_workbench_shows_a_card_per_role(client, make_staff):
    user = make_staff("supervisor1", Role.SUPERVISOR, Role.WINDOW_CLERK)
    client.force_login(user)
    response = client.get("/workbench/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "supervisor1同志" in body
    assert "示范市市场监督管理局" in body
    assert "电子监察人员" in body and "窗口受理人员" in body
    assert 'href="/workbench/audit/"' in body  # supervisors read the audit log
    assert 'href="/admin/"' not in body


def test_workbench_hides_links_the_role_may_not_use(client, make_staff):
    client.force_login(make_staff("clerk1", Role.WINDOW_CLERK))
    body = client.get("/workbench/").content.decode()
    assert 'href="/workbench/audit/"' not in body
    assert 'href="/admin/"' not in body


def test_workbench_for_staff_without_roles_explains(client, make_staff):
    client.force_login(make_staff("newcomer"))
    response = client.get("/workbench/")
    assert response.status_code == 200
    assert "还没有分配岗位角色" in response.content.decode()


def test_workbench_shows_admin_to_sysadmin(client, make_staff):
    client.force_login(make_staff("admin1", Role.SYSADMIN))
    body = client.get("/workbench/").content.decode()
    assert 'href="/admin/"' in body
    assert "系统管理员" in body


def test_portal_header_for_signed_in_users(client, applicant, make_staff):
    client.force_login(applicant)
    body = client.get("/").content.decode()
    assert "张三" in body
    assert 'action="/accounts/logout/"' in body
    assert 'href="/workbench/"' not in body
    client.force_login(make_staff("clerk2", Role.WINDOW_CLERK))
    assert 'href="/workbench/"' in client.get("/").content.decode()


# --- error pages -------------------------------------------------------------------------------


def test_404_page_is_chinese_and_leaks_nothing(client, db):
    response = client.get("/no-such-page-xyz/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "页面不存在" in body
    assert "no-such-page-xyz" not in body
    assert "urlpatterns" not in body.lower()


@pytest.mark.urls("zhengwu.web.tests.error_urls")
@pytest.mark.parametrize(
    ("path", "status", "text"),
    [
        ("/test-errors/boom/", 500, "系统暂时出现问题"),
        ("/test-errors/forbidden/", 403, "无权访问"),
        ("/test-errors/bad/", 400, "请求有误"),
    ],
)
def test_error_pages_render_without_details(db, path, status, text):
    client = Client(raise_request_exception=False)
    response = client.get(path)
    assert response.status_code == status
    body = response.content.decode()
    assert text in body
    assert "secret-internal-detail" not in body
    assert "Traceback" not in body
