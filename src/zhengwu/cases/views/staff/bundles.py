"""一件事 (bundle) overview: its member cases and their statuses, and 统一窗口出件."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhengwu.core.access.decorators import require_roles

from ...forms_staff import BundleDeliverForm, apply_errors
from ...models import BundleCase, CaseStatus
from ...selectors import staff as selectors
from ...services import bundles as bundle_services
from ...services._base import CaseConflict
from .common import CASE_ROLES, actor_of, staff_render, today


def _bundle_or_404(request: HttpRequest, pk: int) -> tuple[BundleCase, list]:  # type: ignore[type-arg]
    try:
        return selectors.bundle_for(actor_of(request), pk)
    except BundleCase.DoesNotExist:
        raise Http404 from None


def _page(
    request: HttpRequest,
    bundle: BundleCase,
    cases: list,
    form: BundleDeliverForm | None = None,  # type: ignore[type-arg]
    status: int = 200,
) -> HttpResponse:
    actor = actor_of(request)
    windows = selectors.clerk_windows(actor)
    # 统一出件 once every case with a result is 办结 (rejected / withdrawn / terminated ones have none).
    deliverable = [
        c for c in cases if c.status not in (CaseStatus.REJECTED, CaseStatus.WITHDRAWN, CaseStatus.TERMINATED)
    ]
    ready = bool(deliverable) and all(c.status == CaseStatus.COMPLETED for c in deliverable)
    covers = any(w.covers(c) for w in windows for c in cases)
    day = today()
    return staff_render(
        request,
        "cases/staff/bundle.html",
        {
            "bundle": bundle,
            "rows": selectors.bundle_rows(cases, day),
            "form": form or BundleDeliverForm(initial={"address": bundle.applicant_address}),
            "can_deliver": ready and covers,
            "ready": ready,
        },
        status=status,
    )


@require_GET
@require_roles(*CASE_ROLES)
def bundle_page(request: HttpRequest, pk: int) -> HttpResponse:
    bundle, cases = _bundle_or_404(request, pk)
    return _page(request, bundle, cases)


@require_POST
@require_roles(*CASE_ROLES)
def bundle_deliver(request: HttpRequest, pk: int) -> HttpResponse:
    actor = actor_of(request)
    bundle, cases = _bundle_or_404(request, pk)
    form = BundleDeliverForm(request.POST)
    if not form.is_valid():
        return _page(request, bundle, cases, form, status=400)
    try:
        bundle_services.bundle_deliver(actor=actor, bundle_case_id=bundle.pk, **form.service_kwargs())
    except ValidationError as exc:
        apply_errors(form, exc)
        return _page(request, bundle, cases, form, status=400)
    except CaseConflict as exc:
        messages.error(request, exc.message)
        return redirect("cases_staff:bundle", pk=bundle.pk)
    messages.success(request, _("已统一出件，全部办件已送达。"))
    return redirect("cases_staff:bundle", pk=bundle.pk)
