from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwu.org.demo import org_uscc, resident_id
from zhengwu.org.models import Department, PersonProfile, Region

from .conftest import CITY

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, world):
    client.force_login(world.users["admin"])
    return client


def test_bad_uscc_is_a_400_naming_the_field(admin_client):
    uscc = org_uscc(CITY, 90)
    bad = uscc[:-1] + ("0" if uscc[-1] != "0" else "1")
    before = Department.objects.count()
    response = admin_client.post(
        "/api/v1/org/departments/",
        {"name": "测试局", "uscc": bad, "region_code": CITY},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["uscc"] == ["统一社会信用代码校验位错误"]
    assert Department.objects.count() == before


def test_unknown_region_is_a_400(admin_client):
    response = admin_client.post(
        "/api/v1/org/departments/",
        {"name": "测试局", "uscc": org_uscc(CITY, 91), "region_code": "449977000000"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "region_code" in response.json()["errors"]


def test_create_department_through_the_api(admin_client):
    response = admin_client.post(
        "/api/v1/org/departments/",
        {"name": "示范市测试局", "uscc": org_uscc(CITY, 92), "region_code": CITY, "line": "test"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["region_code"] == CITY
    pk = response.json()["id"]
    response = admin_client.patch(
        f"/api/v1/org/departments/{pk}/", {"complaint_phone": "0757-1"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "complaint_phone" in response.json()["errors"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"code": "449902000000", "name": "东城", "level": "city"}, "level"),
        ({"code": "4499X2001000", "name": "某街道"}, "code"),
        ({"code": "449902001000", "name": "某街道", "parent_code": "449966000000"}, "parent_code"),
    ],
)
def test_bad_region_is_a_400(admin_client, payload, field):
    before = Region.objects.count()
    response = admin_client.post("/api/v1/org/regions/", payload, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert Region.objects.count() == before


def test_writes_need_a_sysadmin(client, world):
    client.force_login(world.users["sup_city"])
    response = client.post(
        "/api/v1/org/regions/", {"code": "449902001000", "name": "某街道"}, content_type="application/json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("id_number", "message"),
    [("440106199013011234", "出生日期"), ("440106199001011234", "校验位")],
)
def test_applicant_profile_bad_id_is_a_400(client, world, id_number, message):
    client.force_login(world.users["applicant"])
    response = client.put(
        "/api/v1/org/me/person-profile/",
        {"name": "张三", "id_number": id_number, "phone": "13900000009"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert message in response.json()["errors"]["id_number"][0]
    assert not PersonProfile.objects.exists()


def test_applicant_profile_is_saved_and_shown_masked(client, world):
    client.force_login(world.users["applicant"])
    good = resident_id("44010619900101123")
    response = client.put(
        "/api/v1/org/me/person-profile/",
        {"name": "张三", "id_number": good, "phone": "13900000009", "address": "示范市东城区湖滨路8号"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["masked"] is True
    assert body["id_number"] != good and body["id_number"].endswith(good[-4:])
    assert body["phone"] == "139****0009"


def test_public_lists_and_service_point_detail(client, world):
    regions = client.get("/api/v1/org/regions/?parent=449900000000").json()
    assert {r["code"] for r in regions["results"]} == {"449902000000", "449903000000"}
    assert client.get("/api/v1/org/regions/449902000000/").json()["parent_code"] == CITY
    departments = client.get("/api/v1/org/departments/?region=449902000000").json()
    assert {d["name"] for d in departments["results"]} == {"东城区市场监督管理局", "东城区政务服务数据管理局"}
    assert "supervision_contact_phone" not in departments["results"][0]
    point = world.points["city"]
    detail = client.get(f"/api/v1/org/service-points/{point.pk}/").json()
    assert [w["code"] for w in detail["windows"]] == ["A01", "B01"]
    assert detail["windows_count"] == 2


def test_me_endpoint(client, world):
    client.force_login(world.users["dc_market"])
    me = client.get("/api/v1/org/me/").json()
    assert me["roles"] == ["window_clerk"]
    assert me["region_code"] == "449902000000"
    assert me["department_line"] == "market"


def test_public_lists_use_constant_queries(client, world):
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/org/service-points/")
    for i in range(5):
        services_mod = __import__("zhengwu.org.services", fromlist=["x"])
        services_mod.service_point_create(
            actor=None, name=f"加站{i}", kind="station", region_code=CITY, address="某路"
        )
    with CaptureQueriesContext(connection) as many:
        client.get("/api/v1/org/service-points/")
    assert len(many) == len(few)


def test_schema_has_no_warnings_for_org():
    from django.urls import include, path
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    patterns = [path("api/v1/org/", include("zhengwu.org.api.urls"))]
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    assert dict(GENERATOR_STATS._warn_cache) == {}
    assert dict(GENERATOR_STATS._error_cache) == {}
    assert "/api/v1/org/departments/" in schema["paths"]
    assert "/api/v1/org/scope/departments/{id}/" in schema["paths"]
