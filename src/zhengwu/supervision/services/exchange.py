"""Data-exchange intake (docs/api/exchange.md): signed batches of case events from external systems.

A request is authenticated as a whole (key id, HMAC-SHA256 over "timestamp\\n" + body, timestamp at
most five minutes off); each record is then judged on its own: malformed → 400, outside the
system's regions/departments → 403, known event id → duplicate. Good records are kept even when
others in the batch are refused; nothing accepted is lost (they commit in one transaction).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from zhengwu.core.access.regions import region_prefix
from zhengwu.core.audit import context as audit_context
from zhengwu.core.audit.services import audit_record
from zhengwu.core.events.schemas import EventError, validate_envelope

from ..models import ExchangeSystem
from ._common import departments, today
from .alerts import cards_apply_rules, warnings_issue
from .records import IncomingEvent, events_ingest

MAX_SKEW_SECONDS = 300
MAX_EVENTS = 1000
MAX_BODY_BYTES = 5 * 1024 * 1024


class ExchangeAuthError(Exception):
    """The request as a whole is refused (answer 401)."""


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Hex HMAC-SHA256 of `timestamp + "\\n" + body` with the system's secret."""
    return hmac.new(secret.encode(), timestamp.encode() + b"\n" + body, hashlib.sha256).hexdigest()


def exchange_authenticate(
    *, key_id: str, timestamp: str, signature_hex: str, body: bytes, now: float | None = None
) -> ExchangeSystem:
    if not key_id or not timestamp or not signature_hex:
        raise ExchangeAuthError(
            _("缺少签名请求头 X-Zhengwu-Key、X-Zhengwu-Timestamp 或 X-Zhengwu-Signature。")
        )
    system = ExchangeSystem.objects.filter(key_id=key_id, active=True).first()
    if system is None:
        raise ExchangeAuthError(_("未知或已停用的密钥标识。"))
    if not hmac.compare_digest(signature(system.secret, timestamp, body), signature_hex.strip().lower()):
        raise ExchangeAuthError(_("签名不正确。"))
    try:
        sent = int(timestamp)
    except ValueError:
        raise ExchangeAuthError(_("时间戳必须是 Unix 秒数。")) from None
    if abs((time.time() if now is None else now) - sent) > MAX_SKEW_SECONDS:
        raise ExchangeAuthError(_("时间戳与服务器时间相差超过 5 分钟，请求已过期（防重放）。"))
    return system


@dataclass
class RecordResult:
    index: int
    id: str | None
    status: str  # accepted, duplicate, rejected
    code: int = 200
    error: str = ""

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"index": self.index, "id": self.id, "status": self.status}
        if self.status == "rejected":
            out |= {"code": self.code, "error": self.error}
        return out


