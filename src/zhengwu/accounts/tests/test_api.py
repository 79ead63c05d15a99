from __future__ import annotations

import pytest
from django.test import Client

from zhengwu.accounts.models import User
from zhengwu.core.notify.backends import sms_outbox

from .conftest import PASSWORD, last_code

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


@pytest.fixture
def api_send(client, django_capture_on_commit_callbacks):
    def _send(phone: str = PHONE, purpose: str = "signup"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/api/v1/accounts/sms-code/",
                {"phone": phone, "purpose": purpose},
                content_type="application/json",
            )

    return _send


def test_sms_code_signup_and_me(client, api_send, clock):
    resp = api_send()
    assert resp.status_code == 202, resp.content
    assert len(sms_outbox) == 1
    resp = client.post(
        "/api/v1/accounts/signup/",
        {"phone": PHONE, "code": last_code(PHONE), "password": PASSWORD, "display_name": "赵六"},
        content_type="application/json",
    )
    assert resp.status_code == 201, resp.content
    assert resp.json()["kind"] == "applicant" and resp.json()["display_name"] == "赵六"
    me = client.get("/api/v1/accounts/me/").json()
    assert me["phone"] == PHONE and me["phone_verified"] is True and isinstance(me["roles"], list)
    assert "password" not in me


def test_sms_code_throttled_is_429(api_send, clock):
    assert api_send().status_code == 202
    resp = api_send()
    assert resp.status_code == 429 and "秒后" in resp.json()["detail"] and resp["Retry-After"]


def test_bad_phone_is_400_with_field(api_send):
    resp = api_send(phone="2345")
    assert resp.status_code == 400
    assert "phone" in resp.json()["errors"]


def test_signup_with_wrong_code_is_400_and_writes_nothing(client, api_send, clock):
    api_send()
    code = last_code(PHONE)
    resp = client.post(
        "/api/v1/accounts/signup/",
        {"phone": PHONE, "code": "000000" if code != "000000" else "111111", "password": PASSWORD},
        content_type="application/json",
    )
    assert resp.status_code == 400 and "code" in resp.json()["errors"]
    assert not User.objects.exists()


def test_me_for_staff_and_anonymous(client, staff):
    assert client.get("/api/v1/accounts/me/").status_code in (401, 403)
    client.force_login(staff)
    body = client.get("/api/v1/accounts/me/").json()
    assert body["kind"] == "staff" and body["display_name"] == "王小明"


def test_csrf_is_enforced_on_anonymous_posts(db):
    client = Client(enforce_csrf_checks=True)
    resp = client.post("/api/v1/accounts/sms-code/", {"phone": PHONE}, content_type="application/json")
    assert resp.status_code == 403
    assert not sms_outbox


def test_csrf_token_lets_the_post_through(db, django_capture_on_commit_callbacks):
    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/signup/")
    token = client.cookies["csrftoken"].value
    with django_capture_on_commit_callbacks(execute=True):
        resp = client.post(
            "/api/v1/accounts/sms-code/",
            {"phone": PHONE},
            content_type="application/json",
            headers={"X-CSRFToken": token},
        )
    assert resp.status_code == 202
    assert len(sms_outbox) == 1
