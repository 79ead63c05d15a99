"""What the staff endpoints share: roles, path parameters, the case answer, base views."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.drf import request_actor, roles
from zhengwu.core.access.roles import Role
from zhengwu.core.audit.masking import mask_id_number, mask_phone

from ...models import CaseStep, Extension
from ...selectors import staff as sel
from .. import serializers as s
from ..common import (
    CaseAPIView,
    case_id_param,
    today,
)

TAGS = ["cases-staff"]
CLERKS = (Role.WINDOW_CLERK, Role.CHIEF_REPRESENTATIVE)
BACK_OFFICE = (Role.REVIEWER, Role.APPROVER, Role.CHIEF_REPRESENTATIVE)
READERS = (*CLERKS, *BACK_OFFICE, Role.HALL_MANAGER, Role.SUPERVISOR)
CLERK = roles(*CLERKS)
CASE_ID = case_id_param()
STEP_ID = OpenApiParameter("step_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="办理环节标识")
EXTENSION_ID = OpenApiParameter(
    "extension_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="延期申请标识"
)
BUNDLE_ID = OpenApiParameter(
    "bundle_case_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="一件事申请标识"
)


def staff_case_data(actor: Actor, case_id: int) -> dict[str, Any]:
    case = sel.case_for(actor, case_id)
    detail = sel.case_detail(case, today())
    active = detail.active_step
    return s.StaffCaseOut(
        {
            "case": case,
            "applicant": {
                "kind": case.applicant_kind,
                "name": case.applicant_name,
                "id_number_masked": mask_id_number(case.applicant_id_number),
                "phone_masked": mask_phone(case.applicant_phone),
                "contact_name": case.contact_name,
            },
            "window_id": case.window_id,
            "green_channel": case.green_channel,
            "deadlines": detail.deadlines,
            "materials": detail.materials,
            "steps": detail.steps,
            "timeline": detail.timeline,
            "documents": detail.documents,
            "supplements": detail.supplements,
            "suspensions": detail.suspensions,
            "extensions": detail.extensions,
            "active_step_id": active.pk if active else None,
        }
    ).data


def case_response(request: Request, case_id: int, code: int = status.HTTP_200_OK) -> Response:
    return Response(staff_case_data(request_actor(request), case_id), status=code)


def visible_step(actor: Actor, step_id: Any) -> CaseStep:
    try:
        pk = int(step_id)
    except (TypeError, ValueError):
        raise CaseStep.DoesNotExist from None
    step = CaseStep.objects.only("id", "case_id").get(pk=pk)
    sel.case_for(actor, step.case_id)  # raises Case.DoesNotExist outside the actor's scope
    return step


def visible_extension(actor: Actor, extension_id: Any) -> Extension:
    try:
        pk = int(extension_id)
    except (TypeError, ValueError):
        raise Extension.DoesNotExist from None
    extension = Extension.objects.only("id", "case_id").get(pk=pk)
    sel.case_for(actor, extension.case_id)
    return extension


def valid(serializer_cls: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    data = serializer_cls(data=request.data)
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


class StaffView(CaseAPIView):
    permission_classes = [roles(*READERS)]


class ClerkView(CaseAPIView):
    permission_classes = [CLERK]


class BackOfficeView(CaseAPIView):
    permission_classes = [roles(*BACK_OFFICE)]


class HandlingView(CaseAPIView):
    permission_classes = [roles(*CLERKS, *BACK_OFFICE)]
