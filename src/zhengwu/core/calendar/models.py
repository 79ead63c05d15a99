"""Administrator-editable corrections to the official working-day calendar (DOMAIN §2)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .tables import FIRST_YEAR, LAST_YEAR

region_code_validator = RegexValidator(
    r"^\d{12}$", _("区划代码必须是 12 位数字（例如 440604000000），留空表示全国。")
)


class CalendarOverride(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假（节假日）")
        WORKDAY = "workday", _("调休上班")
        CLOSURE = "closure", _("停止办公（如台风停工）")

    date = models.DateField(_("日期"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=64, help_text=_("例如：国庆节、春节调休、台风停工"))
    region_code = models.CharField(
        _("区划代码"),
        max_length=12,
        blank=True,
        default="",
        validators=[region_code_validator],
        help_text=_("留空表示全国；填写 12 位区划代码则只对该区划及其下级区划生效。"),
    )
    note = models.TextField(_("备注"), blank=True, default="")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作日调整")
        verbose_name_plural = _("工作日调整")
        ordering = ["-date", "region_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "region_code"],
                name="core_calendar_override_day_region_uniq",
                violation_error_message=_("该区划在这一天已经有一条调整记录，请直接修改那一条。"),
            )
        ]
        indexes = [models.Index(fields=["region_code", "date"], name="core_cal_override_region_day")]

    def __str__(self) -> str:
        where = self.region_code or str(_("全国"))
        return f"{self.date} {self.name}（{self.get_kind_display()}，{where}）"

    @property
    def is_workday(self) -> bool:
        return self.kind == self.Kind.WORKDAY

    def clean(self) -> None:
        super().clean()
        if isinstance(self.date, dt.date) and not FIRST_YEAR <= self.date.year <= LAST_YEAR:
            message = _("日期必须在 %(first)s 年至 %(last)s 年之间。")
            raise ValidationError({"date": message % {"first": FIRST_YEAR, "last": LAST_YEAR}})
        if self.name is not None and not self.name.strip():
            raise ValidationError({"name": _("请填写名称，例如“国庆节”或“台风停工”。")})


class CalendarYear(models.Model):
    """A year whose holidays and make-up days an administrator has fully entered."""

    year = models.PositiveSmallIntegerField(
        _("年度"),
        validators=[
            MinValueValidator(FIRST_YEAR, _("年度不能早于 %(limit_value)s 年。")),
            MaxValueValidator(LAST_YEAR, _("年度不能晚于 %(limit_value)s 年。")),
        ],
    )
    region_code = models.CharField(
        _("区划代码"),
        max_length=12,
        blank=True,
        default="",
        validators=[region_code_validator],
        help_text=_("通常留空（全国）。"),
    )
    note = models.TextField(_("备注"), blank=True, default="")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("已录入节假日的年度")
        verbose_name_plural = _("已录入节假日的年度")
        ordering = ["-year", "region_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "region_code"],
                name="core_calendar_year_region_uniq",
                violation_error_message=_("该年度已经标记为录入完成。"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.year}（{self.region_code or _('全国')}）"