@dataclass
class BatchResult:
    results: list[RecordResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def http_status(self) -> int:
        """200 when anything was kept (or the batch was empty); otherwise the records' common refusal."""
        rejected = [r for r in self.results if r.status == "rejected"]
        if not self.results or len(rejected) < len(self.results):
            return 200
        return 403 if all(r.code == 403 for r in rejected) else 400

    def as_json(self) -> dict[str, Any]:
        return {
            "accepted": self.count("accepted"),
            "duplicates": self.count("duplicate"),
            "rejected": self.count("rejected"),
            "results": [r.as_json() for r in self.results],
        }


def _in_scope(system: ExchangeSystem, region_code: str, dept_region: str, uscc: str) -> bool:
    if uscc and uscc in (system.department_usccs or []):
        return True
    prefixes = [region_prefix(c) for c in system.region_codes or [] if c]
    return any(region_code.startswith(p) for p in prefixes) and any(
        dept_region.startswith(p) for p in prefixes
    )


def _known_item_codes(codes: set[str]) -> set[str]:
    from zhengwu.catalog.selectors.public import public_items

    if not codes:
        return set()
    return set(
        public_items().filter(implementation_code__in=codes).values_list("implementation_code", flat=True)
    )


def exchange_batch_receive(*, system: ExchangeSystem, records: Sequence[Any]) -> BatchResult:
    """Judge every record, keep the good ones (one durable transaction), answer per record."""
    result = BatchResult()
    candidates: list[tuple[int, dict[str, Any]]] = []
    for index, record in enumerate(records):
        error = _shape_error(record)
        if error:
            rid = record.get("id") if isinstance(record, dict) and isinstance(record.get("id"), str) else None
            result.results.append(RecordResult(index, rid, "rejected", 400, error))
        else:
            candidates.append((index, record))
    payloads = [r["payload"] for _i, r in candidates]
    depts = departments(usccs={p.get("department_uscc") for p in payloads if p.get("department_uscc")})
    known_items = _known_item_codes({p["item_code"] for p in payloads}) if system.check_item_codes else None
    good: list[tuple[int, IncomingEvent]] = []
    seen: set[str] = set()
    for index, record in candidates:
        p = record["payload"]
        info = depts.get(p["department_uscc"])
        event_id = record["id"].lower()
        if info is None:
            result.results.append(
                RecordResult(
                    index,
                    event_id,
                    "rejected",
                    400,
                    _("未知的部门统一社会信用代码：%(c)s") % {"c": p["department_uscc"]},
                )
            )
        elif not _in_scope(system, p["region_code"], info.region_code, info.uscc):
            result.results.append(
                RecordResult(index, event_id, "rejected", 403, _("该系统无权报送此区划或部门的办件。"))
            )
        elif known_items is not None and p["item_code"] not in known_items:
            result.results.append(
                RecordResult(
                    index, event_id, "rejected", 400, _("未知的事项实施编码：%(c)s") % {"c": p["item_code"]}
                )
            )
        elif event_id in seen:
            result.results.append(RecordResult(index, event_id, "duplicate"))
        else:
            seen.add(event_id)
            occurred = parse_datetime(record["occurred_at"])
            assert occurred is not None  # checked by _shape_error
            good.append((index, IncomingEvent(event_id, record["type"], occurred, p, system.code)))
    token = audit_context.bind(audit_context.Origin(channel="exchange"))
    try:
        with transaction.atomic(durable=True):
            ingested = events_ingest(events=[e for _i, e in good])
            duplicates = set(ingested.duplicates)
            for index, event in good:
                status = "duplicate" if event.id in duplicates else "accepted"
                result.results.append(RecordResult(index, event.id, status))
            if ingested.records:
                warnings_issue(ingested.records)
                cards_apply_rules(ingested.records, day=today())
            ExchangeSystem.objects.filter(pk=system.pk).update(last_used_at=timezone.now())
            audit_record(
                actor=None,
                action="supervision.exchange.receive",
                obj_type="supervision.exchange_system",
                obj_id=system.pk,
                summary=_("%(name)s 报送 %(n)s 条：接收 %(a)s，重复 %(d)s，拒绝 %(r)s")
                % {
                    "name": system.code,
                    "n": len(records),
                    "a": len(ingested.accepted),
                    "d": result.count("duplicate"),
                    "r": result.count("rejected"),
                },
            )
    finally:
        audit_context.reset(token)
    result.results.sort(key=lambda r: r.index)
    return result


def _shape_error(record: Any) -> str:
    """Why a record is malformed ("" when it is a valid case event of the standard)."""
    if not isinstance(record, dict):
        return _("每条记录必须是 JSON 对象。")
    event_type = record.get("type")
    if not isinstance(event_type, str) or not event_type.startswith("cases."):
        return _("type 必须是办件事件类型（cases.*）。")
    try:
        validate_envelope(record)
    except EventError as exc:
        return str(exc)
    payload = record["payload"]
    if not payload.get("department_uscc"):
        return _("外部系统报送须填写 payload.department_uscc（实施部门统一社会信用代码）。")
    occurred = parse_datetime(record["occurred_at"])
    if occurred is None or occurred.tzinfo is None:
        return _("occurred_at 必须是带时区的 RFC 3339 时间。")
    if occurred > timezone.now() + dt.timedelta(seconds=MAX_SKEW_SECONDS):
        return _("occurred_at 不能晚于当前时间。")
    return ""


__all__ = [
    "MAX_BODY_BYTES",
    "MAX_EVENTS",
    "BatchResult",
    "ExchangeAuthError",
    "exchange_authenticate",
    "exchange_batch_receive",
    "signature",
]
