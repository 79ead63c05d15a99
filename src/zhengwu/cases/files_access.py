"""Who may read a case's files (core.files access rules for "case_material" and "case_document").

Beyond core.files' default (owner, uploader, sysadmin): the case's applicant, the company's current
agents, staff whose scope covers the case, and window clerks whose windows cover it. A file id maps
back to its case(s) through CaseFile / CaseDocument; a file linked to no case opens to nobody else.
A bundle shares one upload between its cases, so any of them may grant access.
"""

from __future__ import annotations

from collections.abc import Iterable

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role
from zhengwu.core.files.access import register_access_rule
from zhengwu.core.files.models import StoredFile

from .models import Case

MATERIAL_PURPOSE = "case_material"
DOCUMENT_PURPOSE = "case_document"
CASE_FIELDS = (
    "id",
    "applicant_user_id",
    "company_id",
    "region_code",
    "department_id",
    "department_line",
    "window_id",
    "window_category",
)


def case_visible_to(actor: Actor, case: Case) -> bool:
    """The applicant side or the staff side may open this case (the same rule as the pages)."""
    if actor.user_id is None:
        return False
    if case.applicant_user_id is not None and case.applicant_user_id == actor.user_id:
        return True
    if case.company_id is not None and case.company_id in actor.company_ids:
        return True
    if actor.is_staff_actor and actor.sees(
        region_code=case.region_code, department_id=case.department_id, department_line=case.department_line
    ):
        return True
    if actor.window_ids and actor.has_role(Role.WINDOW_CLERK, Role.CHIEF_REPRESENTATIVE):
        from .selectors.staff import clerk_windows

        return any(w.covers(case) for w in clerk_windows(actor))
    return False


def _any_visible(actor: Actor, cases: Iterable[Case]) -> bool:
    return any(case_visible_to(actor, case) for case in cases)


def case_material_rule(actor: Actor, stored_file: StoredFile) -> bool:
    if actor.user_id is None:
        return False
    cases = Case.objects.filter(materials__files__file_id=stored_file.pk).distinct().only(*CASE_FIELDS)
    return _any_visible(actor, cases)


def case_document_rule(actor: Actor, stored_file: StoredFile) -> bool:
    if actor.user_id is None:
        return False
    cases = Case.objects.filter(documents__file_id=stored_file.pk).distinct().only(*CASE_FIELDS)
    return _any_visible(actor, cases)


register_access_rule(MATERIAL_PURPOSE, case_material_rule)
register_access_rule(DOCUMENT_PURPOSE, case_document_rule)
