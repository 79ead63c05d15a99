"""Pages, exports and API: the scope matrix, constant query counts, bad input, the bulletin PDF."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwu.core.audit.models import AuditEntry
from zhengwu.statistics.services import rollup_refresh
from zhengwu.supervision.tests.factories import department_id, ingest

from .data import CASES, events_of

NOV = "period=2025-11"
CITY, DONGCHENG, XICHENG = "449900000000", "449902000000", "449903000000"


def login(client: Any, username: str) -> Any:
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def rolled(cases: Any) -> Any:
    rollup_refresh()
    return cases


# Received in November 2025 that each account may see (D is Dongcheng's; E was received in October).
SEES = {
    "sup_city": {"A", "B", "C", "D"},
    "sup_district": {"D"},
    "reviewer": {"A", "B", "C", "D"},  # city market bureau: its district counterparts too
    "dc_clerk": {"D"},
    "xc_clerk": set(),
    "handler": set(),  # city housing bureau: another line
}
COMPLETED = {"sup_city": 4, "sup_district": 0, "reviewer": 4, "dc_clerk": 0, "xc_clerk": 1, "handler": 0}


def csv_rows(response: Any) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.mark.parametrize("username", list(SEES))
def test_scope_matrix(client: Any, rolled: Any, username: str) -> None:
    login(client, username)
    api = client.get(f"/api/v1/statistics/report/?{NOV}").json()
    assert api["totals"]["received"] == len(SEES[username]), username
    assert api["totals"]["completed"] == COMPLETED[username], username
    page = client.get(f"/supervision/stats/?{NOV}")
    assert page.status_code == 200
    assert page.context["report"].totals.received == len(SEES[username])
    total = csv_rows(client.get(f"/supervision/stats/export.csv?{NOV}"))[-1]
    assert (
        total[1] == "合计" and total[2] == str(len(SEES[username])) and total[4] == str(COMPLETED[username])
    )
    regions = {row["key"] for row in api["rows"]}
    if username == "sup_district":
        assert regions <= {DONGCHENG}
    # A region or department outside the scope is refused like an unknown one (no leak).
    city = client.get(f"/supervision/stats/regions/{CITY}/?{NOV}")
    assert city.status_code == (200 if username in {"sup_city", "reviewer", "handler"} else 400)
    dept = department_id("114499000000000018")  # 示范市市场监督管理局
    status = client.get(f"/supervision/stats/departments/{dept}/?{NOV}").status_code
    assert status == (200 if username in {"sup_city", "reviewer"} else 400), username


def test_quarter_in_either_spelling(client: Any, rolled: Any) -> None:
    login(client, "sup_city")
    for spelling in ("2025-Q4", "2025Q4"):
        page = client.get(f"/supervision/stats/?period={spelling}")
        assert page.status_code == 200 and page.context["period"].key == "2025-Q4", spelling
        assert page.context["export_query"] == "period=2025-Q4"
        api = client.get(f"/api/v1/statistics/report/?period={spelling}").json()
        assert api["period"]["kind"] == "quarter" and api["totals"]["received"] == 5, spelling


def test_district_supervisor_never_sees_another_district(client: Any, rolled: Any) -> None:
    login(client, "sup_district")
    for url in (
        f"/supervision/stats/?{NOV}",
        f"/supervision/stats/regions/{DONGCHENG}/?{NOV}",
        "/supervision/stats/bulletin/?month=2025-11",
    ):
        body = client.get(url).content.decode()
        assert "西城区市场监督管理局" not in body and "示范市市场监督管理局" not in body, url
    assert client.get(f"/supervision/stats/regions/{XICHENG}/").status_code == 400
    assert client.get(f"/api/v1/statistics/report/?region={XICHENG}").status_code == 400
    xlsx = client.get(f"/supervision/stats/export.xlsx?{NOV}&region={XICHENG}")
    assert xlsx.status_code == 400


def test_drill_down_pages(client: Any, rolled: Any) -> None:
    login(client, "sup_city")
    top = client.get(f"/supervision/stats/?{NOV}").content.decode()
    assert f'href="/supervision/stats/regions/{CITY}/?{NOV}"' in top
    assert 'id="stats-data"' in top and "echarts.min.js" in top
    assert "统计数据更新于 2025-11-20 15:00" in top  # the rollup's freshness, in Beijing time
    region = client.get(f"/supervision/stats/regions/{CITY}/?{NOV}").content.decode()
    dept = department_id("114499000000000018")
    assert f'href="/supervision/stats/departments/{dept}/?{NOV}"' in region
    item = client.get(f"/supervision/stats/departments/{dept}/?{NOV}")
    assert item.status_code == 200
    (row,) = item.context["report"].rows
    assert row.figures.received == 3 and row.figures.on_time == 2


def test_exports_csv_and_excel_are_audited(client: Any, rolled: Any) -> None:
    from openpyxl import load_workbook

    login(client, "sup_city")
    rows = csv_rows(client.get(f"/supervision/stats/export.csv?{NOV}"))
    assert rows[1][:3] == ["代码", "区划", "收件数"]
    by_code = {r[0]: r for r in rows[2:]}
    assert by_code[CITY][1] == "示范市" and by_code[CITY][5] == "66.7%"
    assert rows[-1][5:8] == ["75.0%", "50.0%", "5"]  # on-time, early, average working days
    response = client.get(f"/supervision/stats/export.xlsx?{NOV}&region={CITY}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][1] == "部门" and values[2][1] == "示范市市场监督管理局" and values[2][2] == 3
    assert abs(values[2][5] - 2 / 3) < 1e-3 and sheet.cell(row=3, column=6).number_format == "0.0%"
    audits = AuditEntry.objects.filter(action="statistics.export").order_by("id")
    assert [a.extra["format"] for a in audits] == ["csv", "xlsx"]
    assert audits[1].obj_id == CITY


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_bulletin_page_and_pdf(client: Any, rolled: Any) -> None:
    login(client, "sup_city")
    page = client.get("/supervision/stats/bulletin/?month=2025-11").content.decode()
    assert "2025年11月" in page and "75.0%" in page
    response = client.get("/supervision/stats/bulletin.pdf?month=2025-11")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert "示范市政务服务月度通报" in text and "2025年11月" in text
    assert "收件 4 件（上期 1 件）" in text and "按时办结率 75.0%（上期 —）" in text
    assert "示范市市场监督管理局" in text and "66.7%" in text
    assert "低于总体水平" in text  # the city bureau (66.7 %) is below the whole (75 %)
    assert AuditEntry.objects.filter(action="statistics.export", obj_type="statistics.bulletin").exists()
    assert client.get("/supervision/stats/bulletin/?month=2025").status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/supervision/stats/?period=2025-13",
        "/supervision/stats/?period=%E4%B8%AD",
        "/supervision/stats/?from=2025-11-01",
        "/supervision/stats/?from=2025-11-09&to=2025-11-01",
        "/supervision/stats/regions/abc/",
        "/supervision/stats/regions/999999999999/",
        "/supervision/stats/departments/999999/",
        "/supervision/stats/export.csv?department=abc",
        "/supervision/stats/export.xlsx?region=12",
        "/supervision/stats/bulletin/?month=x",
        "/supervision/stats/bulletin.pdf?month=2025-00",
        "/supervision/stats/bulletin/?month=2025-Q4",
        "/supervision/stats/?period=2025Q5",
        "/supervision/stats/?period=0000-01",
        "/api/v1/statistics/report/?period=2025-Q9",
        "/api/v1/statistics/report/?period=0000Q1",
        "/api/v1/statistics/report/?department=-1",
        "/api/v1/statistics/trend/?from=2025-01-01&to=2024-01-01",
    ],
)
def test_bad_input_is_400_in_chinese(client: Any, demo_org: None, url: str) -> None:
    login(client, "sup_city")
    response = client.get(url)
    assert response.status_code == 400, url
    body = response.json()["detail"] if "/api/" in url else response.content.decode()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body)


def test_anonymous_and_applicants_are_kept_out(client: Any, demo_org: None) -> None:
    assert client.get("/supervision/stats/").status_code == 302
    assert client.get("/api/v1/statistics/report/").status_code in (401, 403)


def test_constant_query_counts(client: Any, rolled: Any) -> None:
    login(client, "sup_city")
    urls = [
        "/supervision/stats/?period=2025",
        "/supervision/stats/?from=2025-10-15&to=2025-11-17",
        f"/supervision/stats/regions/{CITY}/?{NOV}",
        f"/supervision/stats/export.csv?{NOV}",
        "/supervision/stats/bulletin/?month=2025-11",
        f"/api/v1/statistics/report/?{NOV}",
    ]

    def counts() -> list[int]:
        out = []
        for url in urls:
            client.get(url)  # warm caches (calendar, session)
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx))
        return out

    small = counts()
    more = {}
    for n in range(12):
        for name, spec in CASES.items():
            code = f"11449900000000001X4499000000{n:04d}"
            more[f"{name}{n}"] = (spec, code)
    for case_id, (spec, code) in more.items():
        ingest(*events_of(case_id, spec, item_code=code), on_day=spec["received"])
    rollup_refresh()
    assert counts() == small
