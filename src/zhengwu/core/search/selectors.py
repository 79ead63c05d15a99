"""Reads from the search index: `match_documents()` (several kinds, several alternative queries) and
`search_documents()` (one kind, one query, paged).

The query goes through the same segment() as the documents. All words of a query must match (AND);
when no document matches any of the queries that way, the search is repeated with any word
matching (OR). User input never reaches the engines' query languages as syntax: every word is a
quoted FTS5 string or a bound parameter passed through plainto_tsquery() / phraseto_tsquery().

Bounded work per search. A common word matches tens of thousands of documents, and ranking every
match (bm25 / ts_rank_cd) is what made searches slow. Instead, one statement asks the engine, per
kind, for a bounded number of candidate rows in index order, which it answers from the full-text
indexes (migration 0003) without ranking anything and stopping at each LIMIT:

- documents that match anywhere — up to ANY_CANDIDATES (raised to the caller's `limit`);
- documents whose title matches — up to TITLE_CANDIDATES;
- per query: documents whose title holds one of the query's space-separated parts as a phrase, the
  titles the query names ("食品经营" → 食品经营许可) — up to PHRASE_CANDIDATES; checked against the
  whole query here, since the engine only matched the phrase;
- any-word fallback only, per word: documents with that word — up to WORD_CANDIDATES; how many were
  found gives the word's idf, so a rare word is not outweighed by a common one.

Only those candidates are scored, in Python, identically on both engines (`word_scores`). When a
pass reaches its cap (`Matches.capped`), the documents beyond it are not ranked: with the caps
below that happens only for words shared by more than a hundred documents, where the title
and phrase passes have already brought in the ones that stand out. See docs/kernel/search.md.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection

from . import segment
from .postgres import postgres_pass

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
MAX_QUERIES = 8
MAX_CANDIDATES = 1000  # the most a caller's `limit` can raise ANY_CANDIDATES to

# Candidates per kind and pass (see the module docstring).
PHRASE_CANDIDATES = 50
WORD_CANDIDATES = 50  # any-word fallback: per word, documents holding it
MAX_WORD_PASSES = 12
TITLE_CANDIDATES = 100
ANY_CANDIDATES = 100

# Scoring: bm25 without idf. Lengths are in words; the averages are typical catalogue documents.
K1 = 1.2
B = 0.75
AVG_TITLE_WORDS = 8.0
AVG_BODY_WORDS = 80.0


class Hit(NamedTuple):
    object_id: str
    score: float
    title: str
    kind: str = ""


class Match(NamedTuple):
    """A candidate document and its score for each of the queries (0.0: that query does not match)."""

    kind: str
    object_id: str
    title: str
    scores: tuple[float, ...]
    doc_id: int

    @property
    def score(self) -> float:
        return max(self.scores, default=0.0)


@dataclass(frozen=True)
class Matches:
    matches: list[Match]
    all_words: bool  # True: every word of a query matched; False: the any-word fallback
    capped: bool  # some pass stopped at its cap: more documents match than were scored


@dataclass(frozen=True)
class _Query:
    words: list[str]  # query_words(): unique, stopwords dropped
    phrases: list[list[str]]  # segment() of each space-separated part, in order


def query_words(query: str) -> list[str]:
    words = list(dict.fromkeys(segment(query)))  # unique, in order
    meaningful = [w for w in words if w not in QUERY_STOPWORDS]
    return (meaningful or words)[:MAX_QUERY_WORDS]


def _parse(query: str) -> _Query:
    phrases = [tokens for part in query.split() if (tokens := segment(part)[:MAX_QUERY_WORDS])]
    return _Query(query_words(query), phrases[:MAX_QUERY_WORDS])


def search_documents(*, kind: str, query: str, limit: int = 20, offset: int = 0) -> list[Hit]:
    """Best matches of `query` among documents of `kind`, best first."""
    limit = max(0, min(int(limit), MAX_LIMIT))
    offset = max(0, int(offset))
    if limit == 0:
        return []
    found = match_documents(kinds=[kind], queries=[query], limit=offset + limit)
    ranked = sorted(found.matches, key=lambda m: (-m.score, m.doc_id))
    return [Hit(m.object_id, m.score, m.title, m.kind) for m in ranked[offset : offset + limit]]


def match_documents(*, kinds: Sequence[str], queries: Sequence[str], limit: int = 20) -> Matches:
    """Candidate documents of `kinds` matching any of `queries` (alternatives, e.g. synonym rewrites),
    each with one score per query; unordered. `limit`: how many of the best the caller will use, so
    that many documents are looked at (up to MAX_CANDIDATES) when that many match."""
    parsed = [_parse(q) for q in queries[:MAX_QUERIES]]
    usable = [q for q in parsed if q.words]
    kinds = list(dict.fromkeys(k for k in kinds if k))
    if not usable or not kinds:
        return Matches([], True, False)
    any_cap = max(ANY_CANDIDATES, min(int(limit) + 1, MAX_CANDIDATES))
    found = _candidates(kinds, usable, all_words=True, any_cap=any_cap)
    # Title-phrase rows alone do not count: the engine has not checked the rest of the query.
    all_words = any(verified for verified, *_row in found.rows)
    if not all_words and any(len(q.words) > 1 for q in usable):
        found = _candidates(kinds, usable, all_words=False, any_cap=any_cap)
    return Matches(_score_rows(found, parsed, all_words), all_words, found.capped)


# --- scoring ------------------------------------------------------------------------------------


def _saturate(tf: int, length: int, average: float) -> float:
    if not tf:
        return 0.0
    return tf * (K1 + 1) / (tf + K1 * (1 - B + B * length / average))


def word_scores(
    words: Sequence[str],
    title_tokens: str,
    body_tokens: str,
    title_weight: float,
    idf: Mapping[str, float] | None = None,
) -> dict[str, float]:
    """Each word's part of a document's score: bm25's per-field term-frequency part, a title hit
    counting `title_weight` times a body hit, times the word's `idf` (default 1). 0.0 for a word the
    document does not contain. Tokens are space-joined segment() output."""
    # Searched as strings (splitting the tokens costs more than everything else here): " word "
    # occurs in " tokens " exactly where the token is; in the copy with doubled spaces, repeated
    # tokens next to each other do not share a space, so str.count() counts every one.
    title_padded, body_padded = f" {title_tokens} ", f" {body_tokens} "
    title_len = title_tokens.count(" ") + 1 if title_tokens else 0
    body_len = body_tokens.count(" ") + 1 if body_tokens else 0
    title_doubled = body_doubled = ""
    out: dict[str, float] = {}
    for word in words:
        needle = f" {word} "
        score = 0.0
        if needle in title_padded:
            title_doubled = title_doubled or " " + title_tokens.replace(" ", "  ") + " "
            score += title_weight * _saturate(title_doubled.count(needle), title_len, AVG_TITLE_WORDS)
        if needle in body_padded:
            body_doubled = body_doubled or " " + body_tokens.replace(" ", "  ") + " "
            score += _saturate(body_doubled.count(needle), body_len, AVG_BODY_WORDS)
        out[word] = score * idf.get(word, 1.0) if idf and score else score
    return out


def _query_scores(queries: list[_Query], per_word: dict[str, float], require_all: bool) -> tuple[float, ...]:
    result = []
    for q in queries:
        parts = [per_word[w] for w in q.words]
        matched = bool(parts) and (all(parts) if require_all else any(parts))
        result.append(sum(parts) if matched else 0.0)
    return tuple(result)


def _score_rows(found: _Fetched, queries: list[_Query], all_words: bool) -> list[Match]:
    words = list(dict.fromkeys(w for q in queries for w in q.words))
    out: dict[int, Match] = {}
    for verified, doc_id, kind, object_id, title, title_tokens, body_tokens, title_weight in found.rows:
        if doc_id in out:
            continue
        idf = found.idf.get(kind)
        per_word = word_scores(words, title_tokens or "", body_tokens or "", title_weight, idf)
        scores = _query_scores(queries, per_word, all_words)
        if not any(scores):
            if not verified:  # a title phrase without the rest of the query
                continue
            # The engine matched it, but its words split differently from ours (e.g. a word the
            # PostgreSQL parser cuts in two): score the words it has, and never below zero.
            scores = _query_scores(queries, per_word, False)
            best = max(range(len(scores)), key=lambda i: (scores[i], -i))
            scores = tuple(max(s, 1e-6) if i == best else s for i, s in enumerate(scores))
        out[doc_id] = Match(str(kind), str(object_id), title, scores, int(doc_id))
    return list(out.values())


# --- candidates ---------------------------------------------------------------------------------


class _Pass(NamedTuple):
    """One bounded lookup: documents matching any of `alternatives` (each: all its words), in the
    whole document or only the title; or (`phrases`) whose title holds one of the phrases."""

    field: str  # "any" | "title"
    cap: int
    alternatives: Sequence[Sequence[str]] = ()
    phrases: Sequence[Sequence[str]] = ()
    counts_word: str = ""  # the any-word fallback's per-word pass: its row count estimates the idf

    @property
    def verified(self) -> bool:
        """Whether a row of this pass is known to match the query (a phrase row is not)."""
        return not self.phrases


@dataclass(frozen=True)
class _Fetched:
    rows: list[tuple[Any, ...]]  # (verified, id, kind, object_id, title, title_tokens, body_tokens, weight)
    capped: bool  # a pass stopped at its cap
    idf: dict[str, dict[str, float]]  # kind → word → idf (any-word fallback only)


def _match_words(words: list[str]) -> list[str]:
    """The words an all-words match has to look up: a 2- or 3-character word inside a longer query
    word is left out, since segment() (search mode) also puts it in any document holding the longer
    word ("营业执照" → 营业 执照 营业执照), so looking it up would only cost time."""
    return [
        w
        for w in words
        if not any(
            len(v) > len(w) and w in v and (len(w) == 2 or (len(w) == 3 and len(v) > 3)) for v in words
        )
    ]


def _passes(queries: list[_Query], all_words: bool, any_cap: int) -> list[_Pass]:
    if all_words:
        alternatives = [_match_words(q.words) for q in queries]
        return [
            _Pass("any", any_cap, alternatives),
            _Pass("title", TITLE_CANDIDATES, alternatives),
            # Per query: the titles it names, however many other titles share its words.
            *(_Pass("title", PHRASE_CANDIDATES, phrases=q.phrases) for q in queries if q.phrases),
        ]
    words = list(dict.fromkeys(w for q in queries for w in q.words))
    return [
        _Pass("any", any_cap, [[w] for w in words]),
        _Pass("title", TITLE_CANDIDATES, [[w] for w in words]),
        # Per word: a rare word's documents are not crowded out by a common word's, and how many
        # there are (up to the cap) tells how rare it is.
        *(_Pass("any", WORD_CANDIDATES, [[w]], counts_word=w) for w in words[:MAX_WORD_PASSES]),
    ]


def _candidates(kinds: list[str], queries: list[_Query], *, all_words: bool, any_cap: int) -> _Fetched:
    """The rows of every pass for every kind, fetched with one statement."""
    if connection.vendor == "sqlite":
        build = _sqlite_pass
    elif connection.vendor == "postgresql":
        build = _postgres_pass
    else:  # pragma: no cover - the migration refuses other engines already
        raise NotImplementedError(f"core.search does not support {connection.vendor}")
    passes = [(kind, one) for kind in kinds for one in _passes(queries, all_words, any_cap)]
    parts: list[str] = []
    params: list[Any] = []
    for number, (kind, one) in enumerate(passes):
        sql, pass_params = build(number, kind, one)
        parts.append(sql)
        params.extend(pass_params)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    per_pass = Counter(row[0] for row in rows)
    idf: dict[str, dict[str, float]] = {}
    for number, (kind, one) in enumerate(passes):
        if one.counts_word:
            # log(1 + cap / documents): about 0.7 for a word found in `cap` documents or more.
            idf.setdefault(kind, {})[one.counts_word] = math.log(1 + one.cap / max(1, per_pass[number]))
    rows.sort(key=lambda row: not passes[row[0]][1].verified)  # a verified copy of a document first
    return _Fetched(
        rows=[(passes[row[0]][1].verified, *row[1:]) for row in rows if row[2] in kinds],
        capped=any(per_pass[n] >= one.cap for n, (_kind, one) in enumerate(passes)),
        idf=idf,
    )


COLUMNS = "d.id, d.kind, d.object_id, d.title, d.title_tokens, d.body_tokens, d.title_weight"


def _fts5_string(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _sqlite_pass(number: int, kind: str, one: _Pass) -> tuple[str, list[Any]]:
    if one.phrases:
        expression = " OR ".join(_fts5_string(" ".join(p)) for p in one.phrases)
    else:
        expression = " OR ".join(
            "(" + " AND ".join(_fts5_string(w) for w in a) + ")" for a in one.alternatives
        )
    # Titles have an index of their own: a word common in bodies but rare in titles costs nothing.
    table = "core_search_fts" if one.field == "any" else "core_search_title_fts"
    # The FTS5 cursor runs in rowid order and stops at the LIMIT; CROSS JOIN keeps it the outer loop.
    sql = f"""SELECT {number}, {COLUMNS}
        FROM (SELECT rowid AS rid FROM {table} WHERE {table} MATCH %s LIMIT %s) AS f
        CROSS JOIN core_search_searchdocument AS d ON d.id = f.rid"""  # noqa: S608 - only placeholders
    return sql, [f"{{kind}} : {_fts5_string(kind)} AND ({expression})", one.cap]


def _postgres_pass(number: int, kind: str, one: _Pass) -> tuple[str, list[Any]]:
    return postgres_pass(number, kind, one.field, one.cap, one.alternatives, one.phrases, COLUMNS)
