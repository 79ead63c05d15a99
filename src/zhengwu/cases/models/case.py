"""The application (办件) and what it carries: applicant, form data, materials, clock and state."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .choices import (
    OPEN_STATUSES,
    AcceptanceMode,
    ApplicantKind,
    BundleStatus,
    CaseStatus,
    Decision,
    DeliveryMethod,
    IntakeChannel,
    MaterialState,
    TerminationReason,
)


class Applicant(models.Model):
    """Who applies: copied onto each application so a later profile change never rewrites history."""

    applicant_kind = models.CharField(_("申请人类型"), max_length=8, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("申请人"), max_length=128)
    # 身份证号码 (person) or 统一社会信用代码 (company); validated with its checksum at intake.
    applicant_id_number = models.CharField(_("证件号码"), max_length=18, db_index=True)
    applicant_phone = models.CharField(_("联系电话"), max_length=11, blank=True)
    applicant_address = models.CharField(_("联系地址"), max_length=255, blank=True)
    contact_name = models.CharField(_("经办人"), max_length=64, blank=True)  # company agent / 代办人
    applicant_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    company_id = models.PositiveBigIntegerField(_("企业"), null=True, blank=True)  # org.Company, agent cases

    class Meta:
        abstract = True


class BundleCase(Applicant):
    """One application for a bundle (一件事): one form, one material set, one case per item."""

    number = models.CharField(_("一件事编号"), max_length=40, blank=True)
    query_code = models.CharField(_("查询码"), max_length=8)
    bundle = models.ForeignKey("catalog.Bundle", on_delete=models.PROTECT, related_name="+")
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    lead_department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("状态"), max_length=12, choices=BundleStatus.choices, default=BundleStatus.DRAFT
    )
    channel = models.CharField(_("申请渠道"), max_length=12, choices=IntakeChannel.choices)
    form_data = models.JSONField(_("表单数据"), default=dict, blank=True)
    deemed_consent = models.BooleanField(_("超时默认同意"), default=True)  # copied from the bundle
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("全部决定时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("统一出件时间"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("一件事申请")
        verbose_name_plural = _("一件事申请")
        constraints = [
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="bundlecase_number_unique"
            )
        ]

    def __str__(self) -> str:
        return self.number or f"bundle-draft-{self.pk}"


class Case(Applicant):
    """One application for one item version (DOMAIN §3). The version is fixed at submission."""

    number = models.CharField(_("办件编号"), max_length=48, blank=True)  # 实施编码 + yyyymmdd + 4 digits
    query_code = models.CharField(_("查询码"), max_length=8)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)  # QR codes, API
    item = models.ForeignKey("catalog.ServiceItem", on_delete=models.PROTECT, related_name="+")
    item_version = models.ForeignKey("catalog.ItemVersion", on_delete=models.PROTECT, related_name="+")
    item_name = models.CharField(_("事项名称"), max_length=200)
    implementation_code = models.CharField(_("实施编码"), max_length=40)
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    department_line = models.CharField(max_length=32, blank=True)  # copied for scope filters
    region_code = models.CharField(_("区划代码"), max_length=12, db_index=True)
    bundle_case = models.ForeignKey(
        BundleCase, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    channel = models.CharField(_("申请渠道"), max_length=12, choices=IntakeChannel.choices)
    window = models.ForeignKey(
        "org.Window", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # the window that received or, for online cases, accepted it
    window_category = models.CharField(_("受理类别"), max_length=16, blank=True)  # org.WindowCategory
    green_channel = models.BooleanField(_("绿色通道"), default=False)
    form_data = models.JSONField(_("表单数据"), default=dict, blank=True)

    status = models.CharField(
        _("状态"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.DRAFT, db_index=True
    )
    acceptance_mode = models.CharField(
        _("受理方式"), max_length=12, choices=AcceptanceMode.choices, blank=True
    )
    decision = models.CharField(_("审批结果"), max_length=8, choices=Decision.choices, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    decision_legal_basis = models.TextField(_("决定依据"), blank=True)
    termination_reason = models.CharField(
        _("终止原因"), max_length=24, choices=TerminationReason.choices, blank=True
    )
    rejection_reasons = models.JSONField(_("不予受理理由"), default=list, blank=True)
    note = models.TextField(_("备注"), blank=True)

    # Instants (UTC) of the watched stages.
    submitted_at = models.DateTimeField(_("收件时间"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # The legal day of acceptance: the receipt day when a late supplement notice deems it accepted.
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)

    # The clock (dates in Asia/Shanghai; cases/clock.py computes them).
    acceptance_due = models.DateField(_("受理期限"), null=True, blank=True)
    promised_due = models.DateField(_("承诺办结期限"), null=True, blank=True)
    statutory_due = models.DateField(_("法定办结期限"), null=True, blank=True)
    delivery_due = models.DateField(_("送达期限"), null=True, blank=True)
    suspended_workdays = models.PositiveIntegerField(_("特别程序工作日"), default=0)
    extension_workdays = models.PositiveIntegerField(_("延长工作日"), default=0)
    deficiency_due = models.DateField(_("容缺补齐期限"), null=True, blank=True)

    delivery_method = models.CharField(
        _("送达方式"), max_length=12, choices=DeliveryMethod.choices, blank=True
    )
    delivery_address = models.CharField(_("邮寄地址"), max_length=255, blank=True)
    tracking_number = models.CharField(_("邮件单号"), max_length=40, blank=True)
    delivered_to = models.CharField(_("签收人"), max_length=64, blank=True)

    revision = models.PositiveIntegerField(default=0)  # optimistic check for pages opened before a change
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("办件")
        verbose_name_plural = _("办件")
        constraints = [
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="case_number_unique")
        ]
        indexes = [
            models.Index(fields=["department", "status"], name="case_dept_status"),
            models.Index(fields=["region_code", "status"], name="case_region_status"),
            models.Index(fields=["applicant_user", "status"], name="case_applicant_status"),
            models.Index(fields=["status", "promised_due"], name="case_status_due"),
        ]

    def __str__(self) -> str:
        return self.number or f"draft-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseMaterial(models.Model):
    """One required (or extra) material of a case, checked by the window clerk."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="materials")
    requirement = models.ForeignKey(
        "catalog.MaterialRequirement", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("材料名称"), max_length=200)
    required = models.BooleanField(_("必要"), default=True)
    deferrable = models.BooleanField(_("可容缺"), default=False)
    state = models.CharField(
        _("状态"), max_length=12, choices=MaterialState.choices, default=MaterialState.MISSING
    )
    check_note = models.CharField(_("核验意见"), max_length=255, blank=True)  # why it is defective
    deferred_until = models.DateField(_("承诺补齐日期"), null=True, blank=True)
    supplied_at = models.DateTimeField(_("补齐时间"), null=True, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("办件材料")
        verbose_name_plural = _("办件材料")

    def __str__(self) -> str:
        return self.name


class CaseFile(models.Model):
    """A file uploaded for a material (core.files); `round` 0 is the application, n the n-th supplement."""

    material = models.ForeignKey(CaseMaterial, on_delete=models.CASCADE, related_name="files")
    file_id = models.UUIDField()  # core.files.StoredFile, purpose "case_material"
    original_name = models.CharField(max_length=255)
    round = models.PositiveSmallIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    removed = models.BooleanField(default=False)  # replaced in a draft; kept for the record

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.original_name
