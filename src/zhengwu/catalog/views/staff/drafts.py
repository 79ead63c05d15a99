"""The draft editor: the version's elements, its materials, form fields and steps, and the checker.

Each part is a formset posted whole to its *_set service. Uploads are stored before the form is
checked and their ids ride along in hidden fields, so a refused file shows its message next to its
field and nothing else typed on the page is lost.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengwu.core.access.decorators import require_roles
from zhengwu.core.access.roles import Role
from zhengwu.core.files.services import file_store
from zhengwu.org import selectors as org_selectors

from ... import services
from ...checker import Finding, check_version
from ...forms import (
    REVIEW_ASPECTS,
    FeeFormSet,
    FormFieldForm,
    MaterialForm,
    StepForm,
    VersionForm,
    WithdrawForm,
    apply_errors,
    apply_formset_errors,
    form_field_initial,
    kept_rows,
    material_initial,
    part_initial,
    version_initial,
)
from ...models import ItemVersion
from ...models.choices import Channel, ReviewVerdict, VersionStatus
from ...selectors import staff as selectors
from .common import CATALOG_ROLES, DRAFTER_ROLES, actor_of, catalog_render

TABS = (
    ("draft", "要素"),
    ("draft_materials", "申请材料"),
    ("draft_fields", "申请表单"),
    ("draft_steps", "办理环节"),
)


PART_TABS = {"materials": "draft_materials", "form_fields": "draft_fields", "steps": "draft_steps"}


def _field_labels() -> dict[str, str]:
    return {f.name: str(f.verbose_name) for f in ItemVersion._meta.concrete_fields} | {
        "materials": _("申请材料"),
        "form_fields": _("申请表单"),
        "steps": _("办理环节"),
    }


def finding_rows(version: ItemVersion, findings: list[Finding] | None = None) -> dict[str, Any]:
    """The checker's findings with the field's label and a link to where it is edited."""
    findings = check_version(version) if findings is None else findings
    labels = _field_labels()
    rows = []
    for f in findings:
        if f.field in PART_TABS:
            href = reverse(f"catalog_staff:{PART_TABS[f.field]}", args=[version.pk])
        elif f.field:
            href = reverse("catalog_staff:draft", args=[version.pk]) + f"#id_{f.field}"
        else:
            href = ""
        rows.append(
            {
                "code": f.code,
                "severity": f.severity,
                "message": f.message,
                "field": f.field,
                "label": labels.get(f.field, ""),
                "href": href,
            }
        )
    errors = [r for r in rows if r["severity"] == "error"]
    warnings = [r for r in rows if r["severity"] != "error"]
    return {"findings": rows, "errors": errors, "warnings": warnings}


def version_display(version: ItemVersion) -> dict[str, Any]:
    """Display values the read-only view needs that are not on the row itself."""
    names = (
        org_selectors.service_point_names(version.service_point_ids or [])
        if version.service_point_ids
        else {}
    )
    return {
        "channel_labels": [str(Channel(c).label) for c in version.channels or [] if c in Channel.values],
        "point_names": [names.get(pk, str(pk)) for pk in version.service_point_ids or []],
        "step_rows": [
            {"step": s, "role": str(Role(s.role).label) if s.role in Role.values else s.role}
            for s in version.steps.all()
        ],
    }


def _editor(
    request: HttpRequest, version: ItemVersion, tab: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    actor = actor_of(request)
    can_act = actor.has_role(*DRAFTER_ROLES)
    reviews = list(selectors.reviews_of(version)[:1])
    for record in reviews:
        record.decision_rows = [  # type: ignore[attr-defined]
            {
                "label": label,
                "verdict": str(ReviewVerdict(d.get("verdict")).label)
                if d.get("verdict") in ReviewVerdict.values
                else "",
                "comment": d.get("comment", ""),
            }
            for key, label in REVIEW_ASPECTS
            if (d := (record.decisions or {}).get(key)) is not None
        ]
    context.update(
        version=version,
        item=version.item,
        tab=tab,
        tabs=[(name, _(label)) for name, label in TABS],
        check=finding_rows(version),
        editable=version.is_editable and can_act,
        can_act=can_act,
        withdrawable=version.status in WITHDRAWABLE,
        withdraw_form=context.get("withdraw_form") or WithdrawForm(),
        reviews=reviews,
        **version_display(version),
    )
    template = "catalog/staff/draft.html" if tab == "draft" else f"catalog/staff/{tab}.html"
    return catalog_render(request, template, context, status=status)


def _extra(request: HttpRequest, rows: int) -> int:
    """Blank rows under the list: one, or more on request (?add=3), or three for an empty list."""
    try:
        wanted = int(request.GET.get("add", 0))
    except ValueError:
        wanted = 0
    return max(1, min(wanted, 20)) if wanted else (1 if rows else 3)


def _store(request: HttpRequest, name: str, purpose: str) -> tuple[str | None, list[str]]:
    """Store the upload called `name`, if any: (file id, messages)."""
    upload = request.FILES.get(name)
    if upload is None:
        return None, []
    try:
        stored = file_store(actor=actor_of(request), upload=upload, purpose=purpose)
    except ValidationError as exc:
        return None, exc.messages
    return str(stored.pk), []


def _not_editable(request: HttpRequest, version: ItemVersion) -> HttpResponse:
    messages.error(request, _("只有草稿或已退回的版本可以修改。"))
    return redirect("catalog_staff:draft", pk=version.pk)


def _service_points(actor: Any) -> list[tuple[int, str]]:
    return [(p.pk, p.name) for p in org_selectors.service_points_for(actor)]


# --- elements -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_roles(*CATALOG_ROLES)
def draft(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    version = selectors.version_for(actor, pk)
    points = _service_points(actor)
    if request.method == "GET":
        form = VersionForm(initial=version_initial(version), service_points=points)
        fees = FeeFormSet(initial=list(version.fees or []), prefix="fees")
        return _editor(request, version, "draft", {"form": form, "fees": fees})
    if not version.is_editable:
        return _not_editable(request, version)
    data: QueryDict = request.POST.copy()
    file_id, upload_errors = _store(request, "result_sample", "catalog_sample")
    if file_id:
        data["result_sample_file_id"] = file_id
    form = VersionForm(data, service_points=points)
    fees = FeeFormSet(data, prefix="fees")
    if form.is_valid() and fees.is_valid() and not upload_errors:
        fields = form.version_fields()
        fields["fees"] = [f.as_dict() for f in kept_rows(fees)]
        try:
            services.version_update(actor=actor, version_id=version.pk, **fields)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(reverse("catalog_staff:draft", args=[version.pk]) + "#checks")
    for message in upload_errors:
        form.add_error("result_sample", message)
    version.refresh_from_db()
    return _editor(request, version, "draft", {"form": form, "fees": fees}, status=400)


# --- parts ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_roles(*CATALOG_ROLES)
def draft_materials(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    version = selectors.version_for(actor, pk)
    if request.method == "GET":
        materials = list(version.materials.all())
        formset = _formset(MaterialForm, _extra(request, len(materials)))(
            initial=material_initial(materials), prefix="materials"
        )
        return _editor(request, version, "draft_materials", {"formset": formset})
    if not version.is_editable:
        return _not_editable(request, version)
    data = request.POST.copy()
    upload_errors: dict[tuple[int, str], list[str]] = {}
    total = _total_forms(data, "materials")
    for i in range(total):
        for upload, target, purpose in (
            ("blank_form", "blank_form_file_id", "catalog_form"),
            ("sample", "sample_file_id", "catalog_sample"),
        ):
            file_id, errors = _store(request, f"materials-{i}-{upload}", purpose)
            if file_id:
                data[f"materials-{i}-{target}"] = file_id
            if errors:
                upload_errors[(i, upload)] = errors
    formset = _formset(MaterialForm)(data, prefix="materials")
    if formset.is_valid() and not upload_errors:
        rows = kept_rows(formset)
        try:
            services.material_set(actor=actor, version_id=version.pk, materials=[f.row() for f in rows])
        except ValidationError as exc:
            apply_formset_errors(formset, exc, rows)
        else:
            messages.success(request, _("申请材料已保存。"))
            return redirect(reverse("catalog_staff:draft_materials", args=[version.pk]) + "#checks")
    for (i, upload), errors in upload_errors.items():
        for message in errors:
            formset.forms[i].add_error(upload, message)
    return _editor(request, version, "draft_materials", {"formset": formset}, status=400)


def _formset(form: type[forms.Form], extra: int = 0) -> type[forms.BaseFormSet]:
    return forms.formset_factory(form, extra=extra, can_delete=True, max_num=200, absolute_max=200)


def _total_forms(data: QueryDict, prefix: str) -> int:
    try:
        return max(0, min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), 1000))
    except ValueError:
        return 0


@require_http_methods(["GET", "POST"])
@require_roles(*CATALOG_ROLES)
def draft_fields(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    version = selectors.version_for(actor, pk)
    if request.method == "GET":
        initial = [form_field_initial(f) for f in version.form_fields.all()]
        formset = _formset(FormFieldForm, _extra(request, len(initial)))(initial=initial, prefix="fields")
        return _editor(request, version, "draft_fields", {"formset": formset})
    if not version.is_editable:
        return _not_editable(request, version)
    formset = _formset(FormFieldForm)(request.POST, prefix="fields")
    if formset.is_valid():
        rows = kept_rows(formset)
        try:
            services.form_fields_set(actor=actor, version_id=version.pk, fields=[f.row() for f in rows])
        except ValidationError as exc:
            apply_formset_errors(formset, exc, rows)
        else:
            messages.success(request, _("申请表单已保存。"))
            return redirect(reverse("catalog_staff:draft_fields", args=[version.pk]) + "#checks")
    return _editor(request, version, "draft_fields", {"formset": formset}, status=400)


@require_http_methods(["GET", "POST"])
@require_roles(*CATALOG_ROLES)
def draft_steps(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    version = selectors.version_for(actor, pk)
    if request.method == "GET":
        initial = part_initial(version.steps.all(), StepForm.names)
        formset = _formset(StepForm, _extra(request, len(initial)))(initial=initial, prefix="steps")
        return _editor(request, version, "draft_steps", {"formset": formset})
    if not version.is_editable:
        return _not_editable(request, version)
    formset = _formset(StepForm)(request.POST, prefix="steps")
    if formset.is_valid():
        rows = kept_rows(formset)
        try:
            services.steps_set(actor=actor, version_id=version.pk, steps=[f.row() for f in rows])
        except ValidationError as exc:
            apply_formset_errors(formset, exc, rows)
        else:
            messages.success(request, _("办理环节已保存。"))
            return redirect(reverse("catalog_staff:draft_steps", args=[version.pk]) + "#checks")
    return _editor(request, version, "draft_steps", {"formset": formset}, status=400)


# --- checker, submit, withdraw --------------------------------------------------------------


@require_GET
@require_roles(*CATALOG_ROLES)
def draft_checks(request: HttpRequest, pk: int) -> HttpResponse:
    """The checker panel alone (htmx refresh); without htmx it is a small page of its own."""
    version = selectors.version_for(actor_of(request), pk)
    context = {"version": version, "check": finding_rows(version)}
    if getattr(request, "htmx", False):
        return catalog_render(request, "catalog/staff/_checks.html", context)
    return catalog_render(request, "catalog/staff/checks_page.html", context)


@require_POST
@require_roles(*DRAFTER_ROLES)
def draft_submit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    version = selectors.version_for(actor, pk)
    try:
        services.version_submit(actor=actor, version_id=version.pk)
    except ValidationError as exc:
        labels = _field_labels()
        problems = []
        for name, msgs in exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]:
            label = labels.get(name, "")
            problems += [f"{label}：{m}" if label else m for m in msgs]
        context = {**_elements_context(actor, version), "submit_errors": problems}
        return _editor(request, version, "draft", context, status=400)
    messages.success(request, _("已提交审改部门审核。"))
    return redirect("catalog_staff:item", pk=version.item_id)


@require_POST
@require_roles(*DRAFTER_ROLES)
def draft_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    version = selectors.version_for(actor, pk)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.version_withdraw(actor=actor, version_id=version.pk, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已撤回。"))
            return redirect("catalog_staff:item", pk=version.item_id)
    context = {**_elements_context(actor, version), "withdraw_form": form, "withdraw_open": True}
    return _editor(request, version, "draft", context, status=400)


def _elements_context(actor: Any, version: ItemVersion) -> dict[str, Any]:
    return {
        "form": VersionForm(initial=version_initial(version), service_points=_service_points(actor)),
        "fees": FeeFormSet(initial=list(version.fees or []), prefix="fees"),
    }


WITHDRAWABLE = (VersionStatus.DRAFT, VersionStatus.RETURNED, VersionStatus.SUBMITTED)
