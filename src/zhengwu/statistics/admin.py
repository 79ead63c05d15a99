from django.contrib import admin

from .models import RefreshState


@admin.register(RefreshState)
class RefreshStateAdmin(admin.ModelAdmin):
    list_display = ("name", "watermark", "refreshed_at", "last_changed", "last_seconds")
    readonly_fields = ("name", "watermark", "refreshed_at", "last_changed", "last_seconds")
