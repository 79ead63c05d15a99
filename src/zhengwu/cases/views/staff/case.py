"""The staff case page (办件详情) and every back-office action on it.

The page shows the applicant (ID number masked; "显示完整证件号" is a POST that records a PII read),
the form data, materials with their files, the whole timeline, the deadlines with their lights and
the documents; then the actions the case's status and the actor's roles allow. Each action is a POST
carrying the case revision: success redirects back (listing the documents it issued), a
ValidationError re-renders the page with the form's field errors and status 400, a CaseConflict
shows "该办件已被他人处理…" and reloads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.decorators import require_roles
from zhengwu.core.access.roles import Role
from zhengwu.core.audit.services import audit_pii_read
from zhengwu.core.files.services import file_store

from ...forms_staff import (
    CompleteForm,
    DecideForm,
    DeliverForm,
    ExtensionDecideForm,
    ExtensionRequestForm,
    ResumeForm,
    StepCompleteForm,
    StepReturnForm,
    SuspendForm,
    TransferForm,
    apply_errors,
)
from ...models import Case, CaseStatus, CaseStep, ExtensionStatus, StepStatus
from ...selectors import staff as selectors
from ...services import decision, delivery, steps, suspension
from ...services._base import CaseConflict
from .common import (
    CASE_ROLES,
    actor_of,
    conflict,
    get_case_or_404,
    pop_new_documents,
    remember_documents,
    staff_render,
    today,
)

STEP_ATTACHMENT_PURPOSE = "case_attachment"


# --- who may do what (the page offers what the services' own checks allow) ----------------


def can_take(actor: Actor, case: Case, step: CaseStep | None) -> bool:
    return step is not None and step.status == StepStatus.ACTIVE and steps.may_handle(actor, case, step)


def available_actions(
    actor: Actor, detail: selectors.CaseDetail, windows: list[selectors.WindowInfo]
) -> dict[str, bool]:
    case = detail.case
    status = case.status
    step = detail.active_step
    covers = any(w.covers(case) for w in windows)
    staff = decision.department_staff(actor, case)
    take = status == CaseStatus.ACCEPTED and can_take(actor, case, step)
    steps_open = any(s.status in (StepStatus.ACTIVE, StepStatus.PENDING) for s in detail.steps)
    immediate = case.acceptance_mode == "immediate" and covers
    in_bundle = case.bundle_case_id is not None
    return {
        "accept": status == CaseStatus.SUBMITTED and covers,
        "step": take,
        "step_return": take and detail.previous_step is not None,
        "transfer": take,
        "suspend": status == CaseStatus.ACCEPTED and staff,
        "resume": status == CaseStatus.SUSPENDED and staff,
        "extension_request": status in (CaseStatus.ACCEPTED, CaseStatus.SUSPENDED)
        and staff
        and not detail.extensions,
        "extension_decide": detail.pending_extension is not None
        and decision.department_staff(actor, case, Role.APPROVER),
        "decide": status == CaseStatus.ACCEPTED
        and not steps_open
        and (immediate or decision.may_decide(actor, case)),
        "complete": status == CaseStatus.DECIDED and (staff or covers),
        "deliver": status == CaseStatus.COMPLETED and (staff or covers) and not in_bundle,
        "bundle_deliver": status == CaseStatus.COMPLETED and covers and in_bundle,
        "supplement_upload": status == CaseStatus.SUPPLEMENT and covers,
        "deficiency_upload": status in (CaseStatus.ACCEPTED, CaseStatus.SUSPENDED)
        and covers
        and bool(detail.deferred_material_ids),
    }


# --- the page -----------------------------------------------------------------------------


def _case_page(
    request: HttpRequest,
    case: Case,
    *,
    bound: dict[str, forms.Form] | None = None,
    show_full_id: bool = False,
    status: int = 200,
) -> HttpResponse:
    actor = actor_of(request)
    detail = selectors.case_detail(case, today())
    windows = selectors.clerk_windows(actor) if actor.window_ids else []
    can = available_actions(actor, detail, windows)
    revision = {"revision": case.revision}
    step = detail.active_step
    colleagues = selectors.colleagues_for(actor, step) if can["transfer"] and step is not None else []
    pending = detail.pending_extension
    forms_: dict[str, forms.Form] = {
        "step": StepCompleteForm(initial=revision, prefix="step"),
        "step_return": StepReturnForm(initial=revision, prefix="step_return"),
        "transfer": TransferForm(initial=revision, colleagues=colleagues, prefix="transfer"),
        "suspend": SuspendForm(initial=revision, prefix="suspend"),
        "resume": ResumeForm(initial=revision, prefix="resume"),
        "extension_request": ExtensionRequestForm(initial=revision, prefix="extension_request"),
        "extension_decide": ExtensionDecideForm(
            initial={**revision, "extension": pending.pk if pending else 0, "approve": "1"},
            prefix="extension_decide",
        ),
        "decide": DecideForm(initial=revision, prefix="decide"),
        "complete": CompleteForm(initial=revision, prefix="complete"),
        "deliver": DeliverForm(initial={**revision, "address": case.applicant_address}, prefix="deliver"),
    }
    if bound:
        forms_.update(bound)
        for name in bound:
            can[name] = True  # keep the failing form on the page with its errors
    new_ids = set(pop_new_documents(request, case.pk))
    return staff_render(
        request,
        "cases/staff/case.html",
        {
            "case": case,
            "detail": detail,
            "can": can,
            "forms": forms_,
            "step": step,
            "form_rows": _form_rows(case),
            "show_full_id": show_full_id,
            "new_documents": [d for d in detail.documents if d.pk in new_ids],
            "bound": next(iter(bound)) if bound else "",
            "has_colleagues": bool(colleagues),
        },
        status=status,
    )


def _form_rows(case: Case) -> list[tuple[str, Any]]:
    """The application form's values under their labels, in the form's order."""
    data = case.form_data or {}
    rows = []
    seen = set()
    for spec in case.item_version.form_fields.all():
        seen.add(spec.key)
        value = data.get(spec.key, "")
        if isinstance(value, bool):
            value = _("是") if value else _("否")
        elif isinstance(value, list):
            value = "、".join(str(v) for v in value)
        rows.append((spec.label, value))
    rows.extend((key, value) for key, value in data.items() if key not in seen)
    return rows


@require_GET
@require_roles(*CASE_ROLES)
def case_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_or_404(actor_of(request), pk)
    return _case_page(request, case)


@require_POST
@require_roles(*CASE_ROLES)
def reveal_id(request: HttpRequest, pk: int) -> HttpResponse:
    """显示完整证件号: shows the full ID number once, and records who read it (core.audit)."""
    actor = actor_of(request)
    case = get_case_or_404(actor, pk)
    audit_pii_read(
        actor=actor,
        obj_type="cases.case",
        obj_id=case.pk,
        fields=["applicant_id_number", "applicant_phone"],
        purpose=_("办件 %(number)s 核对申请人身份") % {"number": case.number or case.pk},
    )
    return _case_page(request, case, show_full_id=True)


# --- actions ------------------------------------------------------------------------------


def _run(
    request: HttpRequest,
    case: Case,
    name: str,
    form: forms.Form,
    call: Callable[[dict[str, Any]], Any],
    done: str,
    aliases: dict[str, str] | None = None,
) -> HttpResponse:
    """Validate the form, call the service, and answer the way every action answers."""
    if not form.is_valid():
        return _case_page(request, case, bound={name: form}, status=400)
    try:
        with remember_documents(request, case.pk):
            call(form.cleaned_data)
    except ValidationError as exc:
        apply_errors(form, exc, aliases)
        return _case_page(request, case, bound={name: form}, status=400)
    except PermissionDenied as exc:
        # In scope but not this actor's to do (e.g. another role's step): say why, change nothing.
        form.add_error(None, str(exc) or _("您无权进行此操作。"))
        return _case_page(request, case, bound={name: form}, status=403)
    except CaseConflict as exc:
        return conflict(request, exc, case.pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    messages.success(request, done)
    return redirect("cases_staff:case", pk=case.pk)


def _active_step(case: Case, step_id: int) -> CaseStep:
    step = case.steps.filter(pk=step_id).first()
    if step is None:
        raise Http404
    return step


def _store_attachments(actor: Actor, files: list[Any]) -> list[str]:
    """Staff attachments of a step opinion (core.files; only the uploader and sysadmins read them)."""
    return [
        str(
            file_store(actor=actor, upload=f, purpose=STEP_ATTACHMENT_PURPOSE, owner_user_id=actor.user_id).pk
        )
        for f in files
    ]


@require_POST
@require_roles(*CASE_ROLES)
def step_complete(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    actor = actor_of(request)
    case = get_case_or_404(actor, pk)
    step = _active_step(case, step_id)
    form = StepCompleteForm(request.POST, request.FILES, prefix="step")

    def call(cd: dict[str, Any]) -> Any:
        if cd["revision"] != case.revision:
            raise CaseConflict()
        attachment_ids = _store_attachments(actor, cd.get("attachments") or [])
        return steps.step_complete(
            actor=actor,
            step_id=step.pk,
            revision=cd["revision"],
            opinion=cd["opinion"],
            comment=cd.get("comment") or "",
            attachment_ids=attachment_ids,
            reason=cd.get("reason") or "",
            legal_basis=cd.get("legal_basis") or "",
        )

    return _run(
        request,
        case,
        "step",
        form,
        call,
        _("已提交“%(name)s”环节意见。") % {"name": step.name},
        aliases={"attachment_ids": "attachments", "file": "attachments"},
    )


@require_POST
@require_roles(*CASE_ROLES)
def step_return(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    actor = actor_of(request)
    case = get_case_or_404(actor, pk)
    step = _active_step(case, step_id)
    form = StepReturnForm(request.POST, prefix="step_return")

    def call(cd: dict[str, Any]) -> Any:
        return steps.step_return(actor=actor, step_id=step.pk, revision=cd["revision"], comment=cd["comment"])

    return _run(request, case, "step_return", form, call, _("已退回上一环节。"))


@require_POST
@require_roles(*CASE_ROLES)
def step_transfer(request: HttpRequest, pk: int, step_id: int) -> HttpResponse:
    actor = actor_of(request)
    case = get_case_or_404(actor, pk)
    step = _active_step(case, step_id)
    form = TransferForm(request.POST, colleagues=selectors.colleagues_for(actor, step), prefix="transfer")

    def call(cd: dict[str, Any]) -> Any:
        if cd["revision"] != case.revision:
            raise CaseConflict()
        return steps.step_transfer(
            actor=actor, step_id=step.pk, to_user_id=cd["to_user"], comment=cd.get("comment") or ""
        )

    return _run(request, case, "transfer", form, call, _("已转交。"), aliases={"to_user_id": "to_user"})


@require_POST
@require_roles(*CASE_ROLES)
def suspend(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    case = get_case_or_404(actor, pk)

    def call(cd: dict[str, Any]) -> Any:
        return suspension.case_suspend(
            actor=actor,
            case_id=case.pk,
            revision=cd["revision"],
            kind=cd["kind"],
            reason=cd["reason"],
            expected_workdays=cd["expected_workdays"],
        )

    return _run(
        request,
        case,
        "suspend",
        SuspendForm(request.POST, prefix="suspend"),
        call,
        _("已进入特别程序，办理时限暂停计算。"),
    )


@require_POST
@require_roles(*CASE_ROLES)
def resume(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    case = get_case_or_404(actor, pk)

    def call(cd: dict[str, Any]) -> Any:
        return suspension.case_resume(
            actor=actor, case_id=case.pk, revision=cd["revision"], result=cd.get("result") or ""
        )

    return _run(
        request,
        case,
        "resume",
        ResumeForm(request.POST, prefix="resume"),
        call,
        _("特别程序已结束，办理时限恢复计算。"),
    )


@require_POST
@require_roles(*CASE_ROLES)
def extension_request(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    case = get_case_or_404(actor, pk)

    def call(cd: dict[str, Any]) -> Any:
        if cd["revision"] != case.revision:
            raise CaseConflict()
        return suspension.extension_request(actor=actor, case_id=case.pk, reason=cd["reason"])

    form = ExtensionRequestForm(request.POST, prefix="extension_request")
    return _run(request, case, "extension_request", form, call, _("已提交延期申请，等待部门负责人批准。"))


@require_POST
@require_roles(*CASE_ROLES)
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    case = get_case_or_404(actor, pk)
    form = ExtensionDecideForm(request.POST, prefix="extension_decide")

    def call(cd: dict[str, Any]) -> Any:
        if cd["revision"] != case.revision:
            raise CaseConflict()
        if not case.extensions.filter(pk=cd["extension"], status=ExtensionStatus.REQUESTED).exists():
            raise CaseConflict()
        return suspension.extension_decide(
            actor=actor, extension_id=cd["extension"], approve=cd["approve"], comment=cd.get("comment") or ""
        )

    approved = request.POST.get("extension_decide-approve") == "1"
    done = _("已批准延期，已出具延期告知书。") if approved else _("已不予批准延期。")
    return _run(request, case, "extension_decide", form, call, done)


@require_POST
@require_roles(*CASE_ROLES)
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    case = get_case_or_404(actor, pk)

    def call(cd: dict[str, Any]) -> Any:
        return decision.case_decide(
            actor=actor,
            case_id=case.pk,
            revision=cd["revision"],
            decision=cd["decision"],
            reason=cd.get("reason") or "",
            legal_basis=cd.get("legal_basis") or "",
        )

    return _run(
        request,
        case,
        "decide",
        DecideForm(request.POST, prefix="decide"),
        call,
        _("已作出审批决定，已出具决定书。"),
    )


@require_POST
@require_roles(*CASE_ROLES)
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    case = get_case_or_404(actor, pk)

    def call(cd: dict[str, Any]) -> Any:
        return decision.case_complete(actor=actor, case_id=case.pk, revision=cd["revision"])

    return _run(request, case, "complete", CompleteForm(request.POST, prefix="complete"), call, _("已办结。"))


@require_POST
@require_roles(*CASE_ROLES)
def deliver(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    case = get_case_or_404(actor, pk)
    form = DeliverForm(request.POST, prefix="deliver")

    def call(cd: dict[str, Any]) -> Any:
        return delivery.case_deliver(
            actor=actor, case_id=case.pk, revision=cd["revision"], **form.service_kwargs()
        )

    return _run(request, case, "deliver", form, call, _("已送达。"))
