"""Admin for the catalogue: a look-up and repair tool. Drafting and review go through the workbench
(services); a version that is no longer a draft is read-only here too."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Bundle, BundleItem, ItemVersion, ServiceItem
from .models.items import EDITABLE_STATUSES


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = ("name", "implementation_code", "department", "item_type", "is_active")
    list_filter = ("item_type", "is_active")
    search_fields = ("name", "implementation_code", "basic_code")
    list_select_related = ("department",)
    raw_id_fields = ("department", "region", "current_version")
    readonly_fields = ("current_version", "is_active", "created_at", "updated_at")


@admin.register(ItemVersion)
class ItemVersionAdmin(admin.ModelAdmin):
    list_display = ("name", "number", "status", "change_kind", "effective_on")
    list_filter = ("status", "change_kind")
    search_fields = ("name", "item__implementation_code")
    list_select_related = ("item",)
    raw_id_fields = ("item", "created_by", "reviewed_by")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Status moves only through the services (review, announcement, activation).
        if obj is not None and obj.status not in EDITABLE_STATUSES:
            return [f.name for f in self.model._meta.fields]
        return (
            "status",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "announce_from",
            "announce_until",
            "effective_on",
            "superseded_on",
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or obj.status in EDITABLE_STATUSES


class BundleItemInline(admin.TabularInline):
    model = BundleItem
    raw_id_fields = ("item",)
    extra = 1


@admin.register(Bundle)
class BundleAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "region", "lead_department", "is_published")
    list_filter = ("is_published",)
    search_fields = ("name", "code")
    raw_id_fields = ("region", "lead_department")
    inlines = [BundleItemInline]
