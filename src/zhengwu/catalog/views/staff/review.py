"""The reform office's review queue and review page, and the diff between two versions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from zhengwu.core.access.decorators import require_roles

from ... import services
from ...checker import check_version
from ...diff import version_diff
from ...forms import ReviewForm, apply_errors
from ...models import ItemVersion
from ...models.choices import VersionStatus
from ...selectors import staff as selectors
from .common import CATALOG_ROLES, REVIEW_ROLES, actor_of, catalog_render, page_of
from .drafts import finding_rows, version_display


@require_GET
@require_roles(*REVIEW_ROLES)
def review_queue(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.review_queue(actor_of(request)))
    return catalog_render(request, "catalog/staff/review_queue.html", {"page": page})


def _review_context(version: ItemVersion, form: ReviewForm) -> dict[str, Any]:
    baseline = selectors.baseline_for(version)
    findings = check_version(version)
    return {
        "version": version,
        "item": version.item,
        "baseline": baseline,
        "changes": version_diff(baseline, version) if baseline is not None else [],
        "check": finding_rows(version, findings),
        "form": form,
        "reviews": list(selectors.reviews_of(version)),
        **version_display(version),
    }


@require_http_methods(["GET", "POST"])
@require_roles(*REVIEW_ROLES)
def review(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    version = selectors.version_for(actor, pk)
    if request.method == "GET":
        form = ReviewForm(initial={"announce_days": services.announce_workdays_default()})
        return catalog_render(request, "catalog/staff/review.html", _review_context(version, form))
    form = ReviewForm(request.POST)
    if form.is_valid():
        cd = form.cleaned_data
        try:
            result = services.version_review(
                actor=actor,
                version_id=version.pk,
                decisions=form.decisions(),
                comment=cd.get("comment", ""),
                announce_days=cd["announce_days"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if result.status == VersionStatus.RETURNED:
                messages.success(request, _("已退回起草部门修改。"))
            else:
                messages.success(
                    request,
                    _("审核通过，公示至 %(until)s，%(effective)s 起生效。")
                    % {"until": result.announce_until, "effective": result.effective_on},
                )
            return redirect("catalog_staff:review_queue")
    return catalog_render(request, "catalog/staff/review.html", _review_context(version, form), status=400)


@require_GET
@require_roles(*CATALOG_ROLES)
def diff(request: HttpRequest, pk: int) -> HttpResponse:
    """What changed between two versions of one item (?a=old&b=new; defaults: current vs latest)."""
    item = selectors.item_for(actor_of(request), pk)
    versions = list(selectors.item_versions(item))
    if not versions:
        return catalog_render(
            request, "catalog/staff/diff.html", {"item": item, "versions": [], "changes": []}
        )
    latest = versions[0]
    a_id = request.GET.get("a") or item.current_version_id or latest.pk
    b_id = request.GET.get("b") or latest.pk
    old = selectors.version_of_item(item, a_id)
    new = selectors.version_of_item(item, b_id)
    return catalog_render(
        request,
        "catalog/staff/diff.html",
        {"item": item, "versions": versions, "old": old, "new": new, "changes": version_diff(old, new)},
    )
