"""Bundles (一件事) for staff: the bundle and 统一出件."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from zhengwu.core.idempotency.drf import idempotent

from ...models import BundleCase
from ...selectors import staff as sel
from ...services import bundles
from .. import serializers as s
from ..common import (
    ERRORS,
    READ_ERRORS,
)
from ._shared import (
    BUNDLE_ID,
    TAGS,
    HandlingView,
    StaffView,
    valid,
)


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
