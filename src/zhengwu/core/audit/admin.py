from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry


class ActionPrefixFilter(admin.SimpleListFilter):
    title = _("操作类别")
    parameter_name = "action_prefix"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        prefixes = sorted(
            {
                a.split(".", 1)[0]
                for a in AuditEntry.objects.values_list("action", flat=True).order_by().distinct()[:500]
            }
        )
        return [(p, p) for p in prefixes]

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        value = self.value()
        return queryset.filter(action__startswith=value + ".") if value else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: no one can add, change or delete an audit row, here or anywhere."""

    list_display = (
        "occurred_at",
        "actor_name",
        "actor_user_id",
        "action",
        "obj_type",
        "obj_id",
        "summary",
        "channel",
        "ip",
        "is_pii_read",
    )
    list_filter = ("is_pii_read", "channel", ActionPrefixFilter, "obj_type", "occurred_at")
    search_fields = (
        "actor_name",
        "=actor_user_id",
        "action",
        "=obj_id",
        "summary",
        "reason",
        "actor_region_code",
    )
    date_hierarchy = "occurred_at"
    list_per_page = 50
    show_full_result_count = False  # counting a large log for every page is slow
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
