"""Reads of the case API, always limited to the actor.

Applicants: through the portal's `selectors.applicant` — their own cases (applicant_user) and the
cases of the companies they act for (actor.company_ids). Staff reads go straight to
`selectors.staff` (the workbench's scope: actor.scope_q over region_code / department_line, widened
by the clerk's windows). The public progress query is `selectors.applicant.progress_lookup`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet

from zhengwu.core.access.actor import Actor

from ..models import (
    BundleCase,
    Case,
    CaseDocument,
    CaseFile,
    CaseStatus,
    SupplementRequest,
    Suspension,
    TimelineEntry,
)
from ..selectors import applicant as applicant_selectors

LIST_STATUSES = ["draft", *applicant_selectors.LIST_FILTERS]


def own_case(actor: Actor, pk: Any) -> Case:
    """One of the actor's cases (any status), or Case.DoesNotExist (a malformed id too)."""
    return applicant_selectors.my_case(actor, pk)


def own_bundle(actor: Actor, pk: Any) -> BundleCase:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise BundleCase.DoesNotExist from None
    return applicant_selectors.own_bundle_cases(actor).select_related("bundle").get(pk=pk)


def own_case_list(actor: Actor, status: str = "") -> QuerySet[Case]:
    """Submitted applications (a tab: open / action / closed), or the drafts (status "draft")."""
    if status == "draft":
        return applicant_selectors.my_drafts(actor)
    return applicant_selectors.my_cases(actor, tab=status)


@dataclass
class ApplicantView:
    case: Case
    query_code: str
    deadlines: list[Any]
    materials: list[Any]
    timeline: list[TimelineEntry]
    documents: list[CaseDocument]
    supplements: list[SupplementRequest]
    suspensions: list[Suspension]
    can_edit: bool
    can_withdraw: bool
    open_supplement: SupplementRequest | None


def applicant_view(case: Case) -> ApplicantView:
    """What the applicant sees of an own case: the public timeline only, no staff notes (6 queries)."""
    materials = list(
        case.materials.order_by("order", "pk").prefetch_related(
            Prefetch("files", queryset=CaseFile.objects.filter(removed=False).order_by("pk"))
        )
    )
    supplements = list(case.supplement_requests.order_by("round"))
    open_supplement = None
    if case.status == CaseStatus.SUPPLEMENT:
        open_supplement = next((s for s in reversed(supplements) if s.answered_at is None), None)
    return ApplicantView(
        case=case,
        query_code=case.query_code if case.number else "",
        deadlines=applicant_selectors.case_deadlines(case),
        materials=materials,
        timeline=list(case.timeline.filter(public=True).order_by("at", "pk")),
        documents=list(case.documents.order_by("issued_at", "pk")),
        supplements=supplements,
        suspensions=list(case.suspensions.order_by("started_at")),
        can_edit=case.status == CaseStatus.DRAFT,
        can_withdraw=case.status in applicant_selectors.WITHDRAWABLE,
        open_supplement=open_supplement,
    )


def case_file_of(case: Case, case_file_id: Any) -> CaseFile:
    try:
        pk = int(case_file_id)
    except (TypeError, ValueError):
        raise CaseFile.DoesNotExist from None
    return CaseFile.objects.get(pk=pk, material__case=case, removed=False)


def document_of(case: Case, document_id: Any) -> CaseDocument:
    try:
        pk = int(document_id)
    except (TypeError, ValueError):
        raise CaseDocument.DoesNotExist from None
    return CaseDocument.objects.get(pk=pk, case=case)
