"""Reads of the workbench (窗口接件、受理、后台审批): every queryset is already limited to the actor.

Scope (DOMAIN §5): `actor.scope_q(region_field="region_code", line_field="department_line")` — own
department and its line below, or the whole region for supervisors and hall managers — widened, for
window clerks, by the cases their windows cover (a general window accepts every item of its
categories in its hall's region, a department window those of its department). A case outside the
scope is reported exactly like a missing one (the views answer 404).

Every list is a constant number of queries whatever its length: foreign keys are joined with
select_related, child rows come in one prefetch per relation, and the traffic lights are computed
in Python from core.calendar (no query per row).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, OrderBy, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from zhengwu.catalog.selectors.for_cases import window_category_q
from zhengwu.catalog.selectors.public import public_items
from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role
from zhengwu.core.audit.masking import mask_id_number, mask_phone
from zhengwu.core.calendar.days import add_workdays
from zhengwu.org import selectors as org_selectors

from ..clock import workdays_left
from ..models import (
    BundleCase,
    Case,
    CaseDocument,
    CaseFile,
    CaseMaterial,
    CaseStatus,
    CaseStep,
    Extension,
    ExtensionStatus,
    StepStatus,
    SupplementRequest,
    Suspension,
    TimelineEntry,
)

CASE_SCOPE = {
    "region_field": "region_code",
    "department_field": "department_id",
    "line_field": "department_line",
}
STEP_SCOPE = {
    "region_field": "case__region_code",
    "department_field": "case__department_id",
    "line_field": "case__department_line",
}

# --- the traffic light ----------------------------------------------------------------------


class Light(enum.StrEnum):
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def label(self) -> str:
        return str(LIGHT_LABELS[self])


LIGHT_LABELS = {Light.GREEN: _("正常"), Light.YELLOW: _("预警"), Light.RED: _("超期")}
YELLOW_WORKDAYS = 1  # yellow on the last working day before the due day and on the due day itself
YELLOW_SHARE = 0.2  # … or once no more than 20 % of the limit is left


def yellow_margin(limit: int | None) -> int:
    """How many working days before the due day the light turns yellow (see deadline_light)."""
    share = int((limit or 0) * YELLOW_SHARE)  # left <= 0.2 * limit  <=>  left <= floor(0.2 * limit)
    return max(YELLOW_WORKDAYS, share)


def deadline_light(
    due: dt.date | None, today: dt.date, limit: int | None, region: str | None = None
) -> Light:
    """The one rule for the green / yellow / red light of a deadline (docs/cases/staff-guide.md).

    - red: overdue — today is after the due day (a limit ends at 24:00 of its last day);
    - yellow: at most 1 working day left, or at most 20 % of the limit left
      (working days left = working days after today up to and including the due day);
    - green: otherwise, and when there is no deadline.
    `limit` is the length of the limit in working days (a step's limit, an item's promised limit).
    """
    if due is None:
        return Light.GREEN
    if today > due:
        return Light.RED
    left = workdays_left(due, today, region) or 0
    if left <= yellow_margin(limit):
        return Light.YELLOW
    return Light.GREEN


def light_q(
    light: Light | str, *, today: dt.date, pairs: Iterable[tuple[str, int]], due: str, limit: str, region: str
) -> Q:
    """The same rule as deadline_light, as a filter. `pairs` are the (region, limit) pairs present.

    Yellow is `today <= due <= add_workdays(today, yellow_margin(limit), region)`, so one date per
    (region, margin) decides it; the caller fetches the distinct pairs in one query.
    """
    red = Q(**{f"{due}__lt": today})
    yellow = Q(pk__in=[])
    for reg, lim in set(pairs):
        last = add_workdays(today, yellow_margin(lim), reg or None)
        yellow |= Q(**{region: reg, limit: lim, f"{due}__gte": today, f"{due}__lte": last})
    if light == Light.RED:
        return red
    if light == Light.YELLOW:
        return yellow
    return Q(**{f"{due}__isnull": True}) | (~red & ~yellow)


@dataclass(frozen=True)
class Deadline:
    label: str
    due: dt.date | None
    left: int | None
    light: Light

    @property
    def overdue(self) -> int:
        """Working days past the due day (0 when not overdue)."""
        return -self.left if self.left is not None and self.left < 0 else 0


def deadline(label: Any, due: dt.date | None, today: dt.date, limit: int | None, region: str) -> Deadline:
    return Deadline(
        label=str(label),
        due=due,
        left=workdays_left(due, today, region),
        light=deadline_light(due, today, limit, region),
    )


# --- scope ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WindowInfo:
    """A window the clerk sits at, with what it covers (read through org selectors)."""

    id: int
    code: str
    name: str
    kind: str
    department_id: int | None
    categories: tuple[str, ...]
    region_code: str
    hall: str

    @property
    def label(self) -> str:
        return f"{self.hall} {self.code} {self.name}"

    @property
    def is_general(self) -> bool:
        return self.kind == "general"

    def coverage_q(self, prefix: str = "") -> Q:
        """Cases this window may receive and accept: its categories, in its hall's region; a
        department window only its department's (DOMAIN §1 窗口 / 综合窗口)."""
        q = Q(
            **{
                f"{prefix}region_code": self.region_code,
                f"{prefix}window_category__in": list(self.categories),
            }
        )
        if not self.is_general:
            q &= Q(**{f"{prefix}department_id": self.department_id})
        return q | Q(**{f"{prefix}window_id": self.id})

    def covers(self, case: Case) -> bool:
        if case.window_id == self.id:
            return True
        if case.region_code != self.region_code or case.window_category not in self.categories:
            return False
        return self.is_general or case.department_id == self.department_id


