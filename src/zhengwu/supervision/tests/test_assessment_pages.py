"""Assessment pages: the scope matrix, bad input (400, never 500), manual scores, publishing, the CSV
export and constant query counts at two sizes."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwu.org.demo import CITY, org_uscc
from zhengwu.supervision.models import AssessmentRun, AssessmentScore
from zhengwu.supervision.services import assessment as service
from zhengwu.supervision.services.records import events_ingest

from . import assessment_data as data
from .factories import at

URL = "/supervision/assessment/"


@pytest.fixture(autouse=True)
def frozen() -> Any:
    with time_machine.travel(at(data.ON_DAY, 9), tick=False):
        yield


@pytest.fixture
def computed(demo_org: None) -> dict[str, Any]:
    ids = data.load()
    service.assessment_compute(actor=None, period="2025-Q4", on_day=data.ON_DAY)
    ids["scores"] = {(s.subject_kind, s.subject_id): s for s in AssessmentScore.objects.all()}
    return ids


def login(client: Any, username: str) -> Any:
    client.force_login(get_user_model().objects.get(username=username))
    return client


CITY_NAME, DC_NAME = "示范市市场监督管理局", "示范市东城区市场监督管理局"
# department / window / staff subjects each account sees
SEES = {
    "sup_city": {"city", "dc", "w1", "w2", "clerk", "approver"},
    "sup_district": {"dc"},
    "reviewer": {"city", "dc", "clerk", "approver"},  # city market bureau: its own and its line below
    "dc_clerk": {"dc"},
    "xc_clerk": set(),
    "handler": set(),  # city housing bureau: another line
}


@pytest.mark.parametrize("username", list(SEES))
def test_scope_matrix(client: Any, computed: dict[str, Any], username: str) -> None:
    login(client, username)
    subjects = {
        "city": ("department", computed["city"]),
        "dc": ("department", computed["dc"]),
        "w1": ("window", computed["w1"]),
        "w2": ("window", computed["w2"]),
        "clerk": ("staff", computed["clerk"]),
        "approver": ("staff", computed["approver"]),
    }
    for name, key in subjects.items():
        score = computed["scores"][key]
        status = client.get(f"{URL}scores/{score.pk}/").status_code
        assert status == (200 if name in SEES[username] else 404), (username, name)
        page = client.get(URL, {"period": "2025-Q4", "kind": key[0]}).content.decode()
        assert (f">{score.subject_name}</a>" in page) == (name in SEES[username]), (username, name)
    csv = b"".join(client.get(f"{URL}export.csv", {"period": "2025-Q4"}).streaming_content).decode()
    assert (DC_NAME in csv) == ("dc" in SEES[username])
    assert (f"{CITY_NAME}," in csv) == ("city" in SEES[username])


def test_anonymous_and_applicant(client: Any, computed: dict[str, Any]) -> None:
    assert client.get(URL).status_code == 302
    login(client, "13800000001")
    assert client.get(URL).status_code == 404


def test_ranking_page_and_breakdown(client: Any, computed: dict[str, Any]) -> None:
    login(client, "sup_city")
    page = client.get(URL).content.decode()  # the latest period by default
    assert "2025 年第 4 季度" in page and "草稿" in page
    assert page.index(DC_NAME) < page.index(CITY_NAME)  # ranked best first
    assert "94.67" in page and "66.45" in page and "分数是怎样算出来的" in page
    assert "12345 热线（投诉）模块尚未接入" in page and "好差评模块尚未接入" in page
    city = computed["scores"][("department", computed["city"])]
    detail = client.get(f"{URL}scores/{city.pk}/").content.decode()
    assert "66.45" in detail and "2/3" in detail and "尚未录入人工评分" in detail and "合格" in detail
    assert client.get(URL, {"kind": "nonsense", "page": "x"}).status_code == 200
    empty = client.get(URL, {"period": "2024-Q1"})
    assert empty.status_code == 200 and "尚未计算" in empty.content.decode()


def test_links_in_the_former_spelling_still_work(client: Any, computed: dict[str, Any]) -> None:
    login(client, "sup_city")
    page = client.get(URL, {"period": "2025Q4", "kind": "department"}).content.decode()
    assert "2025 年第 4 季度" in page and "94.67" in page
    assert "?period=2025-Q4&amp;kind=department" in page  # links are written canonically
    csv = client.get(f"{URL}export.csv", {"period": "2025Q4"})
    assert csv["Content-Disposition"] == 'attachment; filename="assessment-2025-Q4-department.csv"'


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2025Q5", "Q1 至 Q4"),
        ("2025-13", "1 至 12"),
        ("0000-01", "2000 至 2099"),
        ("2025", "评估周期格式应为"),
        ("last", "评估周期格式应为"),
    ],
)
def test_bad_period_is_a_400_with_a_chinese_message(
    client: Any, computed: dict[str, Any], period: str, message: str
) -> None:
    login(client, "sup_city")
    response = client.get(URL, {"period": period})
    assert response.status_code == 400 and message in response.content.decode()
    export = client.get(f"{URL}export.csv", {"period": period})
    assert export.status_code == 400 and message in export.content.decode()
    posted = client.post(f"{URL}compute/", {"period": period})
    assert posted.status_code == 400 and message in posted.content.decode()


def test_manual_score_form(client: Any, computed: dict[str, Any]) -> None:
    city = computed["scores"][("department", computed["city"])]
    url = f"{URL}scores/{city.pk}/"
    login(client, "reviewer")
    assert client.post(url, {"value": "90", "reason": "x"}).status_code == 404  # not a supervisor
    login(client, "sup_city")
    for value, message in [("101", "0 到 100"), ("-3", "0 到 100"), ("abc", "数字"), ("", "数字")]:
        response = client.post(url, {"value": value, "reason": "理由"})
        assert response.status_code == 400 and message in response.content.decode(), value
    response = client.post(url, {"value": "95", "reason": ""})
    assert response.status_code == 400 and "请填写评分理由" in response.content.decode()
    response = client.post(url, {"value": "100", "reason": "群众来信表扬"})
    assert response.status_code == 302
    new = AssessmentScore.objects.get(
        run__period="2025-Q4", subject_kind="department", subject_id=computed["city"]
    )
    assert str(new.score) == "70.39"
    detail = client.get(response["Location"]).content.decode()
    assert "群众来信表扬" in detail and "70.39" in detail


def test_recompute_and_publish_from_the_page(client: Any, computed: dict[str, Any]) -> None:
    login(client, "sup_district")
    assert client.post(f"{URL}publish/", {"period": "2025-Q4"}).status_code == 404
    login(client, "reviewer")
    assert client.post(f"{URL}publish/", {"period": "2025-Q4"}).status_code == 404
    login(client, "sup_city")
    assert "重新计算" in client.get(URL).content.decode()
    assert client.post(f"{URL}compute/", {"period": "2025-Q4", "kind": "window"}).status_code == 302
    assert AssessmentRun.objects.get(period="2025-Q4").computations == 2
    assert client.post(f"{URL}publish/", {"period": "2025-Q4"}).status_code == 302
    client.get(URL)  # the flash messages
    page = client.get(URL).content.decode()
    assert "已发布" in page and ">重新计算<" not in page
    again = client.post(f"{URL}compute/", {"period": "2025-Q4"})
    assert again.status_code == 400 and "已发布" in again.content.decode()
    assert client.post(f"{URL}nonsense/", {"period": "2025-Q4"}).status_code == 404


def test_csv_export(client: Any, computed: dict[str, Any]) -> None:
    login(client, "sup_city")
    response = client.get(f"{URL}export.csv", {"period": "2025-Q4", "kind": "staff"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeff排名,名称,部门")
    assert "王审批" in text and "69.11" in text and "合格" in text
    assert client.get(f"{URL}export.csv", {"period": "2024-Q1"}).status_code == 404


def _queries(client: Any, url: str, params: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
        assert response.status_code == 200
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return len(ctx.captured_queries)


def test_constant_query_counts(client: Any, computed: dict[str, Any]) -> None:
    login(client, "sup_city")
    city = computed["scores"][("department", computed["city"])]
    urls: list[tuple[str, dict[str, str]]] = [
        (URL, {}),
        (URL, {"period": "2025-Q4", "kind": "staff"}),
        (f"{URL}export.csv", {"period": "2025-Q4"}),
    ]
    before = [_queries(client, u, p) for u, p in urls]
    detail_before = _queries(client, f"{URL}scores/{city.pk}/")
    for n in range(2, 11):  # nine more departments, each with a decided case
        events = data.case_events(
            f"Y{n}",
            data.D(2025, 11, 3),
            data.D(2025, 11, 7),
            window=None,
            clerk=None,
            approver=None,
            uscc=org_uscc(CITY, n),
        )
        events_ingest(events=events, on_day=data.ON_DAY)
    service.assessment_compute(actor=None, period="2025-Q4", on_day=data.ON_DAY)
    assert AssessmentScore.objects.filter(subject_kind="department").count() >= 10
    city = AssessmentScore.objects.get(subject_kind="department", subject_id=computed["city"])
    assert [_queries(client, u, p) for u, p in urls] == before
    assert _queries(client, f"{URL}scores/{city.pk}/") == detail_before


def test_scheme_admin_field_errors(client: Any, demo_org: None) -> None:
    from zhengwu.supervision.models import AssessmentScheme

    login(client, "admin")
    form = {
        "name": "试行方案",
        "region_code": "",
        "periods": "quarter",
        "weight_on_time": "50",
        "weight_early": "10",
        "weight_time_used": "10",
        "weight_cards": "15",
        "weight_corrections": "10",
        "weight_complaints": "10",
        "weight_ratings": "5",
        "weight_manual": "10",
        "excellent_from": "90",
        "good_from": "80",
        "pass_from": "60",
        "yellow_card_points": "10",
        "red_card_points": "30",
        "correction_points": "10",
        "overdue_answer_points": "10",
    }
    url = "/admin/supervision/assessmentscheme/add/"
    response = client.post(url, form)
    assert response.status_code == 200 and "各项权重之和应为 100，当前为 120" in response.content.decode()
    response = client.post(url, {**form, "weight_on_time": "30", "good_from": "95"})
    assert response.status_code == 200 and "优秀 &gt; 良好 &gt; 合格" in response.content.decode()
    response = client.post(url, {**form, "weight_on_time": "30", "pass_from": "abc"})
    assert response.status_code == 200
    assert not AssessmentScheme.objects.exists()
    assert client.post(url, {**form, "weight_on_time": "30"}).status_code == 302
    assert AssessmentScheme.objects.get().name == "试行方案"
