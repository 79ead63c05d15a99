"""Login pages. Thin: forms in, services do the work, the session keeps only short-lived state."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, TypeVar

import qrcode
import qrcode.image.svg
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from zhengwu.core.access.actor import actor_for
from zhengwu.core.audit.services import audit_record
from zhengwu.core.http import safe_next

from . import oidc, services
from .forms import ApplicantLoginForm, CodeForm, LoginForm, SignupForm, SmsCodeForm
from .models import PhoneCode, User
from .phones import mask_phone, normalise_phone

BACKEND = "zhengwu.accounts.backends.ZhengwuBackend"
PENDING = "accounts.totp_pending"
NEW_SECRET = "accounts.totp_new_secret"  # noqa: S105 - a session key name
OIDC_FLOW = "accounts.oidc_flow"
PENDING_SECONDS = 300
PENDING_MAX_TRIES = 5
F = TypeVar("F", bound=forms.Form)


def _finish(request: HttpRequest, user: User, next_url: str = "") -> HttpResponse:
    request.session.pop(PENDING, None)
    auth_login(request, user, backend=BACKEND)
    return redirect(next_url or settings.LOGIN_REDIRECT_URL)


def _start_totp(request: HttpRequest, user: User, next_url: str) -> HttpResponse:
    # The password was right; the session remembers that (for a few minutes) but is not logged in yet.
    request.session.cycle_key()
    request.session[PENDING] = {"user_id": user.pk, "at": time.time(), "tries": 0, "next": next_url}
    return redirect("accounts:login_totp")


def _password_login(request: HttpRequest, form_class: type[LoginForm], template: str) -> HttpResponse:
    next_url = safe_next(request)
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            result = services.login_attempt(
                identifier=form.cleaned_data["username"], password=form.cleaned_data["password"]
            )
            if result.user is not None and result.needs_totp:
                return _start_totp(request, result.user, next_url)
            if result.user is not None and result.ok:
                return _finish(request, result.user, next_url)
            form.add_error(None, result.error)
        status = 400 if form.errors else 200
    else:
        form = form_class()
        status = 200
    context = {"form": form, "next": next_url, "oidc_enabled": oidc.enabled()}
    return render(request, template, context, status=status)


@sensitive_post_parameters("password")
@never_cache
def login_view(request: HttpRequest) -> HttpResponse:
    """Staff login (also accepts an applicant's phone, so no one is stuck on the wrong page)."""
    return _password_login(request, LoginForm, "accounts/login.html")


@sensitive_post_parameters("password")
@never_cache
def applicant_login_view(request: HttpRequest) -> HttpResponse:
    return _password_login(request, ApplicantLoginForm, "accounts/applicant_login.html")


@never_cache
def login_totp_view(request: HttpRequest) -> HttpResponse:
    pending: dict[str, Any] | None = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS or pending["tries"] >= PENDING_MAX_TRIES:
        request.session.pop(PENDING, None)
        messages.error(request, _("登录已超时或尝试次数过多，请重新输入密码。"))
        return redirect("accounts:login")
    if request.method == "POST":
        form = CodeForm(request.POST)
        if form.is_valid():
            pending["tries"] += 1
            request.session[PENDING] = pending
            result = services.login_totp_verify(user_id=pending["user_id"], code=form.cleaned_data["code"])
            if result.user is not None and result.ok:
                return _finish(request, result.user, pending.get("next", ""))
            form.add_error("code", result.error)
        return render(request, "accounts/login_totp.html", {"form": form}, status=400)
    return render(request, "accounts/login_totp.html", {"form": CodeForm()})


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        services.logout_record(user=request.user)  # type: ignore[arg-type]
    auth_logout(request)
    messages.success(request, _("您已安全退出。"))
    return redirect(settings.LOGOUT_REDIRECT_URL)


@dataclass
class CodePage:
    """Sign-up and reset are two short steps: 1) the phone and "get code", 2) the code and the password."""

    form: forms.Form
    status: int = 200
    step: int = 1
    phone: str = ""
    user: User | None = None

    def context(self) -> dict[str, Any]:
        return {
            "form": self.form,
            "step": self.step,
            "phone": self.phone,
            "masked_phone": mask_phone(self.phone),
        }


def _code_page(request: HttpRequest, *, form_class: type[SmsCodeForm], purpose: str) -> CodePage:
    if request.method != "POST":
        return CodePage(form_class())
    phone = normalise_phone(request.POST.get("phone", ""))
    if "send_code" in request.POST:
        try:
            services.phone_code_send(phone=phone, purpose=purpose)
        except ValidationError as exc:
            return CodePage(_with_errors(form_class(initial={"phone": phone}), exc), 400, 1, phone)
        except services.CodeThrottled as exc:
            # A code went out moments ago: the person most likely has it, so carry on to step 2.
            messages.warning(request, exc.message)
            return CodePage(form_class(initial={"phone": phone}), 429, 2, phone)
        messages.success(request, _("验证码已发送到您的手机，10 分钟内有效。"))
        return CodePage(form_class(initial={"phone": phone}), 200, 2, phone)
    form = form_class(request.POST)
    if not form.is_valid():
        return CodePage(form, 400, 1 if form.has_error("phone") else 2, phone)
    data = form.cleaned_data
    try:
        if purpose == PhoneCode.Purpose.SIGNUP:
            user = services.applicant_signup(
                phone=data["phone"],
                code=data["code"],
                password=data["password"],
                display_name=data.get("display_name", ""),
            )
        else:
            user = services.password_reset_by_code(
                phone=data["phone"], code=data["code"], password=data["password"]
            )
    except ValidationError as exc:
        form = _with_errors(form, exc)
        return CodePage(form, 400, 1 if form.has_error("phone") else 2, phone)
    return CodePage(form, 200, 2, phone, user)


def _with_errors(form: F, exc: ValidationError) -> F:
    # A service error names its field; an unbound form (after 'send code') still shows it next to the field.
    form._errors = form._errors or forms.utils.ErrorDict()  # type: ignore[attr-defined]
    for field, msgs in exc.message_dict.items():
        key = field if field in form.fields else None
        for msg in msgs:
            form._errors.setdefault(key or "__all__", form.error_class()).append(msg)  # type: ignore[attr-defined]
    return form


@sensitive_post_parameters("password", "password2", "code")
@never_cache
def signup_view(request: HttpRequest) -> HttpResponse:
    page = _code_page(request, form_class=SignupForm, purpose=PhoneCode.Purpose.SIGNUP)
    user = page.user
    if user is not None:
        messages.success(request, _("注册成功，欢迎使用。"))
        services.login_record(user=user, method="signup")
        return _finish(request, user, safe_next(request))
    return render(request, "accounts/signup.html", page.context(), status=page.status)


@sensitive_post_parameters("password", "password2", "code")
@never_cache
def password_reset_view(request: HttpRequest) -> HttpResponse:
    page = _code_page(request, form_class=SmsCodeForm, purpose=PhoneCode.Purpose.RESET)
    if page.user is not None:
        messages.success(request, _("密码已重设，请用新密码登录。"))
        return redirect("accounts:applicant_login")
    return render(request, "accounts/password_reset.html", page.context(), status=page.status)


def _qr_svg(data: str) -> str:
    img = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return img.to_string(encoding="unicode")


@login_required
@never_cache
def totp_view(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.kind != User.Kind.STAFF:
        raise Http404
    actor = actor_for(user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            if user.totp_enabled:
                services.totp_disable(actor=actor, user=user, code=form.cleaned_data["code"])
                messages.success(request, _("已停用动态口令。"))
            else:
                secret = request.session.get(NEW_SECRET, "")
                services.totp_enable(actor=actor, user=user, secret=secret, code=form.cleaned_data["code"])
                request.session.pop(NEW_SECRET, None)
                messages.success(request, _("已启用动态口令，下次登录时需要输入 6 位动态口令。"))
            return redirect("accounts:totp")
        except ValidationError as exc:
            _with_errors(form, exc)
    if request.method == "POST":
        status = 400
    context: dict[str, Any] = {"form": form, "enabled": user.totp_enabled}
    if not user.totp_enabled:
        secret = request.session.get(NEW_SECRET) or services.totp_new_secret()
        request.session[NEW_SECRET] = secret
        uri = services.totp_uri(user=user, secret=secret)
        # Generated locally from our own data: safe to inline, and no third-party QR service sees the secret.
        context.update(secret=secret, qr_svg=mark_safe(_qr_svg(uri)))  # noqa: S308
    return render(request, "accounts/totp.html", context, status=status)


def _redirect_uri(request: HttpRequest) -> str:
    return getattr(settings, "OIDC_REDIRECT_URI", "") or request.build_absolute_uri(
        reverse("accounts:oidc_callback")
    )


@never_cache
def oidc_login_view(request: HttpRequest) -> HttpResponse:
    if not oidc.enabled():
        raise Http404
    try:
        flow, url = oidc.flow_start(redirect_uri=_redirect_uri(request), next_url=safe_next(request))
    except oidc.OIDCError as exc:
        messages.error(request, str(exc))
        return redirect("accounts:applicant_login")
    request.session[OIDC_FLOW] = flow.as_session()
    return HttpResponseRedirect(url)


@never_cache
def oidc_callback_view(request: HttpRequest) -> HttpResponse:
    if not oidc.enabled():
        raise Http404
    # The flow is single-use: popped before anything else, so a replayed callback finds nothing.
    flow = oidc.Flow.from_session(request.session.pop(OIDC_FLOW, None) or {})
    try:
        claims = oidc.flow_finish(flow=flow, params=request.GET.dict(), redirect_uri=_redirect_uri(request))
        user = oidc.oidc_user_resolve(claims=claims)
    except oidc.OIDCError as exc:
        audit_record(
            actor=None,
            action="accounts.login_failed",
            obj_type=services.OBJ_USER,
            obj_id="",
            summary=_("统一身份认证登录失败：%(e)s") % {"e": exc},
        )
        messages.error(request, str(exc))
        return redirect("accounts:applicant_login")
    if not user.is_active or (user.locked_until and user.locked_until > timezone.now()):
        messages.error(request, _("该账号已停用或被锁定，请联系工作人员。"))
        return redirect("accounts:applicant_login")
    next_url = flow.next_url if flow else ""
    if user.totp_enabled:
        return _start_totp(request, user, next_url)
    services.login_record(user=user, method="oidc")
    return _finish(request, user, next_url)
