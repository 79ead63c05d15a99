"""Reads of the applicant portal (我的办件, 公开进度查询): an applicant sees only their own cases.

Own cases: a person's applications (`applicant_user` = the user) and, for a company agent, every
application of a company the agent is authorised for today (`actor.company_ids`). Anything else is
reported exactly like a missing case (`Case.DoesNotExist`; the views answer 404).

Personal data shown to the applicant is masked (ID number, phone); the full values are never read
here, so no PII read is audited. The public progress query shows no personal data at all.

Every list is a constant number of queries whatever its length (select_related + one prefetch per
child relation).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.audit.masking import mask_id_number, mask_phone
from zhengwu.core.notify.selectors import inbox_for_user

from ..models import (
    BundleCase,
    BundleStatus,
    Case,
    CaseDocument,
    CaseFile,
    CaseMaterial,
    CaseStatus,
    MaterialState,
    SupplementRequest,
    TimelineEntry,
)

# The badge colour of each status on the applicant's pages (web/zhengwu.css badge-*).
STATUS_BADGES: dict[str, str] = {
    CaseStatus.DRAFT: "",
    CaseStatus.SUBMITTED: "badge-blue",
    CaseStatus.SUPPLEMENT: "badge-yellow",
    CaseStatus.ACCEPTED: "badge-blue",
    CaseStatus.SUSPENDED: "badge-yellow",
    CaseStatus.DECIDED: "badge-green",
    CaseStatus.COMPLETED: "badge-green",
    CaseStatus.DELIVERED: "badge-green",
    CaseStatus.REJECTED: "badge-red",
    CaseStatus.WITHDRAWN: "",
    CaseStatus.TERMINATED: "badge-red",
}

# What the applicant may still do, by status.
WITHDRAWABLE = (CaseStatus.SUBMITTED, CaseStatus.SUPPLEMENT, CaseStatus.ACCEPTED, CaseStatus.SUSPENDED)

# Tabs of 我的办件.
LIST_FILTERS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "open": (
        _("办理中"),
        (
            CaseStatus.SUBMITTED,
            CaseStatus.ACCEPTED,
            CaseStatus.SUSPENDED,
            CaseStatus.DECIDED,
            CaseStatus.COMPLETED,
        ),
    ),
    "action": (_("待我处理"), (CaseStatus.SUPPLEMENT,)),
    "closed": (
        _("已结束"),
        (CaseStatus.DELIVERED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN, CaseStatus.TERMINATED),
    ),
}


def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "")


# --- ownership ------------------------------------------------------------------------------


def own_q(actor: Actor, prefix: str = "") -> Q:
    """The filter of the actor's own applications (cases or bundle applications): those of their
    account, and those of every company they are an authorised agent of today (the same rule as
    services.intake.is_applicant and files_access)."""
    if actor.user_id is None:
        return Q(pk__in=[])
    own = Q(**{f"{prefix}applicant_user_id": actor.user_id})
    if actor.company_ids:
        own |= Q(**{f"{prefix}company_id__in": sorted(actor.company_ids)})
    return own


def own_cases(actor: Actor) -> QuerySet[Case]:
    return Case.objects.filter(own_q(actor))


def own_bundle_cases(actor: Actor) -> QuerySet[BundleCase]:
    return BundleCase.objects.filter(own_q(actor))


def _open_supplements() -> Prefetch[Any]:
    return Prefetch(
        "supplement_requests",
        queryset=SupplementRequest.objects.filter(answered_at__isnull=True).order_by("-round"),
        to_attr="open_supplements",
    )


def my_cases(actor: Actor, *, tab: str = "") -> QuerySet[Case]:
    """Submitted (non-draft) applications, newest first; three queries with the prefetch."""
    qs = (
        own_cases(actor)
        .exclude(status=CaseStatus.DRAFT)
        .exclude(number="")  # a draft given up (withdrawn before submission) was never received
        .select_related("department", "bundle_case")
        .prefetch_related(_open_supplements())
        .order_by("-submitted_at", "-pk")
    )
    if tab in LIST_FILTERS:
        qs = qs.filter(status__in=LIST_FILTERS[tab][1])
    return qs


def my_drafts(actor: Actor) -> QuerySet[Case]:
    """Single-item drafts (暂存) to come back to; bundle drafts are listed by my_bundle_drafts."""
    return (
        own_cases(actor)
        .filter(status=CaseStatus.DRAFT, bundle_case__isnull=True)
        .select_related("department")
        .order_by("-updated_at", "-pk")
    )


def my_bundle_drafts(actor: Actor) -> QuerySet[BundleCase]:
    return (
        own_bundle_cases(actor)
        .filter(status=BundleStatus.DRAFT)
        .select_related("bundle", "lead_department")
        .order_by("-updated_at", "-pk")
    )


def my_case(actor: Actor, case_id: Any) -> Case:
    """One own case (any status). Raises Case.DoesNotExist for a missing or foreign one."""
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise Case.DoesNotExist from None
    return own_cases(actor).select_related("department", "bundle_case").get(pk=pk)


def _materials_with_files() -> Prefetch[Any]:
    return Prefetch(
        "materials",
        queryset=CaseMaterial.objects.order_by("order", "pk").prefetch_related(
            Prefetch(
                "files", queryset=CaseFile.objects.filter(removed=False).order_by("pk"), to_attr="live_files"
            )
        ),
    )


def my_draft(actor: Actor, case_id: Any) -> Case:
    """An own draft with its materials and their live files. Raises Case.DoesNotExist otherwise."""
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise Case.DoesNotExist from None
    return (
        own_cases(actor)
        .filter(status=CaseStatus.DRAFT)
        .select_related("department", "item_version", "bundle_case")
        .prefetch_related(_materials_with_files())
        .get(pk=pk)
    )


def my_bundle_case(actor: Actor, bundle_case_id: Any) -> BundleCase:
    """An own bundle application with its cases (materials, files). Raises BundleCase.DoesNotExist."""
    try:
        pk = int(bundle_case_id)
    except (TypeError, ValueError):
        raise BundleCase.DoesNotExist from None
    return (
        own_bundle_cases(actor)
        .select_related("bundle", "lead_department")
        .prefetch_related(
            Prefetch(
                "cases",
                queryset=Case.objects.select_related("department", "item_version")
                .prefetch_related(_materials_with_files())
                .order_by("pk"),
            )
        )
        .get(pk=pk)
    )


# --- the case page --------------------------------------------------------------------------


@dataclass
class MaterialRow:
    material: CaseMaterial
    files: list[CaseFile]


@dataclass
class Deadline:
    label: str
    due: dt.date
    met: bool  # the stage it watches is already done


@dataclass
class CaseDetail:
    case: Case
    applicant_id_masked: str
    applicant_phone_masked: str
    timeline: list[TimelineEntry]
    deadlines: list[Deadline]
    documents: list[CaseDocument]
    results: list[CaseDocument]
    materials: list[MaterialRow]
    supplement: SupplementRequest | None
    supplement_materials: list[MaterialRow]
    deferred_materials: list[MaterialRow] = field(default_factory=list)  # 容缺: to supply later
    notices: list[Any] = field(default_factory=list)  # inbox messages about this case
    can_withdraw: bool = False
    can_supplement: bool = False
    can_supply_deferred: bool = False


def case_deadlines(case: Case) -> list[Deadline]:
    """The deadlines the applicant is told about, in the order they arise."""
    accepted = case.accepted_on is not None or case.status in (
        CaseStatus.REJECTED,
        CaseStatus.ACCEPTED,
        CaseStatus.SUSPENDED,
        CaseStatus.DECIDED,
        CaseStatus.COMPLETED,
        CaseStatus.DELIVERED,
    )
    decided = case.decided_at is not None
    delivered = case.status == CaseStatus.DELIVERED
    rows: list[Deadline] = []
    if case.acceptance_due:
        rows.append(Deadline(str(_("受理期限")), case.acceptance_due, accepted))
    if case.deficiency_due:
        rows.append(Deadline(str(_("容缺材料补齐期限")), case.deficiency_due, False))
    if case.promised_due:
        rows.append(Deadline(str(_("承诺办结期限")), case.promised_due, decided))
    if case.statutory_due:
        rows.append(Deadline(str(_("法定办结期限")), case.statutory_due, decided))
    if case.delivery_due:
        rows.append(Deadline(str(_("送达期限")), case.delivery_due, delivered))
    return rows


def case_detail(actor: Actor, case_id: Any) -> CaseDetail:
    """Everything the case page shows, in a constant number of queries. Raises Case.DoesNotExist."""
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise Case.DoesNotExist from None
    case = (
        own_cases(actor)
        .exclude(status=CaseStatus.DRAFT)
        .select_related("department", "bundle_case")
        .prefetch_related(
            Prefetch("timeline", queryset=TimelineEntry.objects.filter(public=True).order_by("at", "pk")),
            Prefetch("documents", queryset=CaseDocument.objects.order_by("issued_at", "pk")),
            _materials_with_files(),
            _open_supplements(),
        )
        .get(pk=pk)
    )
    materials = [MaterialRow(m, list(getattr(m, "live_files", []))) for m in case.materials.all()]
    open_supplements: list[SupplementRequest] = getattr(case, "open_supplements", [])
    supplement = open_supplements[0] if open_supplements else None
    supplement_materials = supplement_rows(supplement, materials) if supplement else []
    documents = list(case.documents.all())
    deferred = [row for row in materials if row.material.state == MaterialState.DEFERRED]
    notices = (
        list(
            inbox_for_user(actor.user_id)
            .filter(template__startswith="cases.", body__contains=case.number)
            .order_by("-created_at", "-id")[:20]
        )
        if case.number
        else []
    )
    return CaseDetail(
        case=case,
        applicant_id_masked=mask_id_number(case.applicant_id_number),
        applicant_phone_masked=mask_phone(case.applicant_phone),
        timeline=list(case.timeline.all()),
        deadlines=case_deadlines(case),
        documents=[d for d in documents if not d.is_result],
        results=[d for d in documents if d.is_result],
        materials=materials,
        supplement=supplement,
        supplement_materials=supplement_materials,
        deferred_materials=deferred,
        notices=notices,
        can_withdraw=case.status in WITHDRAWABLE,
        can_supplement=case.status == CaseStatus.SUPPLEMENT and supplement is not None,
        can_supply_deferred=bool(deferred)
        and case.deficiency_due is not None
        and case.status in (CaseStatus.ACCEPTED, CaseStatus.SUSPENDED),
    )


def supplement_rows(supplement: SupplementRequest, materials: list[MaterialRow]) -> list[MaterialRow]:
    """The materials listed in the supplement notice (the only ones that get an upload control)."""
    listed = {
        int(i["material_id"]) for i in supplement.items or [] if str(i.get("material_id", "")).isdigit()
    }
    return [row for row in materials if row.material.pk in listed]


def supplement_reasons(supplement: SupplementRequest) -> dict[int, str]:
    return {
        int(i["material_id"]): str(i.get("reason", ""))
        for i in supplement.items or []
        if str(i.get("material_id", "")).isdigit()
    }


# --- the public progress query --------------------------------------------------------------


@dataclass(frozen=True)
class ProgressStep:
    title: str
    at: dt.datetime


@dataclass(frozen=True)
class Progress:
    """What anyone holding the case number and query code may see: no personal data, no files."""

    number: str
    item_name: str
    department_name: str
    status: str
    status_label: str
    status_badge: str
    submitted_at: dt.datetime | None
    deadlines: list[Deadline]
    steps: list[ProgressStep]


def normalize_number(raw: Any) -> str:
    return "".join(str(raw or "").split())[:48]


def normalize_code(raw: Any) -> str:
    return "".join(str(raw or "").split()).upper()[:8]


def progress_lookup(number: str, code: str) -> Progress | None:
    """The public progress of a case, or None. A wrong code and a wrong number look the same."""
    number = normalize_number(number)
    code = normalize_code(code)
    if not number or not code:
        return None
    case = (
        Case.objects.filter(number=number)
        .exclude(number="")  # the unique index on number is partial (number <> '')
        .exclude(status=CaseStatus.DRAFT)
        .select_related("department")
        .only(
            "pk",
            "number",
            "query_code",
            "item_name",
            "status",
            "submitted_at",
            "accepted_on",
            "decided_at",
            "acceptance_due",
            "promised_due",
            "statutory_due",
            "delivery_due",
            "deficiency_due",
            "department",
            "department__name",
        )
        .first()
    )
    # Compare in constant time, and compare even when the number is unknown.
    stored = case.query_code if case is not None else "-" * len(code)
    if not secrets.compare_digest(stored.upper().encode(), code.encode()) or case is None:
        return None
    steps = [
        ProgressStep(title=title, at=at)
        for title, at in TimelineEntry.objects.filter(case_id=case.pk, public=True)
        .order_by("at", "pk")
        .values_list("title", "at")
    ]
    return Progress(
        number=case.number,
        item_name=case.item_name,
        department_name=case.department.name,
        status=case.status,
        status_label=str(case.get_status_display()),
        status_badge=status_badge(case.status),
        submitted_at=case.submitted_at,
        deadlines=case_deadlines(case),
        steps=steps,
    )
