"""The decision (决定: 准予 / 不予许可), completion (办结) and termination (终止办理) of a case.

Also the access rules every back-office service shares (who may see, handle and decide a case), so
steps, suspension, delivery and bundles check them the same way:

- seeing a case: the staff scope (own department and its line below, or the whole region for
  supervisors and hall managers), widened for window clerks by the cases their windows cover;
  a case outside it raises Case.DoesNotExist, exactly like a missing one;
- department staff: a reviewer / approver / chief representative of the case's department;
- deciding: the approver (department head) of the case's department, or its chief representative
  for items delegated to him (StaffProfile.delegated_item_codes, read through org selectors);
- a visible case on which the actor's role may not act raises PermissionDenied (views/API: 403).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role
from zhengwu.core.audit.services import audit_record
from zhengwu.core.calendar.days import local_day, workdays_between
from zhengwu.org import selectors as org_selectors

from .. import clock
from ..documents import document_issue
from ..models import (
    AcceptanceMode,
    Case,
    CaseStatus,
    CaseStep,
    Decision,
    DocumentKind,
    StepStatus,
    TerminationReason,
    TimelineEntry,
)
from ..notices import notify_applicant
from . import _base
from ._base import CaseConflict, lock_case, record, save_case
from .bundles import bundle_status_refresh

DEPARTMENT_ROLES = (Role.REVIEWER, Role.APPROVER, Role.CHIEF_REPRESENTATIVE)
TEXT_MAX = 2000

# --- access (shared by the handling services) ------------------------------------------------


def covered_by_window(actor: Actor, case: Case) -> bool:
    """A window the actor sits at receives this case (general windows: every item of their category)."""
    if not actor.window_ids or not (
        Role.WINDOW_CLERK in actor.roles or Role.CHIEF_REPRESENTATIVE in actor.roles
    ):
        return False
    from ..selectors.staff import clerk_windows

    return any(w.covers(case) for w in clerk_windows(actor))


def case_visible(actor: Actor | None, case: Case) -> bool:
    if actor is None:  # the system (periodic jobs)
        return True
    if actor.sees(
        region_code=case.region_code, department_id=case.department_id, department_line=case.department_line
    ):
        return True
    return covered_by_window(actor, case)


def department_staff(actor: Actor, case: Case | CaseStep, *roles: Role) -> bool:
    """The actor holds one of `roles` (default: any back-office role) in the case's department."""
    wanted = set(roles or DEPARTMENT_ROLES)
    return (
        actor.department_id is not None
        and actor.department_id == case.department_id
        and bool(wanted & set(actor.roles))
    )


def delegated_item_codes(actor: Actor) -> frozenset[str]:
    """The item codes delegated to a chief representative (org StaffProfile, through org selectors)."""
    if actor.user_id is None or Role.CHIEF_REPRESENTATIVE not in actor.roles:
        return frozenset()
    codes = (
        org_selectors.staff_for(actor)
        .filter(user_id=actor.user_id)
        .values_list("delegated_item_codes", flat=True)
        .first()
    )
    return frozenset(str(c).strip() for c in (codes or ()) if str(c).strip())


def delegated_to(actor: Actor, case: Case) -> bool:
    """首席代表: the case's item (实施编码 or 基本编码) is delegated to the actor, in his department."""
    if not department_staff(actor, case, Role.CHIEF_REPRESENTATIVE):
        return False
    codes = delegated_item_codes(actor)
    if not codes:
        return False
    return case.implementation_code in codes or case.item.basic_code in codes


def may_decide(actor: Actor, case: Case) -> bool:
    return department_staff(actor, case, Role.APPROVER) or delegated_to(actor, case)


def allow(condition: bool, message: str) -> None:
    if not condition:
        raise PermissionDenied(message)


def user_id_of(actor: Actor) -> int:
    if actor.user_id is None:  # the role checks refuse anonymous actors first
        raise PermissionDenied(_("请先登录。"))
    return actor.user_id


def as_pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Case.DoesNotExist from None


def check_state(case: Case, allowed: Iterable[str] | None, revision: int | None) -> None:
    """The same conflicts as _base.lock_case: a wrong status or a stale revision."""
    if allowed is not None and case.status not in set(allowed):
        raise CaseConflict(
            _("办件当前状态为“%(status)s”，不能进行此操作。") % {"status": case.get_status_display()}
        )
    if revision is not None and revision != case.revision:
        raise CaseConflict()


