"""Workbench pages of the organisation (/workbench/org/). Thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from zhengwu.core.access.decorators import require_roles
from zhengwu.core.access.roles import Role
from zhengwu.core.access.shortcuts import get_scoped_or_404

from . import selectors
from .csv_import import KINDS, decode, import_org_csv
from .models import Department

PAGE_SIZE = 50
STAFF_LIST_ROLES = (Role.HALL_MANAGER, Role.SUPERVISOR, Role.APPROVER)


def _page(request: HttpRequest, qs: QuerySet[Any]) -> Page:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    """Render with the section navigation, showing only the pages this actor may open."""
    actor = request.actor  # type: ignore[attr-defined]
    context["org_nav"] = {
        "staff": actor.has_role(*STAFF_LIST_ROLES),
        "import": actor.has_role(Role.SYSADMIN),
    }
    return render(request, template, context, status=status)


@require_GET
@require_roles()
def index(request: HttpRequest) -> HttpResponse:
    return redirect("org:departments")


@require_GET
@require_roles()
def department_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.departments_for(request.actor)  # type: ignore[attr-defined]
    if q := request.GET.get("q", "").strip():
        qs = qs.filter(name__contains=q)
    return _render(request, "org/department_list.html", {"page": _page(request, qs), "q": q})


@require_GET
@require_roles()
def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    department = get_scoped_or_404(
        Department.objects.select_related("region", "parent"), actor, pk=pk, **selectors.DEPARTMENT_SCOPE
    )
    windows = department.windows.select_related("service_point").order_by("service_point__name", "code")
    return _render(request, "org/department_detail.html", {"department": department, "windows": windows})


@require_GET
@require_roles()
def service_point_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.service_points_for(request.actor)  # type: ignore[attr-defined]
    return _render(request, "org/service_point_list.html", {"page": _page(request, qs)})


@require_GET
@require_roles()
def window_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.windows_for(request.actor)  # type: ignore[attr-defined]
    return _render(request, "org/window_list.html", {"page": _page(request, qs)})


@require_GET
@require_roles(*STAFF_LIST_ROLES)
def staff_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.staff_for(request.actor)  # type: ignore[attr-defined]
    return _render(request, "org/staff_list.html", {"page": _page(request, qs)})


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("导入内容"),
        choices=[("regions", gettext_lazy("行政区划")), ("departments", gettext_lazy("部门"))],
    )
    file = forms.FileField(
        label=gettext_lazy("CSV 文件"), help_text=gettext_lazy("UTF-8 或 GB18030 编码，最大 5 MB")
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("文件不能超过 5 MB"))
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(_("请上传 .csv 文件"))
        return upload


@require_http_methods(["GET", "POST"])
@require_roles(Role.SYSADMIN)
def csv_import(request: HttpRequest) -> HttpResponse:
    result = None
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            assert kind in KINDS
            try:
                text = decode(form.cleaned_data["file"].read())
            except UnicodeDecodeError:
                form.add_error("file", _("无法识别文件编码，请另存为 UTF-8 编码的 CSV"))
            else:
                result = import_org_csv(actor=request.actor, kind=kind, text=text)  # type: ignore[attr-defined]
                if result.ok:
                    messages.success(request, _("导入成功：新增 %(n)d 条。") % {"n": result.created})
                    return redirect("org:import")
        status = 400
    else:
        form = ImportForm()
    return _render(request, "org/import.html", {"form": form, "result": result}, status=status)