def clerk_windows(actor: Actor) -> list[WindowInfo]:
    """The active windows the actor sits at (one query)."""
    if not actor.window_ids:
        return []
    rows = (
        org_selectors.windows_for(actor)
        .filter(pk__in=actor.window_ids, active=True)
        .select_related("service_point__region")
    )
    return [
        WindowInfo(
            id=w.pk,
            code=w.code,
            name=w.name,
            kind=w.kind,
            department_id=w.department_id,
            categories=tuple(w.categories or ()),
            region_code=w.service_point.region.code,
            hall=w.service_point.name,
        )
        for w in rows
    ]


def windows_q(windows: Sequence[WindowInfo], prefix: str = "") -> Q:
    q = Q(pk__in=[])
    for window in windows:
        q |= window.coverage_q(prefix)
    return q


def case_scope_q(actor: Actor, windows: Sequence[WindowInfo] | None = None) -> Q:
    """What the actor may open: the staff scope, plus what the actor's windows cover."""
    q = actor.scope_q(**CASE_SCOPE)
    if actor.has_role(Role.WINDOW_CLERK, Role.CHIEF_REPRESENTATIVE):
        q |= windows_q(clerk_windows(actor) if windows is None else windows)
    return q


def cases_for(actor: Actor, windows: Sequence[WindowInfo] | None = None) -> QuerySet[Case]:
    if not actor.is_staff_actor:
        return Case.objects.none()
    return Case.objects.filter(case_scope_q(actor, windows))


def case_for(actor: Actor, pk: Any) -> Case:
    """One case in scope, or Case.DoesNotExist (a malformed id too)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Case.DoesNotExist from None
    return cases_for(actor).select_related("department", "window", "bundle_case", "item_version").get(pk=pk)


# --- the window ---------------------------------------------------------------------------


def window_queue(
    actor: Actor, windows: Sequence[WindowInfo], *, status: str = CaseStatus.SUBMITTED
) -> QuerySet[Case]:
    """New cases (收件, waiting for acceptance) for the given windows: green channel first, then oldest."""
    if not windows:
        return Case.objects.none()
    return (
        Case.objects.filter(windows_q(windows), status=status)
        .select_related("department")
        .order_by("-green_channel", "submitted_at", "pk")
    )


def window_drafts(actor: Actor, windows: Sequence[WindowInfo]) -> QuerySet[Case]:
    """Walk-in applications being keyed in at the actor's windows (not yet submitted)."""
    return Case.objects.filter(
        status=CaseStatus.DRAFT, channel="window", window_id__in=[w.id for w in windows]
    ).order_by("-created_at")


