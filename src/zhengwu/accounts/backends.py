"""Password authentication: staff by username, applicants by their verified mobile number."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest
from django.utils import timezone

from .phones import is_phone, normalise_phone


def find_login_user(identifier: str) -> Any | None:
    """The account a login name points at: a username first, then an applicant's phone."""
    model = get_user_model()
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    user = model._default_manager.filter(username=identifier).first()
    if user is None:
        phone = normalise_phone(identifier)
        if is_phone(phone):
            user = model._default_manager.filter(phone=phone).first()
    return user


def account_usable(user: Any) -> bool:
    """Active, not locked, and (for applicants) the phone has been verified."""
    if not user.is_active:
        return False
    if user.locked_until is not None and user.locked_until > timezone.now():
        return False
    return not (user.kind == "applicant" and user.phone_verified_at is None and not user.oidc_subject)


class ZhengwuBackend(ModelBackend):
    """Lock-out counting and TOTP live in services.login_attempt; this backend also refuses locked accounts
    so that no other login path (e.g. the admin's) can ignore a lock."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any | None:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = find_login_user(username)
        if user is None:
            # Hash anyway so that an unknown name costs the same time as a wrong password.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def user_can_authenticate(self, user: Any) -> bool:
        return account_usable(user)

    def get_user(self, user_id: Any) -> Any | None:
        # A lock stops new logins only: someone guessing the password must not end the owner's session.
        model = get_user_model()
        user = model._default_manager.filter(pk=user_id).first()
        return user if user is not None and user.is_active else None
