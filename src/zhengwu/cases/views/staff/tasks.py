"""我的待办: the active steps the actor may take, with their light, sortable, filterable, paged.

A constant number of queries whatever the page size: the steps with their case in one query (plus
the count), the item filter's choices in one, and — only when filtering by light — the distinct
(region, limit) pairs in one. Lights and working days left come from core.calendar in memory.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from zhengwu.core.access.decorators import require_roles

from ...forms_staff import TaskFilterForm
from ...selectors import staff as selectors
from .common import BACK_OFFICE_ROLES, CLERK_ROLES, actor_of, page_of, query_without_page, staff_render, today


@require_GET
@require_roles(*BACK_OFFICE_ROLES, *CLERK_ROLES)
def task_list(request: HttpRequest) -> HttpResponse:
    actor = actor_of(request)
    day = today()
    filters = TaskFilterForm(request.GET or None, items=selectors.task_items(actor))
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    chosen = selectors.TaskFilters(
        item_id=cleaned.get("item"),
        light=cleaned.get("light") or "",
        green_channel=bool(cleaned.get("green")),
        sort=cleaned.get("sort") or "due",
    )
    page = page_of(request, selectors.task_list(actor, chosen, day))
    return staff_render(
        request,
        "cases/staff/tasks.html",
        {
            "filters": filters,
            "chosen": chosen,
            "page": page,
            "rows": selectors.task_rows(page.object_list, day),
            "query": query_without_page(request),
            "extensions": list(selectors.pending_extensions(actor)),
            "today": day,
        },
    )
