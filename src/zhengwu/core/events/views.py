"""/healthz: for load balancers and monitoring; no authentication, no personal data."""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from . import selectors

logger = logging.getLogger(__name__)


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    body: dict[str, Any] = {"database": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        # A stale worker is reported but keeps 200: the web tier still serves, only jobs are late.
        body["worker"] = selectors.worker_status()
        body["events"] = selectors.outbox_counts()
    except DatabaseError:
        logger.exception("Health check: database unavailable")
        return JsonResponse(
            {"database": "down", "worker": {"status": "unknown", "last_heartbeat": None}, "events": None},
            status=503,
        )
    return JsonResponse(body, status=200)
