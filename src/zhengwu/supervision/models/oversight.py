"""Cards (黄牌/红牌) and correction orders (纠错) against departments."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .config import CardRule
from .records import SupervisedCase


class Card(models.Model):
    class Level(models.TextChoices):
        YELLOW = "yellow", _("黄牌")
        RED = "red", _("红牌")

    class Source(models.TextChoices):
        RULE = "rule", _("规则自动")
        MANUAL = "manual", _("人工")

    department_id = models.BigIntegerField(_("部门"))
    department_name = models.CharField(_("部门名称"), max_length=128, blank=True)
    department_line = models.CharField(_("条线"), max_length=32, blank=True)
    region_code = models.CharField(_("区划代码"), max_length=12)
    level = models.CharField(_("级别"), max_length=8, choices=Level.choices)
    source = models.CharField(_("来源"), max_length=8, choices=Source.choices)
    reason = models.TextField(_("理由"))
    rule = models.ForeignKey(
        CardRule,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cards",
        verbose_name=_("规则"),
    )
    record = models.ForeignKey(
        SupervisedCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cards",
        verbose_name=_("办件"),
    )
    period = models.CharField(_("统计周期"), max_length=8, blank=True)  # 2025-Q4, 2025-10, 2025
    issued_by_user_id = models.BigIntegerField(_("亮牌人"), null=True, blank=True)
    issued_by_name = models.CharField(_("亮牌人姓名"), max_length=64, blank=True)
    issued_at = models.DateTimeField(_("亮牌时间"), default=timezone.now)
    batch = models.UUIDField(_("批次"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("亮牌")
        verbose_name_plural = _("亮牌")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "record"], condition=Q(record__isnull=False), name="supervision_card_per_case"
            ),
            models.UniqueConstraint(
                fields=["rule", "department_id", "period"],
                condition=Q(record__isnull=True, rule__isnull=False),
                name="supervision_card_per_period",
            ),
        ]
        indexes = [
            models.Index(fields=["department_id", "level", "issued_at"], name="sup_card_dept_idx"),
            models.Index(fields=["batch"], name="sup_card_batch_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.department_name}"


class Correction(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待整改")
        ANSWERED = "answered", _("已反馈")
        CLOSED = "closed", _("已办结")

    department_id = models.BigIntegerField(_("部门"))
    department_name = models.CharField(_("部门名称"), max_length=128, blank=True)
    department_line = models.CharField(_("条线"), max_length=32, blank=True)
    region_code = models.CharField(_("区划代码"), max_length=12)
    record = models.ForeignKey(
        SupervisedCase,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("办件"),
    )
    title = models.CharField(_("标题"), max_length=200)
    instructions = models.TextField(_("纠错要求"))
    due = models.DateField(_("整改期限"))
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.OPEN)
    answer = models.TextField(_("部门反馈"), blank=True)
    answered_at = models.DateTimeField(_("反馈时间"), null=True, blank=True)
    answered_by_name = models.CharField(_("反馈人"), max_length=64, blank=True)
    closing_note = models.TextField(_("办结意见"), blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(_("重新整改次数"), default=0)
    issued_by_user_id = models.BigIntegerField(_("下达人"), null=True, blank=True)
    issued_by_name = models.CharField(_("下达人姓名"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("下达时间"), default=timezone.now)

    class Meta:
        verbose_name = _("纠错单")
        verbose_name_plural = _("纠错单")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["department_id", "status"], name="sup_corr_dept_idx")]

    def __str__(self) -> str:
        return self.title
