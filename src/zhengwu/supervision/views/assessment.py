"""Assessment pages (绩效评估): the ranking by subject kind and period, one score's breakdown with the
manual score form, CSV export, recompute and publish. Thin: services write, selectors read (scoped)."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengwu.core.access.decorators import require_roles
from zhengwu.core.access.roles import Role
from zhengwu.core.audit.services import audit_record

from .. import scoring
from .. import selectors_assessment as sel
from ..models.assessment import WEIGHTS, Grade, SubjectKind
from ..selectors import paginate, parse_page
from ..services import assessment as service
from .oversight import _errors

GRADE_BADGE = {"excellent": "green", "good": "blue", "pass": "yellow", "fail": "red"}


def _period(raw: Any) -> scoring.Period | None:
    return scoring.parse_period(raw) if raw else None


def _kind(raw: Any) -> str:
    return raw if raw in SubjectKind.values else SubjectKind.DEPARTMENT


def _cell(text: str) -> str:
    """No formula injection when the CSV is opened in a spreadsheet."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def _number(value: Any) -> str:
    return "—" if value is None else f"{value:.2f}"


def _scheme_rows(scheme: scoring.SchemeValues) -> list[tuple[str, int]]:
    return [(str(sel.INPUT_LABELS[key]), int(scheme.weights.get(key, 0))) for key, _field, _d in WEIGHTS]


@require_roles()
def ranking(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    kind = _kind(request.GET.get("kind"))
    errors: list[str] = []
    try:
        period = _period(request.GET.get("period"))
    except ValidationError as exc:
        errors, period = _errors(exc), None
    status = 400 if errors else 200
    return _render_ranking(request, actor, period=period, kind=kind, errors=errors, status=status)


def _render_ranking(
    request: HttpRequest,
    actor: Any,
    *,
    period: scoring.Period | None,
    kind: str,
    errors: list[str],
    status: int,
) -> HttpResponse:
    all_runs = sel.runs()
    data = sel.ranking(actor, period=None if errors else period, kind=kind, all_runs=all_runs)
    if errors or (period is not None and data.run is None):
        data = sel.Ranking(None, kind, data.scores.none(), {})
    page = paginate(data.scores, parse_page(request.GET.get("page")))
    keys = [key for key, _f, _d in WEIGHTS]
    for row in page.object_list:
        row.cells = [_number(row.inputs.get(key, {}).get("score")) for key in keys]
    scheme = service.Schemes().for_region(actor.region_code or "")
    query = urlencode({"period": data.run.period, "kind": kind}) if data.run else ""
    return render(
        request,
        "supervision/assessment.html",
        {
            "data": data,
            "page": page,
            "query": query,
            "runs": all_runs,
            "kinds": SubjectKind.choices,
            "columns": [sel.INPUT_LABELS[key] for key in keys],
            "grades": [
                (value, label, GRADE_BADGE[value], data.grade_counts.get(value, 0))
                for value, label in Grade.choices
            ],
            "grade_badge": GRADE_BADGE,
            "period_label": scoring.parse_period(data.run.period).label() if data.run else "",
            "asked": period.key if period else "",
            "errors": errors,
            "scheme": scheme,
            "weights": _scheme_rows(scheme),
            "missing": sel.missing_inputs(),
            "can_manage": actor.has_role(Role.SUPERVISOR) and service.may_manage(actor),
        },
        status=status,
    )


@require_roles()
def export(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    kind = _kind(request.GET.get("kind"))
    try:
        period = _period(request.GET.get("period"))
    except ValidationError as exc:
        return HttpResponse("\n".join(_errors(exc)), status=400, content_type="text/plain; charset=utf-8")
    data = sel.ranking(actor, period=period, kind=kind, all_runs=sel.runs())
    if data.run is None:
        raise Http404
    audit_record(
        actor=actor,
        action="supervision.assessment.export",
        obj_type="supervision.assessmentrun",
        obj_id=data.run.pk,
        summary=f"{data.run.period} {kind}",
    )
    labels = dict(Grade.choices)
    keys = [key for key, _f, _d in WEIGHTS]

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())

    def rows() -> Any:
        yield "\ufeff"  # Excel opens UTF-8 CSV with Chinese correctly only with a BOM
        yield writer.writerow(
            [_("排名"), _("名称"), _("部门"), _("区划代码"), _("办结件数")]
            + [str(sel.INPUT_LABELS[k]) for k in keys]
            + [_("总分"), _("等级")]
        )
        for s in data.scores.iterator(chunk_size=2000):
            subs = [s.inputs.get(k, {}).get("score") for k in keys]
            yield writer.writerow(
                [
                    s.rank or "",
                    _cell(s.subject_name),
                    _cell(s.department_name),
                    s.region_code,
                    s.cases_completed,
                ]
                + ["" if v is None else v for v in subs]
                + ["" if s.score is None else s.score, labels.get(s.grade, "")]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="assessment-{data.run.period}-{kind}.csv"'
    return response  # type: ignore[return-value]  # streamed: the ranking may be long


@require_roles()
def score(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    item = sel.score_for(actor, pk)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if not actor.has_role(Role.SUPERVISOR):
            raise Http404
        try:
            updated = service.manual_score_set(
                actor=actor,
                score_id=item.pk,
                value=request.POST.get("value", ""),
                reason=request.POST.get("reason", ""),
            )
        except ValidationError as exc:
            errors, status = _errors(exc), 400
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("人工评分已保存，本周期已重新计算。"))
            return redirect("supervision:assessment_score", pk=updated.pk)
    empty = {"score": None, "weight": 0, "raw": ""}
    inputs = [
        {"key": key, "label": sel.INPUT_LABELS[key], **item.inputs.get(key, empty)} for key, _f, _d in WEIGHTS
    ]
    used = sum(i["weight"] for i in inputs if i["score"] is not None and i["weight"] > 0)
    for i in inputs:
        counted = bool(used and i["score"] is not None and i["weight"])
        i["share"] = round(100 * i["weight"] / used, 1) if counted else 0
        i["points"] = round(i["score"] * i["weight"] / used, 2) if counted else None
    return render(
        request,
        "supervision/assessment_score.html",
        {
            "s": item,
            "inputs": inputs,
            "used_weight": used,
            "manual": sel.manual_for(item),
            "history": sel.history_for(actor, item),
            "badge": GRADE_BADGE.get(item.grade, "blue"),
            "errors": errors,
            "can_score": actor.has_role(Role.SUPERVISOR) and item.run.status == "draft",
            "period_label": scoring.parse_period(item.run.period).label(),
        },
        status=status,
    )


@require_POST
@require_roles(Role.SUPERVISOR)
def manage(request: HttpRequest, action: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    kind = _kind(request.POST.get("kind"))
    try:
        period = scoring.parse_period(request.POST.get("period"))
        if action == "compute":
            service.assessment_compute(actor=actor, period=period)
            messages.success(request, _("已重新计算 %(p)s 的评估结果。") % {"p": period.key})
        elif action == "publish":
            service.assessment_publish(actor=actor, period=period.key)
            messages.success(request, _("%(p)s 的评估结果已发布。") % {"p": period.key})
        else:
            raise Http404
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        try:
            shown = scoring.parse_period(request.POST.get("period"))
        except ValidationError:
            shown = None
        return _render_ranking(request, actor, period=shown, kind=kind, errors=_errors(exc), status=400)
    return redirect(reverse("supervision:assessment") + "?" + urlencode({"period": period.key, "kind": kind}))
