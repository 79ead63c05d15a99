"""Manual cards and correction orders (纠错): written by supervisors, answered by the department.

Every service is keyword-only, takes the acting user, runs in one durable transaction, locks what it
changes and writes an audit row. Bad input raises ValidationError with a Chinese message per field;
an object outside the actor's scope is PermissionDenied (pages and the API answer 404).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role
from zhengwu.core.audit.services import audit_record
from zhengwu.org import selectors as org_selectors

from ..models import Card, Correction, SupervisedCase
from ._common import notify_contacts, today
from .alerts import _red_cards

MAX_REASON = 2000


def _require(condition: bool, field: str, message: str) -> None:
    if not condition:
        raise ValidationError({field: [message]})


def _supervisor(actor: Actor) -> None:
    if not actor.has_role(Role.SUPERVISOR):
        raise PermissionDenied


def _department(
    actor: Actor, department_id: int | None, record: SupervisedCase | None
) -> tuple[int, str, str, str]:
    """(id, name, line, region) of a department the actor supervises; from the case when given."""
    if record is not None:
        _require(record.department_id is not None, "record", _("该办件没有实施部门，无法亮牌或纠错。"))
        department_id = record.department_id
    if department_id is None:
        raise ValidationError({"department": [_("请选择部门。")]})
    department = org_selectors.departments_for(actor).filter(pk=department_id).first()
    if department is None:
        raise ValidationError({"department": [_("部门不存在或不在您的监察范围内。")]})
    return department.pk, department.name, department.line, department.region.code


def _record(actor: Actor, record_id: int | None) -> SupervisedCase | None:
    if record_id is None:
        return None
    from ..selectors import records_for

    record = records_for(actor).filter(pk=record_id).first()
    if record is None:
        raise ValidationError({"record": [_("办件不存在或不在您的监察范围内。")]})
    return record


def card_issue(
    *,
    actor: Actor,
    level: str,
    reason: str,
    department_id: int | None = None,
    record_id: int | None = None,
) -> Card:
    """A manual yellow or red card with its reason; a yellow one may complete a red by rule."""
    _supervisor(actor)
    reason = (reason or "").strip()
    _require(level in Card.Level.values, "level", _("请选择黄牌或红牌。"))
    _require(bool(reason), "reason", _("请填写亮牌理由。"))
    _require(len(reason) <= MAX_REASON, "reason", _("亮牌理由不能超过 2000 字。"))
    with transaction.atomic(durable=True):
        record = _record(actor, record_id)
        dept_id, name, line, region = _department(actor, department_id, record)
        card = Card.objects.create(
            department_id=dept_id,
            department_name=name,
            department_line=line,
            region_code=region,
            level=level,
            source=Card.Source.MANUAL,
            reason=reason,
            record=record,
            issued_by_user_id=actor.user_id,
            issued_by_name=actor.display_name,
        )
        audit_record(
            actor=actor,
            action="supervision.card.issue",
            obj_type="supervision.card",
            obj_id=card.pk,
            summary=f"{name} {card.get_level_display()}",
            reason=reason,
        )
        notify_contacts(
            "supervision.card_issued",
            {dept_id: {"department": name, "level": str(card.get_level_display()), "reason": reason}},
        )
        if level == Card.Level.YELLOW:
            from ..models import CardRule

            rules = list(CardRule.objects.filter(active=True, kind=CardRule.Kind.YELLOW_COUNT))
            _red_cards(rules, {(dept_id, region, name, line)}, today())
    return card


def correction_issue(
    *,
    actor: Actor,
    title: str,
    instructions: str,
    due: dt.date | None,
    department_id: int | None = None,
    record_id: int | None = None,
) -> Correction:
    _supervisor(actor)
    title, instructions = (title or "").strip(), (instructions or "").strip()
    _require(bool(title), "title", _("请填写纠错单标题。"))
    _require(len(title) <= 200, "title", _("标题不能超过 200 字。"))
    _require(bool(instructions), "instructions", _("请填写纠错要求。"))
    _require(due is not None, "due", _("请填写整改期限。"))
    assert due is not None
    _require(due >= today(), "due", _("整改期限不能早于今天。"))
    with transaction.atomic(durable=True):
        record = _record(actor, record_id)
        dept_id, name, line, region = _department(actor, department_id, record)
        correction = Correction.objects.create(
            department_id=dept_id,
            department_name=name,
            department_line=line,
            region_code=region,
            record=record,
            title=title,
            instructions=instructions,
            due=due,
            issued_by_user_id=actor.user_id,
            issued_by_name=actor.display_name,
        )
        audit_record(
            actor=actor,
            action="supervision.correction.issue",
            obj_type="supervision.correction",
            obj_id=correction.pk,
            summary=f"{name}：{title}",
            extra={"due": due.isoformat(), "record_id": record.pk if record else None},
        )
        notify_contacts(
            "supervision.correction_issued",
            {dept_id: {"department": name, "title": title, "due": due.isoformat()}},
        )
    return correction


def _lock_correction(actor: Actor, correction_id: int) -> Correction:
    from ..selectors import corrections_for

    correction = corrections_for(actor).select_for_update(of=("self",)).filter(pk=correction_id).first()
    if correction is None:
        raise PermissionDenied
    return correction


def correction_answer(*, actor: Actor, correction_id: int, answer: str) -> Correction:
    """The department concerned reports what it fixed (its own staff, not its line superiors)."""
    answer = (answer or "").strip()
    _require(bool(answer), "answer", _("请填写整改情况。"))
    _require(len(answer) <= 4000, "answer", _("整改情况不能超过 4000 字。"))
    with transaction.atomic(durable=True):
        correction = _lock_correction(actor, correction_id)
        if actor.department_id != correction.department_id and Role.SYSADMIN not in actor.roles:
            raise PermissionDenied
        _require(correction.status == Correction.Status.OPEN, "status", _("该纠错单当前不是待整改状态。"))
        correction.answer = answer
        correction.answered_at = timezone.now()
        correction.answered_by_name = actor.display_name
        correction.status = Correction.Status.ANSWERED
        correction.save(update_fields=["answer", "answered_at", "answered_by_name", "status"])
        audit_record(
            actor=actor,
            action="supervision.correction.answer",
            obj_type="supervision.correction",
            obj_id=correction.pk,
            summary=correction.title,
            changes={"status": [Correction.Status.OPEN, Correction.Status.ANSWERED]},
        )
    return correction


def correction_close(*, actor: Actor, correction_id: int, note: str = "") -> Correction:
    _supervisor(actor)
    with transaction.atomic(durable=True):
        correction = _lock_correction(actor, correction_id)
        _require(correction.status == Correction.Status.ANSWERED, "status", _("部门反馈后才能办结纠错单。"))
        correction.status = Correction.Status.CLOSED
        correction.closing_note = (note or "").strip()
        correction.closed_at = timezone.now()
        correction.save(update_fields=["status", "closing_note", "closed_at"])
        audit_record(
            actor=actor,
            action="supervision.correction.close",
            obj_type="supervision.correction",
            obj_id=correction.pk,
            summary=correction.title,
            reason=correction.closing_note,
            changes={"status": [Correction.Status.ANSWERED, Correction.Status.CLOSED]},
        )
    return correction


def correction_reopen(*, actor: Actor, correction_id: int, note: str) -> Correction:
    """Not fixed after all: back to the department, with the reason."""
    _supervisor(actor)
    note = (note or "").strip()
    _require(bool(note), "note", _("请填写重新整改的理由。"))
    with transaction.atomic(durable=True):
        correction = _lock_correction(actor, correction_id)
        _require(correction.status != Correction.Status.OPEN, "status", _("该纠错单已是待整改状态。"))
        old = correction.status
        correction.status = Correction.Status.OPEN
        correction.reopened_count += 1
        correction.closing_note = note
        correction.closed_at = None
        correction.save(update_fields=["status", "reopened_count", "closing_note", "closed_at"])
        audit_record(
            actor=actor,
            action="supervision.correction.reopen",
            obj_type="supervision.correction",
            obj_id=correction.pk,
            summary=correction.title,
            reason=note,
            changes={"status": [old, Correction.Status.OPEN]},
        )
    return correction
