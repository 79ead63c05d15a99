"""The back office: steps, suspension, extension, decision, completion, termination, delivery."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from zhengwu.core.idempotency.drf import idempotent

from ...selectors import staff as sel
from ...services import decision, delivery, steps, suspension
from .. import serializers as s
from ..common import (
    ERRORS,
)
from ._shared import (
    CASE_ID,
    EXTENSION_ID,
    STEP_ID,
    TAGS,
    BackOfficeView,
    HandlingView,
    case_response,
    valid,
    visible_extension,
    visible_step,
)

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
