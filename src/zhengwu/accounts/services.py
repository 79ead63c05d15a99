"""Every write of the accounts app: password login with lock-out, TOTP, SMS codes, sign-up, reset."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor, actor_for
from zhengwu.core.audit.services import audit_record
from zhengwu.core.events.services import emit
from zhengwu.core.notify.services import notify_send

from .backends import account_usable, find_login_user
from .models import PhoneCode, User
from .phones import mask_phone, validate_phone

OBJ_USER = "accounts.user"
CODE_MINUTES = 10
CODE_MAX_TRIES = 5
CODE_RESEND_SECONDS = 60
CODE_DAILY_LIMIT = 10


def max_failures() -> int:
    return int(getattr(settings, "LOGIN_MAX_FAILURES", 5))


def lock_minutes() -> int:
    return int(getattr(settings, "LOGIN_LOCK_MINUTES", 15))


def locked_message(until: datetime) -> str:
    local = timezone.localtime(until)
    return _("登录失败次数过多，账号已锁定，请于 %(time)s 后再试。") % {
        "time": local.strftime("%Y-%m-%d %H:%M")
    }


def _bad_credentials() -> str:
    return _("用户名（手机号）或密码不正确。")


@dataclass(frozen=True)
class LoginResult:
    user: User | None = None
    error: str = ""
    needs_totp: bool = False

    @property
    def ok(self) -> bool:
        return self.user is not None and not self.error


def _actor(user: User | None) -> Actor | None:
    return actor_for(user) if user is not None else None


# --- lock-out -------------------------------------------------------------------------------


def _reserve_attempt(user_id: int) -> datetime | None:
    """Count the attempt *before* the slow password hash, committed at once.

    Parallel requests therefore see each other's attempts: no more than LOGIN_MAX_FAILURES passwords are
    ever checked per lock period. Returns the lock's end if the account is (or now becomes) locked.
    """
    now = timezone.now()
    with transaction.atomic():
        row = User.objects.select_for_update().only("locked_until", "failed_logins").get(pk=user_id)
        if row.locked_until is not None and row.locked_until > now:
            return row.locked_until
        if row.locked_until is not None:  # a lock that has run out starts a fresh count
            User.objects.filter(pk=user_id).update(locked_until=None, failed_logins=0)
        User.objects.filter(pk=user_id).update(failed_logins=F("failed_logins") + 1)
        count = User.objects.filter(pk=user_id).values_list("failed_logins", flat=True).get()
        if count > max_failures():
            return _lock(user_id, now)
    return None


def _attempt_failed(user_id: int) -> datetime | None:
    now = timezone.now()
    with transaction.atomic():
        row = User.objects.select_for_update().only("locked_until", "failed_logins").get(pk=user_id)
        if row.locked_until is not None and row.locked_until > now:
            return row.locked_until
        if row.failed_logins >= max_failures():
            return _lock(user_id, now)
    return None


def _attempt_succeeded(user_id: int) -> None:
    User.objects.filter(pk=user_id).update(failed_logins=0, locked_until=None)


def _lock(user_id: int, now: datetime) -> datetime:
    until = now + timedelta(minutes=lock_minutes())
    User.objects.filter(pk=user_id).update(locked_until=until, failed_logins=0)
    emit(
        "accounts.user_locked",
        {"user_id": user_id, "locked_until": until.isoformat()},
        aggregate_type=OBJ_USER,
        aggregate_id=user_id,
    )
    audit_record(
        actor=None,
        action="accounts.user_locked",
        obj_type=OBJ_USER,
        obj_id=user_id,
        summary=_("连续登录失败，账号锁定至 %(time)s") % {"time": timezone.localtime(until).isoformat()},
    )
    return until


def user_unlock(*, actor: Actor, user: User, reason: str = "") -> None:
    """An administrator lifts a lock before it runs out."""
    with transaction.atomic(durable=True):
        User.objects.filter(pk=user.pk).update(locked_until=None, failed_logins=0)
        audit_record(
            actor=actor, action="accounts.user_unlocked", obj_type=OBJ_USER, obj_id=user.pk, reason=reason
        )


# --- password login -------------------------------------------------------------------------


def login_attempt(*, identifier: str, password: str, staff_only: bool = False) -> LoginResult:
    """Check a username/phone and password. The caller logs the user in (or asks for the TOTP code).

    Not one transaction on purpose: the attempt counter must be committed before the password is hashed.
    """
    identifier = (identifier or "").strip()
    user = find_login_user(identifier)
    if user is None or (staff_only and user.kind != User.Kind.STAFF):
        authenticate(None, username=identifier, password=password)  # same cost as a wrong password
        audit_record(
            actor=None,
            action="accounts.login_failed",
            obj_type=OBJ_USER,
            obj_id=user.pk if user is not None else "",
            summary=_("登录失败：账号不存在") if user is None else _("登录失败：非工作人员账号"),
        )
        return LoginResult(error=_bad_credentials())
    until = _reserve_attempt(user.pk)
    if until is not None:
        audit_record(actor=None, action="accounts.login_refused_locked", obj_type=OBJ_USER, obj_id=user.pk)
        return LoginResult(error=locked_message(until))
    authed = authenticate(None, username=identifier, password=password)
    if authed is None:
        if user.is_active and user.check_password(password) and not account_usable(user):
            # The password was right; the account only lacks phone verification.
            _attempt_succeeded(user.pk)
            return LoginResult(error=_("手机号尚未验证，请通过“找回密码”用短信验证码验证手机号后登录。"))
        until = _attempt_failed(user.pk)
        audit_record(
            actor=None,
            action="accounts.login_failed",
            obj_type=OBJ_USER,
            obj_id=user.pk,
            summary=_("密码错误"),
        )
        return LoginResult(error=locked_message(until) if until else _bad_credentials())
    assert isinstance(authed, User)
    _attempt_succeeded(authed.pk)
    if authed.totp_enabled:
        return LoginResult(user=authed, needs_totp=True)
    login_record(user=authed, method="password")
    return LoginResult(user=authed)


def login_record(*, user: User, method: str) -> None:
    audit_record(
        actor=_actor(user),
        action="accounts.login",
        obj_type=OBJ_USER,
        obj_id=user.pk,
        summary=_("登录成功（%(method)s）") % {"method": method},
    )


def logout_record(*, user: User) -> None:
    audit_record(actor=_actor(user), action="accounts.logout", obj_type=OBJ_USER, obj_id=user.pk)


# --- TOTP -----------------------------------------------------------------------------------


def totp_new_secret() -> str:
    return pyotp.random_base32()


def totp_uri(*, user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name="Zhengwu")


def _totp_step(secret: str, code: str) -> int | None:
    """The time step a code belongs to (one step of clock drift either way), or None."""
    code = (code or "").strip()
    if not (len(code) == 6 and code.isdigit()) or not secret:
        return None
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    try:
        for drift in (0, -1, 1):
            moment = now + timedelta(seconds=drift * totp.interval)
            if constant_time_compare(totp.at(moment), code):
                return totp.timecode(moment)
    except ValueError:  # a malformed stored secret: no code can match it
        return None
    return None


def _totp_consume(user_id: int, secret: str, code: str) -> bool:
    step = _totp_step(secret, code)
    if step is None:
        return False
    # Conditional update: a code (or an older one) already used cannot be accepted again, even in parallel.
    fresh = Q(totp_last_step__isnull=True) | Q(totp_last_step__lt=step)
    return User.objects.filter(fresh, pk=user_id).update(totp_last_step=step) == 1


def login_totp_verify(*, user_id: int, code: str) -> LoginResult:
    """Second login step. A wrong code counts as a failed login, so TOTP guessing runs into the lock-out."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.totp_enabled:
        return LoginResult(error=_("登录已失效，请重新登录。"))
    until = _reserve_attempt(user.pk)
    if until is not None:
        return LoginResult(error=locked_message(until))
    if not _totp_consume(user.pk, user.totp_secret, code):
        until = _attempt_failed(user.pk)
        audit_record(
            actor=None,
            action="accounts.login_failed",
            obj_type=OBJ_USER,
            obj_id=user.pk,
            summary=_("动态口令错误"),
        )
        return LoginResult(
            error=locked_message(until) if until else _("动态口令不正确或已使用，请输入最新的 6 位数字。")
        )
    _attempt_succeeded(user.pk)
    login_record(user=user, method="password+totp")
    return LoginResult(user=user)


