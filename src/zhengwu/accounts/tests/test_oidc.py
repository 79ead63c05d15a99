from __future__ import annotations

import pytest
import requests
from django.core.cache import cache
from django.utils import timezone

from zhengwu.accounts.models import User
from zhengwu.core.audit.models import AuditEntry

from .fake_oidc import CLIENT_ID, CLIENT_SECRET, FakeProvider, rsa_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings):
    with FakeProvider() as fake:
        settings.OIDC_ISSUER = fake.issuer
        settings.OIDC_CLIENT_ID = CLIENT_ID
        settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_SCOPES = "openid profile phone"
        cache.clear()
        yield fake
    cache.clear()


def start(client):
    """Our login view → the provider's /authorize → the callback URL the browser would follow."""
    resp = client.get("/accounts/oidc/login/")
    assert resp.status_code == 302
    back = requests.get(resp["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302
    return back.headers["Location"].replace("http://testserver", "")


def test_full_flow_creates_an_applicant(client, provider):
    provider.claims.update(phone_number="+86 139 0000 1111", phone_number_verified=True)
    callback = start(client)
    resp = client.get(callback)
    assert resp.status_code == 302, resp.content
    user = User.objects.get(oidc_subject="prov-0001")
    assert user.kind == User.Kind.APPLICANT and user.display_name == "张三"
    assert user.phone == "13900001111" and user.phone_verified_at is not None
    assert not user.has_usable_password()
    assert client.session["_auth_user_id"] == str(user.pk)
    # PKCE was used and the secret sent as HTTP basic auth (checked by the fake provider).
    assert provider.token_requests[0]["code_verifier"]
    assert AuditEntry.objects.filter(action="accounts.oidc_linked", obj_id=str(user.pk)).exists()

    # A second login finds the same account by subject.
    client.post("/accounts/logout/")
    client.get(start(client))
    assert User.objects.filter(oidc_subject="prov-0001").count() == 1
    assert client.session["_auth_user_id"] == str(user.pk)


def test_links_an_existing_applicant_by_verified_phone(client, provider, applicant):
    provider.claims.update(phone_number=applicant.phone, phone_number_verified=True)
    client.get(start(client))
    applicant.refresh_from_db()
    assert applicant.oidc_subject == "prov-0001"
    assert client.session["_auth_user_id"] == str(applicant.pk)


def test_unverified_phone_claim_does_not_link(client, provider, applicant):
    provider.claims.update(phone_number=applicant.phone, phone_number_verified=False)
    client.get(start(client))
    applicant.refresh_from_db()
    assert applicant.oidc_subject is None
    new = User.objects.get(oidc_subject="prov-0001")
    assert new.pk != applicant.pk and new.phone is None


def test_staff_accounts_are_not_linked_by_phone(client, provider, staff):
    User.objects.filter(pk=staff.pk).update(phone="13900001111", phone_verified_at=timezone.now())
    provider.claims.update(phone_number="13900001111", phone_number_verified=True)
    client.get(start(client))
    staff.refresh_from_db()
    assert staff.oidc_subject is None
    assert User.objects.get(oidc_subject="prov-0001").kind == User.Kind.APPLICANT


def refused(client, callback: str) -> None:
    resp = client.get(callback)
    assert resp.status_code == 302 and resp["Location"] == "/accounts/applicant-login/"
    assert "_auth_user_id" not in client.session
    assert not User.objects.filter(oidc_subject="prov-0001").exists()


def test_wrong_nonce_is_refused(client, provider):
    provider.overrides["nonce"] = "not-the-one-we-sent"
    refused(client, start(client))


def test_wrong_state_is_refused(client, provider):
    callback = start(client)
    forged = callback.replace("state=", "state=x")
    refused(client, forged)
    assert provider.token_requests == []  # refused before the code was even exchanged


def test_callback_without_a_started_login_is_refused(client, provider):
    callback = start(client)
    client.cookies.clear()
    refused(client, callback)


def test_expired_token_is_refused(client, provider):
    provider.overrides["exp"] = int(timezone.now().timestamp()) - 3600
    refused(client, start(client))


def test_bad_signature_is_refused(client, provider):
    provider.sign_with = rsa_key("attacker")
    refused(client, start(client))


def test_wrong_audience_is_refused(client, provider):
    provider.overrides["aud"] = "some-other-client"
    refused(client, start(client))


def test_callback_cannot_be_replayed(client, provider):
    callback = start(client)
    assert client.get(callback).status_code == 302
    client.post("/accounts/logout/")
    refused_again = client.get(callback)
    assert "_auth_user_id" not in client.session
    assert refused_again["Location"] == "/accounts/applicant-login/"


def test_hidden_when_not_configured(client, settings, db):
    settings.OIDC_ISSUER = ""
    assert client.get("/accounts/oidc/login/").status_code == 404
    assert client.get("/accounts/oidc/callback/").status_code == 404
    assert "统一身份认证" not in client.get("/accounts/applicant-login/").content.decode()


def test_button_shown_when_configured(client, provider):
    assert "省统一身份认证平台" in client.get("/accounts/applicant-login/").content.decode()
