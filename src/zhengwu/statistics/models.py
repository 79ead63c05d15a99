"""The statistics rollup: what each supervision record contributes (CaseFact), summed per day and per
month over region × department × item × channel (DailyStat, MonthlyStat).

Pages and the API read only the sums, never the supervision records, so a dashboard costs the same
with a thousand cases or a million. Rows are derived data: `rollup_refresh` rewrites them from the
supervision records (incrementally, or all of them with `manage.py statistics_rebuild`).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseFact(models.Model):
    """One supervision record as the statistics last counted it (so a change can be taken back)."""

    record_id = models.BigIntegerField(_("监察办件"), primary_key=True)
    source = models.CharField(_("来源系统"), max_length=32)
    region_code = models.CharField(_("区划代码"), max_length=12)
    department_id = models.BigIntegerField(_("实施部门"), default=0)  # 0: unknown department
    department_line = models.CharField(_("条线"), max_length=32, blank=True)
    department_name = models.CharField(_("部门名称"), max_length=128, blank=True)
    item_code = models.CharField(_("事项实施编码"), max_length=40, blank=True)
    item_name = models.CharField(_("事项名称"), max_length=200, blank=True)
    channel = models.CharField(_("申请渠道"), max_length=16, blank=True)
    received_on = models.DateField(_("收件日期"), null=True, blank=True, db_index=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True, db_index=True)
    completed_on = models.DateField(_("办结日期"), null=True, blank=True, db_index=True)
    timed = models.BooleanField(_("有承诺期限"), default=False)
    on_time = models.BooleanField(_("按时办结"), default=False)
    early = models.BooleanField(_("提前办结"), default=False)
    handling_workdays = models.IntegerField(_("办理用时（工作日）"), null=True, blank=True)

    class Meta:
        verbose_name = _("统计事实")
        verbose_name_plural = _("统计事实")

    def __str__(self) -> str:
        return f"fact {self.record_id}"


class StatBucket(models.Model):
    region_code = models.CharField(_("区划代码"), max_length=12)
    department_id = models.BigIntegerField(_("实施部门"), default=0)
    department_line = models.CharField(_("条线"), max_length=32, blank=True)
    department_name = models.CharField(_("部门名称"), max_length=128, blank=True)
    item_code = models.CharField(_("事项实施编码"), max_length=40, blank=True)
    item_name = models.CharField(_("事项名称"), max_length=200, blank=True)
    channel = models.CharField(_("申请渠道"), max_length=16, blank=True)
    received = models.IntegerField(_("收件数"), default=0)
    accepted = models.IntegerField(_("受理数"), default=0)
    completed = models.IntegerField(_("办结数"), default=0)
    timed = models.IntegerField(_("有承诺期限的办结数"), default=0)
    on_time = models.IntegerField(_("按时办结数"), default=0)
    early = models.IntegerField(_("提前办结数"), default=0)
    handled = models.IntegerField(_("计入用时的办结数"), default=0)
    handling_workdays = models.BigIntegerField(_("办理用时合计（工作日）"), default=0)

    class Meta:
        abstract = True


class DailyStat(StatBucket):
    day = models.DateField(_("日期"))

    class Meta:
        verbose_name = _("日统计")
        verbose_name_plural = _("日统计")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "region_code", "department_id", "item_code", "channel"], name="stat_day_key"
            )
        ]
        indexes = [
            models.Index(fields=["day", "region_code"], name="stat_day_idx"),
            models.Index(fields=["department_id", "day"], name="stat_day_dept_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.item_code} {self.channel}"


class MonthlyStat(StatBucket):
    month = models.DateField(_("月份"))  # the first day of the month

    class Meta:
        verbose_name = _("月统计")
        verbose_name_plural = _("月统计")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "region_code", "department_id", "item_code", "channel"],
                name="stat_month_key",
            )
        ]
        indexes = [
            models.Index(fields=["month", "region_code"], name="stat_month_idx"),
            models.Index(fields=["department_id", "month"], name="stat_month_dept_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.item_code} {self.channel}"


class RefreshState(models.Model):
    """Where the incremental refresh stopped: records changed after `watermark` are read next time."""

    name = models.CharField(max_length=32, primary_key=True)
    watermark = models.DateTimeField(_("水位"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("刷新时间"), null=True, blank=True)
    last_changed = models.IntegerField(_("上次变更记录数"), default=0)
    last_seconds = models.FloatField(_("上次用时（秒）"), default=0)

    class Meta:
        verbose_name = _("统计刷新状态")
        verbose_name_plural = _("统计刷新状态")

    def __str__(self) -> str:
        return self.name