@dataclass(frozen=True)
class QueueRow:
    case: Case
    acceptance: Deadline
    masked_id: str


def queue_rows(cases: Iterable[Case], today: dt.date) -> list[QueueRow]:
    from ..clock import ACCEPTANCE_WORKDAYS

    return [
        QueueRow(
            case=c,
            acceptance=deadline(_("受理期限"), c.acceptance_due, today, ACCEPTANCE_WORKDAYS, c.region_code),
            masked_id=mask_id_number(c.applicant_id_number),
        )
        for c in cases
    ]


def window_items(window: WindowInfo, keyword: str = "") -> QuerySet[Any]:
    """Items in force that this window receives (catalog selectors): its hall's region, its
    department for a department window, and an item whose window category the window covers."""
    qs = public_items().filter(region__code=window.region_code)
    if not window.is_general:
        qs = qs.filter(department_id=window.department_id or 0)
    qs = qs.filter(window_category_q(window.categories))
    if keyword:
        qs = qs.filter(
            Q(name__icontains=keyword)
            | Q(implementation_code__startswith=keyword.upper())
            | Q(basic_code__startswith=keyword)
            | Q(aliases__icontains=keyword)
        )
    return qs.order_by("department__name", "name", "pk")


def window_item(window: WindowInfo, item_id: Any) -> Any | None:
    try:
        return window_items(window).filter(pk=int(item_id)).first()
    except (TypeError, ValueError):
        return None


@dataclass
class DraftDetail:
    form_fields: list[Any]
    materials: list[CaseMaterial]


def draft_detail(case: Case) -> DraftDetail:
    """The version's form fields and the draft's materials with their live files (two queries)."""
    return DraftDetail(
        form_fields=list(case.item_version.form_fields.order_by("order", "pk")),
        materials=list(case.materials.prefetch_related(live_files()).order_by("order", "pk")),
    )


def applicant_lookup(actor: Actor, id_number: str) -> dict[str, Any] | None:
    """Who applied before with this ID number / USCC, from the cases the actor may see (masked)."""
    case = (
        cases_for(actor)
        .filter(applicant_id_number=id_number)
        .exclude(applicant_name="")
        .order_by("-pk")
        .only(
            "applicant_kind",
            "applicant_name",
            "applicant_id_number",
            "applicant_phone",
            "applicant_address",
            "contact_name",
        )
        .first()
    )
    if case is None:
        return None
    return {
        "case_id": case.pk,
        "kind": case.applicant_kind,
        "name": case.applicant_name,
        "id_number": case.applicant_id_number,
        "phone": case.applicant_phone,
        "address": case.applicant_address,
        "contact_name": case.contact_name,
    }


# --- the case page ------------------------------------------------------------------------


@dataclass
class CaseDetail:
    case: Case
    materials: list[CaseMaterial]
    steps: list[CaseStep]
    timeline: list[TimelineEntry]
    documents: list[CaseDocument]
    suspensions: list[Suspension]
    extensions: list[Extension]
    supplements: list[SupplementRequest]
    deadlines: list[Deadline] = field(default_factory=list)
    masked_id: str = ""
    masked_phone: str = ""

    @property
    def active_step(self) -> CaseStep | None:
        return next((s for s in self.steps if s.status == StepStatus.ACTIVE), None)

    @property
    def open_suspension(self) -> Suspension | None:
        return next((s for s in self.suspensions if s.ended_at is None), None)

    @property
    def pending_extension(self) -> Extension | None:
        return next((e for e in self.extensions if e.status == ExtensionStatus.REQUESTED), None)

    @property
    def open_supplement(self) -> SupplementRequest | None:
        return next((r for r in reversed(self.supplements) if r.answered_at is None), None)

    @property
    def supplement_material_ids(self) -> set[int]:
        request = self.open_supplement
        return {int(i["material_id"]) for i in (request.items or [])} if request else set()

    @property
    def deferred_material_ids(self) -> set[int]:
        return {m.pk for m in self.materials if m.state == "deferred"}

    @property
    def previous_step(self) -> CaseStep | None:
        active = self.active_step
        if active is None:
            return None
        earlier = [s for s in self.steps if s.order < active.order]
        return earlier[-1] if earlier else None


