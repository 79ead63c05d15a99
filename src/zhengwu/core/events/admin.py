"""Events are read-only evidence; failed deliveries can be replayed (重新投递)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from zhengwu.core.access.actor import actor_for

from . import services
from .models import Delivery, Event, WorkerHeartbeat


class ReadOnlyMixin:
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReplayPermissionMixin:
    def has_replay_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.has_perm("core_events.replay_delivery"))


class DeliveryInline(ReadOnlyMixin, admin.TabularInline):
    model = Delivery
    extra = 0
    fields = ("handler", "status", "attempts", "next_attempt_at", "done_at", "last_error")
    readonly_fields = fields
    can_delete = False


class PendingFilter(admin.SimpleListFilter):
    title = _("分发")
    parameter_name = "dispatched"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("no", _("未分发")), ("yes", _("已分发"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Event]) -> QuerySet[Event]:
        if self.value() in ("yes", "no"):
            return queryset.filter(dispatched_at__isnull=self.value() == "no")
        return queryset


@admin.register(Event)
class EventAdmin(ReplayPermissionMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("occurred_at", "type", "aggregate_type", "aggregate_id", "actor_user_id", "dispatched_at")
    list_filter = ("type", PendingFilter, "deliveries__status", "aggregate_type")
    search_fields = ("=id", "=aggregate_id", "type")
    date_hierarchy = "occurred_at"
    fields = (
        "id",
        "type",
        "aggregate_type",
        "aggregate_id",
        "actor_user_id",
        "occurred_at",
        "dispatched_at",
        "payload_pretty",
    )
    readonly_fields = fields
    inlines = [DeliveryInline]
    actions = ["replay"]
    show_full_result_count = False

    @admin.display(description=_("事件数据"))
    def payload_pretty(self, obj: Event) -> str:
        return format_html("<pre>{}</pre>", json.dumps(obj.payload, ensure_ascii=False, indent=2))

    @admin.action(description=_("重新投递"), permissions=["replay"])
    def replay(self, request: HttpRequest, queryset: QuerySet[Event]) -> None:
        count = services.events_replay(
            actor=actor_for(request.user), event_ids=queryset.values_list("pk", flat=True)
        )
        messages.success(
            request, ngettext("已重新投递 %(n)d 条投递。", "已重新投递 %(n)d 条投递。", count) % {"n": count}
        )


@admin.register(Delivery)
class DeliveryAdmin(ReplayPermissionMixin, ReadOnlyMixin, admin.ModelAdmin):
    list_display = (
        "created_at",
        "event_type",
        "handler",
        "status",
        "attempts",
        "next_attempt_at",
        "done_at",
        "error_line",
    )
    list_filter = ("status", "event__type", "handler")
    search_fields = ("=event__id", "handler")
    list_select_related = ("event",)
    fields = (
        "event",
        "handler",
        "status",
        "attempts",
        "next_attempt_at",
        "done_at",
        "created_at",
        "last_error",
    )
    readonly_fields = fields
    actions = ["replay"]

    @admin.display(description=_("事件类型"), ordering="event__type")
    def event_type(self, obj: Delivery) -> str:
        return obj.event.type

    @admin.display(description=_("最近错误"))
    def error_line(self, obj: Delivery) -> str:
        lines = [line for line in obj.last_error.strip().splitlines() if line.strip()]
        return lines[-1][:120] if lines else ""

    @admin.action(description=_("重新投递"), permissions=["replay"])
    def replay(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        count = services.deliveries_replay(
            actor=actor_for(request.user), delivery_ids=queryset.values_list("pk", flat=True)
        )
        skipped = queryset.count() - count
        messages.success(
            request, ngettext("已重新投递 %(n)d 条投递。", "已重新投递 %(n)d 条投递。", count) % {"n": count}
        )
        if skipped:
            messages.warning(request, _("已完成的投递不会重复执行（跳过 %(n)d 条）。") % {"n": skipped})


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("worker_id", "hostname", "pid", "started_at", "last_seen_at")
