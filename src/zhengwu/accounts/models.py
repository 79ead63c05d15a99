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
    oidc_subject = models.CharField(_("统一身份认证标识"), max_length=255, unique=True, null=True, blank=True)

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")

    def __str__(self) -> str:
        return self.display_name or self.username
