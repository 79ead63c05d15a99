"""我的待办: who sees which step, the light rule, filters, sorting, paging and a constant query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwu.cases.models import CaseStatus, CaseStep, StepStatus
from zhengwu.cases.selectors.staff import Light, deadline_light, yellow_margin
from zhengwu.core.calendar.days import add_workdays

from ..factories import actor_of, make_item_for_cases
from .helpers import TODAY, body, new_case

pytestmark = pytest.mark.django_db
URL = "/workbench/cases/"


def accepted(item=None, *, due: dt.date | None = None, **fields):
    case = new_case(status=CaseStatus.ACCEPTED, item=item or make_item_for_cases(), **fields)
    if due is not None:
        CaseStep.objects.filter(case=case, status=StepStatus.ACTIVE).update(due_on=due)
    return case


# --- the light rule -----------------------------------------------------------------------


def test_light_rule():
    today = dt.date(2025, 9, 29)  # Monday
    assert deadline_light(None, today, 5) == Light.GREEN
    assert deadline_light(dt.date(2025, 9, 26), today, 5) == Light.RED  # the due day has passed
    assert deadline_light(today, today, 5) == Light.YELLOW  # last day
    assert deadline_light(dt.date(2025, 9, 30), today, 5) == Light.YELLOW  # 1 working day left
    # 2025-10-09 is 2 working days away (the National Day holiday does not count): green for a
    # 5-day limit, yellow for a 10-day limit (20 % of 10 = 2).
    assert deadline_light(dt.date(2025, 10, 9), today, 5) == Light.GREEN
    assert deadline_light(dt.date(2025, 10, 9), today, 10) == Light.YELLOW
    assert deadline_light(dt.date(2025, 10, 10), today, 10) == Light.GREEN
    assert yellow_margin(None) == 1 and yellow_margin(4) == 1 and yellow_margin(20) == 4


# --- who sees what --------------------------------------------------------------------------


def test_reviewer_sees_the_active_review_step(reviewer, approver, item):
    case = accepted(item)
    page = body(reviewer.get(URL))
    assert case.number in page and "审查" in page
    assert case.number not in body(approver.get(URL))  # the decide step is not active yet


def test_steps_of_another_department_or_assignee_are_hidden(reviewer, demo_org, item):
    from django.contrib.auth import get_user_model

    mine = accepted(item)
    taken = accepted(item)
    other = get_user_model().objects.get(username="approver")
    CaseStep.objects.filter(case=taken).update(assignee=other)
    from zhengwu.catalog.tests.factories import department

    housing_item = make_item_for_cases(name="燃气经营许可", dept=department("示范市住房和城乡建设局"))
    elsewhere = accepted(housing_item)
    page = body(reviewer.get(URL))
    assert mine.number in page
    assert taken.number not in page
    assert elsewhere.number not in page


def test_a_window_clerk_without_review_role_has_an_empty_list(clerk, item):
    accepted(item)
    response = clerk.get(URL)
    assert response.status_code == 200
    assert "没有待办事项" in body(response)


def test_an_applicant_gets_404(demo_org):
    from django.test import Client

    from zhengwu.org.demo import PERSON_PHONE

    client = Client()
    client.force_login(
        __import__("django.contrib.auth", fromlist=["x"]).get_user_model().objects.get(username=PERSON_PHONE)
    )
    assert client.get(URL).status_code == 404


def test_anonymous_is_sent_to_login(client, demo_org):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- lights, filters, sorting ---------------------------------------------------------------


@pytest.fixture
def three_lights(item):
    red = accepted(item, due=dt.date(2025, 9, 26))
    yellow = accepted(item, due=dt.date(2025, 9, 30))
    green = accepted(item, due=dt.date(2025, 10, 10), green_channel=True)
    return red, yellow, green


def test_each_row_has_its_light_and_days_left(reviewer, three_lights):
    red, yellow, green = three_lights
    response = reviewer.get(URL)
    rows = {row.case.pk: row for row in response.context["rows"]}
    # Due Friday 09-26; Sunday 09-28 was a make-up working day, so Monday is 2 working days late.
    assert rows[red.pk].due.light == Light.RED and rows[red.pk].due.left == -2
    assert rows[yellow.pk].due.light == Light.YELLOW and rows[yellow.pk].due.left == 1
    assert rows[green.pk].due.light == Light.GREEN and rows[green.pk].due.left == 3
    page = body(response)
    assert "超期 2 个工作日" in page and "剩 1 个工作日" in page and "剩 3 个工作日" in page


@pytest.mark.parametrize("light", ["red", "yellow", "green"])
def test_filter_by_light(reviewer, three_lights, light):
    expected = dict(zip(["red", "yellow", "green"], three_lights, strict=True))[light]
    rows = reviewer.get(URL, {"light": light}).context["rows"]
    assert [r.case.pk for r in rows] == [expected.pk]


def test_filter_by_green_channel_and_item(reviewer, three_lights):
    green = three_lights[2]
    rows = reviewer.get(URL, {"green": "on"}).context["rows"]
    assert [r.case.pk for r in rows] == [green.pk]
    other = accepted(make_item_for_cases(name="药品经营许可"))
    rows = reviewer.get(URL, {"item": other.item_id}).context["rows"]
    assert [r.case.pk for r in rows] == [other.pk]
    # A malformed filter is ignored, never a 500.
    assert reviewer.get(URL, {"item": "abc", "light": "blue", "page": "x", "size": "-3"}).status_code == 200


def test_sorting(reviewer, three_lights):
    red, yellow, green = three_lights
    by_due = [r.case.pk for r in reviewer.get(URL, {"sort": "due"}).context["rows"]]
    assert by_due == [red.pk, yellow.pk, green.pk]
    by_due_desc = [r.case.pk for r in reviewer.get(URL, {"sort": "-due"}).context["rows"]]
    assert by_due_desc == [green.pk, yellow.pk, red.pk]
    other = accepted(make_item_for_cases(name="保健食品经营备案"))  # sorts before 食品经营许可
    by_item = [r.case.pk for r in reviewer.get(URL, {"sort": "item"}).context["rows"]]
    assert by_item[0] == other.pk


def test_pending_extension_is_listed_for_the_approver(approver, item):
    from django.contrib.auth import get_user_model

    from zhengwu.cases.models import Extension

    case = accepted(item)
    Extension.objects.create(
        case=case, reason="需现场核查", requested_by=get_user_model().objects.get(username="reviewer")
    )
    page = body(approver.get(URL))
    assert "待批准的延期申请" in page and case.number in page


# --- constant number of queries -----------------------------------------------------------


def _count(client, params):
    client.get(URL, params)  # warm the session, the calendar and the template cache
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize("params", [{}, {"light": "yellow", "sort": "item"}])
def test_query_count_does_not_grow_with_the_page(reviewer, item, params, django_assert_max_num_queries):
    for _ in range(5):
        accepted(item, due=dt.date(2025, 9, 30))
    small, response = _count(reviewer, {**params, "size": 5})
    assert len(response.context["rows"]) == 5
    for _ in range(50):
        accepted(item, due=dt.date(2025, 9, 30))
    large, response = _count(reviewer, {**params, "size": 50})
    assert len(response.context["rows"]) == 50
    assert large == small
    with django_assert_max_num_queries(small):
        reviewer.get(URL, {**params, "size": 50, "page": 2})


def test_task_rows_use_the_fixed_today(reviewer, item):
    case = accepted(item)
    row = reviewer.get(URL).context["rows"][0]
    assert row.case.pk == case.pk
    assert row.due.due == add_workdays(case.accepted_at, 5, case.region_code)
    assert dt.date(2025, 9, 29) == TODAY
    assert actor_of("reviewer").department_id == case.department_id
