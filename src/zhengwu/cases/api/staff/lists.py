"""Staff lists: the window queue, my tasks, pending extensions, case search, the case."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from ...models import CaseStatus
from ...selectors import staff as sel
from .. import serializers as s
from ..common import (
    ERRORS,
    PAGE_PARAMS,
    READ_ERRORS,
    page_slice,
    paginated,
    today,
)
from ._shared import (
    CASE_ID,
    TAGS,
    BackOfficeView,
    ClerkView,
    HandlingView,
    StaffView,
    case_response,
)

# --- lists ----------------------------------------------------------------------------------


class QueueView(ClerkView):
    @extend_schema(
        tags=TAGS,
        summary="待受理的新申请（本人窗口可受理的）",
        description="绿色通道在前，其次按收件时间先后。",
        parameters=PAGE_PARAMS,
        responses={200: paginated(s.QueueRowOut, "StaffQueuePage"), 400: ERRORS[400]},
    )
    def get(self, request: Request) -> Response:
        actor = self.actor()
        windows = sel.clerk_windows(actor)
        rows, paging = page_slice(request, sel.window_queue(actor, windows))
        out = [
            {
                "case": r.case,
                "applicant_name": r.case.applicant_name,
                "id_number_masked": r.masked_id,
                "green_channel": r.case.green_channel,
                "acceptance": r.acceptance,
            }
            for r in sel.queue_rows(rows, today())
        ]
        return Response({**paging, "results": s.QueueRowOut(out, many=True).data})


class TaskListView(HandlingView):
    @extend_schema(
        tags=TAGS,
        summary="我的待办（红黄绿灯、剩余工作日）",
        description="本人角色、本部门、未指派或指派给本人的在办环节。查询次数与条数无关。",
        parameters=[s.TaskFilterIn, *PAGE_PARAMS],
        responses={200: paginated(s.TaskRowOut, "StaffTaskPage"), 400: ERRORS[400]},
    )
    def get(self, request: Request) -> Response:
        f = s.TaskFilterIn(data=request.query_params)
        f.is_valid(raise_exception=True)
        d = f.validated_data
        day = today()
        filters = sel.TaskFilters(
            item_id=d.get("item"), light=d.get("light", ""), green_channel=d["green"], sort=d["sort"]
        )
        rows, paging = page_slice(request, sel.task_list(self.actor(), filters, day))
        out = [
            {
                "step": r.step,
                "case": r.case,
                "green_channel": r.case.green_channel,
                "due": r.due,
                "promised": r.promised,
            }
            for r in sel.task_rows(rows, day)
        ]
        return Response({**paging, "results": s.TaskRowOut(out, many=True).data})


class PendingExtensionsView(BackOfficeView):
    @extend_schema(
        tags=TAGS,
        summary="待批准的延期申请（部门负责人）",
        parameters=PAGE_PARAMS,
        responses={200: paginated(s.ExtensionOut, "StaffExtensionPage"), 400: ERRORS[400]},
    )
    def get(self, request: Request) -> Response:
        rows, paging = page_slice(request, sel.pending_extensions(self.actor()))
        return Response({**paging, "results": s.ExtensionOut(rows, many=True).data})


class CaseSearchView(StaffView):
    @extend_schema(
        tags=TAGS,
        summary="办件查询（本人可见范围）",
        operation_id="cases_staff_cases_list",
        parameters=[
            OpenApiParameter("number", OpenApiTypes.STR, description="办件编号（精确）"),
            OpenApiParameter("status", OpenApiTypes.STR, enum=CaseStatus.values, description="状态"),
            *PAGE_PARAMS,
        ],
        responses={200: paginated(s.CaseSummaryOut, "StaffCasePage"), 400: ERRORS[400]},
    )
    def get(self, request: Request) -> Response:
        qs = sel.cases_for(self.actor()).exclude(status=CaseStatus.DRAFT)
        if number := request.query_params.get("number", "").strip():
            qs = qs.filter(number=number)
        if wanted := request.query_params.get("status", ""):
            if wanted not in CaseStatus.values:
                raise ValidationError({"status": [_("未知的办件状态。")]})
            qs = qs.filter(status=wanted)
        rows, paging = page_slice(request, qs.order_by("-submitted_at", "-pk"))
        return Response({**paging, "results": s.CaseSummaryOut(rows, many=True).data})


class CaseDetailView(StaffView):
    @extend_schema(
        tags=TAGS,
        summary="办件详情（材料、环节、办理记录、期限、文书）",
        parameters=[CASE_ID],
        responses={200: s.StaffCaseOut, **READ_ERRORS},
    )
    def get(self, request: Request, case_id: int) -> Response:
        return case_response(request, case_id)
