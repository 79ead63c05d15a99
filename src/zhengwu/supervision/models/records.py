"""One supervision record per case, rebuilt from the case's stored events (never the case tables)."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ZHENGWU_SOURCE = "zhengwu"


class Light(models.TextChoices):
    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")


class Stage(models.TextChoices):
    RECEIVE = "receive", _("待受理")
    SUPPLEMENT = "supplement", _("待补正")
    REVIEW = "review", _("审查中")
    SUSPENDED = "suspended", _("特别程序")
    DELIVER = "deliver", _("待送达")
    CLOSED = "closed", _("已结束")


class SupervisedCase(models.Model):
    """The supervision view of one case, keyed by (source system, case id)."""

    source = models.CharField(_("来源系统"), max_length=32)
    case_id = models.CharField(_("办件标识"), max_length=64)
    case_number = models.CharField(_("办件编号"), max_length=48, blank=True)
    item_code = models.CharField(_("事项实施编码"), max_length=40, blank=True, db_index=True)
    item_name = models.CharField(_("事项名称"), max_length=200, blank=True)
    department_id = models.BigIntegerField(_("实施部门"), null=True, blank=True)
    department_name = models.CharField(_("部门名称"), max_length=128, blank=True)
    department_line = models.CharField(_("条线"), max_length=32, blank=True)
    department_uscc = models.CharField(_("部门统一社会信用代码"), max_length=18, blank=True)
    region_code = models.CharField(_("区划代码"), max_length=12, blank=True)
    channel = models.CharField(_("申请渠道"), max_length=16, blank=True)
    status = models.CharField(_("办件状态"), max_length=16, blank=True)
    stage = models.CharField(_("监察环节"), max_length=12, choices=Stage.choices, default=Stage.RECEIVE)
    is_open = models.BooleanField(_("在办"), default=True)

    # stage times (instants in UTC)
    received_at = models.DateTimeField(_("收件时间"), null=True, blank=True)
    receive_clock_from = models.DateField(_("受理计时起点"), null=True, blank=True)  # after a supplement
    accepted_at = models.DateTimeField(_("受理时间"), null=True, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    review_at = models.DateTimeField(_("审查时间"), null=True, blank=True)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    decision = models.CharField(_("决定"), max_length=8, blank=True)

    # who handled it (Zhengwu's own cases only: an external system's users and windows are not ours)
    window_id = models.BigIntegerField(_("受理窗口"), null=True, blank=True)
    accepted_by_user_id = models.BigIntegerField(_("受理人"), null=True, blank=True)
    decided_by_user_id = models.BigIntegerField(_("决定人"), null=True, blank=True)
    handler_user_ids = models.JSONField(_("经办人"), default=list, blank=True)  # accept, steps, decision

    # the clock of the current stage: due = start + limit + suspended working days + extension
    clock_start = models.DateField(_("计时起点"), null=True, blank=True)
    clock_limit = models.IntegerField(_("时限（工作日）"), null=True, blank=True)
    suspensions = models.JSONField(_("特别程序区间"), default=list, blank=True)  # [[start, end|null]]
    extension_workdays = models.PositiveIntegerField(_("延期工作日"), default=0)
    promised_limit = models.IntegerField(_("承诺时限（工作日）"), null=True, blank=True)
    statutory_limit = models.IntegerField(_("法定时限（工作日）"), null=True, blank=True)

    acceptance_due = models.DateField(_("受理期限"), null=True, blank=True)
    promised_due = models.DateField(_("承诺办结期限"), null=True, blank=True)
    statutory_due = models.DateField(_("法定办结期限"), null=True, blank=True)
    delivery_due = models.DateField(_("送达期限"), null=True, blank=True)
    current_due = models.DateField(_("当前环节期限"), null=True, blank=True)
    suspended_workdays = models.PositiveIntegerField(_("特别程序工作日"), default=0)

    light = models.CharField(_("亮灯"), max_length=8, choices=Light.choices, default=Light.GREEN)
    ever_overdue = models.BooleanField(_("曾超期"), default=False)
    decided_on_time = models.BooleanField(_("按时办结"), null=True, blank=True)
    decided_early = models.BooleanField(_("提前办结"), null=True, blank=True)
    step_overdue = models.BooleanField(_("环节超时"), default=False)
    computed_on = models.DateField(_("计算日期"), null=True, blank=True)
    last_event_at = models.DateTimeField(_("最近事件时间"), null=True, blank=True)
    event_count = models.PositiveIntegerField(_("事件数"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)

    class Meta:
        verbose_name = _("监察办件")
        verbose_name_plural = _("监察办件")
        ordering = ["current_due", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "case_id"], name="supervision_case_per_source"),
        ]
        indexes = [
            models.Index(fields=["is_open", "light"], name="sup_open_light_idx"),
            models.Index(fields=["region_code", "department_id", "item_code"], name="sup_drill_idx"),
            models.Index(fields=["department_id", "is_open"], name="sup_dept_open_idx"),
            models.Index(fields=["decided_at"], name="sup_decided_idx"),
            # the statistics rollup reads the records changed since its last refresh
            models.Index(fields=["updated_at"], name="sup_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.case_number or f"{self.source}:{self.case_id}"


class CaseEventRecord(models.Model):
    """An event as supervision received it; the record is recomputed from these, in time order."""

    event_id = models.UUIDField(_("事件标识"), primary_key=True)
    case = models.ForeignKey(
        SupervisedCase, on_delete=models.CASCADE, related_name="events", verbose_name=_("监察办件")
    )
    type = models.CharField(_("事件类型"), max_length=100)
    occurred_at = models.DateTimeField(_("发生时间"))
    payload = models.JSONField(_("事件数据"))
    source = models.CharField(_("来源系统"), max_length=32)
    actor_user_id = models.BigIntegerField(_("操作人"), null=True, blank=True)  # the envelope's actor
    received_at = models.DateTimeField(_("接收时间"), default=timezone.now)

    class Meta:
        verbose_name = _("监察事件")
        verbose_name_plural = _("监察事件")
        ordering = ["occurred_at"]
        indexes = [models.Index(fields=["case", "occurred_at"], name="sup_event_case_idx")]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"


class Warning(models.Model):
    """A yellow or red warning about one case; the unique constraint makes it at most once per level."""

    record = models.ForeignKey(
        SupervisedCase, on_delete=models.CASCADE, related_name="warnings", verbose_name=_("监察办件")
    )
    level = models.CharField(_("级别"), max_length=8, choices=Light.choices)
    stage = models.CharField(_("环节"), max_length=12, choices=Stage.choices)
    due = models.DateField(_("期限"), null=True, blank=True)
    created_at = models.DateTimeField(_("预警时间"), default=timezone.now)
    batch = models.UUIDField(_("批次"), default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("预警")
        verbose_name_plural = _("预警")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["record", "level"], name="supervision_warning_once")]
        indexes = [models.Index(fields=["batch"], name="sup_warning_batch_idx")]

    def __str__(self) -> str:
        return f"{self.record} {self.level}"
