"""一次性告知补正: the supplement notice and the applicant's answer to it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.calendar.days import local_day

from ... import clock
from ...models import (
    Case,
    CaseStatus,
    DocumentKind,
    IntakeChannel,
    MaterialState,
    SupplementRequest,
)
from ...notices import notify_applicant
from .. import _base as base
from .._base import CaseConflict, record, require, save_case
from ..intake import covering_windows, is_applicant, staff_sees
from ._shared import (
    _live_files,
    _lock_for_clerk,
    _save_materials,
    _user_id,
    issue_document,
)

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
