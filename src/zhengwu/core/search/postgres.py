"""How a bounded candidate pass (selectors._Pass) is asked of PostgreSQL.

GIN answers `vector @@ query` by walking the posting list of every lexeme in the query, even when a
rare lexeme already rules almost every document out: "个 & 许可" costs as much as 许可 alone
(83 % of the generated catalogue, ~7 ms), "个" alone 0.04 ms. So a pass gives the index only its
rare words, and tests the whole query on the rows the index returns (a filter the planner cannot
send to the index: `vector || ''`). Which words are rare comes from the planner's own statistics
of the vector columns (`pg_stats.most_common_elems`, kept by ANALYZE / autovacuum): a word below
RARE_WORD_SHARE of the documents, or not listed at all. When every word of an alternative is
common, the index gets its rarest one.

Each pass also narrows to its kind in one of three ways, from the statistics of `kind`
(see `kind_form`). None of this changes which rows a pass returns, only how fast (tested).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

# Lexeme prefix of the kind in the tsvectors (migration 0003); segment() never yields "~".
KIND_LEXEME_PREFIX = "~"
# A kind that most documents share (catalog.item) is cheaper as a plain filter beside the words'
# index lookup; a kind of a few hundred documents is cheaper to read whole through the
# (kind, object_id) index than any lookup of a common word; a kind in between uses its lexeme.
COMMON_KIND_SHARE = 0.2
SMALL_KIND_ROWS = 2000
# A word in fewer documents than this share drives the index; a commoner one is only a filter.
RARE_WORD_SHARE = 0.01
STATS_SECONDS = 60.0
VECTOR_COLUMNS = ("search_vector", "title_vector")


@dataclass(frozen=True)
class Stats:
    kinds: dict[str, tuple[float, float]] = field(default_factory=dict)  # kind → (share, rows)
    words: dict[str, dict[str, float]] = field(default_factory=dict)  # column → lexeme → share


_stats: dict[str, tuple[float, Stats]] = {}


def stats() -> Stats:
    """The planner's statistics of the search table, re-read once a minute per database."""
    key = connection.settings_dict["NAME"]
    read_at, cached = _stats.get(key, (0.0, Stats()))
    if time.monotonic() - read_at < STATS_SECONDS:
        return cached
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT s.attname, s.most_common_vals::text::text[], s.most_common_freqs,
                s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples
            FROM pg_stats AS s JOIN pg_class AS c ON c.relname = s.tablename
            AND c.relnamespace = to_regnamespace(s.schemaname)
            WHERE s.schemaname = current_schema() AND s.tablename = 'core_search_searchdocument'
            AND s.attname IN ('kind', 'search_vector', 'title_vector')"""
        )
        rows = cursor.fetchall()
    found = Stats()
    for column, values, shares, elems, elem_shares, total in rows:
        if column == "kind" and values:
            found.kinds.update({v: (s, s * total) for v, s in zip(values, shares, strict=False)})
        elif elems:  # the element shares end with their minimum and maximum: zip stops before them
            found.words[column] = dict(zip(elems, elem_shares, strict=False))
    _stats[key] = (time.monotonic(), found)
    return found


def kind_form(kind: str) -> str:
    """How a pass narrows to this kind: "scan", "filter" or "lexeme"."""
    share, rows = stats().kinds.get(kind, (None, None))
    if rows is not None and rows <= SMALL_KIND_ROWS:
        return "scan"
    if share is not None and share >= COMMON_KIND_SHARE:
        return "filter"
    return "lexeme"  # unknown to the statistics (never analysed, or a rare kind among many)


def index_words(words: Sequence[str], column: str) -> list[str]:
    """The words of one alternative that the GIN lookup gets (see the module docstring)."""
    shares = stats().words.get(column, {})
    rare = [w for w in words if shares.get(w, 0.0) < RARE_WORD_SHARE]
    return rare or [min(words, key=lambda w: shares.get(w, 0.0))]


def _lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def postgres_pass(
    number: int,
    kind: str,
    field_: str,
    cap: int,
    alternatives: Sequence[Sequence[str]],
    phrases: Sequence[Sequence[str]],
    columns: str,
) -> tuple[str, list[Any]]:
    """One pass as a parenthesised SELECT (of `columns`) and its parameters."""
    groups = phrases or alternatives
    function = "phraseto_tsquery" if phrases else "plainto_tsquery"  # plainto: every word (AND)
    column = "search_vector" if field_ == "any" else "title_vector"
    texts = [" ".join(g) for g in groups]
    query = " || ".join([f"{function}('simple'::regconfig, %s)"] * len(texts))
    form = kind_form(kind)
    if form == "scan":  # `|| ''` keeps the planner off the full-text index
        where, params = f"d.kind = %s AND (d.{column} || ''::tsvector) @@ ({query})", [kind, *texts]
    else:
        lookup = [" ".join(index_words(g, column)) for g in groups]
        index_query = " || ".join(["plainto_tsquery('simple'::regconfig, %s)"] * len(lookup))
        if form == "filter":
            where, params = f"d.kind = %s AND d.{column} @@ ({index_query})", [kind, *lookup]
        else:
            where = f"d.{column} @@ (%s::tsquery && ({index_query}))"
            params = [_lexeme(KIND_LEXEME_PREFIX + kind), *lookup]
        if phrases or lookup != texts:  # the index saw only part of it: test the whole query
            where += f" AND (d.{column} || ''::tsvector) @@ ({query})"
            params += texts
    sql = f"(SELECT {number}, {columns} FROM core_search_searchdocument AS d WHERE {where} LIMIT %s)"  # noqa: S608
    return sql, [*params, cap]
