"""Public reads of the catalogue: the portal's 办事指南 pages and the public API.

Public means: items that are in use (`is_active`) with an effective current version, and published
bundles. Every list paginates with a constant number of queries; a guide page is a handful of
queries whatever the size of the catalogue. Org rows (department, region) are reached through the
catalogue's own foreign keys, and service points through `zhengwu.org.selectors`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Count, Prefetch, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengwu.core.search import segment
from zhengwu.core.search.selectors import Match, match_documents

from ..bundles import MergedMaterial, bundle_merged_form_fields, bundle_merged_materials
from ..models import Bundle, BundleItem, ItemVersion, MaterialRequirement, ProcedureStep, ServiceItem
from ..models.choices import Audience, CompanyTheme, FieldType, ItemType, PersonTheme, VersionStatus
from ..search_index import BUNDLE_KIND, ITEM_KIND, expand_query, formal_words

PAGE_SIZE = 20
MAX_SEARCH_PAGES = 10  # the candidates core.search ranks cover ten pages
MAX_QUERY_CHARS = 100

# Region levels an item can be implemented at (org's Region.Level values; org.models is off limits).
LEVELS: dict[str, Any] = {
    "city": gettext_lazy("市级"),
    "district": gettext_lazy("区（县）级"),
    "town": gettext_lazy("乡镇（街道）级"),
}
THEMES: dict[str, Any] = {**dict(PersonTheme.choices), **dict(CompanyTheme.choices)}


def public_items() -> QuerySet[ServiceItem]:
    """Items a citizen may see, with what a list row shows already joined."""
    return ServiceItem.objects.filter(
        is_active=True, current_version__status=VersionStatus.EFFECTIVE
    ).select_related("department", "region", "current_version")


def public_bundles() -> QuerySet[Bundle]:
    return Bundle.objects.filter(is_published=True).select_related("lead_department", "region")


# --- browsing -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemFilters:
    department: int | None = None
    theme: str = ""
    item_type: str = ""
    level: str = ""
    audience: str = ""

    def is_empty(self) -> bool:
        return not (self.department or self.theme or self.item_type or self.level or self.audience)


def parse_item_filters(params: Mapping[str, Any]) -> ItemFilters:
    """Validate browse filters from a query string; unknown values raise ValidationError by field."""
    errors: dict[str, list[str]] = {}
    department: int | None = None
    raw_department = (params.get("department") or "").strip()
    if raw_department:
        if not raw_department.isdigit() or len(raw_department) > 9:
            errors["department"] = [_("部门编号应为数字。")]
        else:
            department = int(raw_department)
    theme = (params.get("theme") or "").strip()
    if theme and theme not in THEMES:
        errors["theme"] = [_("没有这个主题：%(value)s。") % {"value": theme[:30]}]
    item_type = (params.get("type") or "").strip()
    if item_type and item_type not in ItemType.values:
        errors["type"] = [_("没有这个事项类型：%(value)s。") % {"value": item_type[:30]}]
    level = (params.get("level") or "").strip()
    if level and level not in LEVELS:
        errors["level"] = [_("层级只能是市级、区（县）级或乡镇（街道）级。")]
    audience = (params.get("audience") or "").strip()
    if audience and audience not in (Audience.PERSON, Audience.COMPANY):
        errors["audience"] = [_("服务对象只能是个人或法人。")]
    if errors:
        raise ValidationError(errors)
    return ItemFilters(department, theme, item_type, level, audience)


def filtered_items(filters: ItemFilters) -> QuerySet[ServiceItem]:
    qs = public_items()
    if filters.department:
        qs = qs.filter(department_id=filters.department)
    if filters.theme:
        # Themes are a short JSON list; the quoted value cannot match a longer theme's code.
        qs = qs.filter(themes__icontains=f'"{filters.theme}"')
    if filters.item_type:
        qs = qs.filter(item_type=filters.item_type)
    if filters.level:
        qs = qs.filter(region__level=filters.level)
    if filters.audience:
        qs = qs.filter(audience__in=[filters.audience, Audience.BOTH])
    return qs.order_by("department__name", "name", "pk")


def parse_page(raw: Any) -> int:
    """A page number from the query string; ValidationError({"page": …}) when it is not one."""
    if raw in (None, ""):
        return 1
    text = str(raw).strip()
    if not text.isdigit() or int(text) < 1 or len(text) > 6:
        raise ValidationError({"page": [_("页码应为正整数。")]})
    return int(text)


def paginate(qs: QuerySet[Any], page: int, per_page: int = PAGE_SIZE) -> Page:
    """One COUNT and one page query; a page past the end is the last page."""
    paginator = Paginator(qs, per_page)
    try:
        return paginator.page(page)
    except (EmptyPage, PageNotAnInteger):
        return paginator.page(paginator.num_pages)


def item_filter_labels(filters: ItemFilters) -> list[str]:
    labels = []
    if filters.theme:
        labels.append(str(THEMES[filters.theme]))
    if filters.item_type:
        labels.append(str(ItemType(filters.item_type).label))
    if filters.level:
        labels.append(str(LEVELS[filters.level]))
    if filters.audience:
        labels.append(str(Audience(filters.audience).label))
    return labels


def department_name(department_id: int) -> str | None:
    row = (
        ServiceItem.objects.filter(department_id=department_id)
        .values_list("department__name", flat=True)
        .first()
    )
    return row


@dataclass
class BrowseIndex:
    person_themes: list[tuple[str, str]]
    company_themes: list[tuple[str, str]]
    departments: list[Any]
    types: list[dict[str, Any]]
    levels: list[tuple[str, str]]
    bundles: list[Any]


def browse_index(*, bundles_limit: int = 8) -> BrowseIndex:
    """The 办事指南 home: themes, departments with item counts, types with counts, popular bundles."""
    departments = list(
        public_items()
        .order_by()
        .values("department_id", "department__name", "region__level", "region__code")
        .annotate(count=Count("id"))
        .order_by("region__code", "department__name")
    )
    type_counts = dict(
        public_items()
        .order_by()
        .values_list("item_type")
        .annotate(count=Count("id"))
        .values_list("item_type", "count")
    )
    types = [
        {"value": value, "label": label, "count": type_counts[value]}
        for value, label in ItemType.choices
        if type_counts.get(value)
    ]
    bundles = list(public_bundles().annotate(item_count=Count("members")).order_by("name")[:bundles_limit])
    return BrowseIndex(
        person_themes=[(v, str(label)) for v, label in PersonTheme.choices],
        company_themes=[(v, str(label)) for v, label in CompanyTheme.choices],
        departments=departments,
        types=types,
        levels=[(v, str(label)) for v, label in LEVELS.items()],
        bundles=bundles,
    )


# --- item guide ---------------------------------------------------------------------------------


@dataclass
class ItemGuide:
    item: ServiceItem
    version: ItemVersion
    materials: list[MaterialRequirement]
    steps: list[ProcedureStep]
    service_points: list[dict[str, Any]]
    bundles: list[Any]
    limit_saving_percent: int | None = None
    level_label: str = ""


def _public_item_by_code(code: str) -> QuerySet[ServiceItem]:
    # The implementation code starts with the department's USCC (DOMAIN §4): matching it too lets the
    # database go through the department's unique index instead of scanning every item's code.
    return public_items().filter(implementation_code=code, department__uscc=code[:18])


CODE_RE = re.compile(r"^[0-9A-Za-z]{12,40}$")


def item_guide(code: str) -> ItemGuide | None:
    """Everything the guide page shows for the item with this implementation code, or None."""
    if not CODE_RE.match(code or ""):
        return None
    item = (
        _public_item_by_code(code)
        .prefetch_related(
            Prefetch(
                "current_version__materials", queryset=MaterialRequirement.objects.order_by("order", "id")
            ),
            Prefetch("current_version__steps", queryset=ProcedureStep.objects.order_by("order", "id")),
        )
        .first()
    )
    if item is None or item.current_version is None:
        return None
    version = item.current_version
    saving = None
    if (
        version.statutory_limit
        and version.promised_limit is not None
        and version.statutory_unit == version.promised_unit
        and version.promised_limit < version.statutory_limit
    ):
        saving = round(100 * (version.statutory_limit - version.promised_limit) / version.statutory_limit)
    bundles = list(public_bundles().filter(members__item=item).order_by("name").distinct())
    return ItemGuide(
        item=item,
        version=version,
        materials=list(version.materials.all()),
        steps=list(version.steps.all()),
        service_points=service_points_by_ids(version.service_point_ids or []),
        bundles=bundles,
        limit_saving_percent=saving,
        level_label=str(LEVELS.get(item.region.level, item.region.get_level_display())),
    )


def service_points_by_ids(ids: list[Any]) -> list[dict[str, Any]]:
    """Service points in the order the version lists them (one query through org's selectors)."""
    from zhengwu.org.selectors import public_service_points

    wanted = [int(i) for i in ids if str(i).isdigit()]
    if not wanted:
        return []
    points = {p.pk: p for p in public_service_points().filter(pk__in=wanted)}
    return [
        {
            "id": p.pk,
            "name": p.name,
            "address": p.address,
            "hours": p.opening_hours,
            "phone": p.phone,
            "region_name": p.region.name,
        }
        for p in (points.get(i) for i in wanted)
        if p is not None
    ]


def published_versions(code: str) -> list[ItemVersion] | None:
    """The published versions (announced, effective, superseded) of a public item, newest first."""
    if not CODE_RE.match(code or ""):
        return None
    item = _public_item_by_code(code).first()
    if item is None:
        return None
    published = (VersionStatus.ANNOUNCED, VersionStatus.EFFECTIVE, VersionStatus.SUPERSEDED)
    return list(item.versions.filter(status__in=published).order_by("-number"))


# --- bundle guide -------------------------------------------------------------------------------


@dataclass
class BundleGuide:
    bundle: Bundle
    members: list[BundleItem]
    materials: list[MergedMaterial]
    form_fields: list[dict[str, Any]]
    total_promised: int | None


def _bundle_members(bundle: Bundle) -> list[BundleItem]:
    return list(
        bundle.members.filter(item__is_active=True, item__current_version__status=VersionStatus.EFFECTIVE)
        .select_related("item__department", "item__region", "item__current_version")
        .order_by("order", "id")
    )


def bundle_guide(code: str) -> BundleGuide | None:
    """The bundle's items, one merged material list and one merged form (catalog.bundles merges)."""
    bundle = public_bundles().filter(code=code).first()
    if bundle is None:
        return None
    labels = dict(FieldType.choices)
    form_fields = [
        {
            "key": f.key,
            "label": f.label,
            "field_type": f.field_type,
            "field_type_label": str(labels.get(f.field_type, f.field_type)),
            "required": f.required,
            "choices": f.choices,
            "help_text": f.help_text,
            "prefill": f.prefill,
        }
        for f in bundle_merged_form_fields(bundle).fields
    ]
    return BundleGuide(
        bundle=bundle,
        members=_bundle_members(bundle),
        materials=bundle_merged_materials(bundle),
        form_fields=form_fields,
        total_promised=bundle.promised_limit,
    )


# --- announcements ------------------------------------------------------------------------------


def announced_versions() -> QuerySet[ItemVersion]:
    """Versions in their public announcement period, ending soonest first."""
    return (
        ItemVersion.objects.filter(status=VersionStatus.ANNOUNCED)
        .select_related("item__department", "item__region", "item__current_version")
        .order_by("announce_until", "pk")
    )


# --- search -------------------------------------------------------------------------------------


@dataclass
class SearchResult:
    kind: str  # "item" | "bundle"
    score: float
    obj: Any


@dataclass
class SearchResults:
    query: str
    results: list[SearchResult]
    page: int
    has_next: bool
    highlight_words: list[str]


def normalize_query(raw: Any) -> str:
    text = " ".join(str(raw or "").split())
    if len(text) > MAX_QUERY_CHARS:
        raise ValidationError({"q": [_("搜索词不能超过 %(n)s 个字。") % {"n": MAX_QUERY_CHARS}]})
    return text


# Each later variant counts a little less, so the synonym table's first formal word ranks first.
VARIANT_DECAY = 0.97
# A title that the query (or one of its formal rewrites) names outright — "食品经营许可证" names
# 食品经营许可, "建房" → "建设工程规划许可" — is what the citizen asked for: it ranks above every
# document that only shares words, and earlier rewrites above later ones. bm25 scores of different
# queries are not comparable, so the order between tiers is set here rather than by the engine.
PHRASE_TIER = 1000.0
# One guide covering several items is a little more useful than a single item scoring the same.
BUNDLE_BONUS = 1.2


def _best_score(match: Match, variants: list[str], wanted: list[str]) -> float:
    """The match's score under its best variant: decayed by the variant's place, plus the tier when
    the title names that variant — a part of the title (name or alias, two characters or more)
    inside the variant or the variant inside it. `wanted`: each variant without its spaces."""
    bonus = BUNDLE_BONUS if match.kind == BUNDLE_KIND else 1.0
    parts = [part for part in match.title.split() if len(part) >= 2]
    best = float("-inf")
    for index, raw in enumerate(match.scores[: len(variants)]):
        if raw <= 0:
            continue
        score = raw * bonus * VARIANT_DECAY ** max(0, index - 1)
        if any(part in wanted[index] or wanted[index] in part for part in parts):
            score += PHRASE_TIER * (len(variants) - index)
        best = max(best, score)
    return best


def catalog_search(query: str, *, page: int = 1, per_page: int = PAGE_SIZE) -> SearchResults:
    """Items and bundles for a citizen's query, best first; everyday words go through the synonyms.

    The query and its synonym rewrites go to the index together (one statement for both kinds,
    core.search's `match_documents`), which scores every candidate under each variant; the best
    variant counts (see PHRASE_TIER and BUNDLE_BONUS). The page's items and bundles are then loaded
    with one query each.
    """
    query = normalize_query(query)
    page = max(1, min(page, MAX_SEARCH_PAGES))
    if not query:
        return SearchResults(query, [], 1, False, [])
    variants = expand_query(query)
    wanted = page * per_page + 1
    found = match_documents(kinds=[ITEM_KIND, BUNDLE_KIND], queries=variants, limit=wanted)
    joined = ["".join(v.split()) for v in variants]
    ranked = sorted(
        (
            ("item" if m.kind == ITEM_KIND else "bundle", m.object_id, _best_score(m, variants, joined))
            for m in found.matches
        ),
        key=lambda r: (-r[2], r[0], int(r[1]) if r[1].isdigit() else 0),
    )
    window = ranked[(page - 1) * per_page : page * per_page]
    item_ids = [int(k) for kind, k, _s in window if kind == "item" and k.isdigit()]
    bundle_ids = [int(k) for kind, k, _s in window if kind == "bundle" and k.isdigit()]
    items = {i.pk: i for i in public_items().filter(pk__in=item_ids)} if item_ids else {}
    bundles = {b.pk: b for b in public_bundles().filter(pk__in=bundle_ids)} if bundle_ids else {}
    results = []
    for kind, key, score in window:
        obj = (items if kind == "item" else bundles).get(int(key)) if key.isdigit() else None
        if obj is not None:  # a stale index row never reaches the page
            results.append(SearchResult(kind, score, obj))
    words = highlight_words(query)
    return SearchResults(query, results, page, len(ranked) > page * per_page, words)


def highlight_words(query: str) -> list[str]:
    """Words worth marking in results: the query's own words and the formal words it maps to."""
    words: list[str] = []
    for text in [query, *formal_words(query)]:
        for word in [text, *segment(text)]:
            if len(word) >= 2 and word not in words:
                words.append(word)
    return sorted(words, key=len, reverse=True)


def item_url(item: ServiceItem) -> str:
    return reverse("catalog:item", kwargs={"code": item.implementation_code})


def bundle_url(bundle: Bundle) -> str:
    return reverse("catalog:bundle", kwargs={"code": bundle.code})
