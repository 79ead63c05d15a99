"""Applicant endpoints (/api/v1/cases/…): drafts, uploads, submit, my cases, supplement, withdraw.

An applicant reaches only their own cases and those of the companies they act for; anything else —
another applicant's case, material file or document — is a 404, exactly like a missing one. Every
create (draft, upload, submit, supplement) honours the Idempotency-Key header.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from zhengwu.core.access.drf import request_actor, roles
from zhengwu.core.access.roles import Role
from zhengwu.core.files.selectors import file_open_for_read, stored_file_for
from zhengwu.core.idempotency.drf import HEADER, idempotent

from ..services import intake
from ..services.acceptance import case_supplement_submit
from . import queries
from . import serializers as s
from .common import (
    ERRORS,
    PAGE_PARAMS,
    READ_ERRORS,
    CaseAPIView,
    case_id_param,
    page_slice,
    paginated,
)
from .uploads import material_upload_view

TAGS = ["cases-applicant"]
APPLICANT = roles(Role.APPLICANT)
CASE_ID = case_id_param()
BUNDLE_ID = OpenApiParameter(
    "bundle_case_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="一件事申请标识"
)


def case_response(request: Request, case_id: int, code: int = status.HTTP_200_OK) -> Response:
    """The applicant's view of the case, re-read after a change (so it shows the new state)."""
    actor = request_actor(request)
    case = queries.own_case(actor, case_id)
    return Response(s.ApplicantCaseOut(queries.applicant_view(case)).data, status=code)


def bundle_response(request: Request, bundle_case_id: int, code: int = status.HTTP_200_OK) -> Response:
    bundle = queries.own_bundle(request_actor(request), bundle_case_id)
    cases = list(bundle.cases.order_by("pk"))
    return Response(
        s.BundleDetailOut({"bundle": bundle, "query_code": bundle.query_code, "cases": cases}).data,
        status=code,
    )


def _applicant_arg(company_id: int | None) -> dict[str, Any] | None:
    return {"company_id": company_id} if company_id else None


class ApplicantView(CaseAPIView):
    permission_classes = [APPLICANT]


