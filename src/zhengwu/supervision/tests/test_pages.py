"""Supervision pages: the scope matrix, constant query counts, cards and corrections end to end."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwu.core.audit.models import AuditEntry
from zhengwu.supervision.models import Card, Correction, SupervisedCase

from .factories import CITY_MARKET, DC_MARKET, XC_MARKET, at, department_id, ingest, life

D = dt.date
CITY, DONGCHENG, XICHENG = "449900000000", "449902000000", "449903000000"


@pytest.fixture
def cases(demo_org: None) -> dict[str, SupervisedCase]:
    ingest(*life("city"), on_day=D(2025, 10, 14))
    ingest(*life("dc", uscc=DC_MARKET, region_code=DONGCHENG), on_day=D(2025, 10, 14))
    ingest(*life("xc", uscc=XC_MARKET, region_code=XICHENG), on_day=D(2025, 10, 14))
    return {r.case_id: r for r in SupervisedCase.objects.all()}


@pytest.fixture(autouse=True)
def clock() -> Any:
    with time_machine.travel(at(D(2025, 10, 14), 15), tick=False):
        yield


def login(client: Any, username: str) -> Any:
    client.force_login(get_user_model().objects.get(username=username))
    return client


SEES = {
    "sup_city": {"city", "dc", "xc"},
    "sup_district": {"dc"},
    "reviewer": {"city", "dc", "xc"},  # city market bureau: its district counterparts too
    "dc_clerk": {"dc"},
    "xc_clerk": {"xc"},
    "handler": set(),  # city housing bureau: another line
}


@pytest.mark.parametrize("username", list(SEES))
def test_scope_matrix(client: Any, cases: dict[str, SupervisedCase], username: str) -> None:
    login(client, username)
    for case_id, record in cases.items():
        status = client.get(f"/supervision/cases/{record.pk}/").status_code
        assert status == (200 if case_id in SEES[username] else 404), (username, case_id)
    wall = client.get("/supervision/").content.decode()
    for case_id in cases:
        assert (f"N-{case_id}<" in wall) == (case_id in SEES[username]), (username, case_id)
    regions = client.get("/supervision/regions/").content.decode()
    assert ("东城区" in regions) == ("dc" in SEES[username])
    assert client.get(f"/supervision/regions/{XICHENG}/").status_code == (
        200 if "xc" in SEES[username] else 404
    )


def test_applicant_and_anonymous(client: Any, cases: dict[str, SupervisedCase]) -> None:
    assert client.get("/supervision/").status_code == 302
    login(client, "13800000001")
    assert client.get("/supervision/").status_code == 404
    assert client.get(f"/supervision/cases/{cases['city'].pk}/").status_code == 404


def test_wall_counts_and_filter(client: Any, cases: dict[str, SupervisedCase]) -> None:
    login(client, "sup_city")
    page = client.get("/supervision/?light=red").content.decode()
    assert "红灯（超期）" in page and "N-city<" in page
    assert client.get("/supervision/?light=nonsense&page=x").status_code == 200


def test_drill_down_to_the_case(client: Any, cases: dict[str, SupervisedCase]) -> None:
    login(client, "sup_city")
    dept = department_id(DC_MARKET)
    assert "示范市东城区市场监督管理局" in client.get(f"/supervision/regions/{DONGCHENG}/").content.decode()
    items = client.get(f"/supervision/departments/{dept}/").content.decode()
    assert "食品经营许可" in items
    code = cases["dc"].item_code
    listing = client.get(f"/supervision/departments/{dept}/items/{code}/").content.decode()
    assert "N-dc" in listing
    detail = client.get(f"/supervision/cases/{cases['dc'].pk}/").content.decode()
    assert "2025-10-13" in detail and "超期" in detail


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_have_constant_query_counts(client: Any, cases: dict[str, SupervisedCase]) -> None:
    login(client, "sup_city")
    dept = department_id(CITY_MARKET)
    code = cases["city"].item_code
    urls = [
        "/supervision/",
        "/supervision/regions/",
        f"/supervision/regions/{CITY}/",
        f"/supervision/departments/{dept}/",
        f"/supervision/departments/{dept}/items/{code}/",
        "/supervision/cards/",
        "/supervision/corrections/",
    ]
    before = {u: _queries(client, u) for u in urls}
    for n in range(12):
        ingest(*[dict(e, id=e["id"][:-2] + f"{n:02d}") for e in life(f"more{n}")], on_day=D(2025, 10, 14))
    from zhengwu.supervision.services.sweep import supervision_sweep

    supervision_sweep(on_day=D(2025, 10, 14))
    after = {u: _queries(client, u) for u in urls}
    assert after == before


def test_manual_card_and_its_validation(client: Any, cases: dict[str, SupervisedCase]) -> None:
    login(client, "sup_district")
    dept = department_id(DC_MARKET)
    bad = client.post("/supervision/cards/", {"department": dept, "level": "yellow", "reason": " "})
    assert bad.status_code == 400 and "请填写亮牌理由" in bad.content.decode()
    other = client.post(
        "/supervision/cards/", {"department": department_id(XC_MARKET), "level": "red", "reason": "x"}
    )
    assert other.status_code == 400 and "不在您的监察范围内" in other.content.decode()
    assert (
        client.post("/supervision/cards/", {"department": "abc", "level": "red", "reason": "x"}).status_code
        == 400
    )
    ok = client.post(
        "/supervision/cards/", {"department": dept, "level": "yellow", "reason": "无理由拒收申请"}
    )
    assert ok.status_code == 302
    card = Card.objects.get()
    assert (card.source, card.issued_by_name, card.department_id) == ("manual", "孙监察", dept)
    assert AuditEntry.objects.filter(action="supervision.card.issue", obj_id=str(card.pk)).exists()
    # visible to the department concerned, not to the other district
    assert "无理由拒收申请" in login(client, "dc_clerk").get("/supervision/cards/").content.decode()
    assert "无理由拒收申请" not in login(client, "xc_clerk").get("/supervision/cards/").content.decode()
    # a department cannot issue cards
    assert (
        client.post("/supervision/cards/", {"department": dept, "level": "red", "reason": "x"}).status_code
        == 404
    )


def test_card_form_next_stays_on_this_site(client: Any, cases: dict[str, SupervisedCase]) -> None:
    login(client, "sup_district")
    form = {"department": department_id(DC_MARKET), "level": "yellow", "reason": "超期未办结"}
    outside = client.post("/supervision/cards/", {**form, "next": "https://evil.example/"})
    assert outside.status_code == 302 and outside["Location"] == "/supervision/cards/"
    inside = client.post("/supervision/cards/", {**form, "next": "/supervision/"})
    assert inside["Location"] == "/supervision/"


@pytest.mark.usefixtures("rules")
def test_three_manual_yellow_cards_give_a_red_one(client: Any, cases: dict[str, SupervisedCase]) -> None:
    login(client, "sup_city")
    dept = department_id(XC_MARKET)
    for n in range(3):
        client.post("/supervision/cards/", {"department": dept, "level": "yellow", "reason": f"第{n}次"})
    assert list(Card.objects.filter(department_id=dept).values_list("level", "source").order_by("id")) == [
        ("yellow", "manual"),
        ("yellow", "manual"),
        ("yellow", "manual"),
        ("red", "rule"),
    ]


def test_correction_round_trip(client: Any, cases: dict[str, SupervisedCase]) -> None:
    dept = department_id(DC_MARKET)
    login(client, "sup_city")
    missing = client.post(
        "/supervision/corrections/", {"department": dept, "title": "t", "instructions": "i"}
    )
    assert missing.status_code == 400 and "整改期限" in missing.content.decode()
    assert (
        client.post(
            "/supervision/corrections/",
            {"department": dept, "title": "t", "instructions": "i", "due": "2025-13-01"},
        ).status_code
        == 400
    )
    response = client.post(
        "/supervision/corrections/",
        {
            "department": dept,
            "title": "补正告知不完整",
            "instructions": "请一次性告知全部材料",
            "due": "2025-10-20",
            "record": cases["dc"].pk,
        },
    )
    assert response.status_code == 302
    correction = Correction.objects.get()
    url = f"/supervision/corrections/{correction.pk}/"
    # the supervisor may not answer for the department; another district does not even see it
    assert client.post(url + "answer/", {"answer": "x"}).status_code == 404
    assert login(client, "xc_clerk").get(url).status_code == 404
    login(client, "dc_clerk")
    assert "补正告知不完整" in client.get("/supervision/corrections/").content.decode()
    assert client.post(url + "answer/", {"answer": ""}).status_code == 400
    assert client.post(url + "answer/", {"answer": "已重新告知申请人"}).status_code == 302
    assert client.post(url + "close/").status_code == 404  # not a supervisor
    login(client, "sup_city")
    assert client.post(url + "reopen/", {"note": ""}).status_code == 400
    assert client.post(url + "reopen/", {"note": "告知书仍缺一项"}).status_code == 302
    correction.refresh_from_db()
    assert (correction.status, correction.reopened_count) == ("open", 1)
    login(client, "dc_clerk").post(url + "answer/", {"answer": "已补全"})
    login(client, "sup_city").post(url + "close/", {"note": "同意办结"})
    correction.refresh_from_db()
    assert correction.status == "closed"
    actions = set(
        AuditEntry.objects.filter(obj_type="supervision.correction").values_list("action", flat=True)
    )
    assert actions == {
        "supervision.correction.issue",
        "supervision.correction.answer",
        "supervision.correction.reopen",
        "supervision.correction.close",
    }
    assert client.post(url + "bogus/").status_code == 404


def test_wall_warns_about_years_without_holiday_data(client: Any, cases: dict[str, SupervisedCase]) -> None:
    from .factories import envelope

    login(client, "sup_city")
    assert "尚无法定节假日数据" not in client.get("/supervision/").content.decode()
    ingest(envelope("case_received", case_id="y27", when=at(D(2027, 3, 1))), on_day=D(2027, 3, 1))
    assert "2027 年尚无法定节假日数据" in client.get("/supervision/").content.decode()


def test_admin_pages_load(client: Any, cases: dict[str, SupervisedCase]) -> None:
    from zhengwu.supervision.demo import seed_supervision_demo

    seed_supervision_demo()
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "x")
    client.force_login(admin)
    for name in (
        "lightthreshold",
        "cardrule",
        "exchangesystem",
        "supervisedcase",
        "caseeventrecord",
        "warning",
        "card",
        "correction",
    ):
        assert client.get(f"/admin/supervision/{name}/").status_code == 200, name
    from zhengwu.supervision.models import CardRule

    rule = client.get(f"/admin/supervision/cardrule/{CardRule.objects.first().pk}/change/")
    assert rule.status_code == 200
