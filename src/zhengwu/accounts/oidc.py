"""Login through the provincial unified identity platform (OpenID Connect, authorization code + PKCE).

Configured by OIDC_ISSUER / OIDC_CLIENT_ID / OIDC_CLIENT_SECRET / OIDC_SCOPES; hidden when the issuer
is empty. Network calls happen here, never inside a database transaction.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import actor_for
from zhengwu.core.audit.services import audit_record

from .models import User
from .phones import is_phone, mask_phone, normalise_phone

TIMEOUT = 10
DISCOVERY_TTL = 3600
FLOW_SECONDS = 600  # how long a started login may take at the provider
LEEWAY = 60  # seconds of clock difference tolerated on exp/iat


class OIDCError(Exception):
    """A refused login; the message is safe to show to the user."""


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_ISSUER", ""))


def _issuer() -> str:
    return str(settings.OIDC_ISSUER).rstrip("/")


def discovery() -> dict[str, Any]:
    key = f"accounts.oidc.discovery:{_issuer()}"
    doc = cache.get(key)
    if doc is None:
        try:
            resp = requests.get(f"{_issuer()}/.well-known/openid-configuration", timeout=TIMEOUT)
            resp.raise_for_status()
            doc = resp.json()
        except (requests.RequestException, ValueError) as exc:
            raise OIDCError(_("统一身份认证平台暂时无法访问，请稍后再试。")) from exc
        cache.set(key, doc, DISCOVERY_TTL)
    return doc


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


@dataclass(frozen=True)
class Flow:
    """What the browser session keeps between the redirect out and the callback."""

    state: str
    nonce: str
    verifier: str
    started: float
    next_url: str = ""

    def as_session(self) -> dict[str, Any]:
        return self.__dict__.copy()

    @classmethod
    def from_session(cls, data: Any) -> Flow | None:
        try:
            return cls(**data)
        except TypeError:
            return None


def flow_start(*, redirect_uri: str, next_url: str = "") -> tuple[Flow, str]:
    """A new state, nonce and PKCE verifier, and the provider URL to send the browser to."""
    flow = Flow(
        state=secrets.token_urlsafe(32),
        nonce=secrets.token_urlsafe(32),
        verifier=secrets.token_urlsafe(64),
        started=time.time(),
        next_url=next_url,
    )
    challenge = _b64(hashlib.sha256(flow.verifier.encode("ascii")).digest())
    params = {
        "response_type": "code",
        "client_id": settings.OIDC_CLIENT_ID,
        "redirect_uri": redirect_uri,
        "scope": getattr(settings, "OIDC_SCOPES", "openid"),
        "state": flow.state,
        "nonce": flow.nonce,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    return flow, f"{discovery()['authorization_endpoint']}?{urlencode(params)}"


def flow_finish(*, flow: Flow | None, params: dict[str, str], redirect_uri: str) -> dict[str, Any]:
    """Check the callback, exchange the code and return the verified ID token claims."""
    if flow is None or not constant_time_compare(flow.state, params.get("state", "")):
        raise OIDCError(_("登录请求已失效或来源不明，请重新登录。"))
    if time.time() - flow.started > FLOW_SECONDS:
        raise OIDCError(_("登录超时，请重新登录。"))
    if params.get("error"):
        raise OIDCError(_("统一身份认证平台未完成登录，请重新登录。"))
    code = params.get("code", "")
    if not code:
        raise OIDCError(_("登录请求已失效或来源不明，请重新登录。"))
    meta = discovery()
    try:
        resp = requests.post(
            meta["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "client_id": settings.OIDC_CLIENT_ID,
                "code_verifier": flow.verifier,
            },
            auth=(settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET),
            timeout=TIMEOUT,
        )
        resp.raise_for_status()
        id_token = resp.json()["id_token"]
    except (requests.RequestException, ValueError, KeyError) as exc:
        raise OIDCError(_("统一身份认证平台未能完成登录，请稍后再试。")) from exc
    return verify_id_token(id_token, nonce=flow.nonce, jwks_uri=meta["jwks_uri"])


def _signing_key(token: str, jwks_uri: str) -> Any:
    try:
        kid = jwt.get_unverified_header(token).get("kid")
        resp = requests.get(jwks_uri, timeout=TIMEOUT)
        resp.raise_for_status()
        keys = jwt.PyJWKSet.from_dict(resp.json()).keys
    except (jwt.PyJWTError, requests.RequestException, ValueError) as exc:
        raise OIDCError(_("身份令牌无法验证，请重新登录。")) from exc
    for key in keys:
        if kid is None or key.key_id == kid:
            return key.key
    raise OIDCError(_("身份令牌无法验证，请重新登录。"))


def verify_id_token(token: str, *, nonce: str, jwks_uri: str) -> dict[str, Any]:
    key = _signing_key(token, jwks_uri)
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=["RS256"],  # never "none" or HS256 with the public key as the secret
            audience=settings.OIDC_CLIENT_ID,
            issuer=_issuer(),
            leeway=LEEWAY,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
    except jwt.ExpiredSignatureError as exc:
        raise OIDCError(_("身份令牌已过期，请重新登录。")) from exc
    except jwt.PyJWTError as exc:
        raise OIDCError(_("身份令牌无法验证，请重新登录。")) from exc
    if not constant_time_compare(str(claims.get("nonce", "")), nonce):
        raise OIDCError(_("身份令牌与本次登录不符，请重新登录。"))
    return claims


def _verified_phone(claims: dict[str, Any]) -> str:
    phone = normalise_phone(str(claims.get("phone_number", "")))
    verified = claims.get("phone_number_verified") in (True, "true", "1", 1)
    return phone if verified and is_phone(phone) else ""


def oidc_user_resolve(*, claims: dict[str, Any]) -> User:
    """The local account of a provider identity: by subject, else by verified phone, else a new applicant."""
    subject = str(claims["sub"])[:255]
    phone = _verified_phone(claims)
    name = str(claims.get("name") or claims.get("preferred_username") or "")[:64]
    with transaction.atomic(durable=True):
        user = User.objects.select_for_update().filter(oidc_subject=subject).first()
        how = "subject"
        if user is None and phone:
            # Only applicant accounts are linked by phone: a staff account must be linked by an administrator.
            user = (
                User.objects.select_for_update()
                .filter(phone=phone, kind=User.Kind.APPLICANT, oidc_subject__isnull=True)
                .first()
            )
            if user is not None:
                how = "phone"
                user.oidc_subject = subject
                user.phone_verified_at = user.phone_verified_at or timezone.now()
                if not user.display_name and name:
                    user.display_name = name
                user.save(update_fields=["oidc_subject", "phone_verified_at", "display_name"])
        if user is None:
            how = "created"
            phone_free = bool(phone) and not User.objects.filter(phone=phone).exists()
            username = phone if phone_free and not User.objects.filter(username=phone).exists() else ""
            username = username or "oidc-" + hashlib.sha256(subject.encode()).hexdigest()[:24]
            try:
                with transaction.atomic():
                    user = User(
                        username=username,
                        kind=User.Kind.APPLICANT,
                        display_name=name,
                        oidc_subject=subject,
                        phone=phone if phone_free else None,
                        phone_verified_at=timezone.now() if phone_free else None,
                    )
                    user.set_unusable_password()
                    user.save()
            except IntegrityError:
                # A parallel callback for the same person won the race.
                user = User.objects.get(oidc_subject=subject)
                how = "subject"
        if how != "subject":
            audit_record(
                actor=actor_for(user),
                action="accounts.oidc_linked",
                obj_type="accounts.user",
                obj_id=user.pk,
                summary=_("按已验证手机号 %(p)s 关联统一身份认证账号") % {"p": mask_phone(phone)}
                if how == "phone"
                else _("由统一身份认证创建账号"),
            )
    return user
