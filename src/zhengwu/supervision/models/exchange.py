"""Credentials of external approval systems that report case events (docs/api/exchange.md)."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_key_id() -> str:
    return "zx_" + secrets.token_hex(8)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class ExchangeSystem(models.Model):
    """One external system: its key id and HMAC secret, and the regions/departments it may report for."""

    code = models.SlugField(
        _("系统代码"), max_length=32, unique=True, help_text=_("办件来源标识，如 dc-approval")
    )
    name = models.CharField(_("系统名称"), max_length=100)
    key_id = models.CharField(_("密钥标识"), max_length=40, unique=True, default=new_key_id)
    # The receiver must recompute the HMAC, so the secret is kept (not hashed); only admins read it.
    secret = models.CharField(_("签名密钥"), max_length=128, default=new_secret)
    region_codes = models.JSONField(
        _("可报送区划"), default=list, blank=True, help_text=_("12 位区划代码列表，含其下级区划")
    )
    department_usccs = models.JSONField(
        _("可报送部门"), default=list, blank=True, help_text=_("部门统一社会信用代码列表")
    )
    check_item_codes = models.BooleanField(_("校验事项编码"), default=True)
    active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近报送"), null=True, blank=True)

    class Meta:
        verbose_name = _("数据交换系统")
        verbose_name_plural = _("数据交换系统")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"
