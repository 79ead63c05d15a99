"""The guide checker's report on the whole catalogue in the actor's scope, as a page and as CSV."""

from __future__ import annotations

import csv

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhengwu.core.access.decorators import require_roles

from ...checker import RULES, check_catalogue
from ...selectors import staff as selectors
from .common import CATALOG_ROLES, actor_of, catalog_render


@require_GET
@require_roles(*CATALOG_ROLES)
def report(request: HttpRequest) -> HttpResponse:
    result = check_catalogue(selectors.catalogue_for(actor_of(request)))
    only_errors = request.GET.get("severity") == "error"
    if only_errors:
        for dept in result["departments"]:
            dept["versions"] = [v for v in dept["versions"] if v["errors"]]
        result["departments"] = [d for d in result["departments"] if d["versions"]]
    result["departments"].sort(key=lambda d: (-d["errors"], d["department_name"]))
    return catalog_render(
        request,
        "catalog/staff/report.html",
        {"result": result, "rules": RULES, "only_errors": only_errors},
    )


@require_GET
@require_roles(*CATALOG_ROLES)
def report_csv(request: HttpRequest) -> HttpResponse:
    result = check_catalogue(selectors.catalogue_for(actor_of(request)))
    stamp = timezone.localtime().strftime("%Y%m%d")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="guide-check-{stamp}.csv"'
    response.write("\ufeff")  # so that Excel on Windows reads the Chinese as UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("部门"),
            _("事项名称"),
            _("实施编码"),
            _("版本"),
            _("状态"),
            _("级别"),
            _("规则"),
            _("要素"),
            _("问题"),
        ]
    )
    for dept in result["departments"]:
        for v in dept["versions"]:
            for f in v["findings"]:
                writer.writerow(
                    _csv_row(
                        dept["department_name"],
                        v["item_name"],
                        v["implementation_code"],
                        v["number"],
                        v["status_label"],
                        _("错误") if f.severity == "error" else _("提示"),
                        f.code,
                        f.field,
                        f.message,
                    )
                )
    return response


def _csv_row(*cells: object) -> list[str]:
    # A cell starting with = + - @ would run as a formula when the file is opened in a spreadsheet.
    out = []
    for cell in cells:
        text = str(cell)
        out.append("'" + text if text[:1] in ("=", "+", "-", "@") else text)
    return out
