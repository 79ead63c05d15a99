"""The in-app inbox (站内消息). Every page shows only the logged-in user's own messages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from zhengwu.core.access.actor import actor_for

from .selectors import inbox_for_user, unread_count
from .services import notification_mark_all_read, notification_mark_read

PAGE_SIZE = 20


def _base_template(request: HttpRequest) -> str:
    return "web/workbench.html" if getattr(request.user, "kind", "") == "staff" else "web/portal.html"


@require_GET
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    page = Paginator(inbox_for_user(request.user.pk), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notify/inbox.html",
        {"base_template": _base_template(request), "page": page, "unread": unread_count(request.user.pk)},
    )


@require_POST
@login_required
def mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification_mark_read(actor=actor_for(request.user), notification_id=pk)
    return redirect("notify:inbox")


@require_POST
@login_required
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = notification_mark_all_read(actor=actor_for(request.user))
    if count:
        messages.success(request, _("已将 %(count)d 条消息标记为已读。") % {"count": count})
    return redirect("notify:inbox")
