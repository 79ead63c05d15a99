"""Special procedures (特别程序: the clock stops) and the extension (延期: +10 working days, once).

Both move the decision deadlines, always recomputed from the acceptance day by cases/clock.py
(never shifted by hand): the ended suspensions are excluded, the approved extension added.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role
from zhengwu.core.calendar.days import TZ, add_workdays, local_day

from .. import clock
from ..documents import document_issue
from ..models import (
    Case,
    CaseStatus,
    CaseStep,
    DocumentKind,
    Extension,
    ExtensionStatus,
    StepStatus,
    Suspension,
    SuspensionKind,
)
from ..notices import notify_applicant
from ._base import CaseConflict, record, save_case
from .decision import (
    allow,
    as_pk,
    check_state,
    clean_text,
    department_staff,
    lock_visible,
    note,
    user_id_of,
)

MAX_EXPECTED_WORKDAYS = 250  # about a working year: a longer figure is a typing error


def clock_start(case: Case) -> dt.datetime:
    """The instant the decision clock starts: accepted_at, moved to accepted_on when a late
    supplement notice made the receipt day the legal day of acceptance."""
    start = case.accepted_at or timezone.now()
    if case.accepted_on and local_day(start) != case.accepted_on:
        if case.submitted_at and local_day(case.submitted_at) == case.accepted_on:
            return case.submitted_at  # what acceptance counted from
        local = start.astimezone(TZ)
        start = dt.datetime.combine(case.accepted_on, local.timetz().replace(tzinfo=None), tzinfo=TZ)
    return start


def recompute_dues(case: Case, *, today: dt.date) -> None:
    """promised_due / statutory_due from the acceptance day, the ended suspensions and the extension."""
    version = case.item_version
    intervals = [
        clock.Interval(start=s.started_on, end=s.ended_on)
        for s in case.suspensions.filter(ended_on__isnull=False).order_by("started_at")
    ]
    start = clock_start(case)
    common: dict[str, Any] = {
        "accepted_at": start,
        "intervals": intervals,
        "extension_workdays": case.extension_workdays,
        "today": today,
        "region": case.region_code,
    }
    case.promised_due = clock.limit_due(limit=version.promised_limit, unit=version.promised_unit, **common)
    case.statutory_due = clock.limit_due(limit=version.statutory_limit, unit=version.statutory_unit, **common)


# --- 特别程序 ----------------------------------------------------------------------------------


def clean_suspension(kind: str, reason: str, expected_workdays: Any) -> tuple[str, str, int]:
    errors: dict[str, list[str]] = {}
    if kind not in SuspensionKind.values:
        errors["kind"] = [_("请选择特别程序种类。")]
    try:
        reason = clean_text(reason, "reason", required=_("请填写进入特别程序的理由。"))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    days = 0
    try:
        days = int(expected_workdays)
    except (TypeError, ValueError):
        errors["expected_workdays"] = [_("请填写预计所需的工作日数。")]
    else:
        if not 1 <= days <= MAX_EXPECTED_WORKDAYS:
            errors["expected_workdays"] = [
                _("预计时长应在 1 至 %(n)s 个工作日之间。") % {"n": MAX_EXPECTED_WORKDAYS}
            ]
    if errors:
        raise ValidationError(errors)
    return kind, reason, days


def case_suspend(
    *, actor: Actor, case_id: int, revision: int | None = None, kind: str, reason: str, expected_workdays: int
) -> Suspension:
    """`accepted` → `suspended`: the clock stops; 特别程序告知书 tells the applicant the expected length."""
    with transaction.atomic(durable=True):
        case = lock_visible(actor, case_id)
        allow(department_staff(actor, case), _("只有本部门审查、审批人员可以启动特别程序。"))
        check_state(case, (CaseStatus.ACCEPTED,), revision)
        kind, reason, days = clean_suspension(kind, reason, expected_workdays)
        now = timezone.now()
        suspension = Suspension.objects.create(
            case=case,
            kind=kind,
            reason=reason,
            expected_workdays=days,
            started_at=now,
            started_on=local_day(now),
            created_by_id=user_id_of(actor),
        )
        case.status = CaseStatus.SUSPENDED
        save_case(case, fields=["status"])
        document_issue(case=case, kind=DocumentKind.SUSPENSION, actor=actor)
        record(
            case,
            actor=actor,
            action="case_suspended",
            title=_("特别程序开始：%(kind)s") % {"kind": suspension.get_kind_display()},
            summary=_("预计%(days)s个工作日。%(reason)s") % {"days": days, "reason": reason},
            payload={
                "kind": kind,
                "expected_workdays": days,
                "started_on": suspension.started_on.isoformat(),
            },
        )
        notify_applicant(case, "cases.suspended")
    return suspension


def case_resume(*, actor: Actor, case_id: int, revision: int | None = None, result: str = "") -> Case:
    """`suspended` → `accepted`: the working days the procedure took are added to the deadlines
    and to the active step's due day."""
    with transaction.atomic(durable=True):
        case = lock_visible(actor, case_id)
        allow(department_staff(actor, case), _("只有本部门审查、审批人员可以结束特别程序。"))
        check_state(case, (CaseStatus.SUSPENDED,), revision)
        result = clean_text(result, "result")
        suspension = (
            case.suspensions.select_for_update().filter(ended_at__isnull=True).order_by("-started_at").first()
        )
        if suspension is None:  # a suspended case always has one open; never leave it stuck
            raise CaseConflict()
        now = timezone.now()
        today = local_day(now)
        suspension.ended_at = now
        suspension.ended_on = max(today, suspension.started_on)
        suspension.workdays = clock.suspended_workdays(
            [clock.Interval(suspension.started_on, suspension.ended_on)], today, case.region_code
        )
        suspension.result = result
        suspension.save(update_fields=["ended_at", "ended_on", "workdays", "result"])
        workdays = suspension.workdays
        case.status = CaseStatus.ACCEPTED
        case.suspended_workdays += workdays
        recompute_dues(case, today=today)
        save_case(case, fields=["status", "suspended_workdays", "promised_due", "statutory_due"])
        if workdays:
            for step in CaseStep.objects.select_for_update().filter(
                case=case, status=StepStatus.ACTIVE, due_on__isnull=False
            ):
                assert step.due_on is not None
                step.due_on = add_workdays(step.due_on, workdays, case.region_code)
                step.save(update_fields=["due_on"])
        record(
            case,
            actor=actor,
            action="case_resumed",
            title=_("特别程序结束：%(kind)s") % {"kind": suspension.get_kind_display()},
            summary=_("历时%(days)s个工作日，不计入办理时限。%(result)s")
            % {"days": workdays, "result": result},
            payload={
                "kind": suspension.kind,
                "ended_on": suspension.ended_on.isoformat(),
                "workdays": workdays,
            },
        )
    return case


