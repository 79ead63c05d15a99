"""What every case endpoint shares: the error mapping, paging, and the small response helpers.

Errors (docs/cases/api.md):
- django ValidationError → 400 `{"detail", "errors": {field: [Chinese messages]}}` (core.api);
- CaseConflict (another clerk acted first, a stale `revision`, a wrong status) → 409 `{"detail"}`
  with the Chinese message;
- an object the caller may not see (`*.DoesNotExist`, a malformed id) → 404, like a missing one;
- a visible case on which the caller's role may not act (a service raising PermissionDenied) → 403;
- an endpoint of the other side (an applicant on a staff endpoint or the reverse) → 404 (core.access).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.drf import request_actor

from ..services._base import CaseConflict

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100

DETAIL = inline_serializer("CasesDetailMessage", {"detail": serializers.CharField()})
VALIDATION = inline_serializer(
    "CasesValidationError",
    {
        "detail": serializers.CharField(),
        "errors": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
    },
)
ERRORS: dict[int, Any] = {
    400: OpenApiResponse(VALIDATION, description="输入有误：按字段列出中文提示"),
    403: OpenApiResponse(DETAIL, description="当前角色不能对该办件执行此操作"),
    404: OpenApiResponse(DETAIL, description="办件不存在或无权查看"),
    409: OpenApiResponse(DETAIL, description="办件已被他人处理或状态已变化"),
}
READ_ERRORS: dict[int, Any] = {404: ERRORS[404]}

PAGE_PARAMS = [
    OpenApiParameter("page", OpenApiTypes.INT, description="页码，从 1 开始；超出末页返回空列表"),
    OpenApiParameter(
        "size", OpenApiTypes.INT, description=f"每页条数，默认 {PAGE_SIZE}，最多 {MAX_PAGE_SIZE}"
    ),
]


def case_id_param(description: str = "办件标识") -> OpenApiParameter:
    return OpenApiParameter("case_id", OpenApiTypes.INT, OpenApiParameter.PATH, description=description)


def today() -> dt.date:
    return timezone.localdate()


class CaseAPIView(APIView):
    """Base view: maps the case services' exceptions onto the documented answers."""

    def actor(self) -> Actor:
        return request_actor(self.request)

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, CaseConflict):
            return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
        if isinstance(exc, ObjectDoesNotExist):
            return Response({"detail": _("未找到。")}, status=status.HTTP_404_NOT_FOUND)
        if isinstance(exc, DjangoPermissionDenied):
            message = str(exc) or _("您没有执行此操作的权限。")
            return Response({"detail": message}, status=status.HTTP_403_FORBIDDEN)
        return super().handle_exception(exc)


def parse_int(value: Any, field: str, *, minimum: int = 1, default: int | None = None) -> int:
    from django.core.exceptions import ValidationError

    if value in (None, ""):
        if default is not None:
            return default
        raise ValidationError({field: [_("请填写。")]})
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError({field: [_("应为整数。")]}) from None
    if number < minimum:
        raise ValidationError({field: [_("不能小于 %(min)s。") % {"min": minimum}]})
    return number


def paginated(serializer_cls: type[serializers.BaseSerializer], name: str) -> Any:
    return inline_serializer(
        name=name,
        fields={
            "count": serializers.IntegerField(),
            "page": serializers.IntegerField(),
            "num_pages": serializers.IntegerField(),
            "results": serializer_cls(many=True),
        },
    )


def page_slice(request: Request, qs: QuerySet[Any] | list[Any]) -> tuple[list[Any], dict[str, int]]:
    """The requested page of `qs` (one COUNT and one SELECT) and the paging numbers."""
    number = parse_int(request.query_params.get("page"), "page", default=1)
    size = min(parse_int(request.query_params.get("size"), "size", default=PAGE_SIZE), MAX_PAGE_SIZE)
    paginator = Paginator(qs, size)
    rows = list(qs[(number - 1) * size : number * size]) if number <= paginator.num_pages else []
    return rows, {"count": paginator.count, "page": number, "num_pages": paginator.num_pages}
