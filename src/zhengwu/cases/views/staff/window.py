"""窗口: the queue of new cases for the clerk's windows, and 接件 for walk-ins.

接件 in three short pages, the way a counter works:
1. choose the window and the item (search by name or code among the items the window covers);
2. the applicant (found by ID number / USCC among earlier applications, or typed in, checksums
   validated) → a draft received at this window (case_draft_create, channel "window");
3. the application form (rendered from the version's FormFields, the same form as online), a scan
   per material (case_material_upload), then submit (case_submit) → the acceptance page.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengwu.core.access.decorators import require_roles
from zhengwu.core.audit.masking import mask_id_number
from zhengwu.core.audit.services import audit_pii_read

from ...forms_staff import (
    ApplicantForm,
    CaseDataForm,
    ItemSearchForm,
    LookupForm,
    MaterialUploadForm,
    apply_errors,
)
from ...models import Case, CaseStatus
from ...selectors import staff as selectors
from ...services import intake
from ...services._base import CaseConflict
from .common import CLERK_ROLES, actor_of, page_of, query_without_page, staff_render, today

WINDOW_KEY = "cases_staff_window"
# intake's error keys for window applicant data → the fields of ApplicantForm
APPLICANT_ERRORS = {
    "applicant_kind": "kind",
    "applicant_name": "name",
    "applicant_id_number": "id_number",
    "applicant_phone": "phone",
    "applicant_address": "address",
    "contact_name": "contact_name",
}


def _windows_or_404(request: HttpRequest) -> list[selectors.WindowInfo]:
    windows = selectors.clerk_windows(actor_of(request))
    if not windows:
        raise Http404
    return windows


def _chosen_window(windows: list[selectors.WindowInfo], raw: Any) -> selectors.WindowInfo:
    try:
        wanted = int(raw)
    except (TypeError, ValueError):
        return windows[0]
    return next((w for w in windows if w.id == wanted), windows[0])


@require_GET
@require_roles(*CLERK_ROLES)
def queue(request: HttpRequest) -> HttpResponse:
    """新收件: submitted cases the clerk's windows cover — green channel first, then the oldest."""
    actor = actor_of(request)
    windows = selectors.clerk_windows(actor)
    tab = request.GET.get("tab") if request.GET.get("tab") in ("supplement", "drafts") else "new"
    day = today()
    if tab == "drafts":
        qs = selectors.window_drafts(actor, windows)
    else:
        status = CaseStatus.SUPPLEMENT if tab == "supplement" else CaseStatus.SUBMITTED
        qs = selectors.window_queue(actor, windows, status=status)
    page = page_of(request, qs)
    return staff_render(
        request,
        "cases/staff/window_queue.html",
        {
            "windows": windows,
            "tab": tab,
            "page": page,
            "rows": selectors.queue_rows(page.object_list, day),
            "query": query_without_page(request),
            "today": day,
        },
    )


@require_GET
@require_roles(*CLERK_ROLES)
def intake_item(request: HttpRequest) -> HttpResponse:
    """接件 1/3: the window and the item."""
    windows = _windows_or_404(request)
    form = ItemSearchForm(request.GET or None, windows=[(w.id, w.label) for w in windows])
    cleaned = form.cleaned_data if form.is_valid() else {}
    window = _chosen_window(windows, cleaned.get("window") or request.session.get(WINDOW_KEY))
    request.session[WINDOW_KEY] = window.id  # the counter the clerk sits at today
    keyword = (cleaned.get("q") or "").strip()
    page = page_of(request, selectors.window_items(window, keyword))
    return staff_render(
        request,
        "cases/staff/intake_item.html",
        {
            "form": form,
            "window": window,
            "page": page,
            "query": query_without_page(request),
            "keyword": keyword,
        },
    )


@require_http_methods(["GET", "POST"])
@require_roles(*CLERK_ROLES)
def intake_applicant(request: HttpRequest, item_id: int) -> HttpResponse:
    """接件 2/3: who applies → a draft received at this window."""
    actor = actor_of(request)
    windows = _windows_or_404(request)
    window = _chosen_window(windows, request.POST.get("window") or request.GET.get("window"))
    item = selectors.window_item(window, item_id)
    if item is None:
        raise Http404
    form = ApplicantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            case = intake.case_draft_create(
                actor=actor,
                item_id=item.pk,
                channel="window",
                window_id=window.id,
                green_channel=cd["green_channel"],
                applicant=intake.ApplicantData(
                    kind=cd["kind"],
                    name=cd["name"],
                    id_number=cd["id_number"],
                    phone=cd["phone"],
                    address=cd.get("address") or "",
                    contact_name=cd.get("contact_name") or "",
                ),
            )
        except ValidationError as exc:
            apply_errors(form, exc, aliases=APPLICANT_ERRORS)
        else:
            messages.success(request, _("已登记申请人，请填写申请表并扫描上传材料。"))
            return redirect("cases_staff:intake_draft", pk=case.pk)
    return staff_render(
        request,
        "cases/staff/intake_applicant.html",
        {"form": form, "item": item, "window": window, "windows": windows},
        status=400 if form.errors else 200,
    )


