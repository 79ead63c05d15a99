"""在线申请: start from an item or a bundle guide, fill the form, upload materials, 暂存 or 提交.

Every POST on a draft does the same, in this order, so nothing the applicant gave is lost:
1. store every chosen file (a refused file gets its message next to its control; the others stay);
2. save the valid form values (a value with a type error keeps its previous saved value, and the
   page shows what was typed with the message);
3. "提交" only: submit with the page's one-time token. The service is idempotent on the draft, so
   a double click (the second request finds the case already submitted) just shows the receipt.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from zhengwu.catalog.selectors import for_cases as catalog
from zhengwu.org import selectors as org_selectors

from ...forms_portal import ApplicationForm, BundleStartForm, StartForm, apply_service_errors, files_for
from ...models import BundleCase, Case, CaseStatus, IntakeChannel
from ...selectors import applicant as selectors
from ...services import intake
from ...services._base import CaseConflict
from .common import actor_of, error_dict, portal_render, require_applicant
from .mine import upload_context

PERSON, COMPANY, BOTH = "person", "company", "both"  # catalog Audience values


def applicant_options(request: HttpRequest, audience: str = BOTH) -> list[tuple[str, str]]:
    """Who the actor may apply as: themself (with a real-name profile) and the companies they act for."""
    actor = actor_of(request)
    options: list[tuple[str, str]] = []
    if audience != COMPANY and actor.user_id is not None:
        person = org_selectors.person_profile_for(actor, actor.user_id)
        if person is not None:
            options.append(("person", _("本人：%(name)s") % {"name": person.name}))
    if audience != PERSON:
        for company in org_selectors.companies_for(actor).order_by("name", "pk"):
            options.append((f"company:{company.pk}", _("企业：%(name)s") % {"name": company.name}))
    return options


# --- start ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_applicant
def apply_item(request: HttpRequest, item_id: int) -> HttpResponse:
    actor = actor_of(request)
    version = catalog.effective_version(item_id)
    if version is None:
        raise Http404(_("该事项暂不能在线申请。"))
    options = applicant_options(request, getattr(version.item, "audience", BOTH))
    form = StartForm(request.POST or None, options=options)
    status = 200
    if request.method == "POST" and options:
        if form.is_valid():
            try:
                case = intake.case_draft_create(
                    actor=actor, item_id=item_id, channel=IntakeChannel.ONLINE, applicant=form.applicant_arg()
                )
            except ValidationError as exc:
                for messages_ in error_dict(exc).values():
                    for message in messages_:
                        form.add_error(None, message)
            else:
                return redirect("cases_portal:draft", case_id=case.pk)
        status = 400
    drafts = list(selectors.my_drafts(actor).filter(item_id=item_id))
    return portal_render(
        request,
        "apply_start.html",
        {"version": version, "item": version.item, "form": form, "options": options, "drafts": drafts},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@require_applicant
def apply_bundle(request: HttpRequest, bundle_id: int) -> HttpResponse:
    actor = actor_of(request)
    found = catalog.bundle_for_intake(bundle_id)
    if found is None or not found.members:
        raise Http404(_("该“一件事”暂不能在线申请。"))
    options = applicant_options(request, getattr(found.bundle, "audience", BOTH))
    members = [(str(m.item_id), m.item_name, m.optional) for m in found.members]
    form = BundleStartForm(request.POST or None, options=options, members=members)
    status = 200
    if request.method == "POST" and options:
        if form.is_valid():
            try:
                bundle_case = intake.bundle_draft_create(
                    actor=actor,
                    bundle_id=bundle_id,
                    channel=IntakeChannel.ONLINE,
                    applicant=form.applicant_arg(),
                    item_ids=form.cleaned_data["items"],
                )
            except ValidationError as exc:
                for messages_ in error_dict(exc).values():
                    for message in messages_:
                        form.add_error(None, message)
            else:
                return redirect("cases_portal:bundle_draft", bundle_case_id=bundle_case.pk)
        status = 400
    drafts = list(selectors.my_bundle_drafts(actor).filter(bundle_id=bundle_id))
    return portal_render(
        request,
        "apply_start.html",
        {"bundle": found.bundle, "found": found, "form": form, "options": options, "bundle_drafts": drafts},
        status=status,
    )


# --- the draft ------------------------------------------------------------------------------


@dataclass
class MaterialSlot:
    """One upload control: a material of the draft (for a bundle, the same-named materials of all
    its cases share one control) with its guide details and the files attached so far."""

    key: str  # the name of the file input
    name: str
    required: bool
    materials: list[Any]  # CaseMaterial rows the upload goes to
    requirement: Any = None  # catalog MaterialRequirement / MergedMaterial (notes, blank form, sample)
    files: list[Any] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    item_names: list[str] = field(default_factory=list)
    files_case_id: int | None = None  # the case the listed files belong to (remove buttons)

    @property
    def material_ids(self) -> list[int]:
        return [m.pk for m in self.materials]


def _item_slots(case: Case, version: Any) -> list[MaterialSlot]:
    requirements = {r.pk: r for r in version.materials.all()} if version is not None else {}
    return [
        MaterialSlot(
            key=f"material-{m.pk}",
            name=m.name,
            required=m.required,
            materials=[m],
            requirement=requirements.get(m.requirement_id),
            files=list(getattr(m, "live_files", [])),
            files_case_id=case.pk,
        )
        for m in case.materials.all()
    ]


def _bundle_slots(bundle_case: BundleCase, found: Any) -> list[MaterialSlot]:
    merged = {m.name: m for m in found.materials} if found is not None else {}
    slots: dict[str, MaterialSlot] = {}
    for case in bundle_case.cases.all():
        for m in case.materials.all():
            slot = slots.get(m.name)
            if slot is None:
                slot = slots[m.name] = MaterialSlot(
                    key=f"material-{m.pk}",
                    name=m.name,
                    required=False,
                    materials=[],
                    requirement=merged.get(m.name),
                )
            slot.materials.append(m)
            slot.required = slot.required or m.required
            slot.item_names.append(case.item_name)
            if not slot.files:  # the same upload is attached to each; show it once
                slot.files = list(getattr(m, "live_files", []))
                slot.files_case_id = case.pk
    return list(slots.values())


def _store_uploads(request: HttpRequest, slots: Iterable[MaterialSlot]) -> bool:
    """Store every chosen file; a refused one gets its message on its slot. True if all went in."""
    actor = actor_of(request)
    ok = True
    for slot in slots:
        # In a bundle the service attaches the upload to the same-named materials of the other cases.
        material = slot.materials[0]
        for upload in files_for(request.FILES, slot.key):
            try:
                intake.case_material_upload(
                    actor=actor, case_id=material.case_id, material_id=material.pk, upload=upload
                )
            except ValidationError as exc:
                slot.errors.extend(m for msgs in error_dict(exc).values() for m in msgs)
                ok = False
    return ok


def _material_errors(slots: list[MaterialSlot], leftover: dict[str, list[str]]) -> list[str]:
    """Service errors about materials go on their slot; the rest is returned for the summary."""
    by_id = {material.pk: slot for slot in slots for material in slot.materials}
    general: list[str] = []
    for key, msgs in leftover.items():
        digits = key.removeprefix("material_")
        slot = by_id.get(int(digits)) if key.startswith("material_") and digits.isdigit() else None
        if slot is not None:
            slot.errors.extend(m for m in msgs if m not in slot.errors)
        else:
            general.extend(msgs)
    return general


def _render_draft(
    request: HttpRequest,
    *,
    template_context: dict[str, Any],
    form: ApplicationForm,
    slots: list[MaterialSlot],
    general_errors: list[str],
    status: int = 200,
) -> HttpResponse:
    slot_errors = [(slot, message) for slot in slots for message in slot.errors]
    return portal_render(
        request,
        "draft.html",
        {
            **template_context,
            "form": form,
            "slots": slots,
            "general_errors": general_errors,
            "slot_errors": slot_errors,
            "has_errors": bool(form.errors or slot_errors or general_errors),
            **upload_context(),
        },
        status=status,
    )


def _post(
    request: HttpRequest,
    *,
    form: ApplicationForm,
    slots: list[MaterialSlot],
    action: str,
    save: Callable[[dict[str, Any]], Any],
    submit: Callable[[str], Any],
    missing: Callable[[], dict[str, list[str]]],
) -> list[str] | None:
    """Uploads, then the form, then (提交) the submission. None once submitted; else the errors
    that belong to no field or material (field and material errors are put on the form and slots)."""
    uploads_ok = _store_uploads(request, slots)
    form.is_valid()
    general: list[str] = []
    try:
        save(form.form_values())
    except ValidationError as exc:
        general += _material_errors(slots, apply_service_errors(form, error_dict(exc)))
    if action != "submit":
        return general
    if uploads_ok and not form.errors and not general:
        try:
            submit(form.cleaned_data.get("submit_token") or "")
        except ValidationError as exc:
            general += _material_errors(slots, apply_service_errors(form, error_dict(exc)))
        else:
            return None
    else:
        # Tell about every missing material now too, not after the form is fixed.
        _material_errors(slots, missing())
    return general


def _missing_materials(actor: Any, case_id: int) -> dict[str, list[str]]:
    """Required materials still without a file ("material_<id>" → message), read only."""
    try:
        case = selectors.my_draft(actor, case_id)
    except Case.DoesNotExist:
        return {}
    version = catalog.version_with_parts(case.item_version_id)
    if version is None:
        return {}
    return {k: v for k, v in intake.submission_errors(case, version).items() if k.startswith("material_")}


def _new_token() -> str:
    return uuid.uuid4().hex


@require_http_methods(["GET", "POST"])
@require_applicant
def draft(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = actor_of(request)
    try:
        case = selectors.my_draft(actor, case_id)
    except Case.DoesNotExist:
        return _not_a_draft(request, case_id)
    if case.bundle_case_id:
        return redirect("cases_portal:bundle_draft", bundle_case_id=case.bundle_case_id)
    version = catalog.version_with_parts(case.item_version_id)
    specs = list(version.form_fields.all()) if version is not None else []
    slots = _item_slots(case, version)
    context = {"case": case, "bundle_case": None, "version": version, "title": case.item_name}
    if request.method == "GET":
        form = ApplicationForm(initial={**case.form_data, "submit_token": _new_token()}, specs=specs)
        return _render_draft(request, template_context=context, form=form, slots=slots, general_errors=[])

    action = "submit" if request.POST.get("action") == "submit" else "save"
    form = ApplicationForm(request.POST, specs=specs, require=action == "submit")
    try:
        outcome = _post(
            request,
            form=form,
            slots=slots,
            action=action,
            save=lambda values: intake.case_draft_update(
                actor=actor, case_id=case.pk, form_data={**case.form_data, **values}
            ),
            submit=lambda token: intake.case_submit(actor=actor, case_id=case.pk, idempotency_key=token),
            missing=lambda: _missing_materials(actor, case_id),
        )
    except CaseConflict as conflict:
        return _not_a_draft(request, case_id, conflict)
    if outcome is None:
        return redirect("cases_portal:receipt", case_id=case.pk)
    general = outcome
    if not general and not form.errors and not any(slot.errors for slot in slots):
        messages.success(request, _("已暂存。您可以随时在“我的办件”中继续填写。"))
        return redirect("cases_portal:draft", case_id=case.pk)
    # Re-read the draft so the files that did get stored are listed; keep what was typed.
    case = selectors.my_draft(actor, case_id)
    fresh = _item_slots(case, version)
    for slot, old in zip(fresh, slots, strict=False):
        slot.errors = old.errors
    context["case"] = case
    return _render_draft(
        request, template_context=context, form=form, slots=fresh, general_errors=general, status=400
    )


def _not_a_draft(request: HttpRequest, case_id: int, conflict: CaseConflict | None = None) -> HttpResponse:
    """The case is no longer a draft (submitted by a double click or in another tab), or not ours,
    or the submission was refused with a reason of its own (e.g. the day's numbers are used up)."""
    try:
        case = selectors.my_case(actor_of(request), case_id)
    except Case.DoesNotExist:
        raise Http404(_("没有找到这个申请。")) from None
    if case.status == CaseStatus.DRAFT:  # a conflict on a draft: reload it
        if conflict is not None and not conflict.stale:
            messages.error(request, conflict.message)
        else:
            messages.error(request, _("申请已在其他页面修改，请核对后重新提交。"))
        return redirect("cases_portal:draft", case_id=case.pk)
    if case.bundle_case_id and request.method == "POST":
        return redirect("cases_portal:bundle_receipt", bundle_case_id=case.bundle_case_id)
    return redirect("cases_portal:receipt", case_id=case.pk)


@require_POST
@require_applicant
def file_remove(request: HttpRequest, case_id: int, case_file_id: int) -> HttpResponse:
    actor = actor_of(request)
    try:
        case = selectors.my_draft(actor, case_id)
    except Case.DoesNotExist:
        raise Http404(_("没有找到这个申请。")) from None
    # In a bundle the same upload is attached to each case's same-named material: remove all of them.
    targets = _same_upload(actor, case, case_file_id)
    if not targets:
        raise Http404(_("没有找到这个文件。"))
    try:
        for target_case_id, target_file_id in targets:
            intake.case_file_remove(actor=actor, case_id=target_case_id, case_file_id=target_file_id)
    except (ValidationError, CaseConflict) as exc:
        message = (
            exc.message
            if isinstance(exc, CaseConflict)
            else "；".join(m for ms in error_dict(exc).values() for m in ms)
        )
        messages.error(request, message)
    else:
        messages.success(request, _("已删除该文件。"))
    if case.bundle_case_id:
        return redirect("cases_portal:bundle_draft", bundle_case_id=case.bundle_case_id)
    return redirect("cases_portal:draft", case_id=case.pk)


def _same_upload(actor: Any, case: Case, case_file_id: int) -> list[tuple[int, int]]:
    """(case id, case file id) of the file and, in a bundle draft, of its copies on sibling cases."""
    mine = None
    for material in case.materials.all():
        for f in getattr(material, "live_files", []):
            if f.pk == case_file_id:
                mine = (material, f)
    if mine is None:
        return []
    material, chosen = mine
    if not case.bundle_case_id:
        return [(case.pk, chosen.pk)]
    bundle_case = selectors.my_bundle_case(actor, case.bundle_case_id)
    targets = []
    for sibling in bundle_case.cases.all():
        for m in sibling.materials.all():
            if m.name != material.name:
                continue
            for f in getattr(m, "live_files", []):
                if f.file_id == chosen.file_id or (sibling.pk == case.pk and f.pk == chosen.pk):
                    targets.append((sibling.pk, f.pk))
    return targets


# --- the bundle draft -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require_applicant
def bundle_draft(request: HttpRequest, bundle_case_id: int) -> HttpResponse:
    actor = actor_of(request)
    try:
        bundle_case = selectors.my_bundle_case(actor, bundle_case_id)
    except BundleCase.DoesNotExist:
        raise Http404(_("没有找到这个申请。")) from None
    cases = list(bundle_case.cases.all())
    if bundle_case.number or not cases or any(c.status != CaseStatus.DRAFT for c in cases):
        return redirect("cases_portal:bundle_receipt", bundle_case_id=bundle_case.pk)
    found = catalog.bundle_for_intake(bundle_case.bundle_id)
    chosen_items = {c.item_id for c in cases}
    specs = [
        f for f in (found.form_fields if found else []) if not f.item_ids or set(f.item_ids) & chosen_items
    ]
    slots = _bundle_slots(bundle_case, found)
    context = {"bundle_case": bundle_case, "case": None, "cases": cases, "title": bundle_case.bundle.name}
    initial = {**bundle_case.form_data}
    for c in cases:
        for key, value in c.form_data.items():
            initial.setdefault(key, value)
    if request.method == "GET":
        form = ApplicationForm(initial={**initial, "submit_token": _new_token()}, specs=specs)
        return _render_draft(request, template_context=context, form=form, slots=slots, general_errors=[])

    action = "submit" if request.POST.get("action") == "submit" else "save"
    form = ApplicationForm(request.POST, specs=specs, require=action == "submit")
    try:
        outcome = _post(
            request,
            form=form,
            slots=slots,
            action=action,
            save=lambda values: intake.bundle_draft_update(
                actor=actor, bundle_case_id=bundle_case.pk, form_data={**initial, **values}
            ),
            submit=lambda token: intake.bundle_submit(actor=actor, bundle_case_id=bundle_case.pk),
            missing=lambda: {k: v for c in cases for k, v in _missing_materials(actor, c.pk).items()},
        )
    except CaseConflict as conflict:
        if conflict.stale:
            return redirect("cases_portal:bundle_receipt", bundle_case_id=bundle_case.pk)
        messages.error(request, conflict.message)  # refused with a reason of its own: still a draft
        return redirect("cases_portal:bundle_draft", bundle_case_id=bundle_case.pk)
    except (BundleCase.DoesNotExist, Case.DoesNotExist):
        return redirect("cases_portal:bundle_receipt", bundle_case_id=bundle_case.pk)
    if outcome is None:
        return redirect("cases_portal:bundle_receipt", bundle_case_id=bundle_case.pk)
    general = outcome
    if not general and not form.errors and not any(slot.errors for slot in slots):
        messages.success(request, _("已暂存。您可以随时在“我的办件”中继续填写。"))
        return redirect("cases_portal:bundle_draft", bundle_case_id=bundle_case.pk)
    bundle_case = selectors.my_bundle_case(actor, bundle_case_id)
    fresh = _bundle_slots(bundle_case, found)
    for slot, old in zip(fresh, slots, strict=False):
        slot.errors = old.errors
    context.update(bundle_case=bundle_case, cases=list(bundle_case.cases.all()))
    return _render_draft(
        request, template_context=context, form=form, slots=fresh, general_errors=general, status=400
    )
