"""Staff endpoints (/api/v1/cases/staff/…): the window queue, my tasks, the case, every transition.

A case outside the actor's scope (actor.scope_q over region_code / department_line, widened by the
clerk's windows — selectors.staff) is a 404. Within scope the services decide who may do what: a
role that may not act gets 403, a case that changed meanwhile (or a stale `revision`) gets 409 with
the Chinese message, a bad input 400 with field messages. Creates honour Idempotency-Key.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.drf import request_actor, roles
from zhengwu.core.access.roles import Role
from zhengwu.core.audit.masking import mask_id_number, mask_phone
from zhengwu.core.idempotency.drf import HEADER, idempotent

from ..models import BundleCase, CaseStatus, CaseStep, Extension, IntakeChannel
from ..selectors import staff as sel
from ..services import acceptance, bundles, decision, delivery, intake, steps, suspension
from . import serializers as s
from .common import (
    ERRORS,
    PAGE_PARAMS,
    READ_ERRORS,
    CaseAPIView,
    case_id_param,
    page_slice,
    paginated,
    today,
)

TAGS = ["cases-staff"]
CLERKS = (Role.WINDOW_CLERK, Role.CHIEF_REPRESENTATIVE)
BACK_OFFICE = (Role.REVIEWER, Role.APPROVER, Role.CHIEF_REPRESENTATIVE)
READERS = (*CLERKS, *BACK_OFFICE, Role.HALL_MANAGER, Role.SUPERVISOR)
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
    permission_classes = [roles(*CLERKS)]


class BackOfficeView(CaseAPIView):
    permission_classes = [roles(*BACK_OFFICE)]


class HandlingView(CaseAPIView):
    permission_classes = [roles(*CLERKS, *BACK_OFFICE)]


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


class WalkInUploadView(ClerkView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=TAGS,
        summary="窗口扫描上传材料",
        parameters=[
            CASE_ID,
            OpenApiParameter(
                "material_id", OpenApiTypes.INT, OpenApiParameter.PATH, description="办件材料标识"
            ),
        ],
        request={"multipart/form-data": s.UploadIn},
        responses={201: s.CaseFileOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, case_id: int, material_id: int) -> Response:
        case = sel.case_for(self.actor(), case_id)
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": [_("请选择要上传的文件。")]})
        case_file = intake.case_material_upload(
            actor=self.actor(), case_id=case.pk, material_id=int(material_id), upload=upload
        )
        return Response(s.CaseFileOut(case_file).data, status=status.HTTP_201_CREATED)


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


# --- acceptance -----------------------------------------------------------------------------


class AcceptView(ClerkView):
    @extend_schema(
        tags=TAGS,
        summary="受理（出具受理通知书；即办件当场决定）",
        parameters=[CASE_ID],
        request=s.AcceptIn,
        responses={200: s.StaffCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, case_id: int) -> Response:
        d = valid(s.AcceptIn, request)
        case = sel.case_for(self.actor(), case_id)
        acceptance.case_accept(
            actor=self.actor(),
            case_id=case.pk,
            revision=d.get("revision"),
            window_id=d.get("window_id"),
            mode=d["mode"],
            checks=d.get("checks") or None,
        )
        return case_response(request, case.pk)


class RejectView(ClerkView):
    @extend_schema(
        tags=TAGS,
        summary="不予受理（理由、法律依据、救济途径）",
        parameters=[CASE_ID],
        request=s.RejectIn,
        responses={200: s.StaffCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, case_id: int) -> Response:
        d = valid(s.RejectIn, request)
        case = sel.case_for(self.actor(), case_id)
        acceptance.case_reject(
            actor=self.actor(),
            case_id=case.pk,
            revision=d.get("revision"),
            reasons=d["reasons"],
            text=d["text"],
            legal_basis=d["legal_basis"],
            remedy=d["remedy"],
        )
        return case_response(request, case.pk)


class SupplementRequestView(ClerkView):
    @extend_schema(
        tags=TAGS,
        summary="一次性告知补正（列出全部需补正的材料）",
        parameters=[CASE_ID],
        request=s.SupplementRequestIn,
        responses={201: s.StaffCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, case_id: int) -> Response:
        d = valid(s.SupplementRequestIn, request)
        case = sel.case_for(self.actor(), case_id)
        acceptance.case_request_supplement(
            actor=self.actor(),
            case_id=case.pk,
            revision=d.get("revision"),
            items=[dict(i) for i in d["items"]],
            note=d["note"],
        )
        return case_response(request, case.pk, status.HTTP_201_CREATED)


class DeficiencyAcceptView(ClerkView):
    @extend_schema(
        tags=TAGS,
        summary="容缺受理（可容缺材料、承诺补齐日期、已签承诺书）",
        parameters=[CASE_ID],
        request=s.DeficiencyAcceptIn,
        responses={200: s.StaffCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, case_id: int) -> Response:
        d = valid(s.DeficiencyAcceptIn, request)
        case = sel.case_for(self.actor(), case_id)
        acceptance.case_accept_with_deficiency(
            actor=self.actor(),
            case_id=case.pk,
            revision=d.get("revision"),
            deferred={row["material_id"]: row["supply_by"] for row in d["deferred"]},
            commitment_signed=d["commitment_signed"],
            window_id=d.get("window_id"),
        )
        return case_response(request, case.pk)


# --- the back office ------------------------------------------------------------------------


class StepCompleteView(BackOfficeView):
    @extend_schema(
        tags=TAGS,
        summary="完成办理环节（同意 / 不同意）",
        description="最后一个环节（决定）同意即准予、不同意即不予许可（须填理由和依据）。",
        parameters=[STEP_ID],
        request=s.StepCompleteIn,
        responses={200: s.StaffCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, step_id: int) -> Response:
        d = valid(s.StepCompleteIn, request)
        step = visible_step(self.actor(), step_id)
        steps.step_complete(
            actor=self.actor(),
            step_id=step.pk,
            revision=d.get("revision"),
            opinion=d["opinion"],
            comment=d["comment"],
            attachment_ids=tuple(str(a) for a in d["attachment_ids"]),
            reason=d["reason"],
            legal_basis=d["legal_basis"],
        )
        return case_response(request, step.case_id)


class StepClaimView(BackOfficeView):
    @extend_schema(
        tags=TAGS,
        summary="认领环节（同事可见由谁办理）",
        parameters=[STEP_ID],
        request=None,
        responses={200: s.StaffCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, step_id: int) -> Response:
        step = visible_step(self.actor(), step_id)
        steps.step_claim(actor=self.actor(), step_id=step.pk)
        return case_response(request, step.case_id)


class StepReturnView(BackOfficeView):
    @extend_schema(
        tags=TAGS,
        summary="退回上一环节",
        parameters=[STEP_ID],
        request=s.StepReturnIn,
        responses={200: s.StaffCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, step_id: int) -> Response:
        d = valid(s.StepReturnIn, request)
        step = visible_step(self.actor(), step_id)
        steps.step_return(
            actor=self.actor(), step_id=step.pk, revision=d.get("revision"), comment=d["comment"]
        )
        return case_response(request, step.case_id)


class StepTransferView(BackOfficeView):
    @extend_schema(
        tags=TAGS,
        summary="转交同部门同角色的同事",
        parameters=[STEP_ID],
        request=s.StepTransferIn,
        responses={200: s.StaffCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, step_id: int) -> Response:
        d = valid(s.StepTransferIn, request)
        step = visible_step(self.actor(), step_id)
        steps.step_transfer(
            actor=self.actor(), step_id=step.pk, to_user_id=d["to_user_id"], comment=d["comment"]
        )
        return case_response(request, step.case_id)


class SuspendView(BackOfficeView):
    @extend_schema(
        tags=TAGS,
        summary="特别程序（计时暂停，书面告知申请人）",
        parameters=[CASE_ID],
        request=s.SuspendIn,
        responses={201: s.StaffCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, case_id: int) -> Response:
        d = valid(s.SuspendIn, request)
        case = sel.case_for(self.actor(), case_id)
        suspension.case_suspend(
            actor=self.actor(),
            case_id=case.pk,
            revision=d.get("revision"),
            kind=d["kind"],
            reason=d["reason"],
            expected_workdays=d["expected_workdays"],
        )
        return case_response(request, case.pk, status.HTTP_201_CREATED)


class ResumeView(BackOfficeView):
    @extend_schema(
        tags=TAGS,
        summary="特别程序结束，恢复计时",
        parameters=[CASE_ID],
        request=s.ResumeIn,
        responses={200: s.StaffCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, case_id: int) -> Response:
        d = valid(s.ResumeIn, request)
        case = sel.case_for(self.actor(), case_id)
        suspension.case_resume(
            actor=self.actor(), case_id=case.pk, revision=d.get("revision"), result=d["result"]
        )
        return case_response(request, case.pk)


class ExtensionRequestView(BackOfficeView):
    @extend_schema(
        tags=TAGS,
        summary="申请延期（延长 10 个工作日，每件一次）",
        parameters=[CASE_ID],
        request=s.ExtensionRequestIn,
        responses={201: s.StaffCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, case_id: int) -> Response:
        d = valid(s.ExtensionRequestIn, request)
        case = sel.case_for(self.actor(), case_id)
        suspension.extension_request(actor=self.actor(), case_id=case.pk, reason=d["reason"])
        return case_response(request, case.pk, status.HTTP_201_CREATED)


class ExtensionDecideView(BackOfficeView):
    @extend_schema(
        tags=TAGS,
        summary="批准或不批准延期（部门负责人）",
        parameters=[EXTENSION_ID],
        request=s.ExtensionDecideIn,
        responses={200: s.StaffCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, extension_id: int) -> Response:
        d = valid(s.ExtensionDecideIn, request)
        extension = visible_extension(self.actor(), extension_id)
        suspension.extension_decide(
            actor=self.actor(), extension_id=extension.pk, approve=d["approve"], comment=d["comment"]
        )
        return case_response(request, extension.case_id)


class DecideView(BackOfficeView):
    @extend_schema(
        tags=TAGS,
        summary="作出决定（准予 / 不予许可）",
        description="不予许可须写明理由和法律依据；决定书告知申请复议（60 日）和提起诉讼（6 个月）的权利。",
        parameters=[CASE_ID],
        request=s.DecideIn,
        responses={200: s.StaffCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, case_id: int) -> Response:
        d = valid(s.DecideIn, request)
        case = sel.case_for(self.actor(), case_id)
        decision.case_decide(
            actor=self.actor(),
            case_id=case.pk,
            revision=d.get("revision"),
            decision=d["decision"],
            reason=d["reason"],
            legal_basis=d["legal_basis"],
        )
        return case_response(request, case.pk)


class CompleteView(HandlingView):
    @extend_schema(
        tags=TAGS,
        summary="办结",
        parameters=[CASE_ID],
        request=s.RevisionIn,
        responses={200: s.StaffCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, case_id: int) -> Response:
        d = valid(s.RevisionIn, request)
        case = sel.case_for(self.actor(), case_id)
        decision.case_complete(actor=self.actor(), case_id=case.pk, revision=d.get("revision"))
        return case_response(request, case.pk)


class TerminateView(HandlingView):
    @extend_schema(
        tags=TAGS,
        summary="终止办理（出具终止办理告知书）",
        parameters=[CASE_ID],
        request=s.TerminateIn,
        responses={200: s.StaffCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, case_id: int) -> Response:
        d = valid(s.TerminateIn, request)
        case = sel.case_for(self.actor(), case_id)
        decision.case_terminate(actor=self.actor(), case_id=case.pk, reason=d["reason"], text=d["text"])
        return case_response(request, case.pk)


class DeliverView(HandlingView):
    @extend_schema(
        tags=TAGS,
        summary="送达（窗口领取签收 / 邮寄 / 电子送达）",
        description="一件事的办件只能统一出件（见一件事出件接口）。",
        parameters=[CASE_ID],
        request=s.DeliverIn,
        responses={200: s.StaffCaseOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, case_id: int) -> Response:
        d = valid(s.DeliverIn, request)
        case = sel.case_for(self.actor(), case_id)
        delivery.case_deliver(
            actor=self.actor(),
            case_id=case.pk,
            revision=d.get("revision"),
            method=d["method"],
            tracking_number=d["tracking_number"],
            delivered_to=d["delivered_to"],
            address=d["address"],
        )
        return case_response(request, case.pk)


class BundleStaffDetailView(StaffView):
    @extend_schema(
        tags=TAGS,
        summary="一件事申请（本人可见其中至少一件）",
        parameters=[BUNDLE_ID],
        responses={200: s.BundleDetailOut, **READ_ERRORS},
    )
    def get(self, request: Request, bundle_case_id: int) -> Response:
        bundle, cases = sel.bundle_for(self.actor(), bundle_case_id)
        return Response(
            s.BundleDetailOut({"bundle": bundle, "query_code": bundle.query_code, "cases": cases}).data
        )


class BundleDeliverView(HandlingView):
    @extend_schema(
        tags=TAGS,
        summary="一件事统一出件",
        parameters=[BUNDLE_ID],
        request=s.DeliverIn,
        responses={200: s.BundleDetailOut, **ERRORS},
    )
    @idempotent
    def post(self, request: Request, bundle_case_id: int) -> Response:
        d = valid(s.DeliverIn, request)
        actor = self.actor()
        bundle, _cases = sel.bundle_for(actor, bundle_case_id)
        bundles.bundle_deliver(
            actor=actor,
            bundle_case_id=bundle.pk,
            method=d["method"],
            tracking_number=d["tracking_number"],
            delivered_to=d["delivered_to"],
            address=d["address"],
        )
        fresh = BundleCase.objects.select_related("bundle").get(pk=bundle.pk)
        cases = list(fresh.cases.order_by("pk"))
        return Response(
            s.BundleDetailOut({"bundle": fresh, "query_code": fresh.query_code, "cases": cases}).data
        )
