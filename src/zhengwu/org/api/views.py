"""REST endpoints of the organisation (/api/v1/org/). Thin: selectors read, services write.

Regions, departments and service points are public information; the scope/ endpoints are for
staff and only show what the actor's scope covers.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.core.access.drf import HasRole, request_actor, roles
from zhengwu.core.access.regions import region_prefix
from zhengwu.core.access.roles import Role
from zhengwu.core.access.shortcuts import get_scoped_or_404
from zhengwu.core.idempotency.drf import idempotent

from .. import selectors, services
from ..models import Department, Region, ServicePoint, StaffProfile, Window
from . import serializers as s

TAGS = ["org"]


class AdminWrites:
    """Reads are public; writes need a sysadmin (anything else: 404, as for an unknown endpoint)."""

    def get_permissions(self) -> list[Any]:
        if getattr(self, "action", None) in ("create", "partial_update", "update"):
            return [roles(Role.SYSADMIN)()]
        return [AllowAny()]


@extend_schema_view(
    list=extend_schema(
        tags=TAGS,
        summary="行政区划列表",
        parameters=[
            OpenApiParameter("parent", OpenApiTypes.STR, description="上级区划代码"),
            OpenApiParameter("level", OpenApiTypes.STR, enum=Region.Level.values),
        ],
    ),
    retrieve=extend_schema(tags=TAGS, summary="行政区划"),
    create=extend_schema(
        tags=TAGS,
        summary="新增行政区划（系统管理员）",
        request=s.RegionCreateSerializer,
        responses={201: s.RegionSerializer},
    ),
)
class RegionViewSet(AdminWrites, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = s.RegionSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9]{12}"

    def get_queryset(self) -> QuerySet[Region]:
        qs = selectors.public_regions()
        if parent := self.request.query_params.get("parent"):
            qs = qs.filter(parent__code=parent)
        if level := self.request.query_params.get("level"):
            qs = qs.filter(level=level)
        return qs

    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.RegionCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        region = services.region_create(actor=request_actor(request), **data.validated_data)
        return Response(s.RegionSerializer(region).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        tags=TAGS,
        summary="部门列表（公开）",
        parameters=[
            OpenApiParameter("region", OpenApiTypes.STR, description="区划代码：该区划及下级的部门"),
            OpenApiParameter("line", OpenApiTypes.STR, description="条线代码"),
        ],
    ),
    retrieve=extend_schema(tags=TAGS, summary="部门（公开）"),
    create=extend_schema(
        tags=TAGS,
        summary="新增部门（系统管理员）",
        request=s.DepartmentWriteSerializer,
        responses={201: s.DepartmentStaffSerializer},
    ),
    partial_update=extend_schema(
        tags=TAGS,
        summary="修改部门（系统管理员）",
        request=s.DepartmentWriteSerializer,
        responses={200: s.DepartmentStaffSerializer},
    ),
)
class DepartmentViewSet(
    AdminWrites, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    serializer_class = s.DepartmentPublicSerializer
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Department]:
        qs = selectors.public_departments()
        if region := self.request.query_params.get("region"):
            qs = qs.filter(region__code__startswith=region_prefix(region))
        if line := self.request.query_params.get("line"):
            qs = qs.filter(line=line)
        return qs

    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.DepartmentWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        department = services.department_create(actor=request_actor(request), **data.validated_data)
        return Response(s.DepartmentStaffSerializer(department).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.DepartmentWriteSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        actor = request_actor(request)
        department = get_scoped_or_404(Department, actor, pk=kwargs["pk"], **_dept_scope())
        department = services.department_update(
            actor=actor, department_id=department.pk, **data.validated_data
        )
        return Response(s.DepartmentStaffSerializer(department).data)


def _dept_scope() -> dict[str, Any]:
    return dict(selectors.DEPARTMENT_SCOPE)


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="服务场所列表（公开）"),
    retrieve=extend_schema(
        tags=TAGS, summary="服务场所及窗口（公开）", responses=s.ServicePointDetailSerializer
    ),
)
class ServicePointViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    serializer_class = s.ServicePointSerializer

    def get_queryset(self) -> QuerySet[ServicePoint]:
        qs = selectors.public_service_points()
        if self.action == "retrieve":
            windows = Window.objects.filter(active=True).select_related("department").order_by("code")
            qs = qs.prefetch_related(Prefetch("windows", queryset=windows, to_attr="active_windows"))
        return qs

    def get_serializer_class(self) -> type[Any]:
        return s.ServicePointDetailSerializer if self.action == "retrieve" else s.ServicePointSerializer


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="本人监管范围内的部门（工作人员）"),
    retrieve=extend_schema(tags=TAGS, summary="范围内的部门（工作人员）"),
)
class ScopedDepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasRole]  # any staff role
    serializer_class = s.DepartmentStaffSerializer

    def get_queryset(self) -> QuerySet[Department]:
        return selectors.departments_for(request_actor(self.request))


@extend_schema_view(
    list=extend_schema(tags=TAGS, summary="范围内的工作人员"),
    retrieve=extend_schema(tags=TAGS, summary="工作人员"),
)
class ScopedStaffViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [HasRole]
    required_roles = (Role.HALL_MANAGER, Role.SUPERVISOR, Role.APPROVER)
    serializer_class = s.StaffSerializer

    def get_queryset(self) -> QuerySet[StaffProfile]:
        return selectors.staff_for(request_actor(self.request))


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=TAGS, summary="当前用户的角色和范围", responses=s.ActorSerializer)
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        return Response(
            s.ActorSerializer(
                {
                    "user_id": actor.user_id,
                    "roles": sorted(r.value for r in actor.roles),
                    "department_id": actor.department_id,
                    "department_line": actor.department_line,
                    "region_code": actor.region_code,
                    "window_ids": sorted(actor.window_ids),
                    "company_ids": sorted(actor.company_ids),
                }
            ).data
        )


class MyPersonProfileView(APIView):
    """The applicant's own real-name profile. Masked unless ?full=1, which is audited."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAGS,
        summary="本人实名信息",
        responses=s.PersonProfileSerializer,
        parameters=[OpenApiParameter("full", OpenApiTypes.BOOL, description="显示完整证件号码（记入审计）")],
    )
    def get(self, request: Request) -> Response:
        actor = request_actor(request)
        assert actor.user_id is not None
        full = request.query_params.get("full") in ("1", "true")
        view = selectors.person_profile_for(actor, actor.user_id, full=full)
        if view is None:
            return Response({"detail": _("未找到。")}, status=status.HTTP_404_NOT_FOUND)
        return Response(s.PersonProfileSerializer(view).data)

    @extend_schema(
        tags=TAGS,
        summary="保存本人实名信息",
        request=s.PersonProfileWriteSerializer,
        responses=s.PersonProfileSerializer,
    )
    def put(self, request: Request) -> Response:
        data = s.PersonProfileWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        actor = request_actor(request)
        assert actor.user_id is not None
        services.person_profile_upsert(actor=actor, user_id=actor.user_id, **data.validated_data)
        view = selectors.person_profile_for(actor, actor.user_id)
        return Response(s.PersonProfileSerializer(view).data)
