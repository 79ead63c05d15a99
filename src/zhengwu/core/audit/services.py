"""Writing the audit log. Rows are written in the caller's transaction: an action rolled back leaves
no audit row, and an action that happened always has one."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from zhengwu.core.access.actor import Actor

from . import context
from .models import AuditEntry

PII_READ = "pii.read"
_SUMMARY_MAX = 500


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (datetime.date, datetime.time, decimal.Decimal, uuid.UUID)):
        return str(value) if not isinstance(value, datetime.date) else value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "pk"):  # a model instance: its key is what identifies it
        return value.pk
    return str(value)


def _entry(
    *,
    actor: Actor | None,
    action: str,
    obj_type: str,
    obj_id: str | int,
    summary: str,
    changes: Mapping[str, Any] | None,
    reason: str,
    extra: Mapping[str, Any] | None = None,
    is_pii_read: bool = False,
) -> AuditEntry:
    origin = context.current()
    return AuditEntry(
        actor_user_id=actor.user_id if actor else None,
        actor_name=(actor.display_name if actor else "")[:128],
        actor_roles=",".join(sorted(str(r) for r in actor.roles)) if actor else "",
        actor_department_id=actor.department_id if actor else None,
        actor_region_code=actor.region_code if actor else "",
        action=action,
        obj_type=obj_type,
        obj_id=str(obj_id)[:64],
        summary=summary[:_SUMMARY_MAX],
        changes=_jsonable(dict(changes or {})),
        extra=_jsonable(dict(extra or {})),
        reason=reason,
        channel=origin.channel,
        ip=origin.ip or None,
        window=origin.window,
        is_pii_read=is_pii_read,
    )


def audit_record(
    *,
    actor: Actor | None,
    action: str,
    obj_type: str,
    obj_id: str | int,
    summary: str = "",
    changes: dict | None = None,
    reason: str = "",
    extra: dict | None = None,
) -> None:
    """Append one row: `action` like "org.department.create", `changes` as {field: [old, new]}."""
    _entry(
        actor=actor,
        action=action,
        obj_type=obj_type,
        obj_id=obj_id,
        summary=summary,
        changes=changes,
        reason=reason,
        extra=extra,
    ).save()


def audit_pii_read(
    *,
    actor: Actor | None,
    obj_type: str,
    obj_id: str | int,
    fields: list[str],
    purpose: str = "",
) -> None:
    """Record that `actor` saw the full value of personal data fields (ID number, phone, address)."""
    _entry(
        actor=actor,
        action=PII_READ,
        obj_type=obj_type,
        obj_id=obj_id,
        summary=", ".join(fields),
        changes=None,
        reason=purpose,
        extra={"fields": list(fields)},
        is_pii_read=True,
    ).save()


def _get(source: Any, name: str) -> Any:
    if isinstance(source, Mapping):
        return source.get(name)
    return getattr(source, name, None)


def diff_fields(old: Any, new: Any, fields: Iterable[str]) -> dict[str, list[Any]]:
    """{field: [old, new]} for the fields whose value differs; `old` may be None for a creation."""
    changes: dict[str, list[Any]] = {}
    for name in fields:
        before = _get(old, name) if old is not None else None
        after = _get(new, name) if new is not None else None
        if before != after:
            changes[name] = [_jsonable(before), _jsonable(after)]
    return changes
