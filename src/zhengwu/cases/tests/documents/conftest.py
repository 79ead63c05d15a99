"""Fixtures of the document tests: a case of the demo city and the text of a stored PDF."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
from django.core.files.storage import default_storage

from zhengwu.cases.models import Case, CaseDocument, CaseStatus
from zhengwu.cases.tests.factories import actor_of, make_case
from zhengwu.core.access.actor import Actor
from zhengwu.core.files.models import StoredFile

PDFTOTEXT = shutil.which("pdftotext")


@pytest.fixture
def case(demo_org: Any) -> Case:
    return make_case(status=CaseStatus.ACCEPTED)


@pytest.fixture
def clerk(demo_org: Any) -> Actor:
    return actor_of("clerk")


def stored_bytes(document: CaseDocument) -> bytes:
    stored = StoredFile.objects.get(pk=document.file_id)
    with default_storage.open(stored.storage_name, "rb") as fh:
        return bytes(fh.read())


def pdf_text(content: bytes) -> str:
    """The text of a PDF (pdftotext from poppler-utils); the test is skipped when it is missing."""
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: cannot read the PDF text")
    result = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    # Lines wrap inside long words (the case number): compare without line breaks too.
    return result.stdout.decode("utf-8")


def flat(text: str) -> str:
    return "".join(text.split())
