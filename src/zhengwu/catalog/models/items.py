"""Service items and their versions: every element of an implementation list (DOMAIN §4).

A ServiceItem is the stable identity (department, region, codes). Every change is a new ItemVersion;
only drafts are editable, a published version is immutable, and a case keeps the version it applied on.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import (
    Audience,
    ChangeKind,
    CrossRegionScope,
    HandlingType,
    ItemType,
    LimitUnit,
    OnlineDepth,
    ResultType,
    VersionStatus,
)

EDITABLE_STATUSES = (VersionStatus.DRAFT, VersionStatus.RETURNED)
PUBLISHED_STATUSES = (VersionStatus.ANNOUNCED, VersionStatus.EFFECTIVE, VersionStatus.SUPERSEDED)
# The only fields the change-management services may write on a version that is no longer editable.
TRANSITION_FIELDS = frozenset(
    {
        "status",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "announce_from",
        "announce_until",
        "effective_on",
        "superseded_on",
        "updated_at",
    }
)


class ImmutableVersionError(Exception):
    """A write to a version (or one of its parts) that is no longer a draft."""


def stored_status(version_id: int | None) -> str | None:
    if version_id is None:
        return None
    return ItemVersion.objects.filter(pk=version_id).values_list("status", flat=True).first()


class ServiceItem(models.Model):
    department = models.ForeignKey(
        "org.Department", verbose_name=_("实施主体"), on_delete=models.PROTECT, related_name="service_items"
    )
    region = models.ForeignKey(
        "org.Region", verbose_name=_("实施区划"), on_delete=models.PROTECT, related_name="service_items"
    )
    item_type = models.CharField(_("事项类型"), max_length=16, choices=ItemType.choices)
    name = models.CharField(_("事项名称"), max_length=200)
    basic_code = models.CharField(_("基本编码"), max_length=12)
    implementation_code = models.CharField(_("实施编码"), max_length=40)
    audience = models.CharField(_("服务对象"), max_length=8, choices=Audience.choices, default=Audience.BOTH)
    # Life events (persons) and stages (companies) for browsing: PersonTheme / CompanyTheme values.
    themes = models.JSONField(_("主题"), default=list, blank=True)
    # Everyday words that should find the formal item ("开饭店" → 食品经营许可).
    aliases = models.JSONField(_("别名/俗称"), default=list, blank=True)
    current_version = models.ForeignKey(
        "ItemVersion",
        verbose_name=_("现行版本"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("在用"), default=False)  # True once a version is effective
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("政务服务事项")
        verbose_name_plural = _("政务服务事项")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "implementation_code"], name="catalog_item_code_per_region"
            )
        ]
        indexes = [
            models.Index(fields=["department", "is_active"]),
            models.Index(fields=["item_type", "is_active"]),
            models.Index(fields=["basic_code"]),
        ]

    def __str__(self) -> str:
        return self.name


class ItemVersion(models.Model):
    item = models.ForeignKey(
        ServiceItem, verbose_name=_("事项"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("版本号"))
    status = models.CharField(
        _("状态"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT, db_index=True
    )
    change_kind = models.CharField(
        _("变更类型"), max_length=8, choices=ChangeKind.choices, default=ChangeKind.ADD
    )
    change_reason = models.TextField(_("变更理由"), blank=True)

    # --- what the item is -----------------------------------------------------------------
    name = models.CharField(_("事项名称"), max_length=200)
    legal_basis = models.TextField(_("设定依据"), blank=True)
    conditions = models.TextField(_("受理条件"), blank=True)
    handling_type = models.CharField(
        _("办件类型"), max_length=8, choices=HandlingType.choices, default=HandlingType.PROMISED
    )
    statutory_limit = models.PositiveIntegerField(_("法定办结时限"), null=True, blank=True)
    statutory_unit = models.CharField(
        _("法定时限单位"), max_length=8, choices=LimitUnit.choices, default=LimitUnit.WORKDAYS
    )
    promised_limit = models.PositiveIntegerField(_("承诺办结时限"), null=True, blank=True)
    promised_unit = models.CharField(
        _("承诺时限单位"), max_length=8, choices=LimitUnit.choices, default=LimitUnit.WORKDAYS
    )
    limit_note = models.TextField(_("时限说明"), blank=True)
    charges_fee = models.BooleanField(_("是否收费"), default=False)
    # [{"name": ..., "amount": "10.00", "unit": "元/件", "basis": "收费依据"}]
    fees = models.JSONField(_("收费项目"), default=list, blank=True)
    visits = models.PositiveSmallIntegerField(_("到办事现场次数"), default=0)
    visits_reason = models.TextField(_("必须现场办理原因"), blank=True)
    online_depth = models.PositiveSmallIntegerField(
        _("网上办理深度"), choices=OnlineDepth.choices, default=OnlineDepth.FULL_ONLINE
    )
    channels = models.JSONField(_("办理渠道"), default=list, blank=True)  # Channel values
    # Where and when: service point ids; their address and hours come from org.
    service_point_ids = models.JSONField(_("办理地点"), default=list, blank=True)
    service_hours_note = models.TextField(_("办理时间说明"), blank=True)
    consultation_phone = models.CharField(_("咨询电话"), max_length=40, blank=True)
    supervision_phone = models.CharField(_("监督投诉电话"), max_length=40, blank=True)
    result_name = models.CharField(_("审批结果名称"), max_length=200, blank=True)
    result_type = models.CharField(_("审批结果类型"), max_length=8, choices=ResultType.choices, blank=True)
    result_sample_file_id = models.UUIDField(_("审批结果样本"), null=True, blank=True)  # core.files
    license_type_code = models.CharField(_("电子证照类型代码"), max_length=21, blank=True)
    needs_intermediary = models.BooleanField(_("是否需要中介服务"), default=False)
    intermediary_services = models.TextField(_("中介服务名称"), blank=True)
    allows_deficiency = models.BooleanField(_("可容缺受理"), default=False)
    allows_commitment = models.BooleanField(_("可告知承诺"), default=False)
    cross_region_scope = models.CharField(
        _("通办范围"), max_length=8, choices=CrossRegionScope.choices, default=CrossRegionScope.NONE
    )
    valid_from = models.DateField(_("有效期起"), null=True, blank=True)
    valid_until = models.DateField(_("有效期止"), null=True, blank=True)

    # --- change management ------------------------------------------------------------------
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    announce_from = models.DateField(_("公示开始"), null=True, blank=True)
    announce_until = models.DateField(_("公示结束"), null=True, blank=True)
    effective_on = models.DateField(_("生效日期"), null=True, blank=True)
    # The drafter may ask for a later start than "the working day after the announcement ends".
    requested_effective_on = models.DateField(_("拟生效日期"), null=True, blank=True)
    superseded_on = models.DateField(_("失效日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("事项版本")
        verbose_name_plural = _("事项版本")
        ordering = ["item_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="catalog_version_number_unique"),
        ]
        indexes = [models.Index(fields=["status", "effective_on"])]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Published content is evidence (cases keep the version they applied on): once a version
        # leaves the editable states only the transition fields may change. New rows may be written
        # in any status so loaders (import, factories) can build a published version in one go.
        if self.pk is not None and not kwargs.get("force_insert"):
            status = stored_status(self.pk)
            if status is not None and status not in EDITABLE_STATUSES:
                update_fields = kwargs.get("update_fields")
                if update_fields is None or not set(update_fields) <= TRANSITION_FIELDS:
                    raise ImmutableVersionError(f"version {self.pk} is {status}; only drafts can be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.status in PUBLISHED_STATUSES or stored_status(self.pk) in PUBLISHED_STATUSES:
            raise ImmutableVersionError(f"version {self.pk} is published and cannot be deleted")
        return super().delete(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


# Fields that are not part of a version's content: identity and change-management bookkeeping.
NON_CONTENT_FIELDS = frozenset(
    {
        "id",
        "item",
        "number",
        "change_kind",
        "change_reason",
        "created_by",
        "created_at",
        "requested_effective_on",
    }
    | TRANSITION_FIELDS
)


def content_field_names() -> list[str]:
    """The fields a new version copies from the previous one and the diff compares, in model order."""
    return [f.name for f in ItemVersion._meta.concrete_fields if f.name not in NON_CONTENT_FIELDS]


class ReviewRecord(models.Model):
    """The reform office's review of a submitted version: 规范性 / 合法性 / 合理性, or sent back."""

    version = models.ForeignKey(ItemVersion, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # {"standard": {"verdict": "pass", "comment": ...}, "legal": {...}, "reasonable": {...}}
    decisions = models.JSONField(_("审核意见"), default=dict)
    returned = models.BooleanField(_("退回修改"), default=False)
    comment = models.TextField(_("总体意见"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.version} {self.created_at:%Y-%m-%d}"
