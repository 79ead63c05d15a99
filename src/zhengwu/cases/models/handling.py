"""The back office: review steps, suspensions, extensions, supplement notices."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .case import Case
from .choices import ExtensionStatus, Opinion, StepStatus, SuspensionKind


class CaseStep(models.Model):
    """One review step of a case, copied from the item version's ProcedureStep at acceptance."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(_("环节名称"), max_length=64)
    stage = models.CharField(_("监察环节"), max_length=12)  # catalog Stage value
    role = models.CharField(_("办理角色"), max_length=32)  # core.access Role value
    department = models.ForeignKey("org.Department", on_delete=models.PROTECT, related_name="+")
    limit = models.PositiveSmallIntegerField(_("环节时限（工作日）"), default=0)
    status = models.CharField(
        _("状态"), max_length=10, choices=StepStatus.choices, default=StepStatus.PENDING
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )  # None: anyone of the role in the department may take it
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    due_on = models.DateField(_("环节期限"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opinion = models.CharField(_("意见"), max_length=10, choices=Opinion.choices, blank=True)
    comment = models.TextField(_("办理意见"), blank=True)
    attachment_ids = models.JSONField(_("附件"), default=list, blank=True)  # core.files ids

    class Meta:
        ordering = ["case_id", "order", "pk"]
        indexes = [models.Index(fields=["department", "status", "role"], name="casestep_queue")]

    def __str__(self) -> str:
        return f"{self.case_id}#{self.order} {self.name}"


class Suspension(models.Model):
    """特别程序: the clock stops from `started_on` until `ended_on` (DOMAIN §3)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspensions")
    kind = models.CharField(_("特别程序种类"), max_length=16, choices=SuspensionKind.choices)
    reason = models.TextField(_("理由"))
    expected_workdays = models.PositiveSmallIntegerField(_("预计时长（工作日）"))
    started_at = models.DateTimeField(_("开始时间"))
    started_on = models.DateField(_("开始日期"))
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    workdays = models.PositiveIntegerField(_("实际工作日"), default=0)  # set on resume
    result = models.TextField(_("特别程序结果"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["case_id", "started_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_kind_display()}"


class Extension(models.Model):
    """延期: +10 working days once, approved by the department head, the applicant told why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    workdays = models.PositiveSmallIntegerField(_("延长工作日"), default=10)
    reason = models.TextField(_("延期理由"))
    status = models.CharField(
        _("状态"), max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.REQUESTED
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(_("批示"), blank=True)

    class Meta:
        ordering = ["case_id", "requested_at"]

    def __str__(self) -> str:
        return f"{self.case_id} +{self.workdays}"


class SupplementRequest(models.Model):
    """一次性告知: one notice listing every missing or defective material, answered once."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="supplement_requests")
    round = models.PositiveSmallIntegerField(default=1)
    items = models.JSONField(_("补正清单"))  # [{"material_id": 1, "name": "...", "reason": "..."}]
    note = models.TextField(_("说明"), blank=True)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Sent after the 5th working day: the law deems the case accepted on its receipt day.
    late = models.BooleanField(default=False)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["case_id", "round"]
        constraints = [models.UniqueConstraint(fields=["case", "round"], name="supplement_round_unique")]

    def __str__(self) -> str:
        return f"{self.case_id} 补正 {self.round}"