class DraftCreateView(ApplicantView):
    @extend_schema(
        tags=TAGS,
        summary="新建暂存申请（单个事项）",
        description="按事项当前有效版本建立暂存件：复制材料清单，并用个人或企业资料预填表单（信息复用）。",
        request=s.DraftCreateIn,
        responses={201: s.ApplicantCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = s.DraftCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        case = intake.case_draft_create(
            actor=self.actor(),
            item_id=d["item_id"],
            channel=d["channel"],
            form_data=d["form_data"] or None,
            applicant=_applicant_arg(d.get("company_id")),
        )
        return case_response(request, case.pk, status.HTTP_201_CREATED)


class BundleDraftCreateView(ApplicantView):
    @extend_schema(
        tags=TAGS,
        summary="新建暂存申请（一件事）",
        description="一张表单、一套材料：每个事项一个暂存件，同名材料只需上传一次。",
        request=s.BundleDraftCreateIn,
        responses={201: s.BundleDetailOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request) -> Response:
        data = s.BundleDraftCreateIn(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        bundle = intake.bundle_draft_create(
            actor=self.actor(),
            bundle_id=d["bundle_id"],
            channel=d["channel"],
            form_data=d["form_data"] or None,
            applicant=_applicant_arg(d.get("company_id")),
            item_ids=d.get("item_ids") or None,
        )
        return bundle_response(request, bundle.pk, status.HTTP_201_CREATED)


class MyCaseListView(ApplicantView):
    @extend_schema(
        tags=TAGS,
        summary="我的办件",
        operation_id="cases_mine_list",
        parameters=[
            OpenApiParameter(
                "status",
                OpenApiTypes.STR,
                enum=queries.LIST_STATUSES,
                description="open 办理中，action 待补正，closed 已结束，draft 暂存；不填为全部已提交",
            ),
            *PAGE_PARAMS,
        ],
        responses={200: paginated(s.CaseSummaryOut, "ApplicantCasePage"), 400: ERRORS[400]},
    )
    def get(self, request: Request) -> Response:
        wanted = request.query_params.get("status", "")
        if wanted and wanted not in queries.LIST_STATUSES:
            raise ValidationError({"status": [_("未知的办件状态。")]})
        rows, paging = page_slice(request, queries.own_case_list(self.actor(), wanted))
        return Response({**paging, "results": s.CaseSummaryOut(rows, many=True).data})


class MyCaseDetailView(ApplicantView):
    @extend_schema(
        tags=TAGS,
        summary="办件详情（办理记录、期限、材料、文书）",
        parameters=[CASE_ID],
        responses={200: s.ApplicantCaseOut, **READ_ERRORS},
    )
    def get(self, request: Request, case_id: int) -> Response:
        return case_response(request, case_id)


class FormUpdateView(ApplicantView):
    @extend_schema(
        tags=TAGS,
        summary="保存表单（暂存）",
        description="只检查字段类型；必填项在提交时检查。",
        parameters=[CASE_ID],
        request=s.FormUpdateIn,
        responses={200: s.ApplicantCaseOut, **ERRORS},
    )
    def put(self, request: Request, case_id: int) -> Response:
        case = queries.own_case(self.actor(), case_id)
        data = s.FormUpdateIn(data=request.data)
        data.is_valid(raise_exception=True)
        intake.case_draft_update(
            actor=self.actor(),
            case_id=case.pk,
            form_data=data.validated_data["form_data"],
            revision=data.validated_data.get("revision"),
        )
        return case_response(request, case.pk)


MaterialUploadView = material_upload_view(
    "MaterialUploadView",
    guard=APPLICANT,
    find_case=queries.own_case,
    tags=TAGS,
    summary="上传材料文件",
    description="暂存时、补正告知书列出的材料、容缺后补的材料可以上传。",
)


class CaseFileView(ApplicantView):
    @extend_schema(
        tags=TAGS,
        summary="下载自己上传的材料文件",
        parameters=[
            CASE_ID,
            OpenApiParameter("file_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="材料文件标识"),
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **READ_ERRORS},
    )
    def get(self, request: Request, case_id: int, file_id: int) -> Any:
        case = queries.own_case(self.actor(), case_id)
        case_file = queries.case_file_of(case, file_id)
        return _stream(request, case_file.file_id, case.number)

    @extend_schema(
        tags=TAGS,
        summary="删除暂存件中的材料文件",
        parameters=[
            CASE_ID,
            OpenApiParameter("file_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="材料文件标识"),
        ],
        responses={204: None, **ERRORS},
    )
    def delete(self, request: Request, case_id: int, file_id: int) -> Response:
        case = queries.own_case(self.actor(), case_id)
        case_file = queries.case_file_of(case, file_id)
        intake.case_file_remove(actor=self.actor(), case_id=case.pk, case_file_id=case_file.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentDownloadView(ApplicantView):
    @extend_schema(
        tags=TAGS,
        summary="下载文书（受理通知书、决定书等 PDF）",
        parameters=[
            CASE_ID,
            OpenApiParameter("document_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="文书标识"),
        ],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **READ_ERRORS},
    )
    def get(self, request: Request, case_id: int, document_id: int) -> Any:
        case = queries.own_case(self.actor(), case_id)
        document = queries.document_of(case, document_id)
        return _stream(request, document.file_id, case.number)


def _stream(request: Request, file_id: Any, number: str) -> FileResponse:
    actor = request_actor(request)
    stored = stored_file_for(actor=actor, file_id=file_id)
    if stored is None:
        raise Http404
    try:
        handle = file_open_for_read(actor=actor, stored_file=stored, purpose=f"办件 {number}")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class SubmitView(ApplicantView):
    @extend_schema(
        tags=TAGS,
        summary="提交申请（收件），返回收件凭证",
        description=(
            "检查必填项和必要材料（一次列出全部问题），分配办件编号和查询码。"
            f"重复提交（双击、重试）不会产生新的办件；带 {HEADER} 时重复请求返回第一次的结果。"
            "办件详情见 detail_url。"
        ),
        parameters=[CASE_ID],
        request=None,
        responses={200: s.ReceiptOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, case_id: int) -> Response:
        # The service locks the case and answers 404 (Case.DoesNotExist) unless it is the actor's own.
        case = intake.case_submit(
            actor=self.actor(),
            case_id=case_id,
            idempotency_key=request.headers.get(HEADER, ""),
            as_applicant=True,
        )
        return Response(s.ReceiptOut(case).data)


class SupplementSubmitView(ApplicantView):
    @extend_schema(
        tags=TAGS,
        summary="提交补正材料",
        description="先用上传接口补交告知书列出的每一项材料，再调用本接口；未列出的材料不能补交。",
        parameters=[CASE_ID],
        request=None,
        responses={200: s.ApplicantCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, case_id: int) -> Response:
        case = queries.own_case(self.actor(), case_id)
        case_supplement_submit(actor=self.actor(), case_id=case.pk)
        return case_response(request, case.pk)


class WithdrawView(ApplicantView):
    @extend_schema(
        tags=TAGS,
        summary="撤回申请",
        description="作出决定之前可以撤回。",
        parameters=[CASE_ID],
        request=s.WithdrawIn,
        responses={200: s.ApplicantCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, case_id: int) -> Response:
        case = queries.own_case(self.actor(), case_id)
        data = s.WithdrawIn(data=request.data)
        data.is_valid(raise_exception=True)
        intake.case_withdraw(actor=self.actor(), case_id=case.pk, reason=data.validated_data["reason"])
        return case_response(request, case.pk)


class BundleDetailView(ApplicantView):
    @extend_schema(
        tags=TAGS,
        summary="一件事申请详情",
        parameters=[BUNDLE_ID],
        responses={200: s.BundleDetailOut, **READ_ERRORS},
    )
    def get(self, request: Request, bundle_case_id: int) -> Response:
        return bundle_response(request, bundle_case_id)


class BundleSubmitView(ApplicantView):
    @extend_schema(
        tags=TAGS,
        summary="提交一件事申请",
        description="一次提交全部事项，每个事项各得一个办件编号，一件事另有编号。",
        parameters=[BUNDLE_ID],
        request=None,
        responses={200: s.BundleDetailOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, bundle_case_id: int) -> Response:
        bundle = queries.own_bundle(self.actor(), bundle_case_id)
        intake.bundle_submit(actor=self.actor(), bundle_case_id=bundle.pk)
        return bundle_response(request, bundle.pk)