@require_GET
@require_roles(*CLERK_ROLES)
def applicant_lookup(request: HttpRequest) -> HttpResponse:
    """Find an applicant by ID number / USCC among earlier applications in scope (JSON, masked phone)."""
    form = LookupForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"found": False, "errors": form.errors.get_json_data()}, status=400)
    actor = actor_of(request)
    data = selectors.applicant_lookup(actor, form.cleaned_data["id_number"].strip().upper())
    if data is None:
        return JsonResponse({"found": False})
    # The clerk typed the ID number; phone and address come back in full: a PII read.
    audit_pii_read(
        actor=actor,
        obj_type="cases.case",
        obj_id=data.pop("case_id"),
        fields=["applicant_phone", "applicant_address"],
        purpose=_("窗口接件带出申请人信息"),
    )
    return JsonResponse({"found": True, "applicant": data})


def _draft_or_404(request: HttpRequest, pk: int) -> tuple[Case, list[selectors.WindowInfo]]:
    actor = actor_of(request)
    windows = _windows_or_404(request)
    case = selectors.window_drafts(actor, windows).filter(pk=pk).select_related("item_version").first()
    if case is None:
        raise Http404
    return case, windows


def _draft_page(
    request: HttpRequest,
    case: Case,
    *,
    data_form: CaseDataForm | None = None,
    upload_form: MaterialUploadForm | None = None,
    upload_material: int | None = None,
    material_errors: dict[int, list[str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    detail = selectors.draft_detail(case)
    data_form = data_form or CaseDataForm(form_fields=detail.form_fields, initial=case.form_data)
    return staff_render(
        request,
        "cases/staff/intake_draft.html",
        {
            "case": case,
            "detail": detail,
            "data_form": data_form,
            "upload_form": upload_form,
            "upload_material": upload_material,
            "material_errors": material_errors or {},
            "idempotency_key": uuid.uuid4().hex,
            "masked_id": mask_id_number(case.applicant_id_number),
        },
        status=status,
    )


def _material_errors(exc: ValidationError) -> dict[int, list[str]]:
    """Submission errors keyed "material_<id>" (a required material has no file), by material id."""
    if not hasattr(exc, "error_dict"):
        return {}
    out = {}
    for key, messages_ in exc.message_dict.items():
        if key.startswith("material_") and key[len("material_") :].isdigit():
            out[int(key[len("material_") :])] = list(messages_)
    return out


@require_http_methods(["GET", "POST"])
@require_roles(*CLERK_ROLES)
def intake_draft(request: HttpRequest, pk: int) -> HttpResponse:
    """接件 3/3: the form (暂存 or 提交), with the materials' scans listed beside it."""
    actor = actor_of(request)
    case, _windows = _draft_or_404(request, pk)
    if request.method == "GET":
        return _draft_page(request, case)
    detail = selectors.draft_detail(case)
    form = CaseDataForm(request.POST, form_fields=detail.form_fields)
    if not form.is_valid():
        return _draft_page(request, case, data_form=form, status=400)
    try:
        case = intake.case_draft_update(actor=actor, case_id=case.pk, form_data=form.form_data())
        if "submit" in request.POST:
            case = intake.case_submit(
                actor=actor, case_id=case.pk, idempotency_key=request.POST.get("idempotency_key", "")
            )
    except ValidationError as exc:
        material_errors = _material_errors(exc)
        apply_errors(form, exc, aliases={f"material_{pk}": "__material__" for pk in material_errors})
        return _draft_page(request, case, data_form=form, material_errors=material_errors, status=400)
    except CaseConflict as exc:
        messages.error(request, exc.message)
        return redirect("cases_staff:window")
    if "submit" in request.POST:
        messages.success(
            request, _("已收件，办件编号 %(number)s。请核验材料并作出受理决定。") % {"number": case.number}
        )
        return redirect("cases_staff:accept", pk=case.pk)
    messages.success(request, _("已暂存。"))
    return redirect("cases_staff:intake_draft", pk=case.pk)


@require_POST
@require_roles(*CLERK_ROLES)
def intake_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """扫描上传: one file for one material."""
    actor = actor_of(request)
    case, _windows = _draft_or_404(request, pk)
    form = MaterialUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            intake.case_material_upload(
                actor=actor,
                case_id=case.pk,
                material_id=form.cleaned_data["material"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            apply_errors(form, exc, aliases={"upload": "file", "material_id": "material"})
        except CaseConflict as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已上传“%(name)s”。") % {"name": form.cleaned_data["file"].name})
            return redirect(reverse("cases_staff:intake_draft", kwargs={"pk": case.pk}) + "#materials")
    material = form.cleaned_data.get("material") if hasattr(form, "cleaned_data") else None
    return _draft_page(request, case, upload_form=form, upload_material=material, status=400)


@require_POST
@require_roles(*CLERK_ROLES)
def intake_remove_file(request: HttpRequest, pk: int, file_pk: int) -> HttpResponse:
    actor = actor_of(request)
    case, _windows = _draft_or_404(request, pk)
    try:
        intake.case_file_remove(actor=actor, case_id=case.pk, case_file_id=file_pk)
    except (ValidationError, CaseConflict) as exc:
        message = exc.message if isinstance(exc, CaseConflict) else "；".join(exc.messages)
        messages.error(request, message)
    else:
        messages.success(request, _("已删除该文件。"))
    return redirect(reverse("cases_staff:intake_draft", kwargs={"pk": case.pk}) + "#materials")
