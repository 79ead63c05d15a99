"""Cases in a given state for the applicant page tests (built with the factories, no services)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from zhengwu.cases.models import (
    CaseDocument,
    CaseStatus,
    DocumentKind,
    MaterialState,
    SupplementRequest,
    TimelineEntry,
)
from zhengwu.cases.tests.factories import at, make_case, pdf_upload
from zhengwu.core.files.services import file_store

from .conftest import NOW_DAY


def body(response: Any) -> str:
    return response.content.decode()


def with_timeline(case: Any, *entries: tuple[str, str, bool]) -> Any:
    for n, (action, title, public) in enumerate(entries):
        TimelineEntry.objects.create(
            case=case, at=at(NOW_DAY, 9, n), action=action, title=title, summary="", public=public
        )
    return case


def add_document(
    case: Any, *, kind: str = DocumentKind.ACCEPTANCE, title: str = "受理通知书", result: bool = False
) -> CaseDocument:
    stored = file_store(
        actor=None,
        upload=pdf_upload(f"{title}.pdf", text=f"{case.number}"),
        purpose="case_document",
        owner_user_id=case.applicant_user_id,
    )
    return CaseDocument.objects.create(
        case=case,
        kind=kind,
        number=f"示市监受〔2025〕{case.pk}号",
        title=title,
        file_id=stored.pk,
        issued_at=timezone.now(),
        is_result=result,
    )


def supplement_case(**fields: Any) -> tuple[Any, SupplementRequest]:
    """A case waiting for the applicant's supplement of its first material."""
    case = make_case(status=CaseStatus.SUPPLEMENT, with_files=True, **fields)
    listed = case.materials.order_by("order", "pk").first()
    listed.state = MaterialState.DEFECTIVE
    listed.check_note = "复印件不清晰"
    listed.save()
    clerk = get_user_model().objects.get(username="clerk")
    request = SupplementRequest.objects.create(
        case=case,
        round=1,
        items=[{"material_id": listed.pk, "name": listed.name, "reason": "复印件不清晰"}],
        issued_at=at(NOW_DAY, 9),
        issued_by=clerk,
    )
    with_timeline(
        case, ("case_received", "收件", True), ("case_supplement_requested", "一次性告知补正", True)
    )
    return case, request
