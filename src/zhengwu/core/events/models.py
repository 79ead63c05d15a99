"""The transactional outbox: events written with the change that caused them, and their deliveries."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    """A domain event. Append-only: written once by emit(), never edited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(_("事件类型"), max_length=100, db_index=True)
    payload = models.JSONField(_("事件数据"))
    aggregate_type = models.CharField(_("对象类型"), max_length=100)
    aggregate_id = models.CharField(_("对象标识"), max_length=64)
    # Not a foreign key: the kernel knows no user table, and events outlive accounts.
    actor_user_id = models.BigIntegerField(_("操作人"), null=True, blank=True)
    occurred_at = models.DateTimeField(_("发生时间"), default=timezone.now, db_index=True)
    dispatched_at = models.DateTimeField(_("分发时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("事件")
        verbose_name_plural = _("事件")
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["aggregate_type", "aggregate_id"], name="events_aggregate_idx")]

    def __str__(self) -> str:
        return f"{self.type} {self.aggregate_type}#{self.aggregate_id}"


class Delivery(models.Model):
    """One event handed to one handler; the (event, handler) pair makes delivery idempotent."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待投递")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("事件")
    )
    handler = models.CharField(_("处理器"), max_length=200)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("投递")
        verbose_name_plural = _("投递")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["event", "handler"], name="events_delivery_once")]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="events_delivery_due_idx")]
        permissions = [("replay_delivery", _("可以重新投递"))]

    def __str__(self) -> str:
        return f"{self.handler} ← {self.event_id}"


class WorkerHeartbeat(models.Model):
    """Written by every running `manage.py worker` every few seconds; /healthz reads it."""

    worker_id = models.CharField(_("工作进程"), max_length=64, unique=True)
    hostname = models.CharField(_("主机"), max_length=255, blank=True)
    pid = models.PositiveIntegerField(_("进程号"), null=True, blank=True)
    started_at = models.DateTimeField(_("启动时间"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("最近心跳"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("工作进程心跳")
        verbose_name_plural = _("工作进程心跳")
        ordering = ["-last_seen_at"]

    def __str__(self) -> str:
        return self.worker_id
