import pytest
from django.db import connection

from zhengwu.core.search.models import SearchDocument
from zhengwu.core.search.selectors import Hit, query_words, search_documents
from zhengwu.core.search.services import SearchEntry, index_document, reindex, remove_document

pytestmark = pytest.mark.django_db

KIND = "catalog.item"


@pytest.fixture
def items():
    index_document(
        kind=KIND, object_id=1, title="食品经营许可证核发", body="申请从事食品销售和餐饮服务的经营者办理。"
    )
    index_document(
        kind=KIND,
        object_id=2,
        title="个体工商户营业执照变更登记",
        body="变更经营场所时，需要提交食品经营许可证复印件。",
    )
    index_document(kind=KIND, object_id=3, title="居民身份证换领", body="身份证有效期满换领新证。")
    index_document(kind="hotline.knowledge", object_id=1, title="食品经营许可证怎么办", body="")


def ids(hits: list[Hit]) -> list[str]:
    return [h.object_id for h in hits]


def test_title_hit_ranks_above_body_hit(items):
    hits = search_documents(kind=KIND, query="食品经营许可证")
    assert ids(hits) == ["1", "2"]
    assert hits[0].score > hits[1].score > 0
    assert hits[0].title == "食品经营许可证核发"


def test_other_kinds_are_not_returned(items):
    assert ids(search_documents(kind="hotline.knowledge", query="许可证")) == ["1"]


def test_all_words_preferred_then_any_word(items):
    # "身份证" and "营业执照" never occur together: AND finds nothing, OR finds both.
    assert set(ids(search_documents(kind=KIND, query="身份证 营业执照"))) == {"2", "3"}
    # Both words in item 1 only: AND wins, item 2 (only "食品") is not added.
    assert ids(search_documents(kind=KIND, query="食品 餐饮")) == ["1"]


def test_stopwords_do_not_defeat_and(items):
    assert query_words("我要办理身份证") == ["办理", "身份", "身份证"]
    assert ids(search_documents(kind=KIND, query="如何换领身份证")) == ["3"]


def test_no_match_returns_empty_list(items):
    assert search_documents(kind=KIND, query="出入境签证") == []
    assert search_documents(kind=KIND, query="") == []
    assert search_documents(kind=KIND, query="，。？") == []


def test_paging(items):
    first = search_documents(kind=KIND, query="食品", limit=1)
    second = search_documents(kind=KIND, query="食品", limit=1, offset=1)
    assert ids(first) == ["1"] and ids(second) == ["2"]
    assert search_documents(kind=KIND, query="食品", limit=1, offset=5) == []
    # Past the last AND page an AND search stays empty instead of switching to OR.
    assert search_documents(kind=KIND, query="食品 餐饮", offset=1) == []


@pytest.mark.parametrize(
    "query",
    [
        '"); DROP TABLE core_search_searchdocument; --',
        "食品 OR *",
        'title_tokens:食品 NEAR("a" "b") ^食品 -经营',
        "a' | !b & c:* <-> (d",
        "NOT AND OR",
        "\\'\"%_\x00",
    ],
)
def test_query_syntax_is_never_interpreted(items, query):
    hits = search_documents(kind=KIND, query=query)
    assert isinstance(hits, list)
    assert SearchDocument.objects.count() == 4
    if "食品" in query:
        assert "1" in ids(hits)


def test_index_document_replaces_same_object(items):
    index_document(kind=KIND, object_id=3, title="出入境通行证办理", body="")
    assert search_documents(kind=KIND, query="身份证") == []
    assert ids(search_documents(kind=KIND, query="通行证")) == ["3"]
    assert SearchDocument.objects.filter(kind=KIND).count() == 3


def test_remove_document(items):
    remove_document(kind=KIND, object_id="1")
    assert ids(search_documents(kind=KIND, query="食品经营许可证")) == ["2"]
    remove_document(kind=KIND, object_id="404")  # absent: no error


def test_reindex_replaces_the_whole_kind(items):
    count = reindex(
        KIND, [SearchEntry("10", "建设工程规划许可证", "规划许可"), ("11", "道路运输经营许可", "")]
    )
    assert count == 2
    assert search_documents(kind=KIND, query="食品") == []
    assert set(ids(search_documents(kind=KIND, query="许可"))) == {"10", "11"}
    assert ids(search_documents(kind="hotline.knowledge", query="食品")) == ["1"]


def test_reindex_in_batches(monkeypatch):
    monkeypatch.setattr("zhengwu.core.search.services.BATCH_SIZE", 3)
    count = reindex(KIND, ((i, f"事项{i} 不动产登记", "") for i in range(8)))
    assert count == 8
    assert len(search_documents(kind=KIND, query="不动产登记", limit=50)) == 8


def test_title_weight_per_document():
    index_document(kind=KIND, object_id="t", title="公积金提取", body="")
    index_document(kind=KIND, object_id="b", title="其他事项", body="公积金 提取 公积金", weight_title=1.0)
    assert ids(search_documents(kind=KIND, query="公积金")) == ["t", "b"]


def test_search_uses_the_full_text_index(items):
    """The query plan goes through FTS5 / the GIN index, never a scan with LIKE."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "EXPLAIN QUERY PLAN SELECT rowid FROM core_search_fts WHERE core_search_fts MATCH %s",
                ['"食品"'],
            )
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "VIRTUAL TABLE INDEX" in plan
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                "EXPLAIN SELECT id FROM core_search_searchdocument "
                "WHERE search_vector @@ plainto_tsquery('simple', %s)",
                ["食品"],
            )
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "core_search_vector_gin" in plan
