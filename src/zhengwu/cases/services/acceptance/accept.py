"""受理 and 不予受理: accept (also 告知承诺 and 即办, decided on acceptance) and reject."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwu.catalog.selectors import for_cases as catalog
from zhengwu.core.access.actor import Actor

from ...models import (
    AcceptanceMode,
    Case,
    CaseStatus,
    Decision,
    DocumentKind,
    IntakeChannel,
)
from ...notices import notify_applicant
from .._base import record, require, save_case
from ..decision import apply_decision
from ..intake import refresh_bundle
from ._shared import (
    ACCEPT_FIELDS,
    DEFAULT_REMEDY,
    _checked_materials,
    _lock_for_clerk,
    _save_materials,
    _start_clock,
    _steps_start,
    _version,
    has_broken_commitment,
    issue_document,
)

# --- accept -----------------------------------------------------------------------------------


def case_accept(
    *,
    actor: Actor,
    case_id: int,
    revision: int | None = None,
    window_id: int | None = None,
    mode: str = AcceptanceMode.NORMAL,
    checks: Mapping[Any, Any] | None = None,
) -> Case:
    """submitted → accepted (受理通知书); 即办 items are then decided at once (准予)."""
    with transaction.atomic(durable=True):
        case, window = _lock_for_clerk(
            actor, case_id, allowed=(CaseStatus.SUBMITTED,), revision=revision, window_id=window_id
        )
        version = _version(case)
        if mode not in (AcceptanceMode.NORMAL, AcceptanceMode.COMMITMENT, AcceptanceMode.IMMEDIATE):
            raise ValidationError({"mode": [_("请选择受理方式：一般受理、告知承诺或即办。")]})
        instant = version.handling_type == catalog.HandlingType.INSTANT
        if mode == AcceptanceMode.IMMEDIATE:
            require(instant, "mode", _("该事项不是即办件，不能即时办结。"))
        elif instant and mode == AcceptanceMode.NORMAL:
            mode = AcceptanceMode.IMMEDIATE
        if mode == AcceptanceMode.COMMITMENT:
            require(version.allows_commitment, "mode", _("该事项不适用告知承诺制。"))
            require(
                not has_broken_commitment(case.applicant_id_number, exclude_case_id=case.pk),
                "mode",
                _("申请人有承诺不实或逾期未履行承诺的记录，不适用告知承诺制。"),
            )
        materials, errors = _checked_materials(case, checks)
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        _save_materials(materials)
        _start_clock(case, version, now)
        case.status = CaseStatus.ACCEPTED
        case.acceptance_mode = mode
        if case.window_id is None:
            case.window_id = window.id
        save_case(case, fields=ACCEPT_FIELDS)
        if mode != AcceptanceMode.IMMEDIATE:
            _steps_start(case, actor)
        issue_document(case, DocumentKind.ACCEPTANCE, actor, {"mode": mode})
        record(
            case,
            actor=actor,
            action="case_accepted",
            title=_("受理"),
            summary=str(AcceptanceMode(mode).label),
            payload={"mode": mode, "window_id": window.id},
            channel=IntakeChannel.WINDOW,
            window_id=window.id,
            at=now,
        )
        notify_applicant(case, "cases.accepted")
        if mode == AcceptanceMode.IMMEDIATE:
            apply_decision(case, actor=actor, decision=Decision.GRANT)  # 即办: decided on acceptance
        else:
            refresh_bundle(case)
    return case


# --- reject -----------------------------------------------------------------------------------


def case_reject(
    *,
    actor: Actor,
    case_id: int,
    revision: int | None = None,
    reasons: Sequence[str],
    text: str = "",
    legal_basis: str,
    remedy: str = "",
) -> Case:
    """→ rejected, 不予受理决定书 with reasons, legal basis and the remedies (复议 / 诉讼)."""
    clean_reasons = [str(r).strip() for r in (reasons or []) if str(r).strip()]
    errors: dict[str, list[str]] = {}
    if not clean_reasons:
        errors["reasons"] = [_("请至少选择或填写一条不予受理的理由。")]
    if not (legal_basis or "").strip():
        errors["legal_basis"] = [_("请填写不予受理的法律依据。")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(durable=True):
        case, window = _lock_for_clerk(
            actor, case_id, allowed=(CaseStatus.SUBMITTED, CaseStatus.SUPPLEMENT), revision=revision
        )
        now = timezone.now()
        remedy = (remedy or "").strip() or DEFAULT_REMEDY
        case.status = CaseStatus.REJECTED
        case.rejection_reasons = clean_reasons
        case.decision_reason = (text or "").strip()
        case.decision_legal_basis = legal_basis.strip()
        case.closed_at = now
        if case.window_id is None:
            case.window_id = window.id
        save_case(
            case,
            fields=[
                "status",
                "rejection_reasons",
                "decision_reason",
                "decision_legal_basis",
                "closed_at",
                "window",
            ],
        )
        case.supplement_requests.filter(answered_at__isnull=True).update(answered_at=now)
        issue_document(
            case,
            DocumentKind.REJECTION,
            actor,
            {
                "reasons": clean_reasons,
                "text": case.decision_reason,
                "legal_basis": case.decision_legal_basis,
                "remedy": remedy,
            },
        )
        record(
            case,
            actor=actor,
            action="case_rejected",
            title=_("不予受理"),
            summary="；".join(clean_reasons),
            payload={"reasons": clean_reasons},
            channel=IntakeChannel.WINDOW,
            window_id=window.id,
            at=now,
        )
        notify_applicant(case, "cases.rejected")
        refresh_bundle(case)
    return case
