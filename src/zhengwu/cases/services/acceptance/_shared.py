"""What the acceptance services share: locking for a covering clerk, material checks, the clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from zhengwu.catalog.selectors import for_cases as catalog
from zhengwu.core.access.actor import Actor
from zhengwu.core.calendar.days import local_day

from ... import clock
from ...models import (
    Case,
    CaseMaterial,
    CaseStatus,
    MaterialState,
    TerminationReason,
)
from .._base import CaseConflict, require
from ..intake import covering_windows, staff_sees
from ..steps import steps_start

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
