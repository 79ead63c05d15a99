"""Everyday Chinese words find the formal item; the index follows effective versions and cancellations."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from zhengwu.catalog.search_index import (
    BUNDLE_KIND,
    ITEM_KIND,
    catalog_reindex,
    expand_query,
    index_item,
    on_item_cancelled,
    on_version_effective,
)
from zhengwu.catalog.selectors.public import catalog_search
from zhengwu.catalog.tests.factories import department, make_item
from zhengwu.core.search.models import SearchDocument

EVERYDAY_QUERIES = [
    ("开饭店", "食品经营许可"),
    ("我想开个奶茶店", "食品经营许可"),
    ("注册公司", "企业设立登记"),
    ("开公司", "企业设立登记"),
    ("残疾证", "残疾人证办理"),
    ("建房", "建设工程规划许可"),
    ("盖房子", "建设工程规划许可"),
    ("挂招牌", "户外广告设施设置审批"),
    ("广告牌", "户外广告设施设置审批"),
    ("开理发店", "公共场所卫生许可"),
    ("查政府文件", "政府信息公开申请"),
    ("食品经营许可证", "食品经营许可"),
    ("施工许可", "建设工程施工许可"),
]


def first_item(query: str) -> str | None:
    for result in catalog_search(query).results:
        if result.kind == "item":
            return result.obj.name
    return None


@pytest.mark.parametrize(("query", "expected"), EVERYDAY_QUERIES)
def test_everyday_words_find_the_formal_item_first(catalog, query, expected):
    assert first_item(query) == expected


def test_kaifandian_finds_the_item_and_the_bundle(catalog):
    found = catalog_search("开饭店")
    kinds = {(r.kind, r.obj.name) for r in found.results}
    assert ("item", "食品经营许可") in kinds
    assert ("bundle", "开办餐饮店") in kinds
    assert "食品经营" in found.highlight_words


def test_item_aliases_are_searchable(catalog):
    dept = department("示范市民政局")
    make_item(name="社会团体成立登记", dept=dept, basic_code="000801001000", aliases=["办协会"])
    catalog_reindex()
    assert first_item("办协会") == "社会团体成立登记"


def test_unknown_words_find_nothing(catalog):
    assert catalog_search("火星移民签证").results == []


@pytest.mark.parametrize(
    "query",
    [
        '" OR 1=1 --',
        "食品 AND NOT 许可",
        "*",
        "NEAR(食品 许可)",
        "'; DROP TABLE catalog_serviceitem; --",
        '食品" OR "',
        "^许可",
        "col:食品",
        "(",
        "\\",
        "%_%",
    ],
)
def test_query_syntax_is_never_interpreted(catalog, query):
    found = catalog_search(query)  # no exception, and the index is intact afterwards
    assert isinstance(found.results, list)
    assert first_item("开饭店") == "食品经营许可"


def test_expand_query_rewrites_everyday_words():
    assert expand_query("开饭店") == ["开饭店", "食品经营", "餐饮"]
    assert expand_query("东城区建房")[1:] == ["东城区 建设工程规划许可", "东城区 建设工程施工许可"]
    assert expand_query("营业执照") == ["营业执照"]


def test_search_only_returns_public_items(catalog):
    # A stale index row of an item that is no longer in use never reaches the results.
    item = catalog["items"]["残疾人证办理"]
    item.is_active = False
    item.save(update_fields=["is_active"])
    assert first_item("残疾证") is None


def test_cancelled_item_disappears_from_the_index(catalog):
    item = catalog["items"]["户外广告设施设置审批"]
    assert SearchDocument.objects.filter(kind=ITEM_KIND, object_id=str(item.pk)).exists()
    item.is_active = False
    item.save(update_fields=["is_active"])
    on_item_cancelled(SimpleNamespace(payload={"item_id": item.pk, "version_id": item.current_version_id}))
    assert not SearchDocument.objects.filter(kind=ITEM_KIND, object_id=str(item.pk)).exists()
    assert first_item("挂招牌") is None
    # The bundle is re-indexed without it: its body no longer names the item.
    doc = SearchDocument.objects.get(kind=BUNDLE_KIND, object_id=str(catalog["bundle"].pk))
    assert "户外广告设施设置审批" not in doc.body


def test_version_effective_event_indexes_the_item(catalog):
    dept = department("示范市交通运输局")
    item = make_item(name="道路运输经营许可", dept=dept, basic_code="000901001000")
    assert first_item("跑运输") != "道路运输经营许可"
    on_version_effective(SimpleNamespace(payload={"item_id": item.pk, "version_id": item.current_version_id}))
    assert first_item("跑运输") == "道路运输经营许可"


def test_draft_items_are_not_indexed(catalog):
    dept = department("示范市交通运输局")
    item = make_item(name="道路运输经营许可", dept=dept, basic_code="000901001000", status="draft")
    assert index_item(item.pk) is False
    assert not SearchDocument.objects.filter(kind=ITEM_KIND, object_id=str(item.pk)).exists()


def test_reindex_counts_and_command(catalog):
    from django.core.management import call_command

    SearchDocument.objects.filter(kind=ITEM_KIND).delete()
    call_command("reindex_catalog", verbosity=0)
    assert SearchDocument.objects.filter(kind=ITEM_KIND).count() == 8
    assert SearchDocument.objects.filter(kind=BUNDLE_KIND).count() == 1


def test_search_paginates(catalog):
    first = catalog_search("许可", per_page=2)
    second = catalog_search("许可", page=2, per_page=2)
    assert first.has_next
    assert len(first.results) == 2
    assert {r.obj.pk for r in first.results}.isdisjoint({r.obj.pk for r in second.results})
