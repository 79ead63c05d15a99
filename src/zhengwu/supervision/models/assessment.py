"""Assessment (绩效评估, DOMAIN §5): the scheme an administrator edits, the computed runs and scores,
and the manual scores supervisors enter. The formula is in `supervision/scoring.py`."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")


class SubjectKind(models.TextChoices):
    DEPARTMENT = "department", _("部门")
    WINDOW = "window", _("窗口")
    STAFF = "staff", _("工作人员")


class Grade(models.TextChoices):
    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


# (input key, weight field, default weight); the weights of the default scheme sum to 100.
WEIGHTS = [
    ("on_time", "weight_on_time", 30),
    ("early", "weight_early", 10),
    ("time_used", "weight_time_used", 10),
    ("cards", "weight_cards", 15),
    ("corrections", "weight_corrections", 10),
    ("complaints", "weight_complaints", 10),
    ("ratings", "weight_ratings", 5),
    ("manual", "weight_manual", 10),
]


def _weight(label: Any, default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, default=default, validators=[MaxValueValidator(100)])


class AssessmentScheme(models.Model):
    """Weights, grade thresholds and deductions; per region (most specific prefix wins; blank = default)."""

    class Periods(models.TextChoices):
        QUARTER = "quarter", _("按季度")
        MONTH = "month", _("按月")
        BOTH = "both", _("按月和按季度")

    name = models.CharField(_("方案名称"), max_length=64)
    region_code = models.CharField(
        _("适用区划"), max_length=12, blank=True, unique=True, help_text=_("留空表示默认方案（全部区划）")
    )
    periods = models.CharField(_("评估周期"), max_length=8, choices=Periods.choices, default=Periods.QUARTER)
    weight_on_time = _weight(_("按时办结率权重"), 30)
    weight_early = _weight(_("提前办结率权重"), 10)
    weight_time_used = _weight(_("用时比权重"), 10)
    weight_cards = _weight(_("亮牌权重"), 15)
    weight_corrections = _weight(_("纠错权重"), 10)
    weight_complaints = _weight(_("投诉权重"), 10)
    weight_ratings = _weight(_("评价权重"), 5)
    weight_manual = _weight(_("人工评分权重"), 10)
    excellent_from = models.DecimalField(_("优秀分数线"), max_digits=5, decimal_places=2, default=90)
    good_from = models.DecimalField(_("良好分数线"), max_digits=5, decimal_places=2, default=80)
    pass_from = models.DecimalField(_("合格分数线"), max_digits=5, decimal_places=2, default=60)
    yellow_card_points = models.PositiveSmallIntegerField(
        _("每张黄牌扣分"), default=10, validators=[MaxValueValidator(100)]
    )
    red_card_points = models.PositiveSmallIntegerField(
        _("每张红牌扣分"), default=30, validators=[MaxValueValidator(100)]
    )
    correction_points = models.PositiveSmallIntegerField(
        _("每张纠错单扣分"), default=10, validators=[MaxValueValidator(100)]
    )
    overdue_answer_points = models.PositiveSmallIntegerField(
        _("每张逾期反馈的纠错单另扣"), default=10, validators=[MaxValueValidator(100)]
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("绩效评估方案")
        verbose_name_plural = _("绩效评估方案")
        ordering = ["region_code"]

    def __str__(self) -> str:
        return self.name

    def weights(self) -> dict[str, int]:
        return {key: int(getattr(self, field)) for key, field, _default in WEIGHTS}

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.region_code and not (len(self.region_code) == 12 and self.region_code.isdigit()):
            errors["region_code"] = [str(_("区划代码应为 12 位数字。"))]
        total = sum(self.weights().values())
        if total != 100:
            errors["weight_on_time"] = [str(_("各项权重之和应为 100，当前为 %(n)s。") % {"n": total})]
        lines = [
            ("excellent_from", self.excellent_from),
            ("good_from", self.good_from),
            ("pass_from", self.pass_from),
        ]
        for name, value in lines:
            if value is None or not 0 <= value <= 100:
                errors[name] = [str(_("分数线应在 0 到 100 之间。"))]
        if not errors and not (self.excellent_from > self.good_from > self.pass_from):
            errors["good_from"] = [str(_("分数线应满足：优秀 > 良好 > 合格。"))]
        if errors:
            raise ValidationError(errors)


class AssessmentRun(models.Model):
    """One computed period (2025-Q3, 2025-09). A draft may be recomputed; a published one is final."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    period = models.CharField(_("评估周期"), max_length=8, unique=True)
    kind = models.CharField(_("周期类型"), max_length=8, choices=PeriodKind.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))  # inclusive
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    computed_at = models.DateTimeField(_("计算时间"), default=timezone.now)
    computed_by_name = models.CharField(_("计算人"), max_length=64, blank=True)
    computations = models.PositiveIntegerField(_("计算次数"), default=1)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by_name = models.CharField(_("发布人"), max_length=64, blank=True)
    case_count = models.PositiveIntegerField(_("办结件数"), default=0)

    class Meta:
        verbose_name = _("绩效评估周期")
        verbose_name_plural = _("绩效评估周期")
        ordering = ["-starts_on", "kind"]

    def __str__(self) -> str:
        return self.period


