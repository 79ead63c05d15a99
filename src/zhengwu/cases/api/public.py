"""Public progress query (/api/v1/cases/progress/): case number + query code, no login.

It shows the item, the department, the status, the public timeline and the dates — never the
applicant's name, ID number, phone, address or form data. A wrong number and a wrong code give the
same 404, and the endpoint is throttled per client address so query codes cannot be guessed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from ..selectors.applicant import progress_lookup
from . import serializers as s
from .common import DETAIL, ERRORS, CaseAPIView

DEFAULT_RATE = "60/min"


class ProgressThrottle(SimpleRateThrottle):
    """Per client address; the rate is settings.CASES_PROGRESS_RATE (default 60 a minute)."""

    scope = "cases_progress"

    def get_rate(self) -> str | None:
        return getattr(settings, "CASES_PROGRESS_RATE", DEFAULT_RATE)

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class ProgressView(CaseAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []  # nothing personal here; no session, no CSRF
    throttle_classes = [ProgressThrottle]

    @extend_schema(
        tags=["cases-public"],
        summary="办件进度公开查询（办件编号 + 查询码，无需登录）",
        operation_id="cases_progress",
        parameters=[s.ProgressIn],
        responses={
            200: s.ProgressOut,
            400: ERRORS[400],
            404: OpenApiResponse(DETAIL, description="办件编号或查询码不正确"),
            429: OpenApiResponse(DETAIL, description="查询过于频繁"),
        },
    )
    def get(self, request: Request) -> Response:
        data = s.ProgressIn(data=request.query_params)
        data.is_valid(raise_exception=True)
        progress = progress_lookup(data.validated_data["number"], data.validated_data["code"])
        if progress is None:
            return Response({"detail": _("办件编号或查询码不正确。")}, status=status.HTTP_404_NOT_FOUND)
        response = Response(s.ProgressOut(progress).data)
        response["Cache-Control"] = "no-store"
        return response
