from django.contrib import admin
from django.http import HttpRequest

from .models import Counter


@admin.register(Counter)
class CounterAdmin(admin.ModelAdmin):
    """Read-only: a counter edited by hand could hand out a number twice."""

    list_display = ("key", "day", "value")
    list_filter = ("key",)
    search_fields = ("key",)
    date_hierarchy = "day"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
