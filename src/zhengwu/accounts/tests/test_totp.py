from __future__ import annotations

from datetime import timedelta

import pyotp
import pytest
from django.utils import timezone

from zhengwu.accounts.models import User
from zhengwu.core.audit.models import AuditEntry

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture
def totp_staff(staff) -> User:
    User.objects.filter(pk=staff.pk).update(totp_secret=SECRET, totp_enabled=True)
    staff.refresh_from_db()
    return staff


def code_now(secret: str = SECRET) -> str:
    return pyotp.TOTP(secret).at(timezone.now())


def test_enable_page_shows_secret_and_qr_then_confirms_with_a_code(client, staff, clock):
    client.force_login(staff)
    page = client.get("/accounts/totp/")
    assert page.status_code == 200
    secret = page.context["secret"]
    body = page.content.decode()
    assert secret in body and "<svg" in body
    wrong = "000000" if code_now(secret) != "000000" else "111111"
    assert client.post("/accounts/totp/", {"code": wrong}).status_code == 400
    staff.refresh_from_db()
    assert not staff.totp_enabled
    resp = client.post("/accounts/totp/", {"code": code_now(secret)})
    assert resp.status_code == 302
    staff.refresh_from_db()
    assert staff.totp_enabled and staff.totp_secret == secret
    assert AuditEntry.objects.filter(action="accounts.totp_enabled", obj_id=str(staff.pk)).exists()


def test_two_step_login(client, totp_staff, clock):
    resp = client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    assert resp["Location"] == "/accounts/login/verify/"
    assert "_auth_user_id" not in client.session  # password alone is not a login

    good = code_now()
    bad = "123456" if good != "123456" else "654321"
    resp = client.post("/accounts/login/verify/", {"code": bad})
    assert resp.status_code == 400 and "动态口令不正确" in resp.content.decode()
    assert "_auth_user_id" not in client.session

    resp = client.post("/accounts/login/verify/", {"code": good})
    assert resp.status_code == 302
    assert client.session["_auth_user_id"] == str(totp_staff.pk)


def test_a_used_code_cannot_be_replayed(client, totp_staff, clock):
    client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    code = code_now()
    assert client.post("/accounts/login/verify/", {"code": code}).status_code == 302
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    resp = client.post("/accounts/login/verify/", {"code": code})
    assert resp.status_code == 400 and "已使用" in resp.content.decode()
    clock.shift(timedelta(seconds=30))  # the next time step gives a new code
    assert client.post("/accounts/login/verify/", {"code": code_now()}).status_code == 302


def test_password_ok_state_expires(client, totp_staff, clock):
    client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    clock.shift(timedelta(minutes=6))
    resp = client.post("/accounts/login/verify/", {"code": code_now()})
    assert resp.status_code == 302 and resp["Location"] == "/accounts/login/"
    assert "_auth_user_id" not in client.session


def test_wrong_codes_run_into_the_lockout(client, totp_staff, clock, settings):
    settings.LOGIN_MAX_FAILURES = 3
    client.post("/accounts/login/", {"username": "clerk", "password": PASSWORD})
    bad = "123456" if code_now() != "123456" else "654321"
    for _ in range(3):
        client.post("/accounts/login/verify/", {"code": bad})
    resp = client.post("/accounts/login/verify/", {"code": code_now()})
    assert "账号已锁定" in resp.content.decode()
    assert "_auth_user_id" not in client.session


def test_verify_without_password_step_goes_back_to_login(client, totp_staff):
    resp = client.post("/accounts/login/verify/", {"code": code_now()})
    assert resp.status_code == 302 and resp["Location"] == "/accounts/login/"


def test_disable_needs_a_current_code(client, totp_staff, clock):
    client.force_login(totp_staff)
    assert client.post("/accounts/totp/", {"code": "12"}).status_code == 400
    assert client.post("/accounts/totp/", {"code": code_now()}).status_code == 302
    totp_staff.refresh_from_db()
    assert not totp_staff.totp_enabled and totp_staff.totp_secret == ""
    assert AuditEntry.objects.filter(action="accounts.totp_disabled").exists()


def test_applicants_have_no_totp_page(client, applicant):
    client.force_login(applicant)
    assert client.get("/accounts/totp/").status_code == 404
