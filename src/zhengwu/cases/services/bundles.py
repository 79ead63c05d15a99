"""一件事 (bundles) across their member cases: the bundle status, 统一窗口出件, and 超时默认.

- `bundle_status_refresh` keeps BundleCase.status in step with its cases (in_progress → decided →
  delivered; closed when every case ended without a result). The case services call it after each
  transition of a bundle case, inside their transaction (the case row is locked first, then the
  bundle row: always in that order).
- `bundle_deliver`: the general window hands out every result of the bundle together, once every
  case that has a result is completed (办结).
- `deemed_consent_sweep` (periodic): a department silent past its step's limit in a bundle with
  超时默认 on is deemed to consent (DOMAIN §3, configurable per bundle): the step is closed as
  `deemed` with opinion agree, recorded against the department, audited, the event
  `cases.case_deemed_consent` goes to supervision, and the case moves on to its next step (or, on
  the decide step, is granted).

cases/events.py registers `deemed_consent_sweep` as the periodic job "cases.deemed_consent_sweep".
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.audit.services import audit_record

from ..models import BundleCase, BundleStatus, Case, CaseStatus, CaseStep, StepStatus
from . import _base
from ._base import CaseConflict

logger = logging.getLogger(__name__)

RESULTLESS = (CaseStatus.REJECTED, CaseStatus.WITHDRAWN, CaseStatus.TERMINATED)  # nothing to hand out
DECIDED_OR_LATER = (CaseStatus.DECIDED, CaseStatus.COMPLETED, CaseStatus.DELIVERED)


def bundle_state(statuses: list[str]) -> str:
    """The bundle status that its cases' statuses give."""
    if not statuses or all(s == CaseStatus.DRAFT for s in statuses):
        return BundleStatus.DRAFT
    with_result = [s for s in statuses if s not in RESULTLESS]
    if not with_result:
        return BundleStatus.CLOSED
    if all(s == CaseStatus.DELIVERED for s in with_result):
        return BundleStatus.DELIVERED
    if all(s in DECIDED_OR_LATER for s in with_result):
        return BundleStatus.DECIDED
    return BundleStatus.IN_PROGRESS


def bundle_status_refresh(bundle_case_id: int) -> BundleCase:
    """Recompute the bundle's status from its cases (row-locked); audited when it changes."""
    with transaction.atomic():
        bundle = BundleCase.objects.select_for_update().get(pk=bundle_case_id)
        statuses = list(Case.objects.filter(bundle_case_id=bundle.pk).values_list("status", flat=True))
        new = bundle_state(statuses)
        if new == bundle.status:
            return bundle
        old = bundle.status
        now = timezone.now()
        bundle.status = new
        fields = ["status", "revision", "updated_at"]
        if new in (BundleStatus.DECIDED, BundleStatus.DELIVERED) and bundle.decided_at is None:
            bundle.decided_at = now
            fields.append("decided_at")
        if new == BundleStatus.DELIVERED and bundle.delivered_at is None:
            bundle.delivered_at = now
            fields.append("delivered_at")
        bundle.revision += 1
        bundle.save(update_fields=fields)
        audit_record(
            actor=None,
            action="cases.bundle_status",
            obj_type="cases.bundlecase",
            obj_id=bundle.pk,
            summary=f"{bundle.number} {BundleStatus(old).label} → {BundleStatus(new).label}",
            changes={"status": [old, new]},
        )
        return bundle


# --- 统一窗口出件 ------------------------------------------------------------------------------


def bundle_deliver(
    *,
    actor: Actor,
    bundle_case_id: int,
    method: str,
    tracking_number: str = "",
    delivered_to: str = "",
    address: str = "",
) -> BundleCase:
    """Deliver every result of the bundle together (window clerk of a window receiving the bundle)."""
    from .decision import as_pk, case_visible, covered_by_window
    from .delivery import clean_delivery, deliver_locked

    try:
        pk = as_pk(bundle_case_id)
    except Case.DoesNotExist:
        raise BundleCase.DoesNotExist from None
    with transaction.atomic(durable=True):
        # Cases first (pk order), then the bundle row: the order every case transition locks in.
        cases = list(Case.objects.select_for_update().filter(bundle_case_id=pk).order_by("pk"))
        if not cases or not any(case_visible(actor, c) for c in cases):
            raise BundleCase.DoesNotExist
        if not any(covered_by_window(actor, c) for c in cases):
            raise PermissionDenied(_("一件事须由受理窗口统一出件。"))
        bundle = BundleCase.objects.select_for_update().get(pk=pk)
        if bundle.status == BundleStatus.DELIVERED:
            raise CaseConflict(_("该一件事已统一出件。"))
        deliverable = [c for c in cases if c.status not in RESULTLESS]
        waiting = [c for c in deliverable if c.status != CaseStatus.COMPLETED]
        if not deliverable:
            raise ValidationError({NON_FIELD_ERRORS: [_("该一件事没有可出件的办理结果。")]})
        if waiting:
            names = "、".join(f"{c.item_name}（{c.get_status_display()}）" for c in waiting)
            raise ValidationError(
                {NON_FIELD_ERRORS: [_("以下办件尚未办结，不能统一出件：%(cases)s。") % {"cases": names}]}
            )
        values = clean_delivery(
            method=method,
            tracking_number=tracking_number,
            delivered_to=delivered_to,
            address=address,
            default_address=bundle.applicant_address,
        )
        for case in deliverable:
            deliver_locked(
                case,
                actor=actor,
                method=values["method"],
                tracking_number=values["tracking_number"],
                delivered_to=values["delivered_to"],
                address=values["address"],
                bundle=True,
            )
        return bundle_status_refresh(bundle.pk)


# --- 超时默认 ----------------------------------------------------------------------------------


def overdue_bundle_steps(today: dt.date) -> list[tuple[int, int]]:
    """(step id, case id) of active steps past their last day in bundles with 超时默认 on."""
    rows = (
        CaseStep.objects.filter(
            status=StepStatus.ACTIVE,
            due_on__lt=today,
            case__status=CaseStatus.ACCEPTED,
            case__bundle_case__isnull=False,
            case__bundle_case__deemed_consent=True,
        )
        .order_by("case_id", "order", "pk")
        .values_list("pk", "case_id")
    )
    return list(rows)


def deemed_consent_sweep(*, today: dt.date | None = None) -> int:
    """Close every overdue step of a bundle case as deemed consent; returns how many were closed.

    One transaction per step: a case a colleague is handling right now is simply taken next time."""
    from .steps import step_deem

    today = today or _base.today()
    done = 0
    for step_id, case_id in overdue_bundle_steps(today):
        try:
            with transaction.atomic(durable=True):
                if step_deem(case_id=case_id, step_id=step_id, today=today):
                    done += 1
        except Exception:  # one bad case never stops the sweep
            logger.exception("Deemed consent failed for step %s of case %s", step_id, case_id)
    return done
