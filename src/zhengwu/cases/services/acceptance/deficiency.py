"""容缺受理: acceptance with deferred materials, their supply, and the sweep that terminates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.calendar.days import local_day

from ...models import (
    AcceptanceMode,
    Case,
    CaseMaterial,
    CaseStatus,
    DocumentKind,
    IntakeChannel,
    MaterialState,
    TerminationReason,
)
from ...notices import notify_applicant
from .. import _base as base
from .._base import CaseConflict, record, require, save_case
from ..decision import close_open_steps, end_open_suspension
from ..intake import covering_windows, is_applicant, refresh_bundle, staff_sees
from ._shared import (
    ACCEPT_FIELDS,
    DEFICIENCY_OPEN,
    _checked_materials,
    _live_files,
    _lock_for_clerk,
    _save_materials,
    _start_clock,
    _steps_start,
    _version,
    has_broken_commitment,
    issue_document,
)

# --- 容缺受理 ------------------------------------------------------------------------------------


def _deferred_dates(deferred: Mapping[Any, Any] | None) -> dict[int, dt.date]:
    result: dict[int, dt.date] = {}
    for key, value in (deferred or {}).items():
        try:
            material_id = int(key)
        except (TypeError, ValueError):
            raise ValidationError({"deferred": [_("容缺材料清单格式错误。")]}) from None
        if isinstance(value, dt.datetime):
            value = local_day(value)
        if not isinstance(value, dt.date):
            try:
                value = dt.date.fromisoformat(str(value).strip())
            except ValueError:
                raise ValidationError(
                    {f"material_{material_id}": [_("请按“年-月-日”填写承诺补齐日期。")]}
                ) from None
        result[material_id] = value
    return result


def case_accept_with_deficiency(
    *,
    actor: Actor,
    case_id: int,
    revision: int | None = None,
    deferred: Mapping[Any, Any],
    commitment_signed: bool,
    window_id: int | None = None,
) -> Case:
    """容缺受理: deferrable materials of an item that allows it may follow by a promised date that is
    no later than the promised due day; the applicant signs; a broken earlier promise excludes."""
    dates = _deferred_dates(deferred)
    with transaction.atomic(durable=True):
        case, window = _lock_for_clerk(
            actor, case_id, allowed=(CaseStatus.SUBMITTED,), revision=revision, window_id=window_id
        )
        version = _version(case)
        require(version.allows_deficiency, "deferred", _("该事项不适用容缺受理。"))
        require(
            not has_broken_commitment(case.applicant_id_number, exclude_case_id=case.pk),
            "__all__",
            _("申请人有逾期未补齐容缺材料或承诺不实的记录，不适用容缺受理。"),
        )
        errors: dict[str, list[str]] = {}
        if not commitment_signed:
            errors["commitment_signed"] = [_("申请人须签署容缺受理承诺书。")]
        if not dates:
            errors["deferred"] = [_("请选择容缺后补的材料并填写承诺补齐日期。")]
        now = timezone.now()
        _start_clock(case, version, now)
        limit = case.promised_due or case.statutory_due
        day = local_day(now)
        materials, material_errors = _checked_materials(case, None, skip=frozenset(dates))
        by_id = {m.pk: m for m in materials}
        for material_id, promised in dates.items():
            material = by_id.get(material_id)
            key = f"material_{material_id}"
            if material is None:
                errors["deferred"] = [_("容缺清单中有不属于本办件的材料。")]
            elif not material.deferrable:
                errors[key] = [_("“%(name)s”不是可容缺的材料。") % {"name": material.name}]
            elif promised < day:
                errors[key] = [_("“%(name)s”的承诺补齐日期不能早于今天。") % {"name": material.name}]
            elif limit is not None and promised > limit:
                errors[key] = [
                    _("“%(name)s”的承诺补齐日期不能晚于承诺办结期限（%(due)s）。")
                    % {"name": material.name, "due": limit.isoformat()}
                ]
        for key, messages in material_errors.items():
            errors.setdefault(key, messages)
        if errors:
            raise ValidationError(errors)
        for material_id, promised in dates.items():
            material = by_id[material_id]
            material.state = MaterialState.DEFERRED
            material.deferred_until = promised
            material.check_note = _("容缺后补")
        _save_materials(materials)
        case.status = CaseStatus.ACCEPTED
        case.acceptance_mode = AcceptanceMode.DEFICIENCY
        case.deficiency_due = max(dates.values())
        if case.window_id is None:
            case.window_id = window.id
        save_case(case, fields=[*ACCEPT_FIELDS, "deficiency_due"])
        _steps_start(case, actor)
        names = [by_id[i].name for i in dates]
        issue_document(case, DocumentKind.DEFICIENCY, actor, {"commitment_signed": True})
        record(
            case,
            actor=actor,
            action="case_accepted_with_deficiency",
            title=_("容缺受理"),
            summary=_("容缺材料：%(names)s；承诺补齐期限：%(due)s；申请人已签署承诺书")
            % {"names": "、".join(names), "due": case.deficiency_due.isoformat()},
            payload={
                "mode": AcceptanceMode.DEFICIENCY,
                "window_id": window.id,
                "deferred_materials": names,
                "deficiency_due": case.deficiency_due.isoformat(),
            },
            channel=IntakeChannel.WINDOW,
            window_id=window.id,
            at=now,
        )
        notify_applicant(case, "cases.deficiency", materials="、".join(names))
        refresh_bundle(case)
    return case


def _deferred_missing(case: Case) -> tuple[list[CaseMaterial], list[CaseMaterial]]:
    """(deferred materials, those of them still without a file)."""
    deferred = list(case.materials.filter(state=MaterialState.DEFERRED).prefetch_related("files"))
    return deferred, [m for m in deferred if not _live_files(m)]


def _mark_supplied(
    case: Case, deferred: Sequence[CaseMaterial], *, actor: Actor | None, now: dt.datetime
) -> None:
    for material in deferred:
        material.state = MaterialState.SUBMITTED
        material.supplied_at = now
    _save_materials(deferred)
    case.deficiency_due = None
    save_case(case, fields=["deficiency_due"])
    record(case, actor=actor, action="case_deficiency_supplied", title=_("容缺材料已补齐"), at=now)


def case_deficiency_supplied(*, actor: Actor, case_id: int) -> Case:
    """Every deferred material has its file: the 容缺 date no longer applies."""
    with transaction.atomic(durable=True):
        case = Case.objects.select_for_update().get(pk=case_id)
        if not (is_applicant(actor, case) or covering_windows(actor, case) or staff_sees(actor, case)):
            raise Case.DoesNotExist
        if case.status not in DEFICIENCY_OPEN or case.deficiency_due is None:
            raise CaseConflict(_("该办件没有待补齐的容缺材料。"))
        deferred, missing = _deferred_missing(case)
        if missing:
            raise ValidationError(
                {f"material_{m.pk}": [_("请上传“%(name)s”") % {"name": m.name}] for m in missing}
            )
        _mark_supplied(case, deferred, actor=actor, now=timezone.now())
    return case


def _terminate(case: Case, *, actor: Actor | None, reason: str, text: str, now: dt.datetime) -> None:
    case.status = CaseStatus.TERMINATED
    case.termination_reason = reason
    case.closed_at = now
    case.note = text
    save_case(case, fields=["status", "termination_reason", "closed_at", "note"])
    close_open_steps(case)
    end_open_suspension(case, at=now)
    issue_document(case, DocumentKind.TERMINATION, actor, {"reason": reason, "text": text})
    record(
        case,
        actor=actor,
        action="case_terminated",
        title=_("终止办理"),
        summary=text,
        payload={"reason": reason},
        at=now,
    )
    notify_applicant(case, "cases.terminated")
    refresh_bundle(case)


def deficiency_sweep(*, today: dt.date | None = None) -> int:
    """Periodic: a case whose 容缺 date has passed with a deferred material still missing is
    terminated (终止办理告知书); one whose files all arrived is marked supplied. Returns the
    number terminated. Each case in its own transaction; safe to run twice."""
    day = today or base.today()
    candidates = list(
        Case.objects.filter(deficiency_due__lt=day, status__in=DEFICIENCY_OPEN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    terminated = 0
    for pk in candidates:
        with transaction.atomic(durable=True):
            case = Case.objects.select_for_update().get(pk=pk)
            if (
                case.status not in DEFICIENCY_OPEN
                or case.deficiency_due is None
                or case.deficiency_due >= day
            ):
                continue
            now = timezone.now()
            deferred, missing = _deferred_missing(case)
            if not missing:
                _mark_supplied(case, deferred, actor=None, now=now)
                continue
            text = _("容缺材料“%(names)s”未在承诺期限（%(due)s）内补齐，终止办理。") % {
                "names": "、".join(m.name for m in missing),
                "due": case.deficiency_due.isoformat(),
            }
            _terminate(case, actor=None, reason=TerminationReason.DEFICIENCY_OVERDUE, text=text, now=now)
            terminated += 1
    return terminated
