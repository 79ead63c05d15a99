"""Keeps the search index in step with effective versions, and turns everyday words into formal ones.

What a citizen types ("开饭店") is rarely what the catalogue calls the item (食品经营许可). Two things
bridge the gap: each item's own `aliases` (indexed into its title) and the small synonym table below,
which rewrites a query into the formal words before it reaches the index.

Index contents: kind "catalog.item" (object id = ServiceItem.pk) and kind "catalog.bundle"
(object id = Bundle.pk). Only items with an effective current version and published bundles are
indexed; everything else is removed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from django.db.models import Prefetch, QuerySet

from zhengwu.core.events.registry import handler
from zhengwu.core.search.services import SearchEntry, index_document, reindex, remove_document

from .models import Bundle, BundleItem, ItemVersion, MaterialRequirement, ServiceItem
from .models.choices import CompanyTheme, ItemType, PersonTheme, VersionStatus

logger = logging.getLogger(__name__)

ITEM_KIND = "catalog.item"
BUNDLE_KIND = "catalog.bundle"
LEGAL_BASIS_CHARS = 120

# Everyday word → the formal words it stands for. Each alternative is a query variant of its own, so
# "建房" finds both 建设工程规划许可 and 建设工程施工许可. Longer keys win over shorter ones.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "开饭店": ("食品经营", "餐饮"),
    "开餐馆": ("食品经营", "餐饮"),
    "开餐厅": ("食品经营", "餐饮"),
    "开奶茶店": ("食品经营", "餐饮"),
    "开小吃店": ("食品经营", "餐饮"),
    "饭店": ("食品经营", "餐饮"),
    "餐馆": ("食品经营", "餐饮"),
    "奶茶店": ("食品经营", "餐饮"),
    "小吃店": ("食品经营", "餐饮"),
    "开超市": ("食品经营",),
    "卖吃的": ("食品经营",),
    "开公司": ("企业设立登记", "企业开办"),
    "注册公司": ("企业设立登记", "企业开办"),
    "办营业执照": ("企业设立登记", "个体工商户登记"),
    "办执照": ("企业设立登记",),
    "生孩子": ("新生儿", "出生"),
    "生小孩": ("新生儿", "出生"),
    "上户口": ("出生登记", "户口"),
    "盖房子": ("建设工程规划许可", "建设工程施工许可"),
    "建房": ("建设工程规划许可", "建设工程施工许可"),
    "起房子": ("建设工程规划许可", "建设工程施工许可"),
    "装修": ("施工许可", "装饰装修"),
    "残疾证": ("残疾人证",),
    "挂招牌": ("户外广告",),
    "广告牌": ("户外广告",),
    "招牌": ("户外广告",),
    "理发店": ("公共场所卫生许可",),
    "美容院": ("公共场所卫生许可",),
    "开宾馆": ("公共场所卫生许可", "特种行业"),
    "开旅馆": ("公共场所卫生许可", "特种行业"),
    "跑运输": ("道路运输经营许可",),
    "开货车": ("道路运输经营许可",),
    "查政府文件": ("政府信息公开",),
    "要政府信息": ("政府信息公开",),
    "成立协会": ("社会团体登记",),
    "成立商会": ("社会团体登记",),
    "关公司": ("企业注销",),
    "注销公司": ("企业注销",),
    "结婚": ("婚姻登记",),
    "离婚": ("婚姻登记",),
    "退休": ("退休", "养老"),
}
_SYNONYM_KEYS = sorted(SYNONYMS, key=len, reverse=True)
MAX_EXPANSIONS = 4


def expand_query(query: str) -> list[str]:
    """The query itself, then each formal rewrite of the everyday words it contains (at most a few).

    Every everyday word found is replaced by one alternative at a time; the rest of the query is
    kept, so "东城区开饭店" becomes "东城区 食品经营".
    """
    query = " ".join(query.split())
    variants = [query]
    rest = query
    found: list[str] = []
    for key in _SYNONYM_KEYS:
        if key in rest:
            found.append(key)
            rest = rest.replace(key, " ")
    for key in found:
        for formal in SYNONYMS[key]:
            rewritten = " ".join((query.replace(key, f" {formal} ")).split())
            # Other everyday words in the same query are rewritten to their first alternative.
            for other in found:
                if other != key:
                    rewritten = rewritten.replace(other, f" {SYNONYMS[other][0]} ")
            rewritten = " ".join(rewritten.split())
            if rewritten not in variants:
                variants.append(rewritten)
    return variants[: 1 + MAX_EXPANSIONS]


def formal_words(query: str) -> list[str]:
    """The formal words the synonym table adds for `query` (for highlighting)."""
    words: list[str] = []
    for key in _SYNONYM_KEYS:
        if key in query:
            words.extend(SYNONYMS[key])
    return words


# --- documents ----------------------------------------------------------------------------------


def _theme_labels(themes: list[str]) -> list[str]:
    labels = {**dict(PersonTheme.choices), **dict(CompanyTheme.choices)}
    return [str(labels[t]) for t in themes if t in labels]


def item_entry(item: ServiceItem) -> SearchEntry | None:
    """The index document of an item (None when it must not be public).

    Expects `department`, `current_version` and the version's `materials` to be loaded (or loads them).
    """
    version = item.current_version
    if not item.is_active or version is None or version.status != VersionStatus.EFFECTIVE:
        return None
    title = " ".join([version.name or item.name, *[a for a in item.aliases if isinstance(a, str)]])
    materials = [m.name for m in version.materials.all()]
    body = "\n".join(
        part
        for part in (
            version.conditions,
            " ".join(materials),
            item.department.name,
            version.result_name,
            (version.legal_basis or "")[:LEGAL_BASIS_CHARS],
            str(ItemType(item.item_type).label) if item.item_type in ItemType.values else "",
            " ".join(_theme_labels(item.themes or [])),
        )
        if part
    )
    return SearchEntry(item.pk, title, body)


def bundle_entry(bundle: Bundle) -> SearchEntry | None:
    if not bundle.is_published:
        return None
    title = " ".join([bundle.name, *[a for a in bundle.aliases if isinstance(a, str)]])
    item_names = [m.item.name for m in bundle.members.all() if m.item.is_active]
    body = "\n".join(
        p
        for p in (bundle.description, " ".join(item_names), " ".join(_theme_labels(bundle.themes or [])))
        if p
    )
    return SearchEntry(bundle.pk, title, body)


def _items_for_index() -> QuerySet[ServiceItem]:
    return ServiceItem.objects.select_related("department", "current_version").prefetch_related(
        Prefetch(
            "current_version__materials",
            queryset=MaterialRequirement.objects.only("id", "version_id", "name"),
        )
    )


def _bundles_for_index() -> QuerySet[Bundle]:
    return Bundle.objects.prefetch_related(
        Prefetch(
            "members",
            queryset=BundleItem.objects.select_related("item").only(
                "id", "bundle_id", "item__name", "item__is_active"
            ),
        )
    )


def index_item(item_id: int) -> bool:
    """Index (or remove) one item and re-index the bundles it belongs to; True when it is indexed."""
    item = _items_for_index().filter(pk=item_id).first()
    entry = item_entry(item) if item is not None else None
    if entry is None:
        remove_document(kind=ITEM_KIND, object_id=item_id)
    else:
        index_document(kind=ITEM_KIND, object_id=entry.object_id, title=entry.title, body=entry.body)
    for bundle_id in BundleItem.objects.filter(item_id=item_id).values_list("bundle_id", flat=True):
        index_bundle(bundle_id)
    return entry is not None


def index_bundle(bundle_id: int) -> bool:
    """Index (or remove, when unpublished or gone) one bundle; True when it is indexed."""
    bundle = _bundles_for_index().filter(pk=bundle_id).first()
    entry = bundle_entry(bundle) if bundle is not None else None
    if entry is None:
        remove_document(kind=BUNDLE_KIND, object_id=bundle_id)
        return False
    index_document(kind=BUNDLE_KIND, object_id=entry.object_id, title=entry.title, body=entry.body)
    return True


def _item_entries() -> Iterator[SearchEntry]:
    qs = _items_for_index().filter(is_active=True, current_version__status=VersionStatus.EFFECTIVE)
    for item in qs.order_by("pk").iterator(chunk_size=2000):
        entry = item_entry(item)
        if entry is not None:
            yield entry


def _bundle_entries() -> Iterator[SearchEntry]:
    for bundle in _bundles_for_index().filter(is_published=True).order_by("pk"):
        entry = bundle_entry(bundle)
        if entry is not None:
            yield entry


def catalog_reindex() -> dict[str, int]:
    """Rebuild the whole catalogue index (items and bundles); returns the counts."""
    items = reindex(ITEM_KIND, _item_entries())
    bundles = reindex(BUNDLE_KIND, _bundle_entries())
    logger.info("catalogue reindexed: %s items, %s bundles", items, bundles)
    return {"items": items, "bundles": bundles}


# --- events -------------------------------------------------------------------------------------


def _item_id_of(payload: dict[str, Any]) -> int | None:
    if payload.get("item_id") is not None:
        return int(payload["item_id"])
    if payload.get("version_id") is not None:
        return ItemVersion.objects.filter(pk=payload["version_id"]).values_list("item_id", flat=True).first()
    return None


@handler("catalog.version_effective")
def on_version_effective(event: Any) -> None:
    item_id = _item_id_of(event.payload)
    if item_id is not None:
        index_item(item_id)


@handler("catalog.item_cancelled")
def on_item_cancelled(event: Any) -> None:
    item_id = _item_id_of(event.payload)
    if item_id is None:
        return
    # Removed whatever the item row says: the event is the authority that it is gone.
    remove_document(kind=ITEM_KIND, object_id=item_id)
    for bundle_id in BundleItem.objects.filter(item_id=item_id).values_list("bundle_id", flat=True):
        index_bundle(bundle_id)
