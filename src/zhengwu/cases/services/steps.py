"""The back-office steps of a case (后台分类审批): 审查 → 审核 → 决定, from the item version.

Acceptance starts them (`steps_start`); each is then taken by someone holding its role in the
case's department (or by the colleague it was transferred to): completed with an opinion (the next
step starts; the last `decide` step decides the case: grant on agree, deny on disagree), or returned
to the previous step. A chief representative completes the `decide` step of items delegated to him.

Every change locks the case row first (then its step rows), so two colleagues acting on the same
step at once are serialised: the second gets a CaseConflict.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwu.catalog.selectors.for_cases import Stage
from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role
from zhengwu.core.audit.services import audit_record
from zhengwu.core.files.models import StoredFile
from zhengwu.org import selectors as org_selectors

from .. import clock
from ..models import Case, CaseStatus, CaseStep, Decision, Opinion, StepStatus
from ._base import CaseConflict, lock_case, record, save_case
from .decision import (
    allow,
    apply_decision,
    as_pk,
    check_state,
    clean_decision,
    clean_text,
    delegated_to,
    lock_visible,
    note,
)

HANDLED_STAGES = (Stage.REVIEW, Stage.DECIDE)  # accept / complete / deliver are services of their own
MAX_ATTACHMENTS = 10


def steps_start(case: Case, *, actor: Actor | None) -> None:
    """Copy the version's review and decide steps into CaseSteps and start the first (internal: the
    caller — acceptance — holds the case lock). A case that already has steps keeps them."""
    if case.steps.exists():
        return
    specs = sorted(
        (s for s in case.item_version.steps.all() if s.stage in HANDLED_STAGES), key=lambda s: (s.order, s.pk)
    )
    start = case.accepted_at or timezone.now()
    CaseStep.objects.bulk_create(
        [
            CaseStep(
                case=case,
                order=spec.order,
                name=spec.name,
                stage=spec.stage,
                role=spec.role,
                department_id=case.department_id,
                limit=spec.limit,
                status=StepStatus.ACTIVE if index == 0 else StepStatus.PENDING,
                started_at=start if index == 0 else None,
                due_on=clock.step_due(start, spec.limit, case.region_code) if index == 0 else None,
            )
            for index, spec in enumerate(specs)
        ]
    )


# --- who may take a step ----------------------------------------------------------------------


def may_handle(actor: Actor, case: Case, step: CaseStep) -> bool:
    """The assignee, else anyone holding the step's role in its department; a chief representative
    the decide step of a delegated item."""
    if step.assignee_id is not None:
        return step.assignee_id == actor.user_id
    if actor.department_id is None or actor.department_id != step.department_id:
        return False
    if step.role in {r.value for r in actor.roles}:
        return True
    return step.stage == Stage.DECIDE and delegated_to(actor, case)


def _refusal(step: CaseStep) -> str:
    if step.assignee_id is not None:
        return _("该环节已转交他人办理。")
    label = Role(step.role).label if step.role in Role.values else step.role
    return _("您不能办理该环节：需要本部门的“%(role)s”角色。") % {"role": label}


def _lock_step(actor: Actor, step_id: Any) -> tuple[Case, CaseStep]:
    """The step's case (row-locked, in the actor's scope) and the step (row-locked)."""
    pk = as_pk(step_id)
    case_id = CaseStep.objects.filter(pk=pk).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Case.DoesNotExist
    case = lock_visible(actor, case_id)
    return case, CaseStep.objects.select_for_update().get(pk=pk)


def _take(actor: Actor, step_id: Any, revision: int | None) -> tuple[Case, CaseStep]:
    """Lock, then check in this order: scope (DoesNotExist), role (PermissionDenied), state (conflict)."""
    case, step = _lock_step(actor, step_id)
    if step.status != StepStatus.ACTIVE:
        # Someone finished it a moment ago: a conflict, whoever the actor is.
        check_state(case, (CaseStatus.ACCEPTED,), revision)
        raise CaseConflict(_("该环节已由他人办理，请刷新页面。"))
    allow(may_handle(actor, case, step), _refusal(step))
    check_state(case, (CaseStatus.ACCEPTED,), revision)
    return case, step


# --- the chain ------------------------------------------------------------------------------


def _activate(case: Case, step: CaseStep, *, at: dt.datetime, assignee_id: int | None = None) -> None:
    step.status = StepStatus.ACTIVE
    step.started_at = at
    step.due_on = clock.step_due(at, step.limit, case.region_code)
    step.assignee_id = assignee_id
    step.finished_at = None
    step.finished_by_id = None
    step.opinion = ""
    step.comment = ""
    step.attachment_ids = []
    step.save()


def _next_step(case: Case, step: CaseStep) -> CaseStep | None:
    return (
        CaseStep.objects.select_for_update()
        .filter(case=case, order__gt=step.order, status__in=(StepStatus.PENDING, StepStatus.RETURNED))
        .order_by("order", "pk")
        .first()
    )


def _previous_step(case: Case, step: CaseStep) -> CaseStep | None:
    return (
        CaseStep.objects.select_for_update()
        .filter(case=case, order__lt=step.order, status__in=(StepStatus.DONE, StepStatus.DEEMED))
        .order_by("-order", "-pk")
        .first()
    )


def _advance(
    case: Case,
    step: CaseStep,
    *,
    actor: Actor | None,
    at: dt.datetime,
    decision: str,
    reason: str = "",
    legal_basis: str = "",
) -> None:
    """After a step is closed: start the next one, or — the last decide step — decide the case."""
    following = _next_step(case, step)
    if following is not None:
        _activate(case, following, at=at)
    elif step.stage == Stage.DECIDE:
        apply_decision(case, actor=actor, decision=decision, reason=reason, legal_basis=legal_basis)
    # A last step that is not a decide step leaves the case to case_decide (the approver).


def _clean_attachments(values: Iterable[Any]) -> list[str]:
    ids: list[str] = []
    for value in values or ():
        try:
            ids.append(str(uuid.UUID(str(value))))
        except ValueError:
            raise ValidationError({"attachment_ids": [_("附件标识无效。")]}) from None
    ids = list(dict.fromkeys(ids))
    if len(ids) > MAX_ATTACHMENTS:
        raise ValidationError({"attachment_ids": [_("附件最多 %(n)s 个。") % {"n": MAX_ATTACHMENTS}]})
    if ids and StoredFile.objects.filter(pk__in=ids).count() != len(ids):
        raise ValidationError({"attachment_ids": [_("附件不存在，请重新上传。")]})
    return ids


def step_complete(
    *,
    actor: Actor,
    step_id: int,
    revision: int | None = None,
    opinion: str,
    comment: str,
    attachment_ids: Iterable[Any] = (),
    reason: str = "",
    legal_basis: str = "",
) -> CaseStep:
    """Complete the active step with `agree` / `disagree`. The decide step decides: a disagreement
    is a denial and needs `reason` and `legal_basis` (they go into 不予许可决定书)."""
    with transaction.atomic(durable=True):
        case, step = _take(actor, step_id, revision)
        errors: dict[str, list[str]] = {}
        if opinion not in (Opinion.AGREE, Opinion.DISAGREE):
            errors["opinion"] = [_("请选择同意或不同意（退回请使用“退回上一环节”）。")]
        try:
            comment = clean_text(
                comment,
                "comment",
                required=_("不同意时请填写意见内容。") if opinion == Opinion.DISAGREE else None,
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
        try:
            attachments = _clean_attachments(attachment_ids)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        decision: str = Decision.GRANT if opinion == Opinion.AGREE else Decision.DENY
        decides = step.stage == Stage.DECIDE and _next_step(case, step) is None
        if decides and opinion in (Opinion.AGREE, Opinion.DISAGREE):
            try:
                decision, reason, legal_basis = clean_decision(case, decision, reason, legal_basis)
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        step.status = StepStatus.DONE
        step.finished_at = now
        step.finished_by_id = actor.user_id
        step.opinion = opinion
        step.comment = comment
        step.attachment_ids = attachments
        step.save(
            update_fields=["status", "finished_at", "finished_by", "opinion", "comment", "attachment_ids"]
        )
        save_case(case, fields=[])
        record(
            case,
            actor=actor,
            action="case_step_completed",
            title=_("%(step)s：%(opinion)s") % {"step": step.name, "opinion": Opinion(opinion).label},
            payload={
                "step_order": step.order,
                "step_name": step.name,
                "stage": step.stage,
                "opinion": opinion,
                "step_due": step.due_on.isoformat() if step.due_on else None,
            },
        )
        _advance(case, step, actor=actor, at=now, decision=decision, reason=reason, legal_basis=legal_basis)
    return step


def step_return(*, actor: Actor, step_id: int, revision: int | None = None, comment: str) -> CaseStep:
    """Send the active step back to the previous one, which goes back to whoever finished it."""
    with transaction.atomic(durable=True):
        case, step = _take(actor, step_id, revision)
        comment = clean_text(comment, "comment", required=_("请填写退回理由。"))
        previous = _previous_step(case, step)
        if previous is None:
            raise ValidationError({NON_FIELD_ERRORS: [_("这是第一个办理环节，没有可退回的上一环节。")]})
        now = timezone.now()
        step.status = StepStatus.RETURNED
        step.finished_at = now
        step.finished_by_id = actor.user_id
        step.opinion = Opinion.RETURN
        step.comment = comment
        step.save(update_fields=["status", "finished_at", "finished_by", "opinion", "comment"])
        _activate(case, previous, at=now, assignee_id=previous.finished_by_id)
        save_case(case, fields=[])
        record(
            case,
            actor=actor,
            action="case_step_returned",
            title=_("%(step)s退回%(previous)s") % {"step": step.name, "previous": previous.name},
            summary=comment,
            payload={"step_order": step.order, "step_name": step.name},
            public=False,
        )
    return step


def _colleague_name(user_id: int) -> str:
    user = get_user_model().objects.filter(pk=user_id).first()
    return str(getattr(user, "display_name", "") or user) if user else str(user_id)


def step_transfer(*, actor: Actor, step_id: int, to_user_id: int, comment: str = "") -> CaseStep:
    """Hand the active step to a colleague of the same department holding its role (audited; the
    timeline entry is not shown to the applicant)."""
    with transaction.atomic(durable=True):
        case, step = _take(actor, step_id, None)
        comment = clean_text(comment, "comment", max_length=500)
        try:
            target = int(to_user_id)
        except (TypeError, ValueError):
            raise ValidationError({"to_user_id": [_("请选择转交对象。")]}) from None
        if target == actor.user_id:
            raise ValidationError({"to_user_id": [_("不能转交给自己。")]})
        colleague = org_selectors.staff_summary(target)
        if (
            colleague is None
            or colleague["department_id"] != step.department_id
            or step.role not in (colleague["roles"] or [])
        ):
            raise ValidationError({"to_user_id": [_("只能转交给本部门具有该环节办理角色的同事。")]})
        previous = step.assignee_id
        step.assignee_id = target
        step.save(update_fields=["assignee"])
        save_case(case, fields=[])
        name = _colleague_name(target)
        note(
            case,
            actor=actor,
            action="case_step_transferred",
            title=_("%(step)s转交%(name)s") % {"step": step.name, "name": name},
            summary=comment,
        )
        audit_record(
            actor=actor,
            action="cases.step_assignee",
            obj_type="cases.casestep",
            obj_id=step.pk,
            summary=f"{case.number} {step.name}",
            changes={"assignee_id": [previous, target]},
            reason=comment,
        )
    return step


def step_claim(*, actor: Actor, step_id: int) -> CaseStep:
    """Take an unassigned active step (认领) so colleagues see it is being handled."""
    with transaction.atomic(durable=True):
        case, step = _take(actor, step_id, None)
        if step.assignee_id == actor.user_id:
            return step
        step.assignee_id = actor.user_id
        step.save(update_fields=["assignee"])
        save_case(case, fields=[])
        note(case, actor=actor, action="case_step_claimed", title=_("%(step)s认领") % {"step": step.name})
    return step


# --- 超时默认 (called by bundles.deemed_consent_sweep inside its transaction) --------------------


def step_deem(*, case_id: int, step_id: int, today: dt.date) -> bool:
    """Close an overdue active step of a bundle case as deemed consent; False when it no longer
    qualifies (handled meanwhile, case suspended, bundle setting changed)."""
    case = lock_case(case_id)
    step = CaseStep.objects.select_for_update().filter(pk=step_id, case=case).first()
    bundle = case.bundle_case
    if (
        step is None
        or case.status != CaseStatus.ACCEPTED
        or step.status != StepStatus.ACTIVE
        or step.due_on is None
        or step.due_on >= today
        or bundle is None
        or not bundle.deemed_consent
    ):
        return False
    now = timezone.now()
    department = step.department
    step.status = StepStatus.DEEMED
    step.opinion = Opinion.AGREE
    step.finished_at = now
    step.finished_by_id = None
    step.comment = _("%(department)s在环节期限（%(due)s）内未提出意见，依一件事超时默认规则视为同意。") % {
        "department": department.name,
        "due": step.due_on.isoformat(),
    }
    step.save(update_fields=["status", "opinion", "finished_at", "finished_by", "comment"])
    save_case(case, fields=[])
    record(
        case,
        actor=None,
        action="case_deemed_consent",
        title=_("超时默认同意：%(department)s") % {"department": department.name},
        summary=step.comment,
        payload={"step_name": step.name, "step_department_id": step.department_id},
    )
    # Recorded against the department too: supervision and assessment count these.
    audit_record(
        actor=None,
        action="cases.deemed_consent",
        obj_type="org.department",
        obj_id=step.department_id,
        summary=f"{case.number} {step.name} {department.name}",
        extra={"case_id": case.pk, "step_id": step.pk, "due_on": step.due_on.isoformat()},
    )
    _advance(case, step, actor=None, at=now, decision=Decision.GRANT)
    return True


__all__ = [
    "may_handle",
    "step_claim",
    "step_complete",
    "step_deem",
    "step_return",
    "step_transfer",
    "steps_start",
]
