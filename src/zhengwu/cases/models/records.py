"""What a case leaves behind: its timeline, its documents, and the editable document templates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .case import Case
from .choices import DocumentKind


class TimelineEntry(models.Model):
    """Append-only: who did what to the case, when, from which channel and window (DOMAIN §3)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline")
    at = models.DateTimeField()
    action = models.CharField(max_length=40)  # the event type without the "cases." prefix
    title = models.CharField(max_length=100)  # Chinese label shown on the timeline
    summary = models.TextField(blank=True)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_name = models.CharField(max_length=64, blank=True)
    channel = models.CharField(max_length=12, blank=True)
    window_id = models.PositiveBigIntegerField(null=True, blank=True)
    public = models.BooleanField(default=True)  # shown to the applicant and on the progress page

    class Meta:
        ordering = ["case_id", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.title}"


class DocumentTemplate(models.Model):
    """The text of a notice or decision; an administrator edits it (Django template syntax)."""

    kind = models.CharField(_("文书种类"), max_length=16, choices=DocumentKind.choices, unique=True)
    title = models.CharField(_("标题"), max_length=64)
    body = models.TextField(_("正文模板"))
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("文书模板")
        verbose_name_plural = _("文书模板")

    def __str__(self) -> str:
        return self.title


class CaseDocument(models.Model):
    """A PDF issued for a case (core.files, purpose "case_document")."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("文书种类"), max_length=16, choices=DocumentKind.choices)
    number = models.CharField(_("文书编号"), max_length=64)
    title = models.CharField(_("标题"), max_length=64)
    file_id = models.UUIDField()
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    is_result = models.BooleanField(default=False)  # a decision the applicant downloads as the result

    class Meta:
        ordering = ["case_id", "issued_at", "pk"]

    def __str__(self) -> str:
        return self.title
