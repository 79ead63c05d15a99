"""Stored files: materials and attachments are evidence, so their content hash is kept."""

from __future__ import annotations

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class StoredFile(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    purpose = models.CharField(_("用途"), max_length=32, db_index=True)
    original_name = models.CharField(_("文件名"), max_length=255)
    extension = models.CharField(_("扩展名"), max_length=10)
    content_type = models.CharField(_("文件类型"), max_length=100)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    # Name in the default storage; identical content shares one stored object.
    storage_name = models.CharField(_("存储路径"), max_length=255)
    owner_user_id = models.BigIntegerField(_("所有人账号"), null=True, blank=True, db_index=True)
    created_by_user_id = models.BigIntegerField(_("上传人账号"), null=True, blank=True)
    created_at = models.DateTimeField(_("上传时间"), default=timezone.now)

    class Meta:
        verbose_name = _("文件")
        verbose_name_plural = _("文件")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name
