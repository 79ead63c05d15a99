"""The audit log: who did what to which object, when, from where and why. Append-only."""

from __future__ import annotations

from typing import Any, NoReturn

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditLogImmutable(Exception):
    """Raised on any attempt to change or remove an audit row."""


def _refuse(*_args: Any, **_kwargs: Any) -> NoReturn:
    raise AuditLogImmutable("审计日志只能追加，不能修改或删除。")


class AuditQuerySet(models.QuerySet["AuditEntry"]):
    # Every bulk path that could rewrite history goes through one of these.
    update = _refuse  # type: ignore[assignment]
    delete = _refuse  # type: ignore[assignment]
    _raw_delete = _refuse  # type: ignore[assignment]
    bulk_update = _refuse  # type: ignore[assignment]
    update_or_create = _refuse  # type: ignore[assignment]


AuditManager = models.Manager.from_queryset(AuditQuerySet)


class AuditEntry(models.Model):
    occurred_at = models.DateTimeField(_("时间"), default=timezone.now)
    actor_user_id = models.BigIntegerField(_("操作人账号"), null=True, blank=True)
    actor_name = models.CharField(_("操作人"), max_length=128, blank=True)
    actor_roles = models.CharField(_("操作人角色"), max_length=255, blank=True)
    actor_department_id = models.BigIntegerField(_("操作人部门"), null=True, blank=True)
    actor_region_code = models.CharField(_("操作人区划"), max_length=12, blank=True)
    action = models.CharField(_("操作"), max_length=64)
    obj_type = models.CharField(_("对象类型"), max_length=64)
    obj_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    summary = models.CharField(_("摘要"), max_length=500, blank=True)
    changes = models.JSONField(_("变更内容"), default=dict, blank=True)
    extra = models.JSONField(_("附加信息"), default=dict, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    channel = models.CharField(_("渠道"), max_length=16, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    window = models.CharField(_("窗口"), max_length=64, blank=True)
    is_pii_read = models.BooleanField(_("查看个人信息"), default=False)

    objects = AuditManager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-occurred_at", "-id"]
        # No add/change/delete permissions exist, so no role can be granted them by mistake.
        default_permissions = ("view",)
        indexes = [
            models.Index(fields=["-occurred_at", "-id"], name="audit_time_idx"),
            models.Index(fields=["action", "-occurred_at"], name="audit_action_idx"),
            models.Index(fields=["obj_type", "obj_id"], name="audit_obj_idx"),
            models.Index(fields=["actor_user_id", "-occurred_at"], name="audit_actor_idx"),
            # Scoped lists filter with LIKE 'prefix%'; PostgreSQL needs the pattern opclass for that.
            models.Index(
                fields=["actor_region_code"], name="audit_region_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["-occurred_at"], name="audit_pii_idx", condition=models.Q(is_pii_read=True)),
        ]

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action} {self.obj_type}:{self.obj_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            _refuse()
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        _refuse()
