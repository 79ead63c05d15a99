from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """One daily sequence (case, ticket, notice numbers…); `value` is the last number handed out."""

    key = models.CharField(_("序列"), max_length=100)
    day = models.DateField(_("日期"))
    value = models.PositiveIntegerField(_("当前值"), default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")
        ordering = ["-day", "key"]
        constraints = [models.UniqueConstraint(fields=["key", "day"], name="numbering_counter_key_day")]

    def __str__(self) -> str:
        return f"{self.key} {self.day:%Y-%m-%d} = {self.value}"
