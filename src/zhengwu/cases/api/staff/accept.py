"""Acceptance by a covering clerk: accept, reject, supplement notice, 容缺."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from zhengwu.core.idempotency.drf import idempotent

from ...selectors import staff as sel
from ...services import acceptance
from .. import serializers as s
from ..common import (
    ERRORS,
)
from ._shared import (
    CASE_ID,
    TAGS,
    ClerkView,
    case_response,
    valid,
)

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
