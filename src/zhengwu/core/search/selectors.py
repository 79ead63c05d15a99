"""Reads from the search index: `search_documents()`.

The query goes through the same segment() as the documents. All words must match (AND); when
that finds nothing the search is repeated with any word matching (OR). User input never reaches
the engines' query languages as syntax: every word is a quoted FTS5 string or a bound parameter
passed through plainto_tsquery().
"""

from __future__ import annotations

from typing import NamedTuple

from django.db import connection

from . import segment

# Words that make an all-words query fail without narrowing it; dropped unless nothing else is left.
QUERY_STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "或",
        "是",
        "在",
        "我",
        "我要",
        "要",
        "想",
        "怎么",
        "如何",
        "吗",
        "呢",
        "请问",
    ]
)
MAX_QUERY_WORDS = 32
MAX_LIMIT = 200


class Hit(NamedTuple):
    object_id: str
    score: float
    title: str


def query_words(query: str) -> list[str]:
    words = list(dict.fromkeys(segment(query)))  # unique, in order
    meaningful = [w for w in words if w not in QUERY_STOPWORDS]
    return (meaningful or words)[:MAX_QUERY_WORDS]


def search_documents(*, kind: str, query: str, limit: int = 20, offset: int = 0) -> list[Hit]:
    """Best matches of `query` among documents of `kind`, best first."""
    words = query_words(query)
    limit = max(0, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    if not words or limit == 0:
        return []
    hits = _run(kind, words, "AND", limit, offset)
    if hits or len(words) == 1:
        return hits
    # An empty later page of an AND search must not turn into page N of an OR search.
    if offset and _run(kind, words, "AND", 1, 0):
        return []
    return _run(kind, words, "OR", limit, offset)


def _run(kind: str, words: list[str], operator: str, limit: int, offset: int) -> list[Hit]:
    if connection.vendor == "sqlite":
        sql, params = _sqlite_sql(kind, words, operator, limit, offset)
    elif connection.vendor == "postgresql":
        sql, params = _postgres_sql(kind, words, operator, limit, offset)
    else:  # pragma: no cover - the migration refuses other engines already
        raise NotImplementedError(f"core.search does not support {connection.vendor}")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [Hit(str(object_id), float(score), title) for object_id, title, score in cursor.fetchall()]


def _fts5_string(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _sqlite_sql(kind: str, words: list[str], operator: str, limit: int, offset: int) -> tuple[str, list]:
    match = f" {operator} ".join(_fts5_string(w) for w in words)
    # bm25() is "smaller is better" and negative; one call per column so that each document's own
    # title weight can be applied.
    sql = """
        SELECT d.object_id, d.title,
               d.title_weight * -bm25(core_search_fts, 1.0, 0.0) - bm25(core_search_fts, 0.0, 1.0) AS score
        FROM core_search_fts
        JOIN core_search_searchdocument d ON d.id = core_search_fts.rowid
        WHERE core_search_fts MATCH %s AND d.kind = %s
        ORDER BY score DESC, d.id
        LIMIT %s OFFSET %s
    """
    return sql, [match, kind, limit, offset]


def _postgres_sql(kind: str, words: list[str], operator: str, limit: int, offset: int) -> tuple[str, list]:
    joiner = " && " if operator == "AND" else " || "
    tsquery = joiner.join(["plainto_tsquery('simple'::regconfig, %s)"] * len(words))
    # ts_rank_cd weights are {D, C, B, A}: titles are A, bodies B.
    sql = f"""
        SELECT d.object_id, d.title,
               d.title_weight * ts_rank_cd('{{0,0,0,1}}', d.search_vector, q.query)
               + ts_rank_cd('{{0,0,1,0}}', d.search_vector, q.query) AS score
        FROM core_search_searchdocument d, (SELECT {tsquery} AS query) q
        WHERE d.kind = %s AND d.search_vector @@ q.query
        ORDER BY score DESC, d.id
        LIMIT %s OFFSET %s
    """  # noqa: S608 - only placeholders are interpolated
    return sql, [*words, kind, limit, offset]
