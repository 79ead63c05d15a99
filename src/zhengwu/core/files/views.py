from __future__ import annotations

import logging
import uuid

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.views.decorators.http import require_GET

from zhengwu.core.access.actor import actor_for

from .selectors import file_open_for_read, stored_file_for

logger = logging.getLogger(__name__)


@require_GET
def download(request: HttpRequest, file_id: uuid.UUID) -> HttpResponseBase:
    actor = actor_for(request.user)
    stored = stored_file_for(actor=actor, file_id=file_id)
    if stored is None:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    try:
        handle = file_open_for_read(actor=actor, stored_file=stored)
    except FileNotFoundError:
        logger.error("stored file %s is missing from storage (%s)", stored.pk, stored.storage_name)
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=stored.original_name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
