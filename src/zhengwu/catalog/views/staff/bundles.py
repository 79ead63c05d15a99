"""一件事 bundles: list, create, edit and publish (the hall's managers maintain them)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengwu.core.access.decorators import require_roles
from zhengwu.core.access.roles import Role
from zhengwu.org import selectors as org_selectors

from ... import services
from ...forms import BundleForm, apply_errors
from ...models import Bundle
from ...selectors import staff as selectors
from .common import CATALOG_ROLES, actor_of, catalog_render, page_of

BUNDLE_WRITERS = (Role.HALL_MANAGER,)


def _form(
    request: HttpRequest, *, data: Any = None, initial: Any = None, editing: bool = False
) -> BundleForm:
    actor = actor_of(request)
    return BundleForm(
        data,
        initial=initial,
        departments=org_selectors.departments_for(actor),
        regions=org_selectors.regions_for(actor),
        items=selectors.bundle_item_choices(actor),
        editing=editing,
    )


@require_GET
@require_roles(*CATALOG_ROLES)
def bundle_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    page = page_of(request, selectors.bundles_for(actor))
    return catalog_render(
        request,
        "catalog/staff/bundle_list.html",
        {"page": page, "can_edit": actor.has_role(*BUNDLE_WRITERS)},
    )


@require_http_methods(["GET", "POST"])
@require_roles(*BUNDLE_WRITERS)
def bundle_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    form = _form(request, data=request.POST or None, initial={"region_code": actor.region_code})
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            bundle = services.bundle_create(
                actor=actor,
                code=cd["code"],
                name=cd["name"],
                region_code=cd["region_code"],
                lead_department_id=cd["lead_department_id"],
                item_ids=cd["item_ids"],
                optional_item_ids=cd["optional_item_ids"],
                audience=cd["audience"],
                themes=cd["themes"],
                aliases=cd["aliases"],
                description=cd["description"],
                promised_limit=cd["promised_limit"],
                deemed_consent=cd["deemed_consent"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已创建“一件事”，确认无误后可发布到门户。"))
            return redirect("catalog_staff:bundle", pk=bundle.pk)
    status = 400 if form.errors else 200
    return catalog_render(
        request, "catalog/staff/bundle_form.html", {"form": form, "bundle": None}, status=status
    )


def _initial(bundle: Bundle) -> dict[str, Any]:
    members = list(bundle.members.all())
    return {
        "name": bundle.name,
        "code": bundle.code,
        "region_code": bundle.region.code,
        "lead_department_id": bundle.lead_department_id,
        "audience": bundle.audience,
        "themes": bundle.themes,
        "aliases": "、".join(bundle.aliases or []),
        "description": bundle.description,
        "promised_limit": bundle.promised_limit,
        "deemed_consent": bundle.deemed_consent,
        "item_ids": [m.item_id for m in members],
        "optional_item_ids": [m.item_id for m in members if m.optional],
    }


@require_http_methods(["GET", "POST"])
@require_roles(*CATALOG_ROLES)
def bundle_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    bundle = selectors.bundle_for(actor, pk)
    can_edit = actor.has_role(*BUNDLE_WRITERS)
    if request.method == "POST" and not can_edit:
        raise Http404
    form = _form(request, data=request.POST or None, initial=_initial(bundle), editing=True)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            services.bundle_update(
                actor=actor,
                bundle_id=bundle.pk,
                item_ids=cd["item_ids"],
                optional_item_ids=cd["optional_item_ids"],
                name=cd["name"],
                audience=cd["audience"],
                themes=cd["themes"],
                aliases=cd["aliases"],
                description=cd["description"],
                promised_limit=cd["promised_limit"],
                deemed_consent=cd["deemed_consent"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("catalog_staff:bundle", pk=bundle.pk)
    status = 400 if form.errors else 200
    return catalog_render(
        request,
        "catalog/staff/bundle_form.html",
        {"form": form, "bundle": bundle, "can_edit": can_edit},
        status=status,
    )


@require_POST
@require_roles(*BUNDLE_WRITERS)
def bundle_publish(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    bundle = selectors.bundle_for(actor, pk)
    publish = request.POST.get("publish") != "0"
    try:
        services.bundle_publish(actor=actor, bundle_id=bundle.pk, published=publish)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("已发布到门户。") if publish else _("已从门户下线。"))
    return redirect("catalog_staff:bundle", pk=bundle.pk)
