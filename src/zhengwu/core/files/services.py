"""Storing files. Callers pass the upload straight through; validation errors name the field "file"."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.audit.services import audit_record

from .checks import check_upload
from .models import StoredFile

PURPOSE_MAX = 32


def storage_name_for(sha256: str, extension: str) -> str:
    # Content-addressed: identical content is stored once, two levels of fan-out keep folders small.
    return f"files/{sha256[:2]}/{sha256[2:4]}/{sha256}.{extension}"


def file_store(
    *,
    actor: Actor | None,
    upload: UploadedFile,
    purpose: str,
    owner_user_id: int | None = None,
) -> StoredFile:
    """Check and store an upload; one StoredFile row per upload, content shared when identical.

    Raises django ValidationError({"file": [message]}) for a refused file; nothing is written then.
    """
    if not purpose or len(purpose) > PURPOSE_MAX:
        raise ValueError(f"purpose must be 1..{PURPOSE_MAX} characters")
    checked = check_upload(upload)
    name = storage_name_for(checked.sha256, checked.extension)
    if not default_storage.exists(name):
        upload.seek(0)
        # A concurrent upload of the same content may win the race; the storage then picks another
        # name for ours, which holds the same bytes, so the row simply records that name.
        name = default_storage.save(name, upload)
    # The file on disk is not rolled back with the transaction; an orphan is harmless because the
    # same content will reuse it and nothing serves a file without a row.
    with transaction.atomic():
        stored = StoredFile.objects.create(
            purpose=purpose,
            original_name=checked.name,
            extension=checked.extension,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            storage_name=name,
            owner_user_id=owner_user_id if owner_user_id is not None else (actor.user_id if actor else None),
            created_by_user_id=actor.user_id if actor else None,
        )
        audit_record(
            actor=actor,
            action="files.store",
            obj_type="stored_file",
            obj_id=str(stored.pk),
            summary=_("上传文件“%(name)s”（%(size)s 字节）") % {"name": checked.name, "size": checked.size},
            extra={"purpose": purpose, "sha256": checked.sha256, "owner_user_id": stored.owner_user_id},
        )
    return stored
