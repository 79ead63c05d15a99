"""The material upload endpoint, shared by applicants (their own cases) and window clerks (walk-ins).

The two differ only in who may call them (`guard`, a permission class) and how the case is found
(`find_case`, which raises Case.DoesNotExist — a 404 — for a case the actor may not reach).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from zhengwu.core.access.actor import Actor
from zhengwu.core.idempotency.drf import idempotent

from ..models import Case
from ..services import intake
from . import serializers as s
from .common import ERRORS, CaseAPIView, case_id_param

MATERIAL_ID = OpenApiParameter(
    "material_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="办件材料标识"
)


def material_upload_view(
    name: str,
    *,
    guard: type[BasePermission],
    find_case: Callable[[Actor, Any], Case],
    tags: list[str],
    summary: str,
    description: str | None = None,
) -> type[CaseAPIView]:
    """A view class named `name` whose POST stores one file for one material of a case."""

    @extend_schema(
        tags=tags,
        summary=summary,
        description=description,
        parameters=[case_id_param(), MATERIAL_ID],
        request={"multipart/form-data": s.UploadIn},
        responses={201: s.CaseFileOut, **ERRORS},
    )
    @idempotent
    def post(self: CaseAPIView, request: Request, case_id: int, material_id: int) -> Response:
        case = find_case(self.actor(), case_id)
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [_("请选择要上传的文件。")]})
        case_file = intake.case_material_upload(
            actor=self.actor(), case_id=case.pk, material_id=int(material_id), upload=upload
        )
        return Response(s.CaseFileOut(case_file).data, status=status.HTTP_201_CREATED)

    namespace = {"permission_classes": [guard], "parser_classes": [MultiPartParser, FormParser], "post": post}
    return type(name, (CaseAPIView,), namespace)
