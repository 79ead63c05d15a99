"""What every case transition shares: lock, check, record (timeline + audit + event), in one transaction.

A service that changes a case does, inside `transaction.atomic(durable=True)`:

    case = lock_case(case_id, actor=actor, allowed=(CaseStatus.SUBMITTED,), revision=revision)
    ... change fields ...
    save_case(case, fields=[...])
    record(case, actor=actor, action="case_accepted", title=_("受理"), payload={...})

`lock_case` takes the row lock (select_for_update) so two clerks acting at the same moment are
serialised: the second sees the new status (or a newer revision) and gets a CaseConflict, which the
views show as a clear message and the API answers with 409.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.audit.services import audit_record
from zhengwu.core.calendar.days import local_day
from zhengwu.core.events.services import emit

from ..models import Case, CaseStatus, TimelineEntry

QUERY_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read out over the phone


class CaseConflict(Exception):
    """The case changed under the caller (another clerk acted first, or the page was stale)."""

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or _("该办件已被他人处理或状态已变化，请刷新页面后重试。"))
        self.message = str(self.args[0])
        self.stale = message is None  # the default reason: the page was out of date


def new_query_code() -> str:
    return "".join(secrets.choice(QUERY_CODE_ALPHABET) for _ in range(6))


def today() -> dt.date:
    return local_day(timezone.now())


def lock_case(
    case_id: int,
    *,
    allowed: Iterable[str] | None = None,
    revision: int | None = None,
) -> Case:
    """The case, row-locked for this transaction. Raises Case.DoesNotExist or CaseConflict."""
    case = Case.objects.select_for_update().get(pk=case_id)
    if allowed is not None and case.status not in set(allowed):
        raise CaseConflict(
            _("办件当前状态为“%(status)s”，不能进行此操作。") % {"status": case.get_status_display()}
        )
    if revision is not None and revision != case.revision:
        raise CaseConflict()
    return case


def save_case(case: Case, *, fields: Iterable[str]) -> None:
    case.revision += 1
    case.save(update_fields=[*set(fields), "revision", "updated_at"])


def require(condition: bool, field: str, message: str) -> None:
    """Raise a field-level ValidationError (views map it onto the form, the API answers 400)."""
    if not condition:
        raise ValidationError({field: [message]})


def case_payload(case: Case) -> dict[str, Any]:
    """The fields every case event carries (docs/api/events/README.md, the data-exchange standard)."""

    def day(value: dt.date | None) -> str | None:
        return value.isoformat() if value else None

    return {
        "case_number": case.number,
        "case_id": str(case.public_id),
        "item_code": case.implementation_code,
        "item_name": case.item_name,
        "item_version_id": case.item_version_id,
        "department_id": case.department_id,
        "region_code": case.region_code,
        "channel": case.channel,
        "status": case.status,
        "bundle_number": case.bundle_case.number if case.bundle_case_id and case.bundle_case else None,
        "received_at": case.submitted_at.isoformat() if case.submitted_at else None,
        "accepted_on": day(case.accepted_on),
        "acceptance_due": day(case.acceptance_due),
        "promised_due": day(case.promised_due),
        "statutory_due": day(case.statutory_due),
        "delivery_due": day(case.delivery_due),
        "suspended_workdays": case.suspended_workdays,
        "extension_workdays": case.extension_workdays,
    }


def record(
    case: Case,
    *,
    actor: Actor | None,
    action: str,
    title: str,
    summary: str = "",
    payload: dict[str, Any] | None = None,
    channel: str = "",
    window_id: int | None = None,
    public: bool = True,
    at: dt.datetime | None = None,
) -> None:
    """Timeline entry + audit row + outbox event `cases.<action>`, all in the caller's transaction."""
    at = at or timezone.now()
    TimelineEntry.objects.create(
        case=case,
        at=at,
        action=action,
        title=title,
        summary=summary,
        actor_user_id=actor.user_id if actor else None,
        actor_name=actor.display_name if actor else "",
        channel=channel or case.channel,
        window_id=window_id,
        public=public,
    )
    audit_record(
        actor=actor,
        action=f"cases.{action}",
        obj_type="cases.case",
        obj_id=case.pk,
        summary=f"{case.number} {title} {summary}".strip(),
        extra={"window_id": window_id, "channel": channel or case.channel} if window_id or channel else None,
    )
    emit(
        f"cases.{action}",
        {**case_payload(case), **(payload or {})},
        aggregate_type="cases.case",
        aggregate_id=case.pk,
        actor=actor,
    )


OPEN = (CaseStatus.SUBMITTED, CaseStatus.SUPPLEMENT, CaseStatus.ACCEPTED, CaseStatus.SUSPENDED)
