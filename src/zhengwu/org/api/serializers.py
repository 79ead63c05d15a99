"""API shapes of the organisation. Input serializers only parse types; the services validate."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..models import Department, Region, ServicePoint, StaffProfile, Window


class RegionSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(source="parent.code", default=None, read_only=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent_code"]


class RegionCreateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)
    name = serializers.CharField(max_length=200)
    parent_code = serializers.CharField(max_length=32, required=False, allow_blank=True, allow_null=True)
    level = serializers.ChoiceField(choices=Region.Level.choices, required=False, allow_null=True)


class DepartmentPublicSerializer(serializers.ModelSerializer):
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Department
        fields = [
            "id",
            "name",
            "short_name",
            "uscc",
            "region_code",
            "region_name",
            "line",
            "consultation_phone",
            "complaint_phone",
        ]


class DepartmentStaffSerializer(DepartmentPublicSerializer):
    """What staff in scope see: the supervision contact and the active flag too."""

    class Meta(DepartmentPublicSerializer.Meta):
        fields = [
            *DepartmentPublicSerializer.Meta.fields,
            "parent_id",
            "supervision_contact_name",
            "supervision_contact_phone",
            "active",
        ]


class DepartmentWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    uscc = serializers.CharField(max_length=64)
    region_code = serializers.CharField(max_length=32)
    short_name = serializers.CharField(max_length=32, required=False, allow_blank=True)
    parent_id = serializers.IntegerField(required=False, allow_null=True)
    line = serializers.CharField(max_length=64, required=False, allow_blank=True)
    supervision_contact_name = serializers.CharField(max_length=32, required=False, allow_blank=True)
    supervision_contact_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    consultation_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    complaint_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False)


def _enum(choices: type[Any], description: str) -> dict[str, Any]:
    # Several models have a "kind": drf-spectacular would name their enums after the field and
    # warn about the collision, so the allowed values are given as a pattern instead.
    return {"type": "string", "pattern": "^(" + "|".join(choices.values) + ")$", "description": description}


@extend_schema_field(_enum(Window.Kind, "general 综合窗口 / department 部门窗口"))
class WindowKindField(serializers.CharField):
    pass


@extend_schema_field(
    _enum(ServicePoint.Kind, "center 政务服务中心 / convenience 便民服务中心 / station 服务站")
)
class ServicePointKindField(serializers.CharField):
    pass


class WindowSerializer(serializers.ModelSerializer):
    kind = WindowKindField(read_only=True)
    department_name = serializers.CharField(source="department.name", default=None, read_only=True)
    category_labels = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Window
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "department_id",
            "department_name",
            "categories",
            "category_labels",
        ]


class ServicePointSerializer(serializers.ModelSerializer):
    kind = ServicePointKindField(read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    windows_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = ServicePoint
        fields = [
            "id",
            "name",
            "kind",
            "level",
            "region_code",
            "region_name",
            "address",
            "latitude",
            "longitude",
            "opening_hours",
            "weekday_hours",
            "phone",
            "windows_count",
        ]


class ServicePointDetailSerializer(ServicePointSerializer):
    windows = WindowSerializer(many=True, read_only=True, source="active_windows")

    class Meta(ServicePointSerializer.Meta):
        fields = [*ServicePointSerializer.Meta.fields, "windows"]


class StaffSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    display_name = serializers.CharField(source="user.display_name", read_only=True)
    department_name = serializers.CharField(source="department.name", read_only=True)
    region_code = serializers.CharField(source="region.code", read_only=True)
    window_ids = serializers.SerializerMethodField()

    class Meta:
        model = StaffProfile
        fields = [
            "id",
            "username",
            "display_name",
            "department_id",
            "department_name",
            "region_code",
            "roles",
            "window_ids",
            "delegated_item_codes",
        ]

    def get_window_ids(self, obj: StaffProfile) -> list[int]:
        return sorted(w.pk for w in obj.windows.all())


class ActorSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(allow_null=True)
    roles = serializers.ListField(child=serializers.CharField())
    department_id = serializers.IntegerField(allow_null=True)
    department_line = serializers.CharField(allow_blank=True)
    region_code = serializers.CharField(allow_blank=True)
    window_ids = serializers.ListField(child=serializers.IntegerField())
    company_ids = serializers.ListField(child=serializers.IntegerField())


class PersonProfileSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True)
    id_number = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    address = serializers.CharField(read_only=True)
    masked = serializers.BooleanField(read_only=True)


class PersonProfileWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    id_number = serializers.CharField(max_length=32)
    phone = serializers.CharField(max_length=32)
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
