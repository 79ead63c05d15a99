from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import StoredFile


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    """Files are evidence: the admin lists them; uploads go through file_store, nothing is edited."""

    list_display = ("original_name", "purpose", "extension", "size", "owner_user_id", "created_at", "link")
    list_filter = ("purpose", "extension", "created_at")
    search_fields = ("original_name", "sha256", "=id")
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in StoredFile._meta.fields]

    @admin.display(description=_("下载"))
    def link(self, obj: StoredFile) -> str:
        return format_html('<a href="{}">{}</a>', reverse("files:download", args=[obj.pk]), _("下载"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
