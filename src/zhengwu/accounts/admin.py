from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .models import PhoneCode, User


def _admin_login(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    """The admin uses our login page, so lock-out and TOTP cannot be skipped through /admin/login/."""
    next_url = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")


admin.site.login = _admin_login  # type: ignore[method-assign]


@admin.register(User)
class ZhengwuUserAdmin(UserAdmin):
    list_display = (
        "username",
        "display_name",
        "kind",
        "is_active",
        "totp_enabled",
        "locked_until",
        "last_login",
    )
    list_filter = ("kind", "is_active", "is_staff", "totp_enabled")
    search_fields = ("username", "display_name", "phone")
    readonly_fields = ("failed_logins", "phone_verified_at", "totp_enabled", "oidc_subject", "last_login")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            _("政务平台"),
            {
                "fields": (
                    "kind",
                    "display_name",
                    "phone",
                    "phone_verified_at",
                    "failed_logins",
                    "locked_until",
                    "totp_enabled",
                    "oidc_subject",
                )
            },
        ),
    )


@admin.register(PhoneCode)
class PhoneCodeAdmin(admin.ModelAdmin):
    list_display = ("phone", "purpose", "created_at", "expires_at", "attempts", "consumed_at")
    list_filter = ("purpose",)
    search_fields = ("phone",)
    exclude = ("code_hash",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
