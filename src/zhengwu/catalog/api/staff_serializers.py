"""Shapes of the staff draft API. Inputs are checked loosely here (types); the services hold the rules."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import FormField, ItemVersion, MaterialRequirement, ProcedureStep
from ..models.choices import Audience, ChangeKind, ItemType, ReviewVerdict
from ..models.items import content_field_names


class StaffMaterialSerializer(serializers.ModelSerializer):
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
            "blank_form_file_id",
            "sample_file_id",
            "notes",
        ]


class StaffFormFieldSerializer(serializers.ModelSerializer):
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


class StaffStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProcedureStep
        fields = ["order", "name", "stage", "role", "limit", "description"]


class VersionSerializer(serializers.ModelSerializer):
    item_id = serializers.IntegerField(read_only=True)
    implementation_code = serializers.CharField(source="item.implementation_code", read_only=True)
    department_id = serializers.IntegerField(source="item.department_id", read_only=True)
    editable = serializers.BooleanField(source="is_editable", read_only=True)
    # plain strings: the two unit fields share one choice set (LimitUnit), documented on the public API
    statutory_unit = serializers.CharField(read_only=True, help_text="workdays | days | hours")
    promised_unit = serializers.CharField(read_only=True, help_text="workdays | days | hours")
    materials = StaffMaterialSerializer(many=True, read_only=True)
    form_fields = StaffFormFieldSerializer(many=True, read_only=True)
    steps = StaffStepSerializer(many=True, read_only=True)

    class Meta:
        model = ItemVersion
        fields = [
            "id",
            "item_id",
            "implementation_code",
            "department_id",
            "number",
            "status",
            "change_kind",
            "change_reason",
            "editable",
            *[f for f in content_field_names() if f != "status"],
            "requested_effective_on",
            "created_by",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "announce_from",
            "announce_until",
            "effective_on",
            "superseded_on",
            "materials",
            "form_fields",
            "steps",
        ]
        read_only_fields = fields


class VersionListSerializer(serializers.ModelSerializer):
    item_id = serializers.IntegerField(read_only=True)
    implementation_code = serializers.CharField(source="item.implementation_code", read_only=True)
    department_id = serializers.IntegerField(source="item.department_id", read_only=True)

    class Meta:
        model = ItemVersion
        fields = [
            "id",
            "item_id",
            "implementation_code",
            "department_id",
            "name",
            "number",
            "status",
            "change_kind",
            "submitted_at",
            "effective_on",
            "updated_at",
        ]
        read_only_fields = fields


class DraftCreateSerializer(serializers.Serializer):
    """Either item_id (a change draft of an existing item) or the new item's identity."""

    item_id = serializers.IntegerField(required=False, help_text="已有事项：新建变更草稿")
    change_kind = serializers.CharField(
        required=False, default=ChangeKind.ADJUST, help_text="adjust（调整）或 cancel（取消）"
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    department_id = serializers.IntegerField(required=False, help_text="新事项：实施部门")
    item_type = serializers.ChoiceField(choices=ItemType.choices, required=False)
    name = serializers.CharField(required=False, max_length=200)
    basic_code = serializers.CharField(required=False, max_length=12)
    implementation_code = serializers.CharField(required=False, max_length=40)
    audience = serializers.ChoiceField(choices=Audience.choices, required=False, default=Audience.BOTH)
    themes = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    aliases = serializers.ListField(child=serializers.CharField(), required=False, default=list)

    NEW_ITEM_FIELDS = ("department_id", "item_type", "name", "basic_code", "implementation_code")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("item_id") is None:
            missing = {f: ["新建事项时必填。"] for f in self.NEW_ITEM_FIELDS if not attrs.get(f)}
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


@extend_schema_field({"type": "object", "additionalProperties": True, "description": "要修改的版本字段"})
class FieldsJSON(serializers.DictField):
    pass


class MaterialsInSerializer(serializers.Serializer):
    materials = serializers.ListField(child=serializers.DictField(), allow_empty=True)


class FormFieldsInSerializer(serializers.Serializer):
    form_fields = serializers.ListField(child=serializers.DictField(), allow_empty=True)


class StepsInSerializer(serializers.Serializer):
    steps = serializers.ListField(child=serializers.DictField(), allow_empty=True)


class DecisionSerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=ReviewVerdict.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class DecisionsSerializer(serializers.Serializer):
    standard = DecisionSerializer(help_text="规范性")
    legal = DecisionSerializer(help_text="合法性")
    reasonable = DecisionSerializer(help_text="合理性")


class ReviewInSerializer(serializers.Serializer):
    decisions = DecisionsSerializer()
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    announce_days = serializers.IntegerField(required=False, allow_null=True, default=None)


class ReasonInSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class FindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=["error", "warning"])
    message = serializers.CharField()
    field = serializers.CharField()  # type: ignore[assignment]


class CheckResultSerializer(serializers.Serializer):
    version_id = serializers.IntegerField()
    can_submit = serializers.BooleanField()
    findings = FindingSerializer(many=True)


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()  # type: ignore[assignment]
    label = serializers.CharField()  # type: ignore[assignment]
    old = serializers.JSONField()
    new = serializers.JSONField()
    kind = serializers.ChoiceField(choices=["changed", "added", "removed"])


class DiffSerializer(serializers.Serializer):
    old_version_id = serializers.IntegerField()
    new_version_id = serializers.IntegerField()
    changes = ChangeSerializer(many=True)
