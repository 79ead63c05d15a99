"""Who may act on a draft or a received case (applicant side, intake clerk, covering windows)."""

from __future__ import annotations

from typing import Any

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role

from ...models import BundleCase, Case, CaseStatus, IntakeChannel

MATERIAL_PURPOSE = "case_material"
WINDOW_CHANNELS = frozenset({IntakeChannel.WINDOW, IntakeChannel.POST})
ONLINE_CHANNELS = frozenset({IntakeChannel.ONLINE, IntakeChannel.MOBILE, IntakeChannel.KIOSK})
TEXT_LIMITS = {"text": 200, "textarea": 2000, "address": 255}
WITHDRAWABLE = (
    CaseStatus.DRAFT,
    CaseStatus.SUBMITTED,
    CaseStatus.SUPPLEMENT,
    CaseStatus.ACCEPTED,
    CaseStatus.SUSPENDED,
)


# --- who may act ------------------------------------------------------------------------------


def is_applicant(actor: Actor, case: Case | BundleCase) -> bool:
    """The applicant's own account, or (company cases) an agent the company authorises today."""
    if actor.user_id is None:
        return False
    if case.applicant_user_id is not None and case.applicant_user_id == actor.user_id:
        return True
    return case.company_id is not None and case.company_id in actor.company_ids


def is_intake_clerk(actor: Actor, case: Case | BundleCase) -> bool:
    """The clerk keying in a walk-in's draft at their window."""
    window_id = getattr(case, "window_id", None)
    if window_id is None and isinstance(case, BundleCase):
        first = case.cases.only("window_id").first()
        window_id = first.window_id if first else None
    return (
        case.channel in WINDOW_CHANNELS
        and actor.has_role(Role.WINDOW_CLERK, Role.CHIEF_REPRESENTATIVE)
        and window_id is not None
        and window_id in actor.window_ids
    )


def covering_windows(actor: Actor, case: Case) -> list[Any]:
    """The actor's windows that receive this case (cases/selectors/staff.py holds the one rule)."""
    if not actor.has_role(Role.WINDOW_CLERK, Role.CHIEF_REPRESENTATIVE) or not actor.window_ids:
        return []
    from ...selectors.staff import clerk_windows

    return [w for w in clerk_windows(actor) if w.covers(case)]


def staff_sees(actor: Actor, case: Case) -> bool:
    return actor.is_staff_actor and actor.sees(
        region_code=case.region_code, department_id=case.department_id, department_line=case.department_line
    )


def owner_or_404(actor: Actor, case: Case) -> None:
    if not (is_applicant(actor, case) or is_intake_clerk(actor, case)):
        raise Case.DoesNotExist


def lock_row(case_id: int) -> Case:
    return Case.objects.select_for_update().get(pk=case_id)
