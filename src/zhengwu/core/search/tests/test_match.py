"""match_documents(): several kinds and alternative queries in one go, bounded candidate passes."""

import time

import pytest
from django.db import connection

from zhengwu.core.search import postgres, selectors
from zhengwu.core.search.selectors import _match_words, match_documents, search_documents
from zhengwu.core.search.services import SearchEntry, index_document, reindex

pytestmark = pytest.mark.django_db

ITEM = "catalog.item"
BUNDLE = "catalog.bundle"


def by_id(matches):
    return {(m.kind, m.object_id): m for m in matches}


def test_kinds_and_alternative_queries_in_one_call():
    index_document(kind=ITEM, object_id=1, title="食品经营许可", body="餐饮服务")
    index_document(kind=ITEM, object_id=2, title="小餐饮登记", body="")
    index_document(kind=BUNDLE, object_id=1, title="开办餐饮店 开饭店", body="食品经营许可")
    index_document(kind="other.kind", object_id=1, title="食品经营", body="")
    found = match_documents(kinds=[ITEM, BUNDLE], queries=["开饭店", "食品经营", "餐饮"])
    matches = by_id(found.matches)
    assert set(matches) == {(ITEM, "1"), (ITEM, "2"), (BUNDLE, "1")}
    assert found.all_words and not found.capped
    # One score per query; 0.0 where the document lacks one of that query's words.
    assert matches[(ITEM, "1")].scores[0] == 0.0
    assert matches[(ITEM, "1")].scores[1] > 0 and matches[(ITEM, "1")].scores[2] > 0
    assert matches[(ITEM, "2")].scores[:2] == (0.0, 0.0)
    assert all(s > 0 for s in matches[(BUNDLE, "1")].scores)


def test_kind_must_match_exactly():
    index_document(kind="catalog.item.draft", object_id=1, title="食品经营许可", body="")
    index_document(kind="Catalog.Item", object_id=2, title="食品经营许可", body="")
    assert match_documents(kinds=[ITEM], queries=["食品经营"]).matches == []


def test_title_scores_above_body_and_short_titles_above_long():
    index_document(kind=ITEM, object_id="body", title="其他事项", body="食品 经营 许可")
    index_document(kind=ITEM, object_id="long", title="预包装食品销售经营许可延续 预包装食品销售", body="")
    index_document(kind=ITEM, object_id="short", title="食品经营许可", body="")
    hits = search_documents(kind=ITEM, query="食品经营许可")
    assert [h.object_id for h in hits] == ["short", "long", "body"]
    assert hits[0].kind == ITEM


def test_caps_bound_the_work_and_the_named_title_still_wins(monkeypatch):
    monkeypatch.setattr(selectors, "ANY_CANDIDATES", 3)
    monkeypatch.setattr(selectors, "TITLE_CANDIDATES", 3)
    monkeypatch.setattr(selectors, "PHRASE_CANDIDATES", 3)
    # All the words in every title, indexed first: they fill the capped passes in index order ...
    reindex(ITEM, (SearchEntry(i, f"许可经营食品{i}号", "") for i in range(20)))
    # ... and the title that names the query comes last; the phrase pass still finds it.
    index_document(kind=ITEM, object_id="named", title="食品经营许可", body="")
    found = match_documents(kinds=[ITEM], queries=["食品经营许可"], limit=1)
    assert found.capped
    assert len(found.matches) <= 3 + 3 + 3
    best = max(found.matches, key=lambda m: m.score)
    assert best.object_id == "named"


def test_limit_raises_the_any_pass():
    reindex(ITEM, (SearchEntry(i, f"事项{i}", "不动产 登记") for i in range(30)))
    assert len(search_documents(kind=ITEM, query="不动产登记", limit=30)) == 30
    page = search_documents(kind=ITEM, query="不动产登记", limit=10, offset=20)
    assert len(page) == 10


def test_title_phrase_alone_does_not_match():
    # The title holds the phrase of the query's second part, but the first part is nowhere.
    index_document(kind=ITEM, object_id=1, title="食品经营许可", body="")
    index_document(kind=ITEM, object_id=2, title="东城区食品经营许可", body="")
    found = match_documents(kinds=[ITEM], queries=["东城区 食品经营"])
    assert found.all_words
    assert [m.object_id for m in found.matches] == ["2"]


def test_any_word_fallback_weighs_rare_words_up():
    index_document(kind=ITEM, object_id="rare", title="奶茶店登记", body="")
    for i in range(12):
        index_document(kind=ITEM, object_id=f"c{i}", title=f"经营场所{i}", body="经营")
    found = match_documents(kinds=[ITEM], queries=["经营 奶茶 火星"])
    assert not found.all_words
    best = max(found.matches, key=lambda m: m.score)
    assert best.object_id == "rare"
    assert len(found.matches) == 13


def test_match_words_leave_out_parts_of_longer_words():
    assert _match_words(["营业", "执照", "营业执照"]) == ["营业执照"]
    assert _match_words(["东城", "城区", "东城区", "食品"]) == ["东城区", "食品"]
    # A three-character word inside another three-character word is not a search-mode part.
    assert _match_words(["许可证", "许可证"]) == ["许可证", "许可证"]
    assert _match_words(["残疾", "残疾人", "证"]) == ["残疾人", "证"]


