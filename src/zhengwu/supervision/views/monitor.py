"""Real-time monitoring pages: the wall of open cases by light, and the drill-down
region → department → item → case. Thin: selectors do the reading, already scoped."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from zhengwu.core.access.decorators import require_roles

from .. import selectors
from ..models.records import Light


@require_roles()
def wall(request: HttpRequest) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    light = request.GET.get("light", "")
    data = selectors.wall(actor, light=light, page=selectors.parse_page(request.GET.get("page")))
    return render(
        request,
        "supervision/wall.html",
        {
            "wall": data,
            "lights": Light.choices,
            "query": f"light={data.light}" if data.light else "",
        },
    )


@require_roles()
def regions(request: HttpRequest) -> HttpResponse:
    rows = selectors.by_region(request.actor)  # type: ignore[attr-defined]
    return render(request, "supervision/regions.html", {"rows": rows})


@require_roles()
def region(request: HttpRequest, code: str) -> HttpResponse:
    rows = selectors.by_department(request.actor, code)  # type: ignore[attr-defined]
    if not rows:
        raise Http404
    return render(
        request,
        "supervision/departments.html",
        {"rows": rows, "code": code, "name": selectors.region_name(code)},
    )


@require_roles()
def department(request: HttpRequest, department_id: int) -> HttpResponse:
    rows = selectors.by_item(request.actor, department_id)  # type: ignore[attr-defined]
    if not rows:
        raise Http404
    first = selectors.open_records_for(request.actor).filter(department_id=department_id).first()  # type: ignore[attr-defined]
    return render(
        request,
        "supervision/items.html",
        {
            "rows": rows,
            "department_id": department_id,
            "sample": first,
            "region_name": selectors.region_name(first.region_code) if first else "",
        },
    )


@require_roles()
def item(request: HttpRequest, department_id: int, item_code: str) -> HttpResponse:
    page = selectors.item_cases(
        request.actor,  # type: ignore[attr-defined]
        department_id,
        item_code,
        page=selectors.parse_page(request.GET.get("page")),
    )
    if not page.object_list:
        raise Http404
    return render(
        request,
        "supervision/cases.html",
        {
            "page": page,
            "department_id": department_id,
            "item_code": item_code,
            "sample": page.object_list[0],
            "region_name": selectors.region_name(page.object_list[0].region_code),
        },
    )


@require_roles()
def case(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.record_for(request.actor, pk)  # type: ignore[attr-defined]
    return render(request, "supervision/case.html", {"r": record, **selectors.record_detail(record)})
