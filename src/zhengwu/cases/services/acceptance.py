"""受理 (acceptance) by a window clerk whose window covers the case: accept, reject, one-time
supplement notice, 容缺受理 and its sweep, 告知承诺, and 即办 decided on acceptance (DOMAIN §3).

Permissions: an actor who cannot see the case gets Case.DoesNotExist; staff who see it but sit at
no window covering it get PermissionDenied. Errors are field-level (see intake.py for the keys;
here also `mode`, `reasons`, `legal_basis`, `items`, `deferred`, `commitment_signed`, `checks`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwu.catalog.selectors import for_cases as catalog
from zhengwu.core.access.actor import Actor
from zhengwu.core.calendar.days import local_day

from .. import clock
from ..models import (
    AcceptanceMode,
    Case,
    CaseMaterial,
    CaseStatus,
    Decision,
    DocumentKind,
    IntakeChannel,
    MaterialState,
    SupplementRequest,
    TerminationReason,
)
from ..notices import notify_applicant
from . import _base as base
from ._base import CaseConflict, record, require, save_case
from .decision import apply_decision, close_open_steps, end_open_suspension
from .intake import covering_windows, is_applicant, refresh_bundle, staff_sees
from .steps import steps_start

DEFAULT_REMEDY = (
    "如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，"
    "或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。"
)
BROKEN_COMMITMENT = (TerminationReason.DEFICIENCY_OVERDUE, TerminationReason.COMMITMENT_FALSE)
DEFICIENCY_OPEN = (CaseStatus.ACCEPTED, CaseStatus.SUSPENDED)


# --- shared -----------------------------------------------------------------------------------


def issue_document(case: Case, kind: str, actor: Actor | None, context: dict[str, Any] | None = None) -> Any:
    """The documents package renders and stores the PDF (cases/documents/)."""
    from zhengwu.cases.documents import document_issue

    return document_issue(case=case, kind=kind, actor=actor, context=context)


def _lock_for_clerk(
    actor: Actor,
    case_id: int,
    *,
    allowed: Sequence[str],
    revision: int | None,
    window_id: int | None = None,
) -> tuple[Case, Any]:
    """The locked case and the clerk's window that covers it."""
    case = Case.objects.select_for_update().get(pk=case_id)
    windows = covering_windows(actor, case)
    if not windows:
        if staff_sees(actor, case):
            raise PermissionDenied(_("您所在的窗口不受理该事项。"))
        raise Case.DoesNotExist
    if window_id is not None:
        windows = [w for w in windows if w.id == window_id]
        require(bool(windows), "window_id", _("所选窗口不受理该事项。"))
    if case.status not in allowed:
        raise CaseConflict(
            _("办件当前状态为“%(status)s”，不能进行此操作。") % {"status": case.get_status_display()}
        )
    if revision is not None and revision != case.revision:
        raise CaseConflict()
    return case, windows[0]


def _user_id(actor: Actor) -> int:
    if actor.user_id is None:
        raise PermissionDenied(_("请先登录。"))
    return actor.user_id


def _version(case: Case) -> Any:
    version = catalog.version_with_parts(case.item_version_id)
    assert version is not None
    return version


def _live_files(material: CaseMaterial) -> bool:
    return any(not f.removed for f in material.files.all())


def _normalise_checks(checks: Mapping[Any, Any] | None) -> dict[int, bool]:
    result: dict[int, bool] = {}
    for key, value in (checks or {}).items():
        try:
            result[int(key)] = bool(value) and str(value).lower() not in ("false", "0", "off", "no")
        except (TypeError, ValueError):
            raise ValidationError({"checks": [_("材料核验结果格式错误。")]}) from None
    return result


def _checked_materials(
    case: Case, checks: Mapping[Any, Any] | None, *, skip: frozenset[int] = frozenset()
) -> tuple[list[CaseMaterial], dict[str, list[str]]]:
    """Every material with its check result; errors for required ones that did not pass.

    A material passes when the clerk's check says so, or (no check given) when it has a file.
    """
    verdicts = _normalise_checks(checks)
    materials = list(case.materials.prefetch_related("files"))
    errors: dict[str, list[str]] = {}
    for material in materials:
        if material.pk in skip:
            continue
        passed = verdicts.get(material.pk, _live_files(material))
        material.state = MaterialState.ACCEPTED if passed else material.state
        if material.required and not passed:
            errors[f"material_{material.pk}"] = [
                _("“%(name)s”缺失或未通过核验：请一次性告知补正，或对可容缺材料容缺受理。")
                % {"name": material.name}
            ]
    return materials, errors


def _save_materials(materials: Sequence[CaseMaterial]) -> None:
    CaseMaterial.objects.bulk_update(
        list(materials), ["state", "check_note", "deferred_until", "supplied_at"]
    )


def has_broken_commitment(id_number: str, *, exclude_case_id: int | None = None) -> bool:
    """An earlier case of this applicant terminated for a missed 容缺 date or a false commitment."""
    qs = Case.objects.filter(
        applicant_id_number=id_number, status=CaseStatus.TERMINATED, termination_reason__in=BROKEN_COMMITMENT
    )
    if exclude_case_id is not None:
        qs = qs.exclude(pk=exclude_case_id)
    return qs.exists()


