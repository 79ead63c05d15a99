"""Shapes of the public catalogue API (read-only)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import (
    Bundle,
    BundleItem,
    FormField,
    ItemVersion,
    MaterialRequirement,
    ProcedureStep,
    ServiceItem,
)


class DepartmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class RegionRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()


class ItemSummarySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="implementation_code")
    item_type_label = serializers.CharField(source="get_item_type_display")
    department = DepartmentRefSerializer()
    region = RegionRefSerializer()
    version = serializers.IntegerField(source="current_version.number")
    handling_type = serializers.CharField(source="current_version.handling_type")
    promised_limit = serializers.IntegerField(source="current_version.promised_limit", allow_null=True)
    promised_unit = serializers.CharField(source="current_version.promised_unit")
    visits = serializers.IntegerField(source="current_version.visits")
    online_depth = serializers.IntegerField(source="current_version.online_depth")

    class Meta:
        model = ServiceItem
        fields = [
            "code",
            "basic_code",
            "name",
            "item_type",
            "item_type_label",
            "audience",
            "themes",
            "aliases",
            "department",
            "region",
            "version",
            "handling_type",
            "promised_limit",
            "promised_unit",
            "visits",
            "online_depth",
        ]


class MaterialSerializer(serializers.ModelSerializer):
    blank_form_url = serializers.SerializerMethodField()
    sample_url = serializers.SerializerMethodField()

    class Meta:
        model = MaterialRequirement
        fields = [
            "order",
            "name",
            "source",
            "license_type_code",
            "originals",
            "copies",
            "medium",
            "required",
            "deferrable",
            "is_form",
            "notes",
            "blank_form_url",
            "sample_url",
        ]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_blank_form_url(self, obj: MaterialRequirement) -> str | None:
        return _file_url(obj.blank_form_file_id)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_sample_url(self, obj: MaterialRequirement) -> str | None:
        return _file_url(obj.sample_file_id)


def _file_url(file_id: Any) -> str | None:
    from django.urls import reverse

    return reverse("files:download", kwargs={"file_id": file_id}) if file_id else None


class StepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureStep
        fields = ["order", "name", "stage", "role", "limit", "description"]


class FormFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = FormField
        fields = [
            "order",
            "key",
            "label",
            "field_type",
            "required",
            "choices",
            "validation",
            "help_text",
            "prefill",
        ]


class FeeSerializer(serializers.Serializer):
    name = serializers.CharField()
    amount = serializers.CharField()
    unit = serializers.CharField(required=False)
    basis = serializers.CharField(required=False)


class GuideServicePointSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    address = serializers.CharField()
    hours = serializers.CharField()
    phone = serializers.CharField()
    region_name = serializers.CharField()


VERSION_FIELDS = [
    "number",
    "status",
    "change_kind",
    "name",
    "legal_basis",
    "conditions",
    "handling_type",
    "statutory_limit",
    "statutory_unit",
    "promised_limit",
    "promised_unit",
    "limit_note",
    "charges_fee",
    "visits",
    "visits_reason",
    "online_depth",
    "channels",
    "service_hours_note",
    "consultation_phone",
    "supervision_phone",
    "result_name",
    "result_type",
    "license_type_code",
    "needs_intermediary",
    "intermediary_services",
    "allows_deficiency",
    "allows_commitment",
    "cross_region_scope",
    "valid_from",
    "valid_until",
    "announce_from",
    "announce_until",
    "effective_on",
    "superseded_on",
]


class VersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = ItemVersion
        fields = [
            "number",
            "status",
            "change_kind",
            "change_reason",
            "announce_from",
            "announce_until",
            "effective_on",
            "superseded_on",
        ]


class VersionDetailSerializer(serializers.ModelSerializer):
    fees = FeeSerializer(many=True)
    materials = MaterialSerializer(many=True)
    steps = StepSerializer(many=True)
    form_fields = FormFieldSerializer(many=True)
    result_sample_url = serializers.SerializerMethodField()

    class Meta:
        model = ItemVersion
        fields = [*VERSION_FIELDS, "fees", "materials", "steps", "form_fields", "result_sample_url"]

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_result_sample_url(self, obj: ItemVersion) -> str | None:
        return _file_url(obj.result_sample_file_id)


class ItemDetailSerializer(serializers.Serializer):
    item = ItemSummarySerializer()
    current_version = VersionDetailSerializer(source="version")
    service_points = GuideServicePointSerializer(many=True)
    bundles = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_bundles(self, obj: Any) -> list[str]:
        return [b.code for b in obj.bundles]


class BundleSummarySerializer(serializers.ModelSerializer):
    lead_department = DepartmentRefSerializer()
    region = RegionRefSerializer()

    class Meta:
        model = Bundle
        fields = [
            "code",
            "name",
            "audience",
            "themes",
            "aliases",
            "description",
            "promised_limit",
            "deemed_consent",
            "lead_department",
            "region",
        ]


class BundleMemberSerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="item.implementation_code")
    name = serializers.CharField(source="item.name")
    department = DepartmentRefSerializer(source="item.department")

    class Meta:
        model = BundleItem
        fields = ["order", "optional", "code", "name", "department"]


class MergedMaterialSerializer(serializers.Serializer):
    name = serializers.CharField()
    source = serializers.CharField()  # type: ignore[assignment]  # a field named like a Field attribute
    license_type_code = serializers.CharField()
    originals = serializers.IntegerField()
    copies = serializers.IntegerField()
    medium = serializers.CharField()
    required = serializers.BooleanField()  # type: ignore[assignment]  # a field named like a Field attribute
    deferrable = serializers.BooleanField()
    notes = serializers.CharField()
    item_names = serializers.ListField(child=serializers.CharField())
    blank_form_url = serializers.SerializerMethodField()
    sample_url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_blank_form_url(self, obj: Any) -> str | None:
        return _file_url(obj.blank_form_file_id)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_sample_url(self, obj: Any) -> str | None:
        return _file_url(obj.sample_file_id)


class MergedFieldSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named like a Field attribute
    field_type = serializers.CharField()
    required = serializers.BooleanField()  # type: ignore[assignment]  # a field named like a Field attribute
    choices = serializers.ListField()
    help_text = serializers.CharField()  # type: ignore[assignment]  # a field named like a Field attribute
    prefill = serializers.CharField()


class BundleDetailSerializer(serializers.Serializer):
    bundle = BundleSummarySerializer()
    items = BundleMemberSerializer(source="members", many=True)
    materials = MergedMaterialSerializer(many=True)
    form_fields = MergedFieldSerializer(many=True)


class SearchResultSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["item", "bundle"])
    code = serializers.CharField()
    title = serializers.CharField()
    kind_label = serializers.CharField()
    department = serializers.CharField()
    region = serializers.CharField()
    snippet = serializers.CharField()
    score = serializers.FloatField()
    url = serializers.CharField()


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    page = serializers.IntegerField()
    has_next = serializers.BooleanField()
    results = SearchResultSerializer(many=True)
