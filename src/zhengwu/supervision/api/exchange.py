"""POST /api/v1/exchange/events/: the data-exchange intake (docs/api/exchange.md).

A plain Django view rather than DRF: the signature covers the raw body, there is no session and no
CSRF token (the HMAC is the credential), and the per-record answer is the standard's own format.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..services.exchange import (
    MAX_BODY_BYTES,
    MAX_EVENTS,
    ExchangeAuthError,
    exchange_authenticate,
    exchange_batch_receive,
)


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status, json_dumps_params={"ensure_ascii": False})


@csrf_exempt
@require_POST
def receive_events(request: HttpRequest) -> JsonResponse:
    if int(request.META.get("CONTENT_LENGTH") or 0) > MAX_BODY_BYTES:
        return _error(413, _("请求体超过 5 MB，请分批报送。"))
    body = request.body
    try:
        system = exchange_authenticate(
            key_id=request.headers.get("X-Zhengwu-Key", ""),
            timestamp=request.headers.get("X-Zhengwu-Timestamp", ""),
            signature_hex=request.headers.get("X-Zhengwu-Signature", ""),
            body=body,
        )
    except ExchangeAuthError as exc:
        response = _error(401, str(exc))
        response["WWW-Authenticate"] = 'Zhengwu-HMAC-SHA256 realm="exchange"'
        return response
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _error(400, _("请求体不是合法的 JSON。"))
    events = document.get("events") if isinstance(document, dict) else None
    if not isinstance(events, list):
        return _error(400, _('请求体必须是 {"events": [...]} 形式的 JSON 对象。'))
    if len(events) > MAX_EVENTS:
        return _error(413, _("每批最多 %(n)s 条事件。") % {"n": MAX_EVENTS})
    result = exchange_batch_receive(system=system, records=events)
    return JsonResponse(
        result.as_json(), status=result.http_status, json_dumps_params={"ensure_ascii": False}
    )
