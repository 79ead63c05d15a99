"""Cards and correction orders: supervisors issue them, the department concerned sees and answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhengwu.core.access.decorators import require_roles
from zhengwu.core.access.roles import Role
from zhengwu.core.http import safe_next

from .. import selectors
from ..models import Card
from ..services import oversight


def _int(raw: Any) -> int | None:
    try:
        return int(raw) if raw not in (None, "") else None
    except (TypeError, ValueError):
        raise ValidationError({"department": [_("参数格式不正确。")]}) from None


def _date(raw: Any) -> dt.date | None:
    if not raw:
        return None
    try:
        value = parse_date(str(raw))
    except ValueError:
        value = None
    if value is None:
        raise ValidationError({"due": [_("日期格式应为 YYYY-MM-DD。")]})
    return value


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [m for msgs in exc.message_dict.values() for m in msgs]
    return list(exc.messages)


@require_roles()
def cards(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if not actor.has_role(Role.SUPERVISOR):
            raise Http404
        try:
            oversight.card_issue(
                actor=actor,
                level=request.POST.get("level", ""),
                reason=request.POST.get("reason", ""),
                department_id=_int(request.POST.get("department")),
                record_id=_int(request.POST.get("record")),
            )
        except ValidationError as exc:
            errors, status = _errors(exc), 400
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("已亮牌。"))
            return redirect(safe_next(request) or "supervision:cards")
    page = selectors.paginate(
        selectors.cards_for(actor).order_by("-issued_at", "-id"),
        selectors.parse_page(request.GET.get("page")),
    )
    return render(
        request,
        "supervision/cards.html",
        {
            "page": page,
            "errors": errors,
            "levels": Card.Level.choices,
            "can_issue": actor.has_role(Role.SUPERVISOR),
            "departments": selectors.departments_in_scope(actor) if actor.has_role(Role.SUPERVISOR) else [],
        },
        status=status,
    )


@require_roles()
def corrections(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        if not actor.has_role(Role.SUPERVISOR):
            raise Http404
        try:
            correction = oversight.correction_issue(
                actor=actor,
                title=request.POST.get("title", ""),
                instructions=request.POST.get("instructions", ""),
                due=_date(request.POST.get("due")),
                department_id=_int(request.POST.get("department")),
                record_id=_int(request.POST.get("record")),
            )
        except ValidationError as exc:
            errors, status = _errors(exc), 400
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("纠错单已下达。"))
            return redirect("supervision:correction", pk=correction.pk)
    page = selectors.paginate(
        selectors.corrections_for(actor).order_by("-created_at", "-id"),
        selectors.parse_page(request.GET.get("page")),
    )
    return render(
        request,
        "supervision/corrections.html",
        {
            "page": page,
            "errors": errors,
            "can_issue": actor.has_role(Role.SUPERVISOR),
            "departments": selectors.departments_in_scope(actor) if actor.has_role(Role.SUPERVISOR) else [],
        },
        status=status,
    )


@require_roles()
def correction(request: HttpRequest, pk: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    item = selectors.correction_for(actor, pk)
    return render(
        request,
        "supervision/correction.html",
        {
            "c": item,
            "errors": [],
            "can_answer": actor.department_id == item.department_id or Role.SYSADMIN in actor.roles,
            "is_supervisor": actor.has_role(Role.SUPERVISOR),
        },
    )


@require_POST
@require_roles()
def correction_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    item = selectors.correction_for(actor, pk)
    try:
        if action == "answer":
            oversight.correction_answer(
                actor=actor, correction_id=item.pk, answer=request.POST.get("answer", "")
            )
            messages.success(request, _("整改情况已反馈。"))
        elif action == "close":
            oversight.correction_close(actor=actor, correction_id=item.pk, note=request.POST.get("note", ""))
            messages.success(request, _("纠错单已办结。"))
        elif action == "reopen":
            oversight.correction_reopen(actor=actor, correction_id=item.pk, note=request.POST.get("note", ""))
            messages.success(request, _("已退回部门重新整改。"))
        else:
            raise Http404
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        return render(
            request,
            "supervision/correction.html",
            {
                "c": selectors.correction_for(actor, pk),
                "errors": _errors(exc),
                "can_answer": actor.department_id == item.department_id or Role.SYSADMIN in actor.roles,
                "is_supervisor": actor.has_role(Role.SUPERVISOR),
            },
            status=400,
        )
    return redirect("supervision:correction", pk=item.pk)