def live_files() -> Prefetch[Any]:
    return Prefetch("files", queryset=CaseFile.objects.filter(removed=False).order_by("pk"))


def case_detail(case: Case, today: dt.date) -> CaseDetail:
    """Everything the case page shows, one query per relation."""
    materials = list(case.materials.prefetch_related(live_files()).order_by("order", "pk"))
    steps = list(case.steps.select_related("assignee", "finished_by").order_by("order", "pk"))
    timeline = list(case.timeline.order_by("at", "pk"))
    documents = list(case.documents.order_by("issued_at", "pk"))
    suspensions = list(case.suspensions.order_by("started_at"))
    extensions = list(case.extensions.select_related("requested_by", "decided_by").order_by("requested_at"))
    supplements = list(case.supplement_requests.order_by("round"))
    version = case.item_version
    region = case.region_code
    from ..clock import ACCEPTANCE_WORKDAYS, DELIVERY_WORKDAYS

    rows = [deadline(_("受理期限"), case.acceptance_due, today, ACCEPTANCE_WORKDAYS, region)]
    if case.accepted_on or case.promised_due:
        rows.append(deadline(_("承诺办结期限"), case.promised_due, today, version.promised_limit, region))
        rows.append(deadline(_("法定办结期限"), case.statutory_due, today, version.statutory_limit, region))
    if case.deficiency_due:
        rows.append(deadline(_("容缺补齐期限"), case.deficiency_due, today, None, region))
    if case.delivery_due:
        rows.append(deadline(_("送达期限"), case.delivery_due, today, DELIVERY_WORKDAYS, region))
    closed = case.status in (
        CaseStatus.DELIVERED,
        CaseStatus.REJECTED,
        CaseStatus.WITHDRAWN,
        CaseStatus.TERMINATED,
    )
    if closed or case.status == CaseStatus.SUSPENDED:
        # A closed case has no running clock; a suspended one stands still: no light.
        rows = [Deadline(r.label, r.due, None, Light.GREEN) for r in rows]
    return CaseDetail(
        case=case,
        materials=materials,
        steps=steps,
        timeline=timeline,
        documents=documents,
        suspensions=suspensions,
        extensions=extensions,
        supplements=supplements,
        deadlines=rows,
        masked_id=mask_id_number(case.applicant_id_number),
        masked_phone=mask_phone(case.applicant_phone),
    )


def documents_since(case: Case, since: dt.datetime) -> list[CaseDocument]:
    return list(case.documents.filter(issued_at__gte=since).order_by("issued_at", "pk"))


def colleagues_for(actor: Actor, step: CaseStep) -> list[tuple[int, str]]:
    """Staff of the step's department holding its role (transfer targets), the actor excluded."""
    rows = org_selectors.staff_for(actor).filter(department_id=step.department_id)
    return [
        (p.user_id, str(getattr(p.user, "display_name", "") or p.user))
        for p in rows
        if step.role in (p.roles or []) and p.user_id != actor.user_id
    ]


# --- my tasks (我的待办) ------------------------------------------------------------------

TASK_SORTS: dict[str, tuple[OrderBy | str | F, ...]] = {
    "due": (F("due_on").asc(nulls_last=True), "case__submitted_at", "pk"),
    "-due": (F("due_on").desc(nulls_last=True), "case__submitted_at", "pk"),
    "received": ("case__submitted_at", "pk"),
    "-received": ("-case__submitted_at", "-pk"),
    "item": ("case__item_name", F("due_on").asc(nulls_last=True), "pk"),
    "-item": ("-case__item_name", F("due_on").asc(nulls_last=True), "pk"),
}


