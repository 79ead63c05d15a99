"""The index is derived data: visible for troubleshooting, rebuilt by the owning apps, not edited."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import SearchDocument


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin):
    list_display = ("kind", "object_id", "title", "title_weight", "updated_at")
    list_filter = ("kind",)
    search_fields = ("=object_id",)

    def get_readonly_fields(self, request: HttpRequest, obj: SearchDocument | None = None) -> list[str]:
        return [f.name for f in SearchDocument._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: SearchDocument | None = None) -> bool:
        return False