def totp_enable(*, actor: Actor, user: User, secret: str, code: str) -> None:
    if user.kind != User.Kind.STAFF:
        raise ValidationError({"code": _("只有工作人员账号可以启用动态口令。")})
    step = _totp_step(secret, code)
    if step is None:
        raise ValidationError({"code": _("动态口令不正确，请核对手机上的时间后重新输入。")})
    with transaction.atomic(durable=True):
        User.objects.filter(pk=user.pk).update(totp_secret=secret, totp_enabled=True, totp_last_step=step)
        audit_record(actor=actor, action="accounts.totp_enabled", obj_type=OBJ_USER, obj_id=user.pk)
    user.refresh_from_db(fields=["totp_secret", "totp_enabled", "totp_last_step"])


def totp_disable(*, actor: Actor, user: User, code: str) -> None:
    if not _totp_consume(user.pk, user.totp_secret, code):
        raise ValidationError({"code": _("动态口令不正确或已使用，请输入最新的 6 位数字。")})
    with transaction.atomic(durable=True):
        User.objects.filter(pk=user.pk).update(totp_secret="", totp_enabled=False, totp_last_step=None)
        audit_record(actor=actor, action="accounts.totp_disabled", obj_type=OBJ_USER, obj_id=user.pk)
    user.refresh_from_db(fields=["totp_secret", "totp_enabled", "totp_last_step"])


