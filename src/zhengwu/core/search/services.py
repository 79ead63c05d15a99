"""Writes to the search index. Apps call these from their own services or event handlers;
indexing is a system action, so there is no actor and no audit row."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from django.db import connection, transaction

from . import segment
from .models import DEFAULT_TITLE_WEIGHT, SearchDocument

BATCH_SIZE = 1000


class SearchEntry(NamedTuple):
    """One object for reindex(); a plain (object_id, title, body) tuple works too."""

    object_id: str | int
    title: str
    body: str = ""
    weight_title: float = DEFAULT_TITLE_WEIGHT


def _document(kind: str, object_id: str | int, title: str, body: str, weight_title: float) -> SearchDocument:
    object_key = str(object_id)
    if not kind or not object_key:
        raise ValueError("kind and object_id must not be empty")
    return SearchDocument(
        kind=kind,
        object_id=object_key,
        title=title[:500],
        body=body,
        title_tokens=" ".join(segment(title)),
        body_tokens=" ".join(segment(body)),
        title_weight=weight_title,
    )


def index_document(
    *,
    kind: str,
    object_id: str | int,
    title: str,
    body: str = "",
    weight_title: float = DEFAULT_TITLE_WEIGHT,
) -> None:
    """Add or replace one object in the index.

    `weight_title` is how much a word found in the title counts against the same word found in
    the body (default 5: title hits rank above body hits).
    """
    doc = _document(kind, object_id, title, body, weight_title)
    with transaction.atomic():
        SearchDocument.objects.update_or_create(
            kind=doc.kind,
            object_id=doc.object_id,
            defaults={
                "title": doc.title,
                "body": doc.body,
                "title_tokens": doc.title_tokens,
                "body_tokens": doc.body_tokens,
                "title_weight": doc.title_weight,
            },
        )


def remove_document(*, kind: str, object_id: str | int) -> None:
    SearchDocument.objects.filter(kind=kind, object_id=str(object_id)).delete()


def reindex(kind: str, entries: Iterable[SearchEntry | tuple]) -> int:
    """Replace every document of `kind` with `entries` in one transaction; returns the count.

    Entries are consumed in batches, so a generator over a large queryset (`.iterator()`) is fine.
    """
    count = 0
    with transaction.atomic():
        SearchDocument.objects.filter(kind=kind).delete()
        batch: list[SearchDocument] = []
        for raw in entries:
            entry = SearchEntry(*raw)
            batch.append(_document(kind, entry.object_id, entry.title, entry.body, entry.weight_title))
            if len(batch) >= BATCH_SIZE:
                SearchDocument.objects.bulk_create(batch)
                count += len(batch)
                batch = []
        if batch:
            SearchDocument.objects.bulk_create(batch)
            count += len(batch)
        _after_bulk_write()
    return count


def _after_bulk_write() -> None:
    """After many rows changed at once: merge SQLite's FTS5 segments into one (a query reads one
    b-tree per word instead of dozens); on PostgreSQL move the GIN indexes' pending entries into
    the indexes proper (otherwise every search scans them) and refresh the planner statistics.
    Dead rows are left to autovacuum."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for table in ("core_search_fts", "core_search_title_fts"):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")  # noqa: S608
        elif connection.vendor == "postgresql":
            for index in ("core_search_vector_gin", "core_search_title_vector_gin"):
                cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
            cursor.execute("ANALYZE core_search_searchdocument")
