"""/api/v1/statistics/: the dashboard's figures as JSON, scoped like the pages.

GET report/?period=2026-11 (or from/to) [&region=<12 digits> | &department=<id>] → totals and one row
per region, department or item; GET trend/ → received / accepted / completed for twelve months.
Bad parameters give 400 {"detail": "…"}; any staff role may read (what they see is their scope).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from zhengwu.core.access.drf import HasRole, request_actor
from zhengwu.core.calendar import local_day

from .. import selectors
from ..periods import BadInput, parse_period

PARAMS = [
    OpenApiParameter("period", str, description="2026-11 | 2026-Q4 | 2026"),
    OpenApiParameter("from", str, description="YYYY-MM-DD (with to)"),
    OpenApiParameter("to", str, description="YYYY-MM-DD (with from)"),
    OpenApiParameter("region", str, description="12-digit region code: rows per department"),
    OpenApiParameter("department", int, description="department id: rows per item"),
]


def _resolve(request: Request) -> tuple[Any, selectors.Period, selectors.Place]:
    actor = request_actor(request)
    period = parse_period(request.query_params, today=local_day(timezone.now()))
    place = selectors.place_for(
        actor,
        region_code=request.query_params.get("region", ""),
        department_id=request.query_params.get("department"),
    )
    return actor, period, place


def _period(period: selectors.Period) -> dict[str, Any]:
    return {"kind": period.kind, "start": period.start, "end": period.end, "label": period.label}


class ReportView(APIView):
    permission_classes = [HasRole]

    @extend_schema(parameters=PARAMS, responses={200: dict}, summary="三率一数与办件统计")
    def get(self, request: Request) -> Response:
        try:
            actor, period, place = _resolve(request)
        except BadInput as exc:
            return Response({"detail": str(exc)}, status=400)
        report = selectors.report(actor, period, place)
        return Response(
            {
                "period": _period(period),
                "level": place.level,
                "totals": report.totals.as_dict(),
                "rows": [{"key": r.key, "name": r.name, **r.figures.as_dict()} for r in report.rows],
            }
        )


class TrendView(APIView):
    permission_classes = [HasRole]

    @extend_schema(parameters=PARAMS, responses={200: dict}, summary="办件量月度趋势")
    def get(self, request: Request) -> Response:
        try:
            actor, period, place = _resolve(request)
        except BadInput as exc:
            return Response({"detail": str(exc)}, status=400)
        return Response({"period": _period(period), "months": selectors.trend(actor, period, place)})
