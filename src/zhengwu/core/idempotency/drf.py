"""`@idempotent` for DRF view methods: honours the Idempotency-Key header on creates."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from .services import KeyConflict, Outcome, fingerprint_of, idempotent_call

HEADER = "Idempotency-Key"
HEADER_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description="可选。同一个键的重复请求只执行一次，返回第一次的结果（保留 24 小时）。",
)


def idempotent(method: Callable[..., Response]) -> Callable[..., Response]:
    @wraps(method)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER)
        if key is None:
            return method(view, request, *args, **kwargs)
        holder: dict[str, Response] = {}

        def run() -> Outcome:
            response = method(view, request, *args, **kwargs)
            holder["response"] = response
            return Outcome(status_code=response.status_code, body=response.data)

        try:
            outcome = idempotent_call(
                user_id=request.user.pk if request.user.is_authenticated else None,
                key=key,
                scope=f"{request.method} {request.path}",
                fingerprint=fingerprint_of(request.data),
                run=run,
            )
        except KeyConflict as conflict:
            return Response({"detail": conflict.message}, status=conflict.status_code)
        if not outcome.replayed:
            return holder["response"]
        response = Response(outcome.body, status=outcome.status_code)
        response["Idempotent-Replayed"] = "true"
        return response

    return extend_schema(parameters=[HEADER_PARAMETER])(wrapper)
