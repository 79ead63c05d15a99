from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from zhengwu.accounts import services
from zhengwu.accounts.models import User
from zhengwu.core.audit.models import AuditEntry
from zhengwu.core.events.models import Event

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def post_login(client: Client, username: str, password: str, url: str = LOGIN):
    return client.post(url, {"username": username, "password": password})


def test_staff_login_succeeds_and_is_audited(client, staff):
    resp = post_login(client, "clerk", PASSWORD)
    assert resp.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)
    assert AuditEntry.objects.filter(action="accounts.login", obj_id=str(staff.pk)).exists()


def test_wrong_password_is_refused_in_chinese(client, staff):
    resp = post_login(client, "clerk", "wrong-password")
    assert resp.status_code == 400
    assert "用户名（手机号）或密码不正确" in resp.content.decode()
    assert "_auth_user_id" not in client.session
    staff.refresh_from_db()
    assert staff.failed_logins == 1
    assert AuditEntry.objects.filter(action="accounts.login_failed", obj_id=str(staff.pk)).exists()


def test_unknown_user_is_refused_without_error(client, db):
    resp = post_login(client, "nobody", "whatever-1")
    assert resp.status_code == 400
    assert "用户名（手机号）或密码不正确" in resp.content.decode()


def test_lockout_refuses_even_the_right_password_until_time_passes(client, staff, clock, settings):
    settings.LOGIN_MAX_FAILURES = 5
    settings.LOGIN_LOCK_MINUTES = 15
    for _ in range(4):
        assert "已锁定" not in post_login(client, "clerk", "bad").content.decode()
    resp = post_login(client, "clerk", "bad")
    body = resp.content.decode()
    # 10:00 Shanghai + 15 minutes
    assert "账号已锁定" in body and "2025-03-03 10:15" in body
    staff.refresh_from_db()
    assert staff.locked_until is not None
    event = Event.objects.get(type="accounts.user_locked")
    assert event.payload == {"user_id": staff.pk, "locked_until": staff.locked_until.isoformat()}
    assert AuditEntry.objects.filter(action="accounts.user_locked", obj_id=str(staff.pk)).exists()

    resp = post_login(client, "clerk", PASSWORD)
    assert resp.status_code == 400 and "账号已锁定" in resp.content.decode()
    assert "_auth_user_id" not in client.session

    clock.shift(timedelta(minutes=14))
    assert "账号已锁定" in post_login(client, "clerk", PASSWORD).content.decode()
    clock.shift(timedelta(minutes=2))
    resp = post_login(client, "clerk", PASSWORD)
    assert resp.status_code == 302
    staff.refresh_from_db()
    assert staff.failed_logins == 0 and staff.locked_until is None


def test_success_resets_the_counter(client, staff, settings):
    settings.LOGIN_MAX_FAILURES = 3
    post_login(client, "clerk", "bad")
    post_login(client, "clerk", "bad")
    assert post_login(client, "clerk", PASSWORD).status_code == 302
    client.logout()
    post_login(client, "clerk", "bad")
    post_login(client, "clerk", "bad")
    staff.refresh_from_db()
    assert staff.failed_logins == 2 and staff.locked_until is None


def test_attempts_in_flight_are_counted_before_the_password_check(staff, settings):
    """Parallel requests cannot bypass the limit: each attempt is counted (F() update) before hashing."""
    settings.LOGIN_MAX_FAILURES = 5
    # Five attempts still "in flight" (their passwords not yet checked) ...
    assert all(services._reserve_attempt(staff.pk) is None for _ in range(5))
    # ... so a sixth is refused and locks the account, whatever its password.
    assert services._reserve_attempt(staff.pk) is not None
    result = services.login_attempt(identifier="clerk", password=PASSWORD)
    assert not result.ok and "已锁定" in result.error


def test_applicant_logs_in_with_phone(client, applicant):
    resp = post_login(client, "138 0013 8000", PASSWORD, url="/accounts/applicant-login/")
    assert resp.status_code == 302
    assert client.session["_auth_user_id"] == str(applicant.pk)


def test_unverified_applicant_cannot_log_in(client, db):
    User.objects.create_user(username="13900139000", phone="13900139000", password=PASSWORD)
    resp = post_login(client, "13900139000", PASSWORD, url="/accounts/applicant-login/")
    assert resp.status_code == 400
    assert "手机号尚未验证" in resp.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_user_cannot_log_in(client, staff):
    User.objects.filter(pk=staff.pk).update(is_active=False)
    assert post_login(client, "clerk", PASSWORD).status_code == 400


def test_login_without_csrf_token_is_refused(staff):
    client = Client(enforce_csrf_checks=True)
    resp = post_login(client, "clerk", PASSWORD)
    assert resp.status_code == 403
    assert "_auth_user_id" not in client.session


def test_login_pages_render_with_labels_and_autocomplete(client, db):
    staff_page = client.get(LOGIN).content.decode()
    assert "工作人员登录" in staff_page
    assert 'autocomplete="username"' in staff_page and 'autocomplete="current-password"' in staff_page
    applicant_page = client.get("/accounts/applicant-login/").content.decode()
    assert 'autocomplete="tel"' in applicant_page and "<label" in applicant_page


def test_next_is_followed_only_on_this_site(client, staff):
    resp = client.post(LOGIN + "?next=/inbox/", {"username": "clerk", "password": PASSWORD})
    assert resp["Location"] == "/inbox/"
    client.logout()
    resp = client.post(LOGIN, {"username": "clerk", "password": PASSWORD, "next": "https://evil.example/"})
    assert resp["Location"] == reverse("web:home")


def test_logout_is_post_only(client, staff):
    client.force_login(staff)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_admin_login_goes_through_our_login_page(client, db):
    resp = client.get("/admin/login/?next=/admin/")
    assert resp.status_code == 302 and resp["Location"].startswith(LOGIN)


def test_locked_user_keeps_an_existing_session(client, staff, settings):
    """Someone guessing the password must not throw the owner out of the session they already have."""
    client.force_login(staff)
    other = Client()
    settings.LOGIN_MAX_FAILURES = 2
    post_login(other, "clerk", "bad")
    post_login(other, "clerk", "bad")
    staff.refresh_from_db()
    assert staff.locked_until is not None
    assert client.get("/api/v1/accounts/me/").status_code == 200


def test_argon2_is_the_default(settings):
    from zhengwu import settings as project_settings

    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    user = User(username="x")
    user.set_password(PASSWORD)
    assert user.password.startswith("argon2")