def lock_visible(actor: Actor | None, case_id: Any) -> Case:
    """The case row-locked, or Case.DoesNotExist when it is missing or outside the actor's scope.

    The status and revision are checked by the caller after the permission check (check_state), so
    a colleague without the right role learns "not allowed" rather than "already handled"."""
    case = lock_case(as_pk(case_id))
    if not case_visible(actor, case):
        raise Case.DoesNotExist
    return case


def note(
    case: Case, *, actor: Actor | None, action: str, title: str, summary: str = "", public: bool = False
) -> None:
    """A timeline entry and an audit row for an action that publishes no event (transfer, a request)."""
    TimelineEntry.objects.create(
        case=case,
        at=timezone.now(),
        action=action,
        title=title,
        summary=summary,
        actor_user_id=actor.user_id if actor else None,
        actor_name=actor.display_name if actor else "",
        channel=case.channel,
        public=public,
    )
    audit_record(
        actor=actor,
        action=f"cases.{action}",
        obj_type="cases.case",
        obj_id=case.pk,
        summary=f"{case.number} {title} {summary}".strip(),
    )


def clean_text(value: Any, field: str, *, required: str | None = None, max_length: int = TEXT_MAX) -> str:
    text = str(value or "").strip()
    if required and not text:
        raise ValidationError({field: [required]})
    if len(text) > max_length:
        raise ValidationError({field: [_("不能超过 %(n)s 个字。") % {"n": max_length}]})
    return text


def close_open_steps(case: Case) -> None:
    """A case that ends without a decision (termination, withdrawal) leaves no step in anyone's tasks:
    the active step goes back to "未开始" (it was never finished); finished steps keep their record."""
    CaseStep.objects.filter(case=case, status=StepStatus.ACTIVE).update(
        status=StepStatus.PENDING, due_on=None
    )


def end_open_suspension(case: Case, *, at: dt.datetime) -> None:
    """A terminated case in a special procedure: the procedure ends with it (no clock to move)."""
    today = local_day(at)
    for suspension in case.suspensions.select_for_update().filter(ended_at__isnull=True):
        suspension.ended_at = at
        suspension.ended_on = today
        suspension.workdays = max(workdays_between(suspension.started_on, today, case.region_code), 0)
        suspension.save(update_fields=["ended_at", "ended_on", "workdays"])


# --- decide -----------------------------------------------------------------------------------


def clean_decision(case: Case, decision: str, reason: str, legal_basis: str) -> tuple[str, str, str]:
    """(decision, reason, legal basis), every error at once; a grant without a basis cites the item's."""
    errors: dict[str, list[str]] = {}
    if decision not in Decision.values:
        errors["decision"] = [_("请选择准予或不予许可。")]
    reason = str(reason or "").strip()
    legal_basis = str(legal_basis or "").strip()
    if decision == Decision.DENY:
        if not reason:
            errors["reason"] = [_("不予许可须写明理由。")]
        if not legal_basis:
            errors["legal_basis"] = [_("不予许可须写明法律依据。")]
    if len(reason) > TEXT_MAX:
        errors.setdefault("reason", []).append(_("不能超过 %(n)s 个字。") % {"n": TEXT_MAX})
    if len(legal_basis) > TEXT_MAX:
        errors.setdefault("legal_basis", []).append(_("不能超过 %(n)s 个字。") % {"n": TEXT_MAX})
    if errors:
        raise ValidationError(errors)
    if decision == Decision.GRANT and not legal_basis:
        legal_basis = case.item_version.legal_basis or ""
    return decision, reason, legal_basis


def apply_decision(
    case: Case, *, actor: Actor | None, decision: str, reason: str = "", legal_basis: str = ""
) -> None:
    """Decide a case the caller has locked and checked (the last step, case_decide, 即办 at acceptance).

    → `decided`: decided_at, the delivery clock (10 working days), 准予/不予许可决定书 (the result
    document; a denial states the rights to review in 60 days and to sue in 6 months), the event
    `case_decided`, a notice to the applicant, and the bundle's status."""
    decision, reason, legal_basis = clean_decision(case, decision, reason, legal_basis)
    now = timezone.now()
    case.status = CaseStatus.DECIDED
    case.decision = decision
    case.decision_reason = reason
    case.decision_legal_basis = legal_basis
    case.decided_at = now
    case.delivery_due = clock.delivery_due(local_day(now), case.region_code)
    save_case(
        case,
        fields=[
            "status",
            "decision",
            "decision_reason",
            "decision_legal_basis",
            "decided_at",
            "delivery_due",
        ],
    )
    granted = decision == Decision.GRANT
    document_issue(case=case, kind=DocumentKind.GRANT if granted else DocumentKind.DENIAL, actor=actor)
    record(
        case,
        actor=actor,
        action="case_decided",
        title=_("作出决定：准予许可") if granted else _("作出决定：不予许可"),
        summary=reason,
        payload={"decision": decision, "decided_at": now.isoformat()},
    )
    notify_applicant(case, "cases.decided")
    if case.bundle_case_id:
        bundle_status_refresh(case.bundle_case_id)


