"""Public read-only catalogue API (/api/v1/catalog/): anyone may read what the portal shows.

Query parameters are validated: an unknown filter value or a malformed page is a 400 naming the
field; a page past the end is an empty page.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ..models.choices import Audience, ItemType
from ..selectors import public as sel
from ..views.public import result_view
from . import public_serializers as s

TAGS = ["catalog"]
PAGE_PARAM = OpenApiParameter("page", OpenApiTypes.INT, description="页码，从 1 开始；超出末页返回空列表")


def _paginated(serializer_cls: type[serializers.Serializer], name: str) -> Any:
    return inline_serializer(
        name=name,
        fields={
            "count": serializers.IntegerField(),
            "page": serializers.IntegerField(),
            "num_pages": serializers.IntegerField(),
            "results": serializer_cls(many=True),
        },
    )


def page_response(
    request: Request, qs: QuerySet[Any], serializer_cls: type[serializers.Serializer]
) -> Response:
    number = sel.parse_page(request.query_params.get("page"))
    paginator = Paginator(qs, sel.PAGE_SIZE)
    rows = (
        list(qs[(number - 1) * sel.PAGE_SIZE : number * sel.PAGE_SIZE])
        if number <= paginator.num_pages
        else []
    )
    return Response(
        {
            "count": paginator.count,
            "page": number,
            "num_pages": paginator.num_pages,
            "results": serializer_cls(rows, many=True).data,
        }
    )


class PublicView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []  # nothing personal here; no session, no CSRF


class ItemListView(PublicView):
    @extend_schema(
        tags=TAGS,
        summary="办事事项列表",
        operation_id="catalog_items_list",
        parameters=[
            OpenApiParameter("department", OpenApiTypes.INT, description="实施部门编号"),
            OpenApiParameter("theme", OpenApiTypes.STR, description="主题（个人主题或法人主题的代码）"),
            OpenApiParameter("type", OpenApiTypes.STR, enum=ItemType.values, description="事项类型"),
            OpenApiParameter("level", OpenApiTypes.STR, enum=list(sel.LEVELS), description="实施层级"),
            OpenApiParameter("audience", OpenApiTypes.STR, enum=[Audience.PERSON, Audience.COMPANY]),
            PAGE_PARAM,
        ],
        responses={200: _paginated(s.ItemSummarySerializer, "CatalogItemPage")},
    )
    def get(self, request: Request) -> Response:
        filters = sel.parse_item_filters(request.query_params)
        return page_response(request, sel.filtered_items(filters), s.ItemSummarySerializer)


class ItemDetailView(PublicView):
    @extend_schema(tags=TAGS, summary="办事指南（现行版本全部要素）", responses={200: s.ItemDetailSerializer})
    def get(self, request: Request, code: str) -> Response:
        guide = sel.item_guide(code)
        if guide is None:
            raise Http404
        return Response(s.ItemDetailSerializer(guide).data)


class ItemVersionsView(PublicView):
    @extend_schema(
        tags=TAGS,
        summary="事项的已公布版本",
        responses={200: s.VersionSummarySerializer(many=True)},
    )
    def get(self, request: Request, code: str) -> Response:
        versions = sel.published_versions(code)
        if versions is None:
            raise Http404
        return Response(s.VersionSummarySerializer(versions, many=True).data)


class SearchView(PublicView):
    @extend_schema(
        tags=TAGS,
        summary="搜索事项和一件事（支持俗称，如“开饭店”）",
        parameters=[
            OpenApiParameter("q", OpenApiTypes.STR, required=True, description="搜索词，最多 100 字"),
            PAGE_PARAM,
        ],
        responses={200: s.SearchResponseSerializer},
    )
    def get(self, request: Request) -> Response:
        query = sel.normalize_query(request.query_params.get("q"))
        page = sel.parse_page(request.query_params.get("page"))
        found = sel.catalog_search(query, page=page)
        results = [result_view(r, found.highlight_words) for r in found.results]
        return Response(
            {"query": found.query, "page": found.page, "has_next": found.has_next, "results": results}
        )


class BundleListView(PublicView):
    @extend_schema(
        tags=TAGS,
        summary="一件事列表",
        operation_id="catalog_bundles_list",
        parameters=[PAGE_PARAM],
        responses={200: _paginated(s.BundleSummarySerializer, "CatalogBundlePage")},
    )
    def get(self, request: Request) -> Response:
        return page_response(request, sel.public_bundles().order_by("name", "pk"), s.BundleSummarySerializer)


class BundleDetailView(PublicView):
    @extend_schema(
        tags=TAGS, summary="一件事指南（事项、合并材料、合并表单）", responses={200: s.BundleDetailSerializer}
    )
    def get(self, request: Request, code: str) -> Response:
        guide = sel.bundle_guide(code)
        if guide is None:
            raise Http404
        return Response(s.BundleDetailSerializer(guide).data)