def my_steps(actor: Actor) -> QuerySet[CaseStep]:
    """Active steps the actor may take: a role the actor holds, the actor's department, and either
    nobody or the actor assigned. Sysadmins hold every role but sit in no department: nothing."""
    roles = [r.value for r in actor.roles]
    if actor.department_id is None or not roles:
        return CaseStep.objects.none()
    return (
        CaseStep.objects.filter(status=StepStatus.ACTIVE, department_id=actor.department_id, role__in=roles)
        .filter(Q(assignee__isnull=True) | Q(assignee_id=actor.user_id))
        .filter(actor.scope_q(**STEP_SCOPE))
    )


@dataclass(frozen=True)
class TaskFilters:
    item_id: int | None = None
    light: str = ""
    green_channel: bool = False
    sort: str = "due"


def task_list(actor: Actor, filters: TaskFilters, today: dt.date) -> QuerySet[CaseStep]:
    qs = my_steps(actor)
    if filters.item_id:
        qs = qs.filter(case__item_id=filters.item_id)
    if filters.green_channel:
        qs = qs.filter(case__green_channel=True)
    if filters.light in Light.__members__.values():
        pairs = qs.values_list("case__region_code", "limit").distinct()
        qs = qs.filter(
            light_q(
                filters.light,
                today=today,
                pairs=pairs,
                due="due_on",
                limit="limit",
                region="case__region_code",
            )
        )
    order = TASK_SORTS.get(filters.sort, TASK_SORTS["due"])
    return qs.select_related("case", "case__department", "assignee").order_by(*order)


def task_items(actor: Actor) -> list[tuple[int, str]]:
    """The items the actor has tasks for (the item filter), one query."""
    rows = (
        my_steps(actor).values_list("case__item_id", "case__item_name").distinct().order_by("case__item_name")
    )
    return [(item_id, name) for item_id, name in rows]


@dataclass(frozen=True)
class TaskRow:
    step: CaseStep
    case: Case
    due: Deadline
    promised: Deadline


def task_rows(steps: Iterable[CaseStep], today: dt.date) -> list[TaskRow]:
    rows = []
    for step in steps:
        case = step.case
        rows.append(
            TaskRow(
                step=step,
                case=case,
                due=deadline(_("环节期限"), step.due_on, today, step.limit, case.region_code),
                promised=deadline(_("承诺办结期限"), case.promised_due, today, None, case.region_code),
            )
        )
    return rows


def pending_extensions(actor: Actor) -> QuerySet[Extension]:
    """Extension requests waiting for the department head (approver) of the actor's department."""
    if not actor.has_role(Role.APPROVER) or actor.department_id is None:
        return Extension.objects.none()
    return (
        Extension.objects.filter(status=ExtensionStatus.REQUESTED, case__department_id=actor.department_id)
        .filter(actor.scope_q(**STEP_SCOPE))
        .select_related("case", "requested_by")
        .order_by("requested_at")
    )


# --- bundles (一件事) -----------------------------------------------------------------------


def bundle_for(actor: Actor, pk: Any) -> tuple[BundleCase, list[Case]]:
    """A bundle application the actor sees at least one case of, with all its cases."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise BundleCase.DoesNotExist from None
    if not cases_for(actor).filter(bundle_case_id=pk).exists():
        raise BundleCase.DoesNotExist
    bundle = BundleCase.objects.select_related("bundle", "lead_department").get(pk=pk)
    cases = list(bundle.cases.select_related("department").order_by("pk"))
    return bundle, cases


@dataclass(frozen=True)
class BundleRow:
    case: Case
    promised: Deadline


def bundle_rows(cases: Iterable[Case], today: dt.date) -> list[BundleRow]:
    return [
        BundleRow(case=c, promised=deadline(_("承诺办结期限"), c.promised_due, today, None, c.region_code))
        for c in cases
    ]
