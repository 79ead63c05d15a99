"""The search index: one row per indexed object; the engine-specific full-text structure is built
over `title_tokens` and `body_tokens` by migration 0002 (FTS5 table + triggers on SQLite, a
generated tsvector column + GIN index on PostgreSQL)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

DEFAULT_TITLE_WEIGHT = 5.0


class SearchDocument(models.Model):
    kind = models.CharField(_("类别"), max_length=64)  # e.g. "catalog.item"
    object_id = models.CharField(_("对象标识"), max_length=64)
    title = models.CharField(_("标题"), max_length=500)
    body = models.TextField(_("正文"), blank=True)
    # Space-joined output of segment(); the engines only split on spaces.
    title_tokens = models.TextField(_("标题分词"), blank=True)
    body_tokens = models.TextField(_("正文分词"), blank=True)
    title_weight = models.FloatField(_("标题权重"), default=DEFAULT_TITLE_WEIGHT)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("检索文档")
        verbose_name_plural = _("检索文档")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_kind_object_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"
