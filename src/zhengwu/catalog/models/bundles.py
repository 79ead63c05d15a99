"""一件事 (Bundle): several items from several departments applied for with one form and one material set."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import Audience
from .items import ServiceItem


class Bundle(models.Model):
    code = models.SlugField(_("编码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=100)  # 企业开办, 开办餐饮店, 新生儿出生 …
    region = models.ForeignKey(
        "org.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    lead_department = models.ForeignKey(
        "org.Department", verbose_name=_("牵头部门"), on_delete=models.PROTECT, related_name="+"
    )
    audience = models.CharField(_("服务对象"), max_length=8, choices=Audience.choices, default=Audience.BOTH)
    themes = models.JSONField(_("主题"), default=list, blank=True)
    aliases = models.JSONField(_("别名/俗称"), default=list, blank=True)
    description = models.TextField(_("说明"), blank=True)
    promised_limit = models.PositiveIntegerField(_("承诺办结时限（工作日）"), null=True, blank=True)
    # 超时默认 (DOMAIN §3, configurable): a department silent past its limit is deemed to consent.
    deemed_consent = models.BooleanField(_("超时默认同意"), default=True)
    is_published = models.BooleanField(_("已发布"), default=False)
    items = models.ManyToManyField(ServiceItem, through="BundleItem", related_name="bundles")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("一件事")
        verbose_name_plural = _("一件事")

    def __str__(self) -> str:
        return self.name


class BundleItem(models.Model):
    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="members")
    item = models.ForeignKey(ServiceItem, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    optional = models.BooleanField(_("可选"), default=False)  # e.g. 刻章 in 企业开办

    class Meta:
        verbose_name = _("一件事事项")
        verbose_name_plural = _("一件事事项")
        ordering = ["bundle_id", "order"]
        constraints = [models.UniqueConstraint(fields=["bundle", "item"], name="catalog_bundle_item_unique")]

    def __str__(self) -> str:
        return f"{self.bundle_id}:{self.item_id}"
