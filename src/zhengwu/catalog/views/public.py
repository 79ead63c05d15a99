"""Public 办事指南 pages: browse, search, item and bundle guides, announcements. Thin: selectors read."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..diff import version_diff
from ..models.choices import Channel
from ..selectors import public as sel

SNIPPET_CHARS = 90


def highlight(text: str, words: list[str]) -> SafeString:
    """`text` escaped, with every occurrence of the words wrapped in <mark>."""
    text = text or ""
    if not words:
        return mark_safe(escape(text))  # noqa: S308 - escaped just now
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    out: list[str] = []
    pos = 0
    for m in pattern.finditer(text):
        out.append(escape(text[pos : m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(escape(text[pos:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped


def snippet(text: str, words: list[str], size: int = SNIPPET_CHARS) -> str:
    """A short excerpt of `text` around the first word found (or its start)."""
    text = " ".join((text or "").split())
    lowered = text.lower()
    starts = [lowered.find(w.lower()) for w in words if w and lowered.find(w.lower()) >= 0]
    start = max(0, min(starts) - size // 3) if starts else 0
    piece = text[start : start + size]
    return ("…" if start else "") + piece + ("…" if start + size < len(text) else "")


def _bad_request(request: HttpRequest, errors: dict[str, list[str]]) -> HttpResponse:
    return render(request, "catalog/public/bad_request.html", {"errors": errors}, status=400)


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/public/index.html", {"browse": sel.browse_index()})


@require_GET
def item_list(request: HttpRequest) -> HttpResponse:
    try:
        filters = sel.parse_item_filters(request.GET)
        page_number = sel.parse_page(request.GET.get("page"))
    except ValidationError as exc:
        return _bad_request(request, exc.message_dict)
    page = sel.paginate(sel.filtered_items(filters), page_number)
    labels = sel.item_filter_labels(filters)
    if filters.department:
        name = sel.department_name(filters.department)
        if name:
            labels.insert(0, name)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "catalog/public/items.html",
        {"page": page, "filters": filters, "filter_labels": labels, "query": query.urlencode()},
    )


@require_GET
def item_detail(request: HttpRequest, code: str) -> HttpResponse:
    guide = sel.item_guide(code)
    if guide is None:
        raise Http404(_("没有找到这个事项。"))
    template = (
        "catalog/public/item_print.html" if request.GET.get("print") == "1" else "catalog/public/item.html"
    )
    labels = dict(Channel.choices)
    channels = [str(labels[c]) for c in guide.version.channels or [] if c in labels]
    online = {Channel.ONLINE, Channel.MOBILE} & set(guide.version.channels or [])
    context = {
        "guide": guide,
        "v": guide.version,
        "item": guide.item,
        "channel_labels": channels,
        "apply_url": apply_url("item", guide.item.pk) if online else "",
    }
    return render(request, template, context)


@require_GET
def bundle_list(request: HttpRequest) -> HttpResponse:
    try:
        page_number = sel.parse_page(request.GET.get("page"))
    except ValidationError as exc:
        return _bad_request(request, exc.message_dict)
    page = sel.paginate(sel.public_bundles().order_by("name", "pk"), page_number)
    return render(request, "catalog/public/bundles.html", {"page": page})


@require_GET
def bundle_detail(request: HttpRequest, code: str) -> HttpResponse:
    guide = sel.bundle_guide(code)
    if guide is None:
        raise Http404(_("没有找到这个一件事。"))
    context = {"guide": guide, "bundle": guide.bundle, "apply_url": apply_url("bundle", guide.bundle.pk)}
    return render(request, "catalog/public/bundle.html", context)


def apply_url(kind: str, pk: int) -> str:
    """Where a guide's 在线申请 button leads: settings.CATALOG_APPLY_URLS names the view of the app
    that takes applications (the cases portal), so the catalog does not depend on it; "" without."""
    name = getattr(settings, "CATALOG_APPLY_URLS", {}).get(kind)
    if not name:
        return ""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _search(request: HttpRequest) -> sel.SearchResults:
    query = sel.normalize_query(request.GET.get("q"))
    page = sel.parse_page(request.GET.get("page"))
    return sel.catalog_search(query, page=page)


def result_view(result: sel.SearchResult, words: list[str]) -> dict[str, Any]:
    if result.kind == "item":
        item = result.obj
        version = item.current_version
        text = " ".join(part for part in (version.conditions, version.result_name) if part)
        return {
            "kind": "item",
            "kind_label": str(item.get_item_type_display()),
            "title": item.name,
            "url": sel.item_url(item),
            "department": item.department.name,
            "region": item.region.name,
            "snippet": snippet(text, words),
            "code": item.implementation_code,
            "score": round(result.score, 4),
            "visits": version.visits,
            "promised_limit": version.promised_limit,
            "promised_unit": str(version.get_promised_unit_display()),
        }
    bundle = result.obj
    return {
        "kind": "bundle",
        "kind_label": _("一件事"),
        "title": bundle.name,
        "url": sel.bundle_url(bundle),
        "department": bundle.lead_department.name,
        "region": bundle.region.name,
        "snippet": snippet(bundle.description, words),
        "code": bundle.code,
        "score": round(result.score, 4),
    }


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    try:
        found = _search(request)
    except ValidationError as exc:
        return _bad_request(request, exc.message_dict)
    results = []
    for result in found.results:
        row = result_view(result, found.highlight_words)
        row["title_html"] = highlight(row["title"], found.highlight_words)
        row["snippet_html"] = highlight(row["snippet"], found.highlight_words)
        results.append(row)
    return render(request, "catalog/public/search.html", {"found": found, "results": results})


@require_GET
def search_json(request: HttpRequest) -> JsonResponse:
    try:
        found = _search(request)
    except ValidationError as exc:
        return JsonResponse(
            {"detail": _("提交的信息有误，请按提示修改。"), "errors": exc.message_dict},
            status=400,
            json_dumps_params={"ensure_ascii": False},
        )
    return JsonResponse(
        {
            "query": found.query,
            "page": found.page,
            "has_next": found.has_next,
            "results": [result_view(r, found.highlight_words) for r in found.results],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _diff_rows(old: Any, new: Any) -> list[dict[str, Any]]:
    return [{"label": c.label, "old": c.old, "new": c.new} for c in version_diff(old, new)]


@require_GET
def announcements(request: HttpRequest) -> HttpResponse:
    try:
        page_number = sel.parse_page(request.GET.get("page"))
    except ValidationError as exc:
        return _bad_request(request, exc.message_dict)
    page = sel.paginate(sel.announced_versions(), page_number)
    entries = []
    for version in page.object_list:
        current = version.item.current_version
        previous = current if current is not None and current.pk != version.pk else None
        entries.append(
            {
                "version": version,
                "item": version.item,
                "previous": previous,
                "changes": _diff_rows(previous, version) if previous is not None else [],
            }
        )
    return render(request, "catalog/public/announcements.html", {"page": page, "entries": entries})
