"""Issuing a case document: number it, render its template into a PDF, store it, record it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from zhengwu.core.access.actor import Actor
from zhengwu.core.audit.services import audit_record
from zhengwu.core.calendar.days import local_day
from zhengwu.core.files.services import file_store
from zhengwu.core.numbering.services import next_number

from ..models import Case, CaseDocument, DocumentKind, DocumentTemplate
from .context import build_context, chinese_date, progress_url, sample_context
from .defaults import NUMBER_MARK, RESULT_KINDS, default_for
from .rendering import PdfContent, RenderedText, render_pdf, render_text

PURPOSE = "case_document"


def template_for(kind: str) -> tuple[str, str]:
    """(title, body) of the kind: the administrator's row, else the shipped default."""
    row = DocumentTemplate.objects.filter(kind=kind).only("title", "body").first()
    if row is not None:
        return row.title, row.body
    default = default_for(kind)
    return default.title, default.body


def document_number(case: Case, kind: str, *, year: int) -> str:
    """The document number "<部门简称><字>〔2025〕0001号": a gap-free serial per department, kind, year."""
    department = case.department
    short = department.short_name or department.name
    serial = next_number(key=f"cases.document.{department.pk}.{kind}", day=dt.date(year, 1, 1))
    return f"{short}{NUMBER_MARK[kind]}〔{year}〕{serial:04d}号"


def pdf_from_text(
    text: RenderedText, context: Mapping[str, Any], *, issued_on: dt.date, qr_url: str
) -> bytes:
    return render_pdf(
        PdfContent(
            department=str(context.get("department", "")),
            title=text.title,
            document_number=str(context.get("document_number", "")),
            case_number=str(context.get("case_number", "")),
            item_name=str(context.get("item_name", "")),
            applicant=f"{context.get('applicant_name', '')}（{context.get('applicant_id', '')}）",
            body=text.body,
            issued_on=chinese_date(issued_on),
            qr_url=qr_url,
            query_code=str(context.get("query_code", "")),
        )
    )


def document_issue(
    *,
    case: Case,
    kind: str,
    actor: Actor | None,
    context: Mapping[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> CaseDocument:
    """Render, store and record one document of `kind` (a DocumentKind value) for the case.

    Called by the case services inside their transaction, after the case fields the document shows
    (dates, reasons, the latest supplement request / suspension / extension) are saved. `context`
    adds or overrides template values (documents/defaults.py lists them), e.g.
    {"reasons": [...], "legal_basis": "...", "text": "..."} for a rejection.
    A broken administrator template never fails the call: the default text is used and logged.
    """
    if kind not in DocumentKind.values:
        raise ValueError(f"unknown document kind {kind!r}")
    issued_at = at or timezone.now()
    issued_on = local_day(issued_at)
    number = document_number(case, kind, year=issued_on.year)
    values = build_context(case, kind, document_number=number, issued_on=issued_on, extra=context)
    title, body = template_for(kind)
    text = render_text(kind, title=title, body=body, context=values)
    content = pdf_from_text(text, values, issued_on=issued_on, qr_url=progress_url(case))
    filename = f"{text.title}-{case.number or case.pk}.pdf"
    upload = SimpleUploadedFile(filename, content, content_type="application/pdf")
    stored = file_store(actor=actor, upload=upload, purpose=PURPOSE, owner_user_id=case.applicant_user_id)
    document = CaseDocument.objects.create(
        case=case,
        kind=kind,
        number=number,
        title=text.title[:64],
        file_id=stored.pk,
        issued_at=issued_at,
        issued_by_id=actor.user_id if actor else None,
        is_result=kind in RESULT_KINDS,
    )
    audit_record(
        actor=actor,
        action="cases.document_issued",
        obj_type="cases.case",
        obj_id=case.pk,
        summary=f"{case.number} {text.title} {number}",
        extra={
            "kind": kind,
            "document_id": document.pk,
            "file_id": str(stored.pk),
            "default_text": text.used_default,
        },
    )
    return document


def template_preview_pdf(kind: str, *, title: str, body: str) -> bytes:
    """The PDF a template gives for a made-up case (admin preview); a broken body shows the default."""
    values = sample_context(kind)
    text = render_text(kind, title=title, body=body, context=values)
    return pdf_from_text(text, values, issued_on=dt.date(2025, 9, 26), qr_url=str(values["progress_url"]))


def template_restore_default(*, actor: Actor | None, kind: str) -> DocumentTemplate:
    """Put the shipped text back (creating the row if missing); audited."""
    default = default_for(kind)
    row, created = DocumentTemplate.objects.update_or_create(
        kind=kind,
        defaults={
            "title": default.title,
            "body": default.body,
            "updated_by_id": actor.user_id if actor else None,
        },
    )
    audit_record(
        actor=actor,
        action="cases.document_template_restore",
        obj_type="cases.documenttemplate",
        obj_id=row.pk,
        summary=f"{default.title} 恢复默认文本",
        extra={"kind": kind, "created": created},
    )
    return row


def templates_seed(*, actor: Actor | None) -> int:
    """Create the rows of kinds that have none (with the default text); existing rows stay. Count created."""
    existing = set(DocumentTemplate.objects.values_list("kind", flat=True))
    missing = [kind for kind in DocumentKind.values if kind not in existing]
    for kind in missing:
        template_restore_default(actor=actor, kind=kind)
    return len(missing)
