"""The data-exchange endpoint in the OpenAPI schema (a drf-spectacular postprocessing hook).

The endpoint is a plain Django view (the HMAC covers the raw body), so drf-spectacular does not see
it; this hook adds its path by hand, as docs/api/exchange.md describes it.
"""

from __future__ import annotations

from typing import Any

PATH = "/api/v1/exchange/events/"

_ERROR = {"type": "object", "properties": {"error": {"type": "string"}}, "required": ["error"]}
_RESULTS = {
    "type": "object",
    "properties": {
        "accepted": {"type": "integer"},
        "duplicates": {"type": "integer"},
        "rejected": {"type": "integer"},
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "index": {"type": "integer"},
                    "id": {"type": "string"},
                    "status": {"type": "string", "enum": ["accepted", "duplicate", "rejected"]},
                    "code": {"type": "integer", "enum": [400, 403]},
                    "error": {"type": "string"},
                },
                "required": ["index", "status"],
            },
        },
    },
    "required": ["accepted", "duplicates", "rejected", "results"],
}


def _header(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "header",
        "required": True,
        "schema": {"type": "string"},
        "description": description,
    }


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


OPERATION: dict[str, Any] = {
    "operationId": "exchange_events_create",
    "tags": ["exchange"],
    "summary": "数据交换：报送办件事件",
    "description": (
        "外部审批系统向电子监察报送办件各环节事件（docs/api/exchange.md）。每批最多 1,000 条、5 MB；"
        '签名为 HMAC-SHA256(secret, timestamp + "\\n" + body) 的小写十六进制；'
        "时间戳与服务器相差不得超过 5 分钟；"
        "按事件 id 去重，重发安全。事件格式见 docs/api/events/（JSON Schema Draft 2020-12）。"
    ),
    "security": [],
    "parameters": [
        _header("X-Zhengwu-Key", "密钥标识 (key id)"),
        _header("X-Zhengwu-Timestamp", "Unix 秒"),
        _header("X-Zhengwu-Signature", "HMAC-SHA256 签名，小写十六进制"),
    ],
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "events": {
                            "type": "array",
                            "maxItems": 1000,
                            "items": {
                                "type": "object",
                                "description": "cases.* 事件信封，见 docs/api/events/",
                            },
                        }
                    },
                    "required": ["events"],
                }
            }
        },
    },
    "responses": {
        "200": _json(_RESULTS, "已处理：至少一条被接收或已存在（逐条结果）"),
        "400": _json(
            {"oneOf": [_RESULTS, _ERROR]}, '全部被拒且至少一条格式错误，或请求体不是 {"events": [...]}'
        ),
        "401": _json(_ERROR, "缺少或错误的签名头、未知或停用的密钥、时间戳超出 5 分钟"),
        "403": _json(_RESULTS, "全部超出本系统可报送的区划或部门"),
        "413": _json(_ERROR, "超过 1,000 条或 5 MB"),
    },
}


def add_exchange_endpoint(
    result: dict[str, Any], generator: Any, request: Any, public: bool
) -> dict[str, Any]:
    """drf-spectacular POSTPROCESSING_HOOKS entry."""
    result.setdefault("paths", {})[PATH] = {"post": OPERATION}
    return result
