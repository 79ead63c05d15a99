"""我的办件: the list, a case's page, the receipt, supplement (补正) and withdrawal (撤回)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from ...forms_portal import WithdrawForm, files_for, upload_accept, upload_limit_label, upload_types_label
from ...models import BundleCase, Case, CaseStatus
from ...selectors import applicant as selectors
from ...services import acceptance, intake
from ...services._base import CaseConflict
from .common import actor_of, error_dict, portal_render, require_applicant

PAGE_SIZE = 20


def progress_url(number: str, code: str) -> str:
    return reverse("cases_portal:progress") + "?" + urlencode({"number": number, "code": code})


def upload_context() -> dict[str, Any]:
    return {
        "accept": upload_accept(),
        "types_label": upload_types_label(),
        "limit_label": upload_limit_label(),
    }


@require_GET
@require_applicant
def mine(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    tab = request.GET.get("tab", "")
    if tab not in selectors.LIST_FILTERS:
        tab = ""
    page = Paginator(selectors.my_cases(actor, tab=tab), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "case": case,
            "badge": selectors.status_badge(case.status),
            "needs_supplement": bool(getattr(case, "open_supplements", []))
            and case.status == CaseStatus.SUPPLEMENT,
        }
        for case in page.object_list
    ]
    show_drafts = not tab and page.number == 1
    tabs = [{"key": "", "label": _("全部"), "current": not tab}] + [
        {"key": key, "label": str(label), "current": key == tab}
        for key, (label, _statuses) in selectors.LIST_FILTERS.items()
    ]
    return portal_render(
        request,
        "mine.html",
        {
            "page": page,
            "rows": rows,
            "tab": tab,
            "tabs": tabs,
            "drafts": list(selectors.my_drafts(actor)) if show_drafts else [],
            "bundle_drafts": list(selectors.my_bundle_drafts(actor)) if show_drafts else [],
        },
    )


def _detail_or_404(request: HttpRequest, case_id: int) -> selectors.CaseDetail:
    try:
        return selectors.case_detail(actor_of(request), case_id)
    except Case.DoesNotExist:
        raise Http404(_("没有找到这个办件。")) from None


@require_GET
@require_applicant
def detail(request: HttpRequest, case_id: int) -> HttpResponse:
    detail = _detail_or_404(request, case_id)
    case = detail.case
    return portal_render(
        request,
        "detail.html",
        {
            "d": detail,
            "case": case,
            "badge": selectors.status_badge(case.status),
            "progress_url": progress_url(case.number, case.query_code),
        },
    )


@require_GET
@require_applicant
def receipt(request: HttpRequest, case_id: int) -> HttpResponse:
    try:
        case = selectors.my_case(actor_of(request), case_id)
    except Case.DoesNotExist:
        raise Http404(_("没有找到这个办件。")) from None
    if case.status == CaseStatus.DRAFT:
        return redirect("cases_portal:draft", case_id=case.pk)
    return portal_render(
        request,
        "receipt.html",
        {"case": case, "cases": [case], "progress_url": progress_url(case.number, case.query_code)},
    )


@require_GET
@require_applicant
def bundle_receipt(request: HttpRequest, bundle_case_id: int) -> HttpResponse:
    try:
        bundle_case = selectors.my_bundle_case(actor_of(request), bundle_case_id)
    except BundleCase.DoesNotExist:
        raise Http404(_("没有找到这个申请。")) from None
    if not bundle_case.number:
        return redirect("cases_portal:bundle_draft", bundle_case_id=bundle_case.pk)
    cases = list(bundle_case.cases.all())
    return portal_render(
        request,
        "receipt.html",
        {
            "bundle_case": bundle_case,
            "cases": cases,
            "case": cases[0] if cases else None,
            "progress_urls": {c.pk: progress_url(c.number, c.query_code) for c in cases},
        },
    )


@dataclass(frozen=True)
class UploadPage:
    """补正 (materials listed in the open supplement notice) or 容缺后补 (deferred materials)."""

    url_name: str
    unavailable: str | Promise
    uploaded: str | Promise
    submitted: str | Promise

    def rows(self, detail: selectors.CaseDetail) -> list[selectors.MaterialRow]:
        return detail.supplement_materials if self.url_name == "supplement" else detail.deferred_materials

    def available(self, detail: selectors.CaseDetail) -> bool:
        return detail.can_supplement if self.url_name == "supplement" else detail.can_supply_deferred

    def submit(self, *, actor: Any, case_id: int) -> Any:
        if self.url_name == "supplement":
            return acceptance.case_supplement_submit(actor=actor, case_id=case_id)
        return acceptance.case_deficiency_supplied(actor=actor, case_id=case_id)


SUPPLEMENT = UploadPage(
    "supplement",
    unavailable=gettext_lazy("该办件当前没有需要补正的材料。"),
    uploaded=gettext_lazy("材料已上传。全部补正材料上传后，请点击“提交补正材料”。"),
    submitted=gettext_lazy("补正材料已提交，请等待窗口工作人员审核。"),
)
DEFERRED = UploadPage(
    "deferred",
    unavailable=gettext_lazy("该办件没有待补齐的容缺材料。"),
    uploaded=gettext_lazy("材料已上传。全部容缺材料上传后，请点击“确认已补齐”。"),
    submitted=gettext_lazy("容缺材料已补齐。"),
)


def _upload_page(request: HttpRequest, case_id: int, page: UploadPage) -> HttpResponse:
    actor = actor_of(request)
    detail = _detail_or_404(request, case_id)
    case = detail.case
    if not page.available(detail):
        messages.info(request, str(page.unavailable))
        return redirect("cases_portal:detail", case_id=case.pk)
    material_errors: dict[int, list[str]] = {}
    general_errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            for row in page.rows(detail):
                for upload in files_for(request.FILES, f"material-{row.material.pk}"):
                    try:
                        intake.case_material_upload(
                            actor=actor, case_id=case.pk, material_id=row.material.pk, upload=upload
                        )
                    except ValidationError as exc:
                        material_errors.setdefault(row.material.pk, []).extend(_flat(exc))
            if not material_errors and action == "submit":
                try:
                    page.submit(actor=actor, case_id=case.pk)
                except ValidationError as exc:
                    for key, msgs in error_dict(exc).items():
                        material_id = _material_key(key)
                        if material_id is not None:
                            material_errors.setdefault(material_id, []).extend(msgs)
                        else:
                            general_errors.extend(msgs)
                else:
                    messages.success(request, str(page.submitted))
                    return redirect("cases_portal:detail", case_id=case.pk)
        except CaseConflict as exc:
            messages.error(request, exc.message)
            return redirect("cases_portal:detail", case_id=case.pk)
        if not material_errors and not general_errors:
            messages.success(request, str(page.uploaded))
            return redirect(f"cases_portal:{page.url_name}", case_id=case.pk)
        detail = _detail_or_404(request, case_id)  # show the files that did get stored
    supplement_obj = detail.supplement if page is SUPPLEMENT else None
    reasons = selectors.supplement_reasons(supplement_obj) if supplement_obj else {}
    rows = []
    for row in page.rows(detail):
        if supplement_obj is not None:
            new_files = [f for f in row.files if f.round == supplement_obj.round]
        else:
            accepted_at = case.accepted_at
            new_files = [f for f in row.files if accepted_at is not None and f.uploaded_at >= accepted_at]
        rows.append(
            {
                "material": row.material,
                "reason": reasons.get(row.material.pk, ""),
                "files": row.files,
                "new_files": new_files,
                "errors": material_errors.get(row.material.pk, []),
            }
        )
    status = 400 if (material_errors or general_errors) else 200
    return portal_render(
        request,
        "supplement.html",
        {
            "d": detail,
            "case": case,
            "mode": page.url_name,
            "supplement": supplement_obj,
            "rows": rows,
            "general_errors": general_errors,
            "has_errors": bool(material_errors or general_errors),
            **upload_context(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@require_applicant
def supplement(request: HttpRequest, case_id: int) -> HttpResponse:
    """补正: only the materials listed in the open supplement notice get an upload control."""
    return _upload_page(request, case_id, SUPPLEMENT)


@require_http_methods(["GET", "POST"])
@require_applicant
def deferred(request: HttpRequest, case_id: int) -> HttpResponse:
    """容缺后补: the materials the window let the applicant supply later, before the promised date."""
    return _upload_page(request, case_id, DEFERRED)


@require_http_methods(["GET", "POST"])
@require_applicant
def withdraw(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_of(request)
    try:
        case = selectors.my_case(actor, case_id)
    except Case.DoesNotExist:
        raise Http404(_("没有找到这个办件。")) from None
    if case.status not in selectors.WITHDRAWABLE:
        messages.info(
            request, _("办件当前状态为“%(status)s”，不能撤回。") % {"status": case.get_status_display()}
        )
        return redirect("cases_portal:detail", case_id=case.pk)
    form = WithdrawForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                intake.case_withdraw(actor=actor, case_id=case.pk, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                for msgs in error_dict(exc).values():
                    for message in msgs:
                        form.add_error(None, message)
            except CaseConflict as exc:
                messages.error(request, exc.message)
                return redirect("cases_portal:detail", case_id=case.pk)
            else:
                messages.success(request, _("申请已撤回。"))
                return redirect("cases_portal:detail", case_id=case.pk)
        status = 400
    return portal_render(request, "withdraw.html", {"case": case, "form": form}, status=status)


def _flat(exc: ValidationError) -> list[str]:
    return [m for msgs in error_dict(exc).values() for m in msgs]


def _material_key(key: str) -> int | None:
    """A service error key naming one material ("material-12", "material_12", "materials.12", "12")."""
    digits = "".join(ch for ch in key if ch.isdigit())
    if digits and (key.startswith("material") or key.isdigit()):
        return int(digits)
    return None