def test_title_lookups_use_the_title_index():
    index_document(kind=ITEM, object_id=1, title="食品经营许可", body="")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            sql = "SELECT rowid FROM core_search_title_fts WHERE core_search_title_fts MATCH %s"
            match = '{kind} : "catalog.item" AND "食品"'
            cursor.execute("EXPLAIN QUERY PLAN " + sql, [match])
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "VIRTUAL TABLE INDEX" in plan
            cursor.execute(sql, [match])
            assert len(cursor.fetchall()) == 1
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                "EXPLAIN SELECT id FROM core_search_searchdocument "
                "WHERE title_vector @@ ('''~catalog.item'''::tsquery && plainto_tsquery('simple', %s))",
                ["食品"],
            )
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "core_search_title_vector_gin" in plan


def test_reindex_keeps_the_index_usable():
    """reindex() ends with engine maintenance (FTS5 optimize / GIN pending list, ANALYZE)."""
    assert reindex(ITEM, [("1", "公积金提取", ""), ("2", "公积金贷款", "")]) == 2
    assert {h.object_id for h in search_documents(kind=ITEM, query="公积金")} == {"1", "2"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's ways of narrowing to a kind")
@pytest.mark.parametrize("form", ["scan", "filter", "lexeme"])
def test_every_postgres_kind_form_finds_the_same_documents(monkeypatch, form):
    for n in range(1, 6):
        index_document(kind=ITEM, object_id=n, title=f"食品经营许可 第{n}号", body="餐饮服务")
    index_document(kind=ITEM, object_id=9, title="道路运输经营许可", body="")
    index_document(kind=BUNDLE, object_id=1, title="开办餐饮店", body="食品经营许可")
    index_document(kind="catalog.item.draft", object_id=1, title="食品经营许可", body="")
    monkeypatch.setattr(postgres, "kind_form", lambda kind: form)
    found = match_documents(kinds=[ITEM, BUNDLE], queries=["食品经营", "餐饮"])
    assert {(m.kind, m.object_id) for m in found.matches} == {(ITEM, str(n)) for n in range(1, 6)} | {
        (BUNDLE, "1")
    }
    assert match_documents(kinds=[BUNDLE], queries=["道路运输"]).matches == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's planner statistics")
def test_kind_form_follows_the_planner_statistics(monkeypatch):
    for n in range(1, 40):
        index_document(kind=ITEM, object_id=n, title=f"事项{n}", body="")
    index_document(kind=BUNDLE, object_id=1, title="一件事", body="")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_search_searchdocument")
    monkeypatch.setattr(postgres, "_stats", {})
    assert postgres.kind_form(ITEM) == "scan"  # 39 rows: small enough to read whole
    monkeypatch.setattr(postgres, "SMALL_KIND_ROWS", 10)
    monkeypatch.setattr(postgres, "_stats", {})
    assert postgres.kind_form(ITEM) == "filter"  # most of the documents
    assert postgres.kind_form("hotline.knowledge") == "lexeme"  # not in the statistics


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index words")
@pytest.mark.parametrize("form", ["filter", "lexeme"])
def test_common_words_left_out_of_the_index_lookup_find_the_same_documents(monkeypatch, form):
    """Whichever words the GIN lookup gets, the whole query is tested: the same rows come back."""
    for n in range(1, 6):
        index_document(kind=ITEM, object_id=n, title=f"食品经营许可 第{n}号", body="餐饮服务 个体")
    index_document(kind=ITEM, object_id=7, title="经营 食品 许可", body="")  # words apart: no phrase
    index_document(kind=ITEM, object_id=9, title="道路运输经营许可", body="个体")
    monkeypatch.setattr(postgres, "kind_form", lambda kind: form)
    queries = ["食品经营", "个体 餐饮", "道路运输经营"]

    def found():
        return {
            (m.kind, m.object_id, m.scores) for m in match_documents(kinds=[ITEM], queries=queries).matches
        }

    monkeypatch.setattr(
        postgres, "_stats", {connection.settings_dict["NAME"]: (time.monotonic(), postgres.Stats())}
    )
    every_word = found()
    common = {"食品": 0.5, "经营": 0.9, "餐饮": 0.3, "个体": 0.2, "许可": 0.9}
    stats = postgres.Stats(words={"search_vector": common, "title_vector": common})
    monkeypatch.setattr(postgres, "_stats", {connection.settings_dict["NAME"]: (time.monotonic(), stats)})
    assert postgres.index_words(["食品", "经营"], "title_vector") == ["食品"]  # all common: the rarest
    assert postgres.index_words(["道路", "运输", "经营"], "title_vector") == ["道路", "运输"]
    assert found() == every_word
    assert {oid for _k, oid, _s in every_word} == {"1", "2", "3", "4", "5", "7", "9"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's planner statistics")
def test_word_shares_come_from_the_planner_statistics(monkeypatch):
    for n in range(1, 40):
        index_document(kind=ITEM, object_id=n, title=f"事项{n} 许可", body="许可 办理")
    index_document(kind=ITEM, object_id=99, title="罕见", body="")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE core_search_searchdocument")
    monkeypatch.setattr(postgres, "_stats", {})
    words = postgres.stats().words
    assert words["search_vector"]["许可"] > 0.9
    assert postgres.index_words(["许可", "罕见"], "search_vector") == ["罕见"]
