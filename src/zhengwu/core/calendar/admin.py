"""Admin for the calendar overrides: every save and delete goes through the audited services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengwu.core.access.actor import actor_for

from .days import fallback_years, local_day
from .models import CalendarOverride, CalendarYear
from .services import (
    calendar_override_delete,
    calendar_override_save,
    calendar_year_delete,
    calendar_year_save,
)


class ScopeFilter(admin.SimpleListFilter):
    title = gettext_lazy("适用范围")
    parameter_name = "scope"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("national", gettext_lazy("全国")), ("regional", gettext_lazy("地方"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "national":
            return queryset.filter(region_code="")
        if self.value() == "regional":
            return queryset.exclude(region_code="")
        return queryset


def _warn_fallback_years(request: HttpRequest) -> None:
    from django.utils import timezone

    this_year = local_day(timezone.now()).year
    missing = fallback_years(range(this_year, this_year + 2))
    if missing:
        years = "、".join(str(y) for y in missing)
        messages.warning(
            request,
            _("%(years)s 年没有官方节假日数据，也未标记为已录入：这些年份暂按周一至周五计算工作日。")
            % {"years": years},
        )


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name", "region_code", "updated_at")
    list_filter = ("kind", ScopeFilter)
    search_fields = ("name", "region_code", "note")
    date_hierarchy = "date"
    ordering = ("-date", "region_code")
    fields = ("date", "kind", "name", "region_code", "note")

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        _warn_fallback_years(request)
        return super().changelist_view(request, extra_context)

    def save_model(self, request: HttpRequest, obj: CalendarOverride, form: Any, change: bool) -> None:
        calendar_override_save(actor=actor_for(request.user), override=obj)

    def delete_model(self, request: HttpRequest, obj: CalendarOverride) -> None:
        calendar_override_delete(actor=actor_for(request.user), override=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarOverride]) -> None:
        actor = actor_for(request.user)
        for obj in queryset:
            calendar_override_delete(actor=actor, override=obj)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "region_code", "note", "updated_at")
    list_filter = (ScopeFilter,)
    search_fields = ("=year", "region_code", "note")
    ordering = ("-year",)
    fields = ("year", "region_code", "note")

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        _warn_fallback_years(request)
        return super().changelist_view(request, extra_context)

    def save_model(self, request: HttpRequest, obj: CalendarYear, form: Any, change: bool) -> None:
        calendar_year_save(actor=actor_for(request.user), entry=obj)

    def delete_model(self, request: HttpRequest, obj: CalendarYear) -> None:
        calendar_year_delete(actor=actor_for(request.user), entry=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[CalendarYear]) -> None:
        actor = actor_for(request.user)
        for obj in queryset:
            calendar_year_delete(actor=actor, entry=obj)
