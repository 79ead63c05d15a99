"""Window intake for walk-ins: draft, upload, submit, supplement."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from zhengwu.core.idempotency.drf import HEADER, idempotent

from ...models import IntakeChannel
from ...selectors import staff as sel
from ...services import acceptance, intake
from .. import serializers as s
from ..common import (
    ERRORS,
)
from ..uploads import material_upload_view
from ._shared import (
    CASE_ID,
    CLERK,
    TAGS,
    ClerkView,
    case_response,
    valid,
)

# --- window intake (walk-ins) ---------------------------------------------------------------


class WalkInDraftView(ClerkView):
    @extend_schema(
        tags=TAGS,
        summary="窗口接件：为现场申请人建立暂存件",
        description="核验身份证号码或统一社会信用代码（校验位）；表单与网上申请相同。",
        request=s.WalkInDraftIn,
        responses={201: s.StaffCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        d = valid(s.WalkInDraftIn, request)
        case = intake.case_draft_create(
            actor=self.actor(),
            item_id=d["item_id"],
            channel=IntakeChannel.WINDOW,
            form_data=d["form_data"] or None,
            applicant=dict(d["applicant"]),
            window_id=d["window_id"],
            green_channel=d["green_channel"],
        )
        return case_response(request, case.pk, status.HTTP_201_CREATED)


WalkInUploadView = material_upload_view(
    "WalkInUploadView", guard=CLERK, find_case=sel.case_for, tags=TAGS, summary="窗口扫描上传材料"
)


class WalkInSubmitView(ClerkView):
    @extend_schema(
        tags=TAGS,
        summary="窗口接件：提交（收件）",
        parameters=[CASE_ID],
        request=None,
        responses={200: s.StaffCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, case_id: int) -> Response:
        case = sel.case_for(self.actor(), case_id)
        intake.case_submit(
            actor=self.actor(), case_id=case.pk, idempotency_key=request.headers.get(HEADER, "")
        )
        return case_response(request, case.pk)


class WalkInSupplementView(ClerkView):
    @extend_schema(
        tags=TAGS,
        summary="窗口代收补正材料后提交",
        parameters=[CASE_ID],
        request=None,
        responses={200: s.StaffCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, case_id: int) -> Response:
        case = sel.case_for(self.actor(), case_id)
        acceptance.case_supplement_submit(actor=self.actor(), case_id=case.pk)
        return case_response(request, case.pk)
