"""Local rules an administrator edits (DOMAIN §5 marks them configurable); defaults ship in code."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_YELLOW_WORKDAYS = 1  # DOMAIN §5: yellow from 1 working day before the promised deadline
DEFAULT_YELLOWS_FOR_RED = 3


class LightThreshold(models.Model):
    """When a light turns yellow, per region (the most specific region prefix wins; blank = all)."""

    region_code = models.CharField(
        _("区划代码"), max_length=12, blank=True, unique=True, help_text=_("留空表示全部区划")
    )
    yellow_workdays = models.PositiveSmallIntegerField(
        _("黄灯提前工作日"),
        default=DEFAULT_YELLOW_WORKDAYS,
        validators=[MaxValueValidator(30)],
        help_text=_("距承诺期限还剩多少个工作日时亮黄灯（0 表示仅期限当天）"),
    )

    class Meta:
        verbose_name = _("亮灯阈值")
        verbose_name_plural = _("亮灯阈值")
        ordering = ["region_code"]

    def __str__(self) -> str:
        return self.region_code or str(_("全部区划"))


class CardRule(models.Model):
    class Kind(models.TextChoices):
        OVERDUE_CASE = "overdue_case", _("办件超期 → 黄牌")
        YELLOW_COUNT = "yellow_count", _("周期内黄牌数达到阈值 → 红牌")

    class Period(models.TextChoices):
        MONTH = "month", _("月")
        QUARTER = "quarter", _("季度")
        YEAR = "year", _("年")

    name = models.CharField(_("规则名称"), max_length=64)
    kind = models.CharField(_("规则类型"), max_length=16, choices=Kind.choices)
    threshold = models.PositiveSmallIntegerField(
        _("阈值"), default=DEFAULT_YELLOWS_FOR_RED, validators=[MinValueValidator(1)]
    )
    period = models.CharField(_("统计周期"), max_length=8, choices=Period.choices, default=Period.QUARTER)
    region_code = models.CharField(_("适用区划"), max_length=12, blank=True, help_text=_("留空表示全部区划"))
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("亮牌规则")
        verbose_name_plural = _("亮牌规则")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return self.name
