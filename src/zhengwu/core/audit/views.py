"""Staff pages of the audit log: a filtered list and its CSV export (the export is itself audited)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from zhengwu.core.access.actor import Actor, actor_for

from .forms import AuditFilterForm
from .models import AuditEntry
from .selectors import AuditFilters, audit_search, can_read_audit
from .services import audit_record

PAGE_SIZE = 50
EXPORT_MAX_ROWS = 100_000
CSV_COLUMNS = (
    "occurred_at",
    "actor_user_id",
    "actor_name",
    "actor_roles",
    "actor_department_id",
    "actor_region_code",
    "action",
    "obj_type",
    "obj_id",
    "summary",
    "changes",
    "reason",
    "channel",
    "ip",
    "window",
    "is_pii_read",
)


def _reader(request: HttpRequest) -> Actor:
    actor = actor_for(request.user)
    if not can_read_audit(actor):
        raise Http404
    return actor


@require_GET
@login_required
def entry_list(request: HttpRequest) -> HttpResponse:
    actor = _reader(request)
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "audit/entry_list.html", {"form": form, "page": None}, status=400)
    filters = form.filters() if form.is_bound else AuditFilters()
    page = Paginator(audit_search(actor, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/entry_list.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    # Spreadsheet programs run cells that start with these as formulas (CSV injection).
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _rows(entries: Any) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield "\ufeff"  # so that Excel opens the Chinese text as UTF-8
    fields = {f.name: f for f in AuditEntry._meta.fields}
    yield writer.writerow([str(fields[c].verbose_name) for c in CSV_COLUMNS])
    for entry in entries.iterator(chunk_size=2000):
        values = []
        for column in CSV_COLUMNS:
            value = getattr(entry, column)
            if column == "occurred_at":
                value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
            elif column == "changes":
                value = json.dumps(value, ensure_ascii=False) if value else ""
            values.append(_cell(value if value is not None else ""))
        yield writer.writerow(values)


@require_GET
@login_required
def export_csv(request: HttpRequest) -> HttpResponse | StreamingHttpResponse:
    actor = _reader(request)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "audit/entry_list.html", {"form": form, "page": None}, status=400)
    entries = audit_search(actor, form.filters())
    count = entries.count()
    if count > EXPORT_MAX_ROWS:
        message = _("符合条件的记录有 %(count)s 条，超过一次导出的上限 %(max)s 条，请缩小筛选范围。")
        form.add_error(None, message % {"count": count, "max": EXPORT_MAX_ROWS})
        return render(request, "audit/entry_list.html", {"form": form, "page": None}, status=400)
    audit_record(
        actor=actor,
        action="audit.export",
        obj_type="audit_entry",
        obj_id="",
        summary=_("导出审计日志 %(count)s 条") % {"count": count},
        extra={"filters": {k: v for k, v in request.GET.items() if v}},
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response = StreamingHttpResponse(_rows(entries), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