def case_decide(
    *,
    actor: Actor,
    case_id: int,
    revision: int | None = None,
    decision: str,
    reason: str = "",
    legal_basis: str = "",
) -> Case:
    """The approver (or a chief representative for a delegated item) decides a case whose steps are
    all done (or that has none). A case with a step still open is decided in that step.
    即办件 (accepted in mode `immediate`) are decided by the window that accepted them."""
    with transaction.atomic(durable=True):
        case = lock_visible(actor, case_id)
        immediate = case.acceptance_mode == AcceptanceMode.IMMEDIATE and covered_by_window(actor, case)
        allow(
            immediate or may_decide(actor, case),
            _("只有本部门审批人（部门负责人）或获授权的首席代表可以作出决定。"),
        )
        check_state(case, (CaseStatus.ACCEPTED,), revision)
        if case.steps.filter(status__in=(StepStatus.ACTIVE, StepStatus.PENDING)).exists():
            raise ValidationError({NON_FIELD_ERRORS: [_("尚有办理环节未完成，请在办理环节中提出意见。")]})
        apply_decision(case, actor=actor, decision=decision, reason=reason, legal_basis=legal_basis)
    return case


# --- complete (办结) ----------------------------------------------------------------------------


def case_complete(*, actor: Actor, case_id: int, revision: int | None = None) -> Case:
    """`decided` → `completed`: the result documents are ready for delivery."""
    with transaction.atomic(durable=True):
        case = lock_visible(actor, case_id)
        allow(
            department_staff(actor, case) or covered_by_window(actor, case),
            _("只有本部门工作人员或受理该办件的窗口可以办结。"),
        )
        check_state(case, (CaseStatus.DECIDED,), revision)
        case.status = CaseStatus.COMPLETED
        case.closed_at = timezone.now()
        save_case(case, fields=["status", "closed_at"])
        record(
            case, actor=actor, action="case_completed", title=_("办结"), payload={"decision": case.decision}
        )
        if case.bundle_case_id:
            bundle_status_refresh(case.bundle_case_id)
    return case


# --- terminate (终止办理) -----------------------------------------------------------------------


def case_terminate(*, actor: Actor | None, case_id: int, reason: str, text: str = "") -> Case:
    """An open case (before the decision) → `terminated`, with 终止办理告知书. `actor=None` is the system
    (e.g. the 容缺 sweep). Staff: the approver or chief representative of the case's department, or
    — before acceptance — a window clerk whose window received it."""
    with transaction.atomic(durable=True):
        case = lock_visible(actor, case_id)
        if actor is not None:
            before_acceptance = case.status in (CaseStatus.SUBMITTED, CaseStatus.SUPPLEMENT)
            allow(
                department_staff(actor, case, Role.APPROVER, Role.CHIEF_REPRESENTATIVE)
                or (before_acceptance and covered_by_window(actor, case)),
                _("只有本部门审批人（部门负责人）可以终止办理。"),
            )
        check_state(case, _base.OPEN, None)
        errors: dict[str, list[str]] = {}
        if reason not in TerminationReason.values:
            errors["reason"] = [_("请选择终止原因。")]
        try:
            text = clean_text(
                text,
                "text",
                required=_("请说明终止办理的具体原因。") if reason == TerminationReason.OTHER else None,
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        if case.status == CaseStatus.SUSPENDED:
            end_open_suspension(case, at=now)
        close_open_steps(case)
        case.status = CaseStatus.TERMINATED
        case.termination_reason = reason
        case.closed_at = now
        save_case(case, fields=["status", "termination_reason", "closed_at"])
        document_issue(case=case, kind=DocumentKind.TERMINATION, actor=actor, context={"text": text})
        record(
            case,
            actor=actor,
            action="case_terminated",
            title=_("终止办理"),
            summary=text or case.get_termination_reason_display(),
            payload={"reason": reason},
        )
        notify_applicant(case, "cases.terminated")
        if case.bundle_case_id:
            bundle_status_refresh(case.bundle_case_id)
    return case
