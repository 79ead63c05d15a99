"""Statistics pages under /supervision/stats/: the dashboard with its drill-down region → department
→ item, exports (CSV, Excel), the monthly bulletin and its PDF. Thin: selectors read, already scoped;
bad parameters give 400 with a Chinese message, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwu.core.access.decorators import require_roles
from zhengwu.core.audit.services import audit_record
from zhengwu.core.calendar import local_day
from zhengwu.core.calendar.periods import QUARTER, period_of

from .. import exports, selectors
from ..periods import BadInput, Period, month_period, parse_month, parse_period, shift_month


def _today() -> Any:
    return local_day(timezone.now())


def bad_request(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "statistics/bad_request.html", {"message": message}, status=400)


def _period(request: HttpRequest) -> Period:
    return parse_period(request.GET, today=_today())


def _charts(data: selectors.Dashboard) -> dict[str, Any]:
    r = data.report
    return {
        "trend": data.trend,
        "departments": data.departments,
        "channels": data.channels,
        "lights": data.lights,
        "labels": {
            "received": _("收件"),
            "accepted": _("受理"),
            "completed": _("办结"),
            "on_time_rate": _("按时办结率"),
            "early_rate": _("提前办结率"),
            "green": _("绿灯"),
            "yellow": _("黄灯"),
            "red": _("红灯"),
        },
        "level": r.place.level,
    }


def _dashboard(request: HttpRequest, *, region_code: str = "", department_id: Any = None) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    try:
        period = _period(request)
        place = selectors.place_for(actor, region_code=region_code, department_id=department_id)
    except BadInput as exc:
        return bad_request(request, str(exc))
    data = selectors.dashboard(actor, period, place)
    export_query = period.query
    if place.department_id is not None:
        export_query += f"&department={place.department_id}"
    elif place.region_code:
        export_query += f"&region={place.region_code}"
    return render(
        request,
        "statistics/dashboard.html",
        {
            "data": data,
            "report": data.report,
            "period": period,
            "place": place,
            "charts": _charts(data),
            "columns": [c[0] for c in exports.columns()],
            "level_heading": exports.level_heading(place.level),
            "scope_name": selectors.scope_title(actor),
            "export_query": export_query,
            "periods": _period_choices(period),
            "refreshed_at": selectors.refreshed_at(),
        },
    )


def _period_choices(current: Period) -> list[tuple[str, str]]:
    today = _today()
    this_month = month_period(today)
    last_month = month_period(shift_month(today, -1))
    choices = [
        (str(today.year), _("本年")),
        (period_of(today, QUARTER).key, _("本季度")),
        (this_month.key, _("本月")),
        (last_month.key, _("上月")),
        (str(today.year - 1), _("上年")),
    ]
    if current.kind != "range" and current.key not in {key for key, _label in choices}:
        choices.append((current.key, current.label))
    return choices


@require_roles()
def dashboard(request: HttpRequest) -> HttpResponse:
    return _dashboard(request)


@require_roles()
def region(request: HttpRequest, code: str) -> HttpResponse:
    return _dashboard(request, region_code=code)


@require_roles()
def department(request: HttpRequest, department_id: int) -> HttpResponse:
    return _dashboard(request, department_id=department_id)


def _report_for_export(request: HttpRequest) -> selectors.Report:
    actor = request.actor  # type: ignore[attr-defined]
    period = _period(request)
    place = selectors.place_for(
        actor, region_code=request.GET.get("region", ""), department_id=request.GET.get("department")
    )
    return selectors.report(actor, period, place)


@require_roles()
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        report = _report_for_export(request)
    except BadInput as exc:
        return bad_request(request, str(exc))
    actor = request.actor  # type: ignore[attr-defined]
    if fmt == "csv":
        body, content_type = exports.as_csv(report), "text/csv; charset=utf-8"
    else:
        body = exports.as_xlsx(report)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    place = report.place
    audit_record(
        actor=actor,
        action="statistics.export",
        obj_type="statistics.report",
        obj_id=place.department_id or place.region_code or "all",
        summary=f"{fmt} {report.period.label} {place.title}".strip(),
        extra={"format": fmt, "period": report.period.query, "level": place.level, "rows": len(report.rows)},
    )
    name = f"statistics-{place.level}-{report.period.key or report.period.start.isoformat()}.{fmt}"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _bulletin_period(request: HttpRequest) -> Period:
    raw = request.GET.get("month", "").strip()
    if not raw:
        return month_period(shift_month(_today(), -1))
    return parse_month(raw)


def _bulletin_view(
    answer: Callable[[HttpRequest, Period, selectors.Bulletin], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Both bulletin views read ?month= the same way: a bad month is a 400, a good one reaches
    `answer` with the actor's bulletin for it."""

    @wraps(answer)
    def view(request: HttpRequest) -> HttpResponse:
        try:
            period = _bulletin_period(request)
        except BadInput as exc:
            return bad_request(request, str(exc))
        return answer(request, period, selectors.bulletin(request.actor, period))  # type: ignore[attr-defined]

    return view


@require_roles()
@_bulletin_view
def bulletin(request: HttpRequest, period: Period, data: selectors.Bulletin) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    return render(
        request,
        "statistics/bulletin.html",
        {"b": data, "period": period, "scope_name": selectors.scope_title(actor)},
    )


@require_roles()
@_bulletin_view
def bulletin_pdf(request: HttpRequest, period: Period, data: selectors.Bulletin) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    body = exports.bulletin_pdf(data, scope_name=selectors.scope_title(actor))
    audit_record(
        actor=actor,
        action="statistics.export",
        obj_type="statistics.bulletin",
        obj_id=period.key,
        summary=f"pdf {period.label}",
        extra={"format": "pdf", "period": period.query},
    )
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bulletin-{period.key}.pdf"'
    return response
