"""受理: the material checklist of one submitted case, then accept, reject, supplement or 容缺.

One page, two forms: the checklist (each material ok / defective with its reason, and a promised
date for deferrable ones) drives 受理, 告知承诺, 补正 (every defective material at once) and 容缺受理;
不予受理 has its own form (reasons from a list, free text, legal basis, remedy). After an action the
case page lists the documents it issued.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhengwu.core.access.decorators import require_roles

from ...forms_staff import ChecklistForm, MaterialUploadForm, RejectForm, apply_errors
from ...models import Case, CaseStatus
from ...selectors import staff as selectors
from ...services import acceptance, intake
from ...services._base import CaseConflict
from .common import CLERK_ROLES, actor_of, conflict, get_case_or_404, remember_documents, staff_render, today

ACCEPT_ACTIONS = ("accept", "commitment", "supplement", "deficiency")


def _window_for(request: HttpRequest, case: Case) -> selectors.WindowInfo:
    """The clerk's window that covers the case (the first one), else 404: only they may accept."""
    windows = selectors.clerk_windows(actor_of(request))
    window = next((w for w in windows if w.covers(case)), None)
    if window is None:
        raise Http404
    return window


def _page(
    request: HttpRequest,
    case: Case,
    *,
    checklist: ChecklistForm | None = None,
    reject: RejectForm | None = None,
    status: int = 200,
) -> HttpResponse:
    detail = selectors.case_detail(case, today())
    checklist = checklist or ChecklistForm(initial={"revision": case.revision}, materials=detail.materials)
    reject = reject or RejectForm(initial={"revision": case.revision}, prefix="reject")
    version = case.item_version
    return staff_render(
        request,
        "cases/staff/accept.html",
        {
            "case": case,
            "detail": detail,
            "checklist": checklist,
            "reject_form": reject,
            "allows_commitment": bool(version.allows_commitment),
            "allows_deficiency": bool(version.allows_deficiency),
            "is_immediate": version.handling_type == "instant",
            "open": case.status == CaseStatus.SUBMITTED,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@require_roles(*CLERK_ROLES)
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    case = get_case_or_404(actor, pk)
    window = _window_for(request, case)
    if request.method == "GET":
        return _page(request, case)
    action = request.POST.get("action", "")
    materials = selectors.case_detail(case, today()).materials
    form = ChecklistForm(request.POST, materials=materials)
    valid = form.is_valid()
    if action not in ACCEPT_ACTIONS:
        form.add_error(None, _("请选择要执行的操作"))
        valid = False
    if not valid:
        return _page(request, case, checklist=form, status=400)
    revision = form.cleaned_data["revision"]
    kwargs: dict[str, Any] = {"actor": actor, "case_id": case.pk, "revision": revision}
    try:
        with remember_documents(request, case.pk):
            if action == "supplement":
                items = form.defective_items()
                if form.errors:
                    return _page(request, case, checklist=form, status=400)
                acceptance.case_request_supplement(
                    **kwargs, items=items, note=form.cleaned_data.get("note") or ""
                )
                done = _("已出具补正材料告知书（一次性告知）。")
            elif action == "deficiency":
                deferred = form.deferred()
                if form.errors:
                    return _page(request, case, checklist=form, status=400)
                acceptance.case_accept_with_deficiency(
                    **kwargs,
                    deferred=deferred,
                    commitment_signed=form.cleaned_data["commitment_signed"],
                    window_id=window.id,
                )
                done = _("已容缺受理，已出具容缺受理通知书。")
            else:
                if action == "commitment":
                    mode = "commitment"
                elif case.item_version.handling_type == "instant":
                    mode = "immediate"
                else:
                    mode = "normal"
                acceptance.case_accept(**kwargs, window_id=window.id, mode=mode, checks=form.checks())
                done = _("已受理，已出具受理通知书。")
    except ValidationError as exc:
        apply_errors(form, exc, aliases=_material_aliases(form, action))
        return _page(request, case, checklist=form, status=400)
    except CaseConflict as exc:
        return conflict(request, exc, case.pk)
    messages.success(request, done)
    return redirect("cases_staff:case", pk=case.pk)


def _material_aliases(form: ChecklistForm, action: str) -> dict[str, str]:
    """The service's `material_<id>` errors → that material's row (its date for 容缺)."""
    aliases: dict[str, str] = {}
    for m in form.materials:
        date_field = f"defer_{m.pk}"
        deferred = action == "deficiency" and date_field in form.fields and form.cleaned_data.get(date_field)
        aliases[f"material_{m.pk}"] = date_field if deferred else f"check_{m.pk}"
    return aliases


@require_POST
@require_roles(*CLERK_ROLES)
def reject(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    case = get_case_or_404(actor, pk)
    _window_for(request, case)
    form = RejectForm(request.POST, prefix="reject")
    if not form.is_valid():
        return _page(request, case, reject=form, status=400)
    cd = form.cleaned_data
    try:
        with remember_documents(request, case.pk):
            acceptance.case_reject(
                actor=actor,
                case_id=case.pk,
                revision=cd["revision"],
                reasons=form.reason_labels(),
                text=cd.get("text") or "",
                legal_basis=cd["legal_basis"],
                remedy=cd["remedy"],
            )
    except ValidationError as exc:
        apply_errors(form, exc)
        return _page(request, case, reject=form, status=400)
    except CaseConflict as exc:
        return conflict(request, exc, case.pk)
    messages.success(request, _("已作出不予受理决定，已出具不予受理决定书。"))
    return redirect("cases_staff:case", pk=case.pk)


# --- materials handed in at the window after receipt -------------------------------------------


def _back(case: Case, request: HttpRequest) -> HttpResponse:
    target = (
        "cases_staff:accept"
        if case.status == CaseStatus.SUBMITTED and request.POST.get("back") == "accept"
        else "cases_staff:case"
    )
    return redirect(target, pk=case.pk)


@require_POST
@require_roles(*CLERK_ROLES)
def material_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """A scan handed in at the counter: before acceptance, for a supplement notice, or a 容缺 material."""
    actor = actor_of(request)
    case = get_case_or_404(actor, pk)
    _window_for(request, case)
    form = MaterialUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "；".join(str(e) for errors in form.errors.values() for e in errors))
        return _back(case, request)
    try:
        intake.case_material_upload(
            actor=actor,
            case_id=case.pk,
            material_id=form.cleaned_data["material"],
            upload=form.cleaned_data["file"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except CaseConflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已上传“%(name)s”。") % {"name": form.cleaned_data["file"].name})
    return _back(case, request)


@require_POST
@require_roles(*CLERK_ROLES)
def supplement_received(request: HttpRequest, pk: int) -> HttpResponse:
    """补正材料收齐 (a walk-in brought the listed materials): back to 待受理."""
    actor = actor_of(request)
    case = get_case_or_404(actor, pk)
    _window_for(request, case)
    try:
        acceptance.case_supplement_submit(actor=actor, case_id=case.pk)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("cases_staff:case", pk=case.pk)
    except CaseConflict as exc:
        return conflict(request, exc, case.pk)
    messages.success(request, _("补正材料已收齐，请重新核验并作出受理决定。"))
    return redirect("cases_staff:accept", pk=case.pk)


@require_POST
@require_roles(*CLERK_ROLES)
def deficiency_supplied(request: HttpRequest, pk: int) -> HttpResponse:
    """容缺材料已补齐."""
    actor = actor_of(request)
    case = get_case_or_404(actor, pk)
    _window_for(request, case)
    try:
        acceptance.case_deficiency_supplied(actor=actor, case_id=case.pk)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    except CaseConflict as exc:
        return conflict(request, exc, case.pk)
    else:
        messages.success(request, _("容缺材料已补齐。"))
    return redirect("cases_staff:case", pk=case.pk)
