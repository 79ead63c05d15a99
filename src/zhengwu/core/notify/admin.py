"""Notifications are records of what was sent: viewable and filterable, never edited by hand."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("id", "channel", "template", "recipient", "status", "attempts", "created_at", "sent_at")
    list_filter = ("channel", "status", "template")
    search_fields = ("=id", "template")
    date_hierarchy = "created_at"
    list_select_related = ("user",)

    def get_readonly_fields(self, request: HttpRequest, obj: Notification | None = None) -> list[str]:
        return [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Notification | None = None) -> bool:
        return False

    @admin.display(description=_("接收方"))
    def recipient(self, obj: Notification) -> str:
        if obj.channel == Notification.Channel.SMS:
            return _mask_phone(obj.phone)
        if obj.channel == Notification.Channel.EMAIL:
            return obj.email
        return str(obj.user) if obj.user_id else "-"


def _mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else "****"
