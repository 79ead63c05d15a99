"""Admin: the configurable rules (DOMAIN §5) and exchange credentials are edited here (every change
audited); records, events, warnings, cards and corrections are read-only (services write them)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from zhengwu.core.access.actor import actor_for
from zhengwu.core.audit.services import audit_record

from .models import (
    AssessmentRun,
    AssessmentScheme,
    AssessmentScore,
    Card,
    CardRule,
    CaseEventRecord,
    Correction,
    ExchangeSystem,
    LightThreshold,
    ManualScore,
    SupervisedCase,
    Warning,
)


class AuditedAdmin(admin.ModelAdmin):
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            actor=actor_for(request.user),
            action=f"supervision.{obj._meta.model_name}.{'update' if change else 'create'}",
            obj_type=f"supervision.{obj._meta.model_name}",
            obj_id=obj.pk,
            summary=str(obj),
            extra={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(
            actor=actor_for(request.user),
            action=f"supervision.{obj._meta.model_name}.delete",
            obj_type=f"supervision.{obj._meta.model_name}",
            obj_id=obj.pk,
            summary=str(obj),
        )
        super().delete_model(request, obj)


@admin.register(LightThreshold)
class LightThresholdAdmin(AuditedAdmin):
    list_display = ["__str__", "yellow_workdays"]


@admin.register(CardRule)
class CardRuleAdmin(AuditedAdmin):
    list_display = ["name", "kind", "threshold", "period", "region_code", "active"]
    list_filter = ["kind", "active"]


@admin.register(AssessmentScheme)
class AssessmentSchemeAdmin(AuditedAdmin):
    """Weights must sum to 100 and thresholds descend (AssessmentScheme.clean, field errors in Chinese)."""

    list_display = ["name", "region_code", "periods", "excellent_from", "good_from", "pass_from"]
    fieldsets = [
        (None, {"fields": ["name", "region_code", "periods"]}),
        (
            _("权重（合计 100）"),
            {
                "fields": [
                    "weight_on_time",
                    "weight_early",
                    "weight_time_used",
                    "weight_cards",
                    "weight_corrections",
                    "weight_complaints",
                    "weight_ratings",
                    "weight_manual",
                ]
            },
        ),
        (_("等级分数线"), {"fields": ["excellent_from", "good_from", "pass_from"]}),
        (
            _("扣分"),
            {
                "fields": [
                    "yellow_card_points",
                    "red_card_points",
                    "correction_points",
                    "overdue_answer_points",
                ]
            },
        ),
    ]


@admin.register(ExchangeSystem)
class ExchangeSystemAdmin(AuditedAdmin):
    list_display = ["code", "name", "key_id", "active", "last_used_at"]
    readonly_fields = ["last_used_at", "created_at"]
    search_fields = ["code", "name", "key_id"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SupervisedCase)
class SupervisedCaseAdmin(ReadOnlyAdmin):
    list_display = ["case_number", "source", "item_name", "department_name", "stage", "light", "current_due"]
    list_filter = ["light", "stage", "is_open", "source"]
    search_fields = ["case_number", "case_id", "item_code"]


@admin.register(CaseEventRecord)
class CaseEventRecordAdmin(ReadOnlyAdmin):
    list_display = ["event_id", "type", "occurred_at", "source"]
    list_filter = ["source", "type"]
    raw_id_fields = ["case"]


@admin.register(Warning)
class WarningAdmin(ReadOnlyAdmin):
    list_display = ["record", "level", "stage", "due", "created_at"]
    list_filter = ["level"]


@admin.register(Card)
class CardAdmin(ReadOnlyAdmin):
    list_display = ["department_name", "level", "source", "period", "issued_at"]
    list_filter = ["level", "source"]


@admin.register(Correction)
class CorrectionAdmin(ReadOnlyAdmin):
    list_display = ["title", "department_name", "status", "due", "created_at"]
    list_filter = ["status"]


@admin.register(AssessmentRun)
class AssessmentRunAdmin(ReadOnlyAdmin):
    list_display = ["period", "kind", "status", "case_count", "computations", "computed_at", "published_at"]
    list_filter = ["kind", "status"]


@admin.register(AssessmentScore)
class AssessmentScoreAdmin(ReadOnlyAdmin):
    list_display = ["run", "subject_kind", "subject_name", "score", "grade", "rank"]
    list_filter = ["subject_kind", "grade"]
    search_fields = ["subject_name"]


@admin.register(ManualScore)
class ManualScoreAdmin(ReadOnlyAdmin):
    list_display = ["period", "subject_kind", "subject_name", "value", "entered_by_name", "entered_at"]