def _start_clock(case: Case, version: Any, now: dt.datetime) -> None:
    """accepted_at is the act; accepted_on the legal day — the receipt day after a late notice."""
    late = case.supplement_requests.filter(late=True).exists()
    start = case.submitted_at if late and case.submitted_at else now
    case.accepted_at = now
    case.accepted_on = local_day(start)
    case.promised_due = clock.limit_due(
        accepted_at=start, limit=version.promised_limit, unit=version.promised_unit, region=case.region_code
    )
    case.statutory_due = clock.limit_due(
        accepted_at=start, limit=version.statutory_limit, unit=version.statutory_unit, region=case.region_code
    )


ACCEPT_FIELDS = [
    "status",
    "acceptance_mode",
    "accepted_at",
    "accepted_on",
    "promised_due",
    "statutory_due",
    "window",
]


def _steps_start(case: Case, actor: Actor) -> None:
    steps_start(case, actor=actor)


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


# --- supplement (一次性告知补正) ----------------------------------------------------------------


def case_request_supplement(
    *,
    actor: Actor,
    case_id: int,
    revision: int | None = None,
    items: Sequence[Mapping[str, Any]],
    note: str = "",
) -> SupplementRequest:
    """One notice listing every material to supply again; late (after the 5th working day) means
    the case counts as accepted on its receipt day."""
    with transaction.atomic(durable=True):
        case, window = _lock_for_clerk(actor, case_id, allowed=(CaseStatus.SUBMITTED,), revision=revision)
        materials = {m.pk: m for m in case.materials.prefetch_related("files")}
        listed: dict[int, str] = {}
        errors: dict[str, list[str]] = {}
        for entry in items or []:
            try:
                material_id = int(entry.get("material_id"))  # type: ignore[arg-type]
            except (TypeError, ValueError):
                errors["items"] = [_("补正清单中有无效的材料。")]
                continue
            if material_id not in materials:
                errors["items"] = [_("补正清单中有不属于本办件的材料。")]
                continue
            material = materials[material_id]
            reason = str(entry.get("reason") or "").strip()
            if not reason:
                reason = (
                    _("未提交该材料") if not _live_files(material) else _("材料不符合法定形式，请重新提交")
                )
            listed[material_id] = reason[:255]
        if not listed and "items" not in errors:
            errors["items"] = [_("请至少列出一项需要补正的材料。")]
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        received_on = local_day(case.submitted_at) if case.submitted_at else base.today()
        late = clock.supplement_is_late(received_on, local_day(now), case.region_code)
        for material_id, reason in listed.items():
            material = materials[material_id]
            material.state = MaterialState.DEFECTIVE
            material.check_note = reason
        _save_materials([materials[i] for i in listed])
        round_ = case.supplement_requests.count() + 1
        request = SupplementRequest.objects.create(
            case=case,
            round=round_,
            items=[
                {"material_id": i, "name": materials[i].name, "reason": reason}
                for i, reason in listed.items()
            ],
            note=(note or "").strip(),
            issued_at=now,
            issued_by_id=_user_id(actor),
            late=late,
        )
        case.status = CaseStatus.SUPPLEMENT
        if case.window_id is None:
            case.window_id = window.id
        save_case(case, fields=["status", "window"])
        names = [materials[i].name for i in listed]
        issue_document(case, DocumentKind.SUPPLEMENT, actor)
        record(
            case,
            actor=actor,
            action="case_supplement_requested",
            title=_("一次性告知补正"),
            summary="、".join(names),
            payload={"round": round_, "materials": names, "late": late},
            channel=IntakeChannel.WINDOW,
            window_id=window.id,
            at=now,
        )
        notify_applicant(case, "cases.supplement", materials="、".join(names))
    return request


def case_supplement_submit(*, actor: Actor, case_id: int) -> Case:
    """The applicant (or a covering clerk) hands in the supplement: every listed material has a new
    file, no other material does. → submitted; a fresh 5-working-day acceptance period."""
    with transaction.atomic(durable=True):
        case = Case.objects.select_for_update().get(pk=case_id)
        if not (is_applicant(actor, case) or covering_windows(actor, case)):
            if staff_sees(actor, case):
                raise PermissionDenied(_("您不能为该办件提交补正材料。"))
            raise Case.DoesNotExist
        if case.status != CaseStatus.SUPPLEMENT:
            raise CaseConflict(
                _("办件当前状态为“%(status)s”，不能提交补正材料。") % {"status": case.get_status_display()}
            )
        request = case.supplement_requests.filter(answered_at__isnull=True).order_by("-round").first()
        require(request is not None, "__all__", _("没有待答复的补正告知。"))
        assert request is not None
        listed = {int(e["material_id"]) for e in request.items}
        errors: dict[str, list[str]] = {}
        materials = list(case.materials.prefetch_related("files"))
        for material in materials:
            new = [f for f in material.files.all() if f.round == request.round and not f.removed]
            if material.pk in listed and not new:
                errors[f"material_{material.pk}"] = [_("请补正“%(name)s”") % {"name": material.name}]
            elif material.pk not in listed and new:
                errors[f"material_{material.pk}"] = [
                    _("“%(name)s”不在补正告知书所列材料中，不能补正。") % {"name": material.name}
                ]
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        for material in materials:
            if material.pk in listed:
                material.state = MaterialState.SUBMITTED
        _save_materials(materials)
        request.answered_at = now
        request.save(update_fields=["answered_at"])
        case.status = CaseStatus.SUBMITTED
        if not request.late:
            case.acceptance_due = clock.acceptance_due(local_day(now), case.region_code)
        save_case(case, fields=["status", "acceptance_due"])
        record(
            case,
            actor=actor,
            action="case_supplement_received",
            title=_("补正材料已提交"),
            payload={"round": request.round},
            at=now,
        )
    return case


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
