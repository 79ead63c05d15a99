"""Admin for the organisation. Personal data is masked in lists; new objects go through services
where validation matters (USCC, ID numbers), so the admin forms use the same checks."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import validators as v
from .models import (
    Company,
    CompanyAgent,
    Department,
    PersonProfile,
    Region,
    ServicePoint,
    StaffProfile,
    Window,
)


def _field_check(check: Any, value: Any, *args: Any) -> Any:
    try:
        return check(value, *args)
    except ValidationError as exc:
        raise forms.ValidationError(next(iter(exc.message_dict.values()))) from None


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)

    def get_readonly_fields(self, request: Any, obj: Region | None = None) -> tuple[str, ...]:
        return ("code", "level", "parent") if obj else ("level",)

    def save_model(self, request: Any, obj: Region, form: Any, change: bool) -> None:
        if not change:
            obj.code, obj.level = _field_check(v.clean_region_code, obj.code)
        super().save_model(request, obj, form, change)


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = [
            "name",
            "short_name",
            "uscc",
            "region",
            "parent",
            "line",
            "supervision_contact_name",
            "supervision_contact_phone",
            "consultation_phone",
            "complaint_phone",
            "active",
        ]

    def clean_uscc(self) -> str:
        return _field_check(v.clean_uscc, self.cleaned_data["uscc"])

    def clean_line(self) -> str:
        return _field_check(v.clean_line, self.cleaned_data["line"])

    def _phone(self, field: str) -> str:
        return _field_check(v.clean_service_phone, self.cleaned_data[field], field)

    def clean_consultation_phone(self) -> str:
        return self._phone("consultation_phone")

    def clean_complaint_phone(self) -> str:
        return self._phone("complaint_phone")

    def clean_supervision_contact_phone(self) -> str:
        return self._phone("supervision_contact_phone")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    form = DepartmentForm
    list_display = ("name", "region", "line", "uscc", "consultation_phone", "active")
    list_filter = ("active", "line", "region__level")
    search_fields = ("name", "short_name", "uscc")
    autocomplete_fields = ("region", "parent")
    list_select_related = ("region",)


class WindowInline(admin.TabularInline):
    model = Window
    extra = 0
    autocomplete_fields = ("department",)


@admin.register(ServicePoint)
class ServicePointAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "level", "region", "phone", "active")
    list_filter = ("kind", "level", "active")
    search_fields = ("name", "address")
    autocomplete_fields = ("region",)
    list_select_related = ("region",)
    inlines = [WindowInline]


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "service_point", "kind", "department", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name", "service_point__name")
    list_select_related = ("service_point", "department")
    autocomplete_fields = ("service_point", "department")


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "department", "region", "roles")
    search_fields = ("user__username", "user__display_name", "department__name")
    list_select_related = ("user", "department", "region")
    autocomplete_fields = ("user", "department", "region")
    filter_horizontal = ("windows",)


class PersonProfileForm(forms.ModelForm):
    class Meta:
        model = PersonProfile
        fields = ["user", "name", "id_number", "phone", "address"]

    def clean_id_number(self) -> str:
        return _field_check(v.clean_id_number, self.cleaned_data["id_number"])

    def clean_phone(self) -> str:
        return _field_check(v.clean_mobile, self.cleaned_data["phone"])


@admin.register(PersonProfile)
class PersonProfileAdmin(admin.ModelAdmin):
    form = PersonProfileForm
    list_display = ("name", "masked_id", "masked_phone_number", "user")
    search_fields = ("name", "user__username")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)

    @admin.display(description=_("身份证号码"))
    def masked_id(self, obj: PersonProfile) -> str:
        return obj.masked_id_number

    @admin.display(description=_("手机号"))
    def masked_phone_number(self, obj: PersonProfile) -> str:
        return obj.masked_phone


class CompanyAgentInline(admin.TabularInline):
    model = CompanyAgent
    extra = 0
    autocomplete_fields = ("user",)


class CompanyForm(forms.ModelForm):
    class Meta:
        model = Company
        fields = ["name", "uscc", "kind", "legal_rep_name", "legal_rep_id_number"]

    def clean_uscc(self) -> str:
        return _field_check(v.clean_uscc, self.cleaned_data["uscc"])

    def clean_legal_rep_id_number(self) -> str:
        value = self.cleaned_data["legal_rep_id_number"]
        return _field_check(v.clean_id_number, value) if value else ""


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    form = CompanyForm
    list_display = ("name", "uscc", "kind", "legal_rep_name", "masked_legal_rep_id")
    list_filter = ("kind",)
    search_fields = ("name", "uscc")
    inlines = [CompanyAgentInline]

    @admin.display(description=_("法定代表人身份证号码"))
    def masked_legal_rep_id(self, obj: Company) -> str:
        return obj.masked_legal_rep_id_number
