"""Shared bits of the workbench case views: who may open what, rendering, conflicts and new documents.

Views stay thin: parse a form, call one service, then either redirect (success), re-render with the
field errors and status 400 (ValidationError), or show "该办件已被他人处理…" and reload (CaseConflict).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role

from ...models import Case
from ...selectors import staff as selectors
from ...services._base import CaseConflict

PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
CLERK_ROLES = (Role.WINDOW_CLERK, Role.CHIEF_REPRESENTATIVE)
BACK_OFFICE_ROLES = (Role.REVIEWER, Role.APPROVER, Role.CHIEF_REPRESENTATIVE)
CASE_ROLES = (
    Role.WINDOW_CLERK,
    Role.REVIEWER,
    Role.APPROVER,
    Role.CHIEF_REPRESENTATIVE,
    Role.HALL_MANAGER,
    Role.SUPERVISOR,
)
NEW_DOCS_KEY = "cases_staff_new_docs"


def actor_of(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined,no-any-return]


def today() -> dt.date:
    return timezone.localdate()


def page_size(request: HttpRequest, default: int = PAGE_SIZE) -> int:
    try:
        size = int(request.GET.get("size", default))
    except (TypeError, ValueError):
        return default
    return min(max(size, 1), MAX_PAGE_SIZE)


def page_of(request: HttpRequest, qs: QuerySet[Any], size: int | None = None) -> Page:
    return Paginator(qs, size or page_size(request)).get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def get_case_or_404(actor: Actor, pk: Any) -> Case:
    try:
        return selectors.case_for(actor, pk)
    except Case.DoesNotExist:
        raise Http404 from None


def conflict(
    request: HttpRequest, exc: CaseConflict, case_id: int, to: str = "cases_staff:case"
) -> HttpResponseRedirect:
    """The case changed under the clerk: say so and reload the page with the current state."""
    messages.error(request, exc.message)
    return redirect(to, pk=case_id)


@contextmanager
def remember_documents(request: HttpRequest, case_id: int) -> Iterator[None]:
    """Documents the wrapped action issued are listed on the next page ("本次生成的文书")."""
    started = timezone.now()
    yield
    docs = selectors.documents_since(Case(pk=case_id), started)
    if docs:
        request.session[NEW_DOCS_KEY] = {"case": case_id, "ids": [d.pk for d in docs]}


def pop_new_documents(request: HttpRequest, case_id: int) -> list[int]:
    data = request.session.get(NEW_DOCS_KEY)
    if not data or data.get("case") != case_id:
        return []
    del request.session[NEW_DOCS_KEY]
    return list(data.get("ids") or [])


def staff_render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    actor = actor_of(request)
    context.setdefault("is_clerk", actor.has_role(*CLERK_ROLES))
    context.setdefault("is_back_office", actor.has_role(*BACK_OFFICE_ROLES))
    return render(request, template, context, status=status)


Action = Callable[..., HttpResponse]
