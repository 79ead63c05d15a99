"""Reading stored files: only through a permission check, and every read is audited."""

from __future__ import annotations

import uuid

from django.core.files import File
from django.core.files.storage import default_storage

from zhengwu.core.access.actor import Actor
from zhengwu.core.audit.services import audit_record

from .access import can_read
from .models import StoredFile


def stored_file_for(*, actor: Actor, file_id: uuid.UUID | str) -> StoredFile | None:
    """The file if `actor` may read it; None when it is missing or forbidden (the same to the caller)."""
    try:
        stored = StoredFile.objects.get(pk=file_id)
    except (StoredFile.DoesNotExist, ValueError):
        return None
    return stored if can_read(actor, stored) else None


def file_open_for_read(*, actor: Actor, stored_file: StoredFile, purpose: str = "") -> File:
    """Open the content (binary) and record the read. Raises FileNotFoundError if the storage lost it."""
    handle = default_storage.open(stored_file.storage_name, "rb")
    audit_record(
        actor=actor,
        action="files.read",
        obj_type="stored_file",
        obj_id=str(stored_file.pk),
        summary=stored_file.original_name,
        reason=purpose,
    )
    return handle
