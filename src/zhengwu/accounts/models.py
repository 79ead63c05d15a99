"""Login identities. Who a person *is* in the organisation lives in org (staff and applicant profiles)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    class Kind(models.TextChoices):
        STAFF = "staff", _("工作人员")
        APPLICANT = "applicant", _("办事群众/企业")

    kind = models.CharField(_("账号类型"), max_length=16, choices=Kind.choices, default=Kind.APPLICANT)
    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    # Applicants log in with a verified mobile number; staff with their username.
    phone = models.CharField(_("手机号"), max_length=11, unique=True, null=True, blank=True)
    phone_verified_at = models.DateTimeField(_("手机验证时间"), null=True, blank=True)
    failed_logins = models.PositiveSmallIntegerField(_("连续登录失败次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)
    totp_secret = models.CharField(_("动态口令密钥"), max_length=64, blank=True)
    totp_enabled = models.BooleanField(_("启用动态口令"), default=False)
    # The last accepted TOTP time step: a code is accepted once, so a shoulder-surfed code cannot be replayed.
    totp_last_step = models.BigIntegerField(_("最近使用的动态口令时段"), null=True, blank=True)
    oidc_subject = models.CharField(_("统一身份认证标识"), max_length=255, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self) -> str:
        return self.display_name or self.username


class PhoneCode(models.Model):
    """A one-time SMS code. Only a keyed hash is stored, so a database dump does not reveal live codes."""

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("注册")
        RESET = "reset", _("找回密码")

    phone = models.CharField(_("手机号"), max_length=11)
    purpose = models.CharField(_("用途"), max_length=16, choices=Purpose.choices)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(_("发送时间"))
    expires_at = models.DateTimeField(_("失效时间"))
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=0)
    consumed_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("短信验证码")
        verbose_name_plural = _("短信验证码")
        indexes = [models.Index(fields=["phone", "created_at"])]

    def __str__(self) -> str:
        return f"{self.phone} {self.purpose} {self.created_at:%Y-%m-%d %H:%M}"
