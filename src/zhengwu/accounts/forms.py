"""Forms: labels, autocomplete hints and big inputs for elderly users; rules live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .phones import normalise_phone, validate_phone


def _attrs(autocomplete: str, **extra: str) -> dict[str, str]:
    return {"autocomplete": autocomplete, "class": "input-lg", **extra}


class LoginForm(forms.Form):
    username = forms.CharField(
        label=_("用户名或手机号"),
        max_length=150,
        widget=forms.TextInput(attrs=_attrs("username", autocapitalize="none", spellcheck="false")),
        error_messages={"required": _("请输入用户名或手机号。")},
    )
    password = forms.CharField(
        label=_("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs=_attrs("current-password")),
        error_messages={"required": _("请输入密码。")},
    )


class ApplicantLoginForm(LoginForm):
    username = forms.CharField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs=_attrs("tel", type="tel", inputmode="numeric")),
        error_messages={"required": _("请输入手机号。")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("6 位动态口令"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs=_attrs("one-time-code", inputmode="numeric", pattern="[0-9]*")),
        error_messages={
            "required": _("请输入 6 位数字。"),
            "min_length": _("请输入 6 位数字。"),
            "max_length": _("请输入 6 位数字。"),
        },
    )


class PhoneField(forms.CharField):
    def to_python(self, value: object) -> str:
        return normalise_phone(str(super().to_python(value)))

    def validate(self, value: str) -> None:
        super().validate(value)
        if value:
            try:
                validate_phone(value)
            except forms.ValidationError as exc:
                raise forms.ValidationError(exc.message_dict["phone"]) from exc


class SmsCodeForm(forms.Form):
    """Phone + SMS code + new password; the 'send code' button only needs the phone."""

    phone = PhoneField(
        label=_("手机号"),
        max_length=20,
        widget=forms.TextInput(attrs=_attrs("tel", type="tel", inputmode="numeric")),
        error_messages={"required": _("请输入手机号。")},
    )
    code = forms.CharField(
        label=_("短信验证码"),
        max_length=6,
        required=False,
        help_text=_("点击“获取验证码”，10 分钟内有效。"),
        widget=forms.TextInput(attrs=_attrs("one-time-code", inputmode="numeric", pattern="[0-9]*")),
    )
    password = forms.CharField(
        label=_("设置密码"),
        strip=False,
        required=False,
        help_text=_("至少 8 位，不能全是数字，不要和手机号相似。"),
        widget=forms.PasswordInput(attrs=_attrs("new-password")),
    )
    password2 = forms.CharField(
        label=_("再次输入密码"),
        strip=False,
        required=False,
        widget=forms.PasswordInput(attrs=_attrs("new-password")),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if not data.get("code"):
            self.add_error("code", _("请输入短信验证码。"))
        if not data.get("password"):
            self.add_error("password", _("请设置密码。"))
        elif data.get("password") != data.get("password2"):
            self.add_error("password2", _("两次输入的密码不一致。"))
        return data


class SignupForm(SmsCodeForm):
    display_name = forms.CharField(
        label=_("姓名（选填）"),
        max_length=64,
        required=False,
        widget=forms.TextInput(attrs=_attrs("name")),
    )
    field_order = ["phone", "code", "display_name", "password", "password2"]


class TotpEnableForm(CodeForm):
    pass
