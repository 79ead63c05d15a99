"""事项管理: the list of items in scope, a new item, an item's history and starting a change."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from zhengwu.core.access.decorators import require_roles
from zhengwu.org import selectors as org_selectors

from ... import services
from ...forms import ChangeForm, ItemCreateForm, ItemFilterForm, apply_errors
from ...models.choices import ChangeKind
from ...selectors import staff as selectors
from .common import CATALOG_ROLES, DRAFTER_ROLES, actor_of, catalog_render, page_of


@require_GET
@require_roles(*CATALOG_ROLES)
def item_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    departments = list(org_selectors.departments_for(actor))
    filters = ItemFilterForm(request.GET or None, departments=departments)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    qs = selectors.item_list(
        actor,
        department_id=cleaned.get("department"),
        item_type=cleaned.get("item_type", ""),
        status=cleaned.get("status", ""),
        keyword=(cleaned.get("q") or "").strip(),
    )
    page = page_of(request, qs)
    query = request.GET.copy()
    query.pop("page", None)
    return catalog_render(
        request,
        "catalog/staff/item_list.html",
        {
            "filters": filters,
            "page": page,
            "rows": selectors.item_rows(page.object_list),
            "query": query.urlencode(),
            "can_draft": actor.has_role(*DRAFTER_ROLES),
        },
    )


@require_http_methods(["GET", "POST"])
@require_roles(*DRAFTER_ROLES)
def item_create(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    departments = list(org_selectors.departments_for(actor))
    form = ItemCreateForm(request.POST or None, departments=departments)
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            version = services.item_create_draft(
                actor=actor,
                department_id=cd["department_id"],
                item_type=cd["item_type"],
                name=cd["name"],
                basic_code=cd["basic_code"],
                implementation_code=cd["implementation_code"],
                audience=cd["audience"],
                themes=cd["themes"],
                aliases=cd["aliases"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已创建事项草稿，请补全各项要素后提交审核。"))
            return redirect("catalog_staff:draft", pk=version.pk)
    status = 400 if form.errors else 200
    return catalog_render(request, "catalog/staff/item_create.html", {"form": form}, status=status)


@require_GET
@require_roles(*CATALOG_ROLES)
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    item = selectors.item_for(actor, pk)
    versions = list(selectors.item_versions(item))
    open_version = next((v for v in versions if v.status in selectors.OPEN_STATUSES), None)
    return catalog_render(
        request,
        "catalog/staff/item_detail.html",
        {
            "item": item,
            "versions": versions,
            "open_version": open_version,
            "can_draft": actor.has_role(*DRAFTER_ROLES) and open_version is None,
            "adjust_form": ChangeForm(initial={"kind": ChangeKind.ADJUST}, prefix="adjust"),
            "cancel_form": ChangeForm(initial={"kind": ChangeKind.CANCEL}, prefix="cancel"),
        },
    )


@require_POST
@require_roles(*DRAFTER_ROLES)
def item_change(request: HttpRequest, pk: int) -> HttpResponse:
    """发起变更 / 申请取消: a new draft copied from the version in force."""
    actor = actor_of(request)
    item = selectors.item_for(actor, pk)
    prefix = "cancel" if request.POST.get("cancel-kind") else "adjust"
    form = ChangeForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            version = services.version_create_draft(
                actor=actor,
                item_id=item.pk,
                change_kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已创建变更草稿。"))
            return redirect("catalog_staff:draft", pk=version.pk)
    versions = list(selectors.item_versions(item))
    forms = {
        "adjust_form": form
        if prefix == "adjust"
        else ChangeForm(initial={"kind": ChangeKind.ADJUST}, prefix="adjust"),
        "cancel_form": form
        if prefix == "cancel"
        else ChangeForm(initial={"kind": ChangeKind.CANCEL}, prefix="cancel"),
    }
    open_version = next((v for v in versions if v.status in selectors.OPEN_STATUSES), None)
    return catalog_render(
        request,
        "catalog/staff/item_detail.html",
        {
            "item": item,
            "versions": versions,
            "open_version": open_version,
            "can_draft": open_version is None,
            "change_open": prefix,
            **forms,
        },
        status=400,
    )
