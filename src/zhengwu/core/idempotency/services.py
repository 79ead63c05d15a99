"""Idempotency-Key handling (DESIGN rule 6): a double click or a retried request acts once.

The first request with a key claims it in a committed row; the work runs; its answer is stored.
A retry with the same key and body gets the stored answer; one that arrives while the first is
still running gets 409; the same key with a different body gets 422. A failed request (exception
or 5xx) releases its key so the client may try again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import IdempotencyRecord

MAX_KEY_LENGTH = 128
RETENTION = timedelta(hours=24)


@dataclass(frozen=True)
class Outcome:
    status_code: int
    body: Any
    replayed: bool = False


class KeyConflict(Exception):
    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message


def fingerprint_of(payload: Any) -> str:
    raw = payload if isinstance(payload, bytes) else json.dumps(payload, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()


def validate_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise KeyConflict(400, _("Idempotency-Key 须为 1 至 128 个可打印字符。"))
    return key


def idempotent_call(
    *, user_id: int | None, key: str, scope: str, fingerprint: str, run: Callable[[], Outcome]
) -> Outcome:
    key = validate_key(key)
    uid = user_id or 0
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                user_id=uid, key=key, scope=scope, fingerprint=fingerprint
            )
    except IntegrityError:
        existing = IdempotencyRecord.objects.filter(user_id=uid, key=key).first()
        if existing is None:  # released between our insert and this read: the caller may retry
            raise KeyConflict(409, _("相同的请求正在处理中，请稍后再试。")) from None
        return _replay(existing, scope=scope, fingerprint=fingerprint)
    try:
        outcome = run()
    except BaseException:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        raise
    if outcome.status_code >= 500:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
    else:
        IdempotencyRecord.objects.filter(pk=record.pk).update(
            completed=True, status_code=outcome.status_code, response=outcome.body
        )
    return outcome


def _replay(record: IdempotencyRecord, *, scope: str, fingerprint: str) -> Outcome:
    if record.scope != scope or record.fingerprint != fingerprint:
        raise KeyConflict(422, _("该 Idempotency-Key 已用于另一个不同的请求，请换一个新的键。"))
    if not record.completed or record.status_code is None:
        raise KeyConflict(409, _("相同的请求正在处理中，请稍后再试。"))
    return Outcome(status_code=record.status_code, body=record.response, replayed=True)


def idempotency_prune(*, now: Any = None) -> int:
    """Forget keys older than the retention period (run by the worker's sweep)."""
    cutoff = (now or timezone.now()) - RETENTION
    deleted, _rows = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
