"""Staff draft API (/api/v1/catalog/staff/): thin views over the change-management services.

Department staff (reviewers, approvers) draft; the reform office (hall managers) reviews. Anything
outside the actor's scope is a 404, like a missing object.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.core.access.drf import request_actor, roles
from zhengwu.core.access.roles import Role
from zhengwu.core.access.shortcuts import scoped
from zhengwu.core.idempotency.drf import idempotent

from .. import services
from ..checker import ERROR, check_version
from ..diff import version_diff
from ..models import ItemVersion
from ..models.choices import VersionStatus
from ..selectors import staff as sel
from . import staff_serializers as s

TAGS = ["catalog-staff"]
STAFF = roles(Role.REVIEWER, Role.APPROVER, Role.HALL_MANAGER)
VERSION_ID = OpenApiParameter("id", OpenApiTypes.INT, OpenApiParameter.PATH, description="版本标识")


def _detail(version_id: int) -> dict[str, Any]:
    version = (
        ItemVersion.objects.select_related("item")
        .prefetch_related("materials", "form_fields", "steps")
        .get(pk=version_id)
    )
    return s.VersionSerializer(version).data


@extend_schema_view(
    list=extend_schema(
        tags=TAGS,
        summary="草稿和在途版本列表",
        parameters=[
            OpenApiParameter("status", OpenApiTypes.STR, enum=VersionStatus.values, description="版本状态"),
            OpenApiParameter("item", OpenApiTypes.INT, description="事项标识"),
        ],
    ),
    retrieve=extend_schema(tags=TAGS, summary="版本详情（含材料、表单字段、环节）", parameters=[VERSION_ID]),
)
class DraftViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [STAFF]
    serializer_class = s.VersionSerializer
    queryset = ItemVersion.objects.none()

    def get_serializer_class(self) -> type[Any]:
        return s.VersionListSerializer if self.action == "list" else s.VersionSerializer

    def get_queryset(self) -> QuerySet[ItemVersion]:
        qs = scoped(
            ItemVersion.objects.select_related("item"), request_actor(self.request), **sel.VERSION_SCOPE
        )
        if self.action != "list":
            return qs.prefetch_related("materials", "form_fields", "steps")
        wanted = self.request.query_params.get("status")
        if wanted:
            if wanted not in VersionStatus.values:
                raise ValidationError({"status": ["未知的版本状态。"]})
            qs = qs.filter(status=wanted)
        else:
            qs = qs.filter(status__in=sel.OPEN_STATUSES)
        if item := self.request.query_params.get("item"):
            if not item.isdigit():
                raise ValidationError({"item": ["事项标识应为数字。"]})
            qs = qs.filter(item_id=int(item))
        return qs.order_by("-updated_at", "-pk")

    @extend_schema(
        tags=TAGS,
        summary="新建草稿（新事项或已有事项的变更）",
        request=s.DraftCreateSerializer,
        responses={201: s.VersionSerializer},
    )
    @idempotent
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.DraftCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        actor = request_actor(request)
        if d.get("item_id") is not None:
            version = services.version_create_draft(
                actor=actor, item_id=d["item_id"], change_kind=d["change_kind"], reason=d["reason"]
            )
        else:
            version = services.item_create_draft(
                actor=actor,
                **{
                    k: d[k]
                    for k in (*s.DraftCreateSerializer.NEW_ITEM_FIELDS, "audience", "themes", "aliases")
                },
            )
        return Response(_detail(version.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        tags=TAGS,
        summary="修改草稿字段",
        parameters=[VERSION_ID],
        request=OpenApiTypes.OBJECT,
        responses={200: s.VersionSerializer},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not isinstance(request.data, dict) or not request.data:
            raise ValidationError({"non_field_errors": ["请提交要修改的字段。"]})
        version = services.version_update(
            actor=request_actor(request), version_id=kwargs["pk"], **request.data
        )
        return Response(_detail(version.pk))

    def _set_parts(
        self, request: Request, pk: Any, serializer: type[Any], key: str, fn: Any, arg: str
    ) -> Response:
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        fn(actor=request_actor(request), version_id=pk, **{arg: data.validated_data[key]})
        return Response(_detail(int(pk)))

    @extend_schema(
        tags=TAGS,
        summary="设置申请材料（整体替换）",
        request=s.MaterialsInSerializer,
        responses={200: s.VersionSerializer},
    )
    @action(detail=True, methods=["put"])
    def materials(self, request: Request, pk: Any = None) -> Response:
        return self._set_parts(
            request, pk, s.MaterialsInSerializer, "materials", services.material_set, "materials"
        )

    @extend_schema(
        tags=TAGS,
        summary="设置表单字段（整体替换）",
        request=s.FormFieldsInSerializer,
        responses={200: s.VersionSerializer},
    )
    @action(detail=True, methods=["put"], url_path="form-fields")
    def form_fields(self, request: Request, pk: Any = None) -> Response:
        return self._set_parts(
            request, pk, s.FormFieldsInSerializer, "form_fields", services.form_fields_set, "fields"
        )

    @extend_schema(
        tags=TAGS,
        summary="设置办理环节（整体替换）",
        request=s.StepsInSerializer,
        responses={200: s.VersionSerializer},
    )
    @action(detail=True, methods=["put"])
    def steps(self, request: Request, pk: Any = None) -> Response:
        return self._set_parts(request, pk, s.StepsInSerializer, "steps", services.steps_set, "steps")

    @extend_schema(
        tags=TAGS,
        summary="提交审核（指南检查有错误时拒绝）",
        request=None,
        responses={200: s.VersionSerializer},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: Any = None) -> Response:
        version = services.version_submit(actor=request_actor(request), version_id=pk)
        return Response(_detail(version.pk))

    @extend_schema(
        tags=TAGS,
        summary="审改部门审核（规范性、合法性、合理性）",
        request=s.ReviewInSerializer,
        responses={200: s.VersionSerializer},
    )
    @action(detail=True, methods=["post"])
    def review(self, request: Request, pk: Any = None) -> Response:
        data = s.ReviewInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        version = services.version_review(
            actor=request_actor(request),
            version_id=pk,
            decisions={k: dict(v) for k, v in d["decisions"].items()},
            comment=d["comment"],
            announce_days=d["announce_days"],
        )
        return Response(_detail(version.pk))

    @extend_schema(
        tags=TAGS, summary="撤回", request=s.ReasonInSerializer, responses={200: s.VersionSerializer}
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: Any = None) -> Response:
        data = s.ReasonInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.version_withdraw(
            actor=request_actor(request), version_id=pk, reason=data.validated_data["reason"]
        )
        return Response(_detail(version.pk))

    @extend_schema(tags=TAGS, summary="运行办事指南检查", responses={200: s.CheckResultSerializer})
    @action(detail=True, methods=["get"])
    def check(self, request: Request, pk: Any = None) -> Response:
        version = self.get_object()
        findings = check_version(version)
        return Response(
            {
                "version_id": version.pk,
                "can_submit": not any(f.severity == ERROR for f in findings),
                "findings": [f.as_dict() for f in findings],
            }
        )


class VersionDiffView(APIView):
    permission_classes = [STAFF]

    @extend_schema(
        tags=TAGS,
        summary="两个版本的差异",
        parameters=[
            OpenApiParameter("old", OpenApiTypes.INT, required=True, description="旧版本标识"),
            OpenApiParameter("new", OpenApiTypes.INT, required=True, description="新版本标识"),
        ],
        responses={200: s.DiffSerializer},
    )
    def get(self, request: Request) -> Response:
        ids: dict[str, int] = {}
        errors: dict[str, list[str]] = {}
        for key in ("old", "new"):
            raw = request.query_params.get(key, "")
            if not raw.isdigit():
                errors[key] = ["请提供版本标识（数字）。"]
            else:
                ids[key] = int(raw)
        if errors:
            raise ValidationError(errors)
        actor = request_actor(request)
        old, new = sel.version_for(actor, ids["old"]), sel.version_for(actor, ids["new"])
        if old.item_id != new.item_id:
            raise ValidationError({"new": ["两个版本不属于同一事项。"]})
        changes = [c.__dict__ for c in version_diff(old, new)]
        return Response({"old_version_id": old.pk, "new_version_id": new.pk, "changes": changes})