# --- SMS codes ------------------------------------------------------------------------------


class CodeThrottled(Exception):
    def __init__(self, message: str, wait_seconds: int) -> None:
        super().__init__(message)
        self.message = message
        self.wait_seconds = wait_seconds


def _code_hash(phone: str, purpose: str, code: str) -> str:
    return salted_hmac(
        "zhengwu.accounts.PhoneCode", f"{phone}:{purpose}:{code}", algorithm="sha256"
    ).hexdigest()


def _serialise_phone(phone: str) -> None:
    """Two parallel sends to one number must not both pass the throttle."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"accounts.sms:{phone}"])


def phone_code_send(*, phone: str, purpose: str) -> None:
    """Send a 6-digit code by SMS. Raises ValidationError (bad phone) or CodeThrottled."""
    phone = validate_phone(phone)
    if purpose not in PhoneCode.Purpose.values:
        raise ValidationError({"purpose": _("验证码用途不正确。")})
    registered = User.objects.filter(Q(phone=phone) | Q(username=phone)).exists()
    if purpose == PhoneCode.Purpose.SIGNUP and registered:
        raise ValidationError({"phone": _("该手机号已注册，请直接登录；忘记密码可用“找回密码”。")})
    now = timezone.now()
    with transaction.atomic(durable=True):
        _serialise_phone(phone)
        recent = PhoneCode.objects.filter(phone=phone)
        last = recent.order_by("-created_at").values_list("created_at", flat=True).first()
        if last is not None and (now - last).total_seconds() < CODE_RESEND_SECONDS:
            wait = CODE_RESEND_SECONDS - int((now - last).total_seconds())
            raise CodeThrottled(_("验证码已发送，请 %(s)s 秒后再重新获取。") % {"s": wait}, wait)
        midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
        if recent.filter(created_at__gte=midnight).count() >= CODE_DAILY_LIMIT:
            raise CodeThrottled(_("该手机号今天获取验证码次数已达上限，请明天再试。"), 24 * 3600)
        code = f"{secrets.randbelow(10**6):06d}"
        PhoneCode.objects.create(
            phone=phone,
            purpose=purpose,
            code_hash=_code_hash(phone, purpose, code),
            created_at=now,
            expires_at=now + timedelta(minutes=CODE_MINUTES),
        )
        # A reset code for an unknown number is recorded (same throttle, same answer) but never sent,
        # so the form does not tell strangers which numbers have accounts.
        if purpose == PhoneCode.Purpose.SIGNUP or registered:
            notify_send(
                template="accounts.verification_code",
                context={"code": code, "minutes": CODE_MINUTES},
                phone=phone,
                channels=("sms",),
            )
        audit_record(
            actor=None,
            action="accounts.code_sent",
            obj_type="accounts.phone",
            obj_id=mask_phone(phone),
            summary=str(PhoneCode.Purpose(purpose).label),
        )


def _code_consume(phone: str, purpose: str, code: str) -> str | None:
    """Use up the latest code. Returns an error message, or None when the code is right.

    Must run inside a transaction that commits even on a wrong code, so the try is counted.
    """
    now = timezone.now()
    row = (
        PhoneCode.objects.select_for_update()
        .filter(phone=phone, purpose=purpose, consumed_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if row is None or row.expires_at <= now:
        return _("验证码已失效，请重新获取。")
    if row.attempts >= CODE_MAX_TRIES:
        return _("验证码错误次数过多，请重新获取。")
    if not constant_time_compare(row.code_hash, _code_hash(phone, purpose, (code or "").strip())):
        PhoneCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        left = CODE_MAX_TRIES - row.attempts - 1
        if left <= 0:
            return _("验证码错误次数过多，请重新获取。")
        return _("验证码不正确，还可以再试 %(n)s 次。") % {"n": left}
    PhoneCode.objects.filter(pk=row.pk).update(consumed_at=now)
    return None


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user=user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc


def applicant_signup(*, phone: str, code: str, password: str, display_name: str = "") -> User:
    """Create an applicant whose phone is verified by the code: the account is usable only then."""
    phone = validate_phone(phone)
    display_name = (display_name or "").strip()[:64]
    if User.objects.filter(Q(phone=phone) | Q(username=phone)).exists():
        raise ValidationError({"phone": _("该手机号已注册，请直接登录。")})
    candidate = User(username=phone, phone=phone, display_name=display_name)
    _check_password(password, candidate)
    user: User | None = None
    with transaction.atomic(durable=True):
        error = _code_consume(phone, PhoneCode.Purpose.SIGNUP, code)
        if error is None:
            try:
                with transaction.atomic():
                    user = User.objects.create_user(
                        username=phone,
                        password=password,
                        phone=phone,
                        phone_verified_at=timezone.now(),
                        display_name=display_name,
                        kind=User.Kind.APPLICANT,
                    )
            except IntegrityError:
                error = _("该手机号已注册，请直接登录。")
            else:
                audit_record(
                    actor=_actor(user),
                    action="accounts.signup",
                    obj_type=OBJ_USER,
                    obj_id=user.pk,
                    summary=_("手机号注册并验证：%(phone)s") % {"phone": mask_phone(phone)},
                )
    if error is not None or user is None:
        raise ValidationError({"code": error or _("注册失败，请重试。")})
    return user


def password_reset_by_code(*, phone: str, code: str, password: str) -> User:
    """Set a new password after an SMS code; this also verifies the phone and lifts a lock."""
    phone = validate_phone(phone)
    user = User.objects.filter(Q(phone=phone) | Q(username=phone)).first()
    if user is not None:
        _check_password(password, user)
    with transaction.atomic(durable=True):
        error = _code_consume(phone, PhoneCode.Purpose.RESET, code)
        if error is None and user is not None:
            user.set_password(password)
            user.phone = phone
            user.phone_verified_at = user.phone_verified_at or timezone.now()
            user.failed_logins = 0
            user.locked_until = None
            user.save(
                update_fields=["password", "phone", "phone_verified_at", "failed_logins", "locked_until"]
            )
            audit_record(
                actor=_actor(user), action="accounts.password_reset", obj_type=OBJ_USER, obj_id=user.pk
            )
    if error is not None or user is None:
        raise ValidationError({"code": error or _("验证码已失效，请重新获取。")})
    return user