# --- 延期 --------------------------------------------------------------------------------------


def extension_request(*, actor: Actor, case_id: int, reason: str) -> Extension:
    """Department staff ask the department head for +10 working days; once per case."""
    with transaction.atomic(durable=True):
        case = lock_visible(actor, case_id)
        allow(department_staff(actor, case), _("只有本部门审查、审批人员可以申请延期。"))
        check_state(case, (CaseStatus.ACCEPTED, CaseStatus.SUSPENDED), None)
        reason = clean_text(reason, "reason", required=_("请填写延期理由，将告知申请人。"))
        earlier = case.extensions.order_by("-requested_at").first()
        if earlier is not None:
            message = {
                ExtensionStatus.REQUESTED: _("已有延期申请等待批准。"),
                ExtensionStatus.APPROVED: _("该办件已延期一次，依法不能再次延期。"),
                ExtensionStatus.REFUSED: _("该办件的延期申请已被驳回，每件只能申请一次。"),
            }[ExtensionStatus(earlier.status)]
            raise ValidationError({"reason": [message]})
        extension = Extension.objects.create(
            case=case, workdays=clock.EXTENSION_WORKDAYS, reason=reason, requested_by_id=user_id_of(actor)
        )
        note(case, actor=actor, action="extension_requested", title=_("申请延期"), summary=reason)
    return extension


def extension_decide(*, actor: Actor, extension_id: int, approve: bool, comment: str = "") -> Extension:
    """The approver (department head) of the case's department approves or refuses. Approval adds
    10 working days to the deadlines, issues 延期告知书 and tells the applicant why."""
    try:
        pk = as_pk(extension_id)
    except Case.DoesNotExist:
        raise Extension.DoesNotExist from None
    case_id = Extension.objects.filter(pk=pk).values_list("case_id", flat=True).first()
    if case_id is None:
        raise Extension.DoesNotExist
    with transaction.atomic(durable=True):
        try:
            case = lock_visible(actor, case_id)
        except Case.DoesNotExist:
            raise Extension.DoesNotExist from None
        allow(department_staff(actor, case, Role.APPROVER), _("只有本部门负责人（审批人）可以批准延期。"))
        check_state(case, (CaseStatus.ACCEPTED, CaseStatus.SUSPENDED), None)
        extension = Extension.objects.select_for_update().get(pk=pk)
        if extension.status != ExtensionStatus.REQUESTED:
            raise CaseConflict(_("该延期申请已处理。"))
        comment = clean_text(comment, "comment")
        now = timezone.now()
        extension.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REFUSED
        extension.decided_by_id = actor.user_id
        extension.decided_at = now
        extension.decision_comment = comment
        extension.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        if not approve:
            note(case, actor=actor, action="extension_refused", title=_("延期申请未获批准"), summary=comment)
            return extension
        case.extension_workdays += extension.workdays
        recompute_dues(case, today=local_day(now))
        save_case(case, fields=["extension_workdays", "promised_due", "statutory_due"])
        document_issue(case=case, kind=DocumentKind.EXTENSION, actor=actor)
        record(
            case,
            actor=actor,
            action="case_extended",
            title=_("延期%(days)s个工作日") % {"days": extension.workdays},
            summary=extension.reason,
            payload={"workdays": extension.workdays, "reason": extension.reason},
        )
        notify_applicant(case, "cases.extended")
    return extension
