"""The public read-only catalogue API."""

from __future__ import annotations

import pytest

from zhengwu.catalog.models import ItemVersion
from zhengwu.catalog.models.choices import VersionStatus
from zhengwu.catalog.tests.factories import department, staff_user

API = "/api/v1/catalog"


def test_items_list_and_filters(client, catalog):
    data = client.get(f"{API}/items/").json()
    assert data["count"] == 8 and data["page"] == 1
    assert {"code", "name", "department", "region", "promised_limit"} <= set(data["results"][0])
    market = department("示范市市场监督管理局")
    names = {r["name"] for r in client.get(f"{API}/items/", {"department": market.pk}).json()["results"]}
    assert names == {"食品经营许可", "企业设立登记"}
    names = {r["name"] for r in client.get(f"{API}/items/", {"theme": "investment"}).json()["results"]}
    assert names == {"建设工程规划许可", "建设工程施工许可"}
    assert client.get(f"{API}/items/", {"type": "public_service", "level": "city"}).json()["count"] == 2


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"theme": "x"}, "theme"),
        ({"type": "licence"}, "type"),
        ({"level": "planet"}, "level"),
        ({"department": "1; DROP"}, "department"),
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
    ],
)
def test_bad_query_params_are_400_naming_the_field(client, catalog, params, field):
    response = client.get(f"{API}/items/", params)
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_a_page_past_the_end_is_empty(client, catalog):
    data = client.get(f"{API}/items/", {"page": 99}).json()
    assert data["results"] == [] and data["count"] == 8


def test_item_detail_has_the_current_version_in_full(client, catalog):
    item = catalog["items"]["食品经营许可"]
    data = client.get(f"{API}/items/{item.implementation_code}/").json()
    assert data["item"]["name"] == "食品经营许可"
    version = data["current_version"]
    assert version["number"] == 1 and version["promised_limit"] == 10
    assert [m["name"] for m in version["materials"]] == ["营业执照", "经营场所使用证明", "食品安全管理制度"]
    assert [s["name"] for s in version["steps"]] == ["受理", "审查", "决定", "办结", "送达"]
    assert version["form_fields"][0]["key"] == "applicant_name"
    assert data["bundles"] == ["kaiban-canyin"]
    assert client.get(f"{API}/items/{'Z' * 31}/").status_code == 404


def test_versions_lists_published_ones_only(client, catalog):
    item = catalog["items"]["食品经营许可"]
    ItemVersion.objects.create(
        item=item, number=2, status=VersionStatus.DRAFT, name=item.name, created_by=staff_user()
    )
    data = client.get(f"{API}/items/{item.implementation_code}/versions/").json()
    assert [(v["number"], v["status"]) for v in data] == [(1, "effective")]


def test_search_api(client, catalog):
    data = client.get(f"{API}/search/", {"q": "开饭店"}).json()
    kinds = [(r["kind"], r["title"]) for r in data["results"]]
    assert kinds[0] == ("item", "食品经营许可") or ("item", "食品经营许可") in kinds
    assert ("bundle", "开办餐饮店") in kinds
    assert client.get(f"{API}/search/", {"q": "a" * 101}).status_code == 400


def test_bundles_api(client, catalog):
    data = client.get(f"{API}/bundles/").json()
    assert [b["code"] for b in data["results"]] == ["kaiban-canyin"]
    detail = client.get(f"{API}/bundles/kaiban-canyin/").json()
    assert [i["name"] for i in detail["items"]] == ["食品经营许可", "户外广告设施设置审批"]
    names = [m["name"] for m in detail["materials"]]
    assert names.count("营业执照") == 1
    licence = next(m for m in detail["materials"] if m["name"] == "营业执照")
    assert licence["item_names"] == ["食品经营许可", "户外广告设施设置审批"]
    assert client.get(f"{API}/bundles/nope/").status_code == 404


def test_public_endpoints_are_in_the_schema(client, catalog):
    schema = client.get("/api/schema/").content.decode()
    for path in (
        "/api/v1/catalog/items/",
        "/api/v1/catalog/search/",
        "/api/v1/catalog/bundles/{code}/",
        "/api/v1/catalog/items/{code}/versions/",
    ):
        assert path in schema