class AssessmentScore(models.Model):
    """The score of one department, window or staff member in one period, with its breakdown."""

    run = models.ForeignKey(
        AssessmentRun, on_delete=models.CASCADE, related_name="scores", verbose_name=_("周期")
    )
    subject_kind = models.CharField(_("评估对象类型"), max_length=12, choices=SubjectKind.choices)
    subject_id = models.BigIntegerField(_("评估对象"))
    subject_name = models.CharField(_("名称"), max_length=128)
    department_id = models.BigIntegerField(_("部门"), null=True, blank=True)
    department_name = models.CharField(_("部门名称"), max_length=128, blank=True)
    department_line = models.CharField(_("条线"), max_length=32, blank=True)
    region_code = models.CharField(_("区划代码"), max_length=12)
    scheme_name = models.CharField(_("评估方案"), max_length=64, blank=True)
    cases_completed = models.PositiveIntegerField(_("办结件数"), default=0)
    inputs = models.JSONField(_("分项"), default=dict)  # key → {raw, score, weight, note}
    score = models.DecimalField(_("总分"), max_digits=5, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等级"), max_length=10, choices=Grade.choices, blank=True)
    rank = models.PositiveIntegerField(_("排名"), null=True, blank=True)

    class Meta:
        verbose_name = _("绩效评估得分")
        verbose_name_plural = _("绩效评估得分")
        ordering = ["rank", "subject_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "subject_kind", "subject_id"], name="supervision_score_once"
            )
        ]
        indexes = [models.Index(fields=["run", "subject_kind", "rank"], name="sup_score_rank_idx")]

    def __str__(self) -> str:
        return f"{self.run_id} {self.subject_name}"


class ManualScore(models.Model):
    """A supervisor's score (0–100) of one subject in one period, with the reason; one per subject."""

    period = models.CharField(_("评估周期"), max_length=8)
    subject_kind = models.CharField(_("评估对象类型"), max_length=12, choices=SubjectKind.choices)
    subject_id = models.BigIntegerField(_("评估对象"))
    subject_name = models.CharField(_("名称"), max_length=128, blank=True)
    value = models.DecimalField(_("人工评分"), max_digits=5, decimal_places=2)
    reason = models.TextField(_("理由"))
    entered_by_user_id = models.BigIntegerField(_("评分人"), null=True, blank=True)
    entered_by_name = models.CharField(_("评分人姓名"), max_length=64, blank=True)
    entered_at = models.DateTimeField(_("评分时间"), default=timezone.now)

    class Meta:
        verbose_name = _("人工评分")
        verbose_name_plural = _("人工评分")
        ordering = ["-entered_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "subject_kind", "subject_id"], name="supervision_manual_score_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.subject_name} {self.value}"
