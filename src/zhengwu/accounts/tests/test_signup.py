from __future__ import annotations

from datetime import timedelta

import pytest

from zhengwu.accounts import services
from zhengwu.accounts.models import PhoneCode, User
from zhengwu.core.audit.models import AuditEntry
from zhengwu.core.notify.backends import sms_outbox

from .conftest import PASSWORD, last_code

pytestmark = pytest.mark.django_db
PHONE = "13912345678"
SIGNUP = "/accounts/signup/"


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    def _send(phone: str = PHONE, url: str = SIGNUP):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, {"phone": phone, "send_code": "1"})

    return _send


def signup(client, code: str, phone: str = PHONE, password: str = PASSWORD):
    return client.post(
        SIGNUP,
        {"phone": phone, "code": code, "password": password, "password2": password, "display_name": "李阿姨"},
    )


def test_signup_with_sms_code(client, send, clock):
    resp = send()
    assert resp.status_code == 200 and "验证码已发送" in resp.content.decode()
    assert [m.phone for m in sms_outbox] == [PHONE]
    code = last_code(PHONE)
    row = PhoneCode.objects.get(phone=PHONE)
    assert code not in row.code_hash  # stored hashed only

    resp = signup(client, code)
    assert resp.status_code == 302
    user = User.objects.get(phone=PHONE)
    assert user.username == PHONE and user.kind == User.Kind.APPLICANT and user.display_name == "李阿姨"
    assert user.phone_verified_at is not None
    assert client.session["_auth_user_id"] == str(user.pk)
    assert AuditEntry.objects.filter(action="accounts.signup", obj_id=str(user.pk)).exists()
    # A code is single-use.
    client.logout()
    User.objects.all().delete()
    assert signup(client, code).status_code == 400


def test_wrong_code_counts_and_the_fifth_failure_burns_the_code(client, send, clock):
    send()
    code = last_code(PHONE)
    wrong = "000000" if code != "000000" else "111111"
    resp = signup(client, wrong)
    assert resp.status_code == 400 and "还可以再试 4 次" in resp.content.decode()
    for _ in range(4):
        signup(client, wrong)
    assert PhoneCode.objects.get(phone=PHONE).attempts == 5
    resp = signup(client, code)
    assert resp.status_code == 400 and "错误次数过多" in resp.content.decode()
    assert not User.objects.filter(phone=PHONE).exists()


def test_code_expires_after_ten_minutes(client, send, clock):
    send()
    code = last_code(PHONE)
    clock.shift(timedelta(minutes=10, seconds=1))
    resp = signup(client, code)
    assert resp.status_code == 400 and "验证码已失效" in resp.content.decode()
    assert not User.objects.exists()


def test_resend_is_throttled_per_minute_and_per_day(client, send, clock):
    assert send().status_code == 200
    resp = send()
    assert resp.status_code == 429 and "秒后再重新获取" in resp.content.decode()
    assert len(sms_outbox) == 1
    for _ in range(9):
        clock.shift(timedelta(seconds=61))
        assert send().status_code == 200
    clock.shift(timedelta(seconds=61))
    resp = send()
    assert resp.status_code == 429 and "次数已达上限" in resp.content.decode()
    assert len(sms_outbox) == 10
    clock.shift(timedelta(days=1))
    assert send().status_code == 200


def test_bad_phone_is_refused_with_the_field_named(client, send):
    resp = send(phone="12345678901")
    assert resp.status_code == 400 and "手机号格式不正确" in resp.content.decode()
    assert not sms_outbox


def test_registered_phone_cannot_sign_up_again(client, send, applicant):
    resp = send(phone=applicant.phone)
    assert resp.status_code == 400 and "已注册" in resp.content.decode()
    assert not sms_outbox


def test_weak_password_is_refused_before_the_code_is_used(client, send, clock):
    send()
    code = last_code(PHONE)
    resp = signup(client, code, password="12345678")
    assert resp.status_code == 400
    assert not User.objects.exists()
    assert PhoneCode.objects.get(phone=PHONE).consumed_at is None
    assert signup(client, code).status_code == 302


def test_mismatched_passwords(client):
    resp = client.post(
        SIGNUP, {"phone": PHONE, "code": "123456", "password": PASSWORD, "password2": PASSWORD + "x"}
    )
    assert resp.status_code == 400 and "两次输入的密码不一致" in resp.content.decode()


def test_password_reset_by_sms(client, send, applicant, clock):
    send(phone=applicant.phone, url="/accounts/password-reset/")
    code = last_code(applicant.phone)
    new = "Another-strong-pass-7"
    resp = client.post(
        "/accounts/password-reset/",
        {"phone": applicant.phone, "code": code, "password": new, "password2": new},
    )
    assert resp.status_code == 302
    assert services.login_attempt(identifier=applicant.phone, password=new).ok


def test_password_reset_for_unknown_phone_sends_nothing_but_answers_the_same(client, send):
    resp = send(phone="13700000000", url="/accounts/password-reset/")
    assert resp.status_code == 200 and "验证码已发送" in resp.content.decode()
    assert not sms_outbox


def test_reset_verifies_a_phone_that_was_never_verified(client, send, clock):
    user = User.objects.create_user(username="13600000000", phone="13600000000", password="Old-pass-word-1")
    send(phone="13600000000", url="/accounts/password-reset/")
    code = last_code("13600000000")
    client.post(
        "/accounts/password-reset/",
        {"phone": "13600000000", "code": code, "password": PASSWORD, "password2": PASSWORD},
    )
    user.refresh_from_db()
    assert user.phone_verified_at is not None
    assert services.login_attempt(identifier="13600000000", password=PASSWORD).ok


def test_step_two_keeps_the_phone_and_puts_the_main_action_first(client, send, clock):
    page = send().content.decode()
    assert "139****5678" in page and f'type="hidden" name="phone" value="{PHONE}"' in page
    # Enter submits the first button: it must be "注册", not "resend".
    form = page[page.index('<form method="post" class="form"') :]
    first_button = form[form.index("<button") :].split(">", 1)[0]
    assert "btn-primary" in first_button and "send_code" not in first_button
    resp = client.post(SIGNUP, {"phone": PHONE, "code": "1", "password": "a", "password2": "b"})
    body = resp.content.decode()
    assert (
        resp.status_code == 400
        and "两次输入的密码不一致" in body
        and 'name="phone" value="13912345678"' in body
    )
