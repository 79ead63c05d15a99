from __future__ import annotations

import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from stdnum.cn import ric, uscc

from zhengwu.core.access.actor import actor_for
from zhengwu.core.access.roles import Role
from zhengwu.core.audit.models import AuditEntry
from zhengwu.org import selectors
from zhengwu.org.demo import PASSWORD, STAFF_ACCOUNTS
from zhengwu.org.models import Company, Department, PersonProfile, Region, ServicePoint, StaffProfile, Window

pytestmark = pytest.mark.django_db
MODELS = [Region, Department, ServicePoint, Window, StaffProfile, PersonProfile, Company]


def counts():
    return {m.__name__: m.objects.count() for m in [*MODELS, get_user_model(), AuditEntry]}


@pytest.fixture
def demo(db):
    call_command("seed_demo", verbosity=0)


def test_seed_demo_is_idempotent_and_fast_the_second_time(demo):
    first = counts()
    started = time.perf_counter()
    call_command("seed_demo", verbosity=0)
    assert time.perf_counter() - started < 2
    assert counts() == first
    assert first["Region"] == 16
    assert first["Department"] >= 8


def test_demo_data_is_valid(demo):
    assert all(uscc.is_valid(code) for code in Department.objects.values_list("uscc", flat=True))
    assert all(uscc.is_valid(code) for code in Company.objects.values_list("uscc", flat=True))
    assert all(ric.is_valid(n) for n in PersonProfile.objects.values_list("id_number", flat=True))
    levels = set(ServicePoint.objects.values_list("level", flat=True))
    assert levels == {"city", "district", "town", "village"}
    hall = ServicePoint.objects.get(name="示范市政务服务中心")
    assert hall.windows.filter(kind="general").count() == 5
    assert hall.windows.filter(kind="department").exists()
    lines = Department.objects.filter(region__code="449902000000").values_list("line", flat=True)
    assert set(lines) <= set(
        Department.objects.filter(region__code="449900000000").values_list("line", flat=True)
    )


def test_every_role_has_a_demo_account_that_can_log_in(demo, client):
    staff_roles = {r for a in STAFF_ACCOUNTS for r in a.roles}
    applicant_roles = set()
    for username in ("13800000001", "13800000002", "13800000003"):
        applicant_roles |= actor_for(get_user_model().objects.get(username=username)).roles
    assert staff_roles | applicant_roles == set(Role)
    assert client.login(username="clerk", password=PASSWORD)


EXPECTED = {
    "clerk": ({Role.WINDOW_CLERK}, "market", "449900000000", 6),  # A01-A05 and the bureau's B01
    "chief": ({Role.CHIEF_REPRESENTATIVE, Role.WINDOW_CLERK}, "market", "449900000000", 1),
    "sup_city": ({Role.SUPERVISOR}, "government_services", "449900000000", 0),
    "sup_district": ({Role.SUPERVISOR}, "government_services", "449902000000", 0),
    "dc_clerk": ({Role.WINDOW_CLERK}, "market", "449902000000", 4),
    "xc_clerk": ({Role.WINDOW_CLERK}, "market", "449903000000", 4),
    "dc_housing_reviewer": ({Role.REVIEWER}, "housing", "449902000000", 0),
    "natural_resources_approver": ({Role.APPROVER}, "natural_resources", "449900000000", 0),
    "handler": ({Role.UNIT_HANDLER}, "housing", "449900000000", 0),
    "admin": ({Role.SYSADMIN}, "government_services", "449900000000", 0),
}


@pytest.mark.parametrize("account", STAFF_ACCOUNTS, ids=lambda a: a.username)
def test_actor_for_each_staff_account(demo, django_assert_max_num_queries, account):
    user = get_user_model().objects.get(username=account.username)
    with django_assert_max_num_queries(2):
        actor = selectors.actor_for_user(user)
    assert actor.roles == set(account.roles)
    assert actor.is_staff_actor
    assert actor.department_id is not None
    if account.username in EXPECTED:
        roles, line, region, windows = EXPECTED[account.username]
        assert (actor.roles, actor.department_line, actor.region_code, len(actor.window_ids)) == (
            roles,
            line,
            region,
            windows,
        )


@pytest.mark.parametrize(
    ("username", "roles", "companies"),
    [
        ("13800000001", {Role.APPLICANT}, 0),
        ("13800000002", {Role.APPLICANT, Role.COMPANY_AGENT}, 1),
        ("13800000003", {Role.APPLICANT, Role.AGENCY}, 1),
    ],
)
def test_actor_for_applicants(demo, django_assert_max_num_queries, username, roles, companies):
    user = get_user_model().objects.get(username=username)
    with django_assert_max_num_queries(2):
        actor = selectors.actor_for_user(user)
    assert actor.roles == roles
    assert len(actor.company_ids) == companies
    assert not actor.is_staff_actor


def test_expired_agent_authorisation_is_ignored(demo, time_machine):
    time_machine.move_to("2025-06-01T10:00:00+08:00")  # before the demo authorisation starts
    user = get_user_model().objects.get(username="13800000002")
    assert selectors.actor_for_user(user).roles == {Role.APPLICANT}


def test_an_authorisation_counts_from_its_first_to_its_last_day(demo, time_machine):
    import datetime as dt

    from zhengwu.org.models import CompanyAgent

    user = get_user_model().objects.get(username="13800000002")
    link = CompanyAgent.objects.get(user=user)
    CompanyAgent.objects.filter(pk=link.pk).update(
        authorised_from=dt.date(2026, 3, 2), authorised_until=dt.date(2026, 3, 31)
    )
    seen = {}
    for day in ("2026-03-01", "2026-03-02", "2026-03-31", "2026-04-01"):
        time_machine.move_to(f"{day}T10:00:00+08:00")
        seen[day] = selectors.actor_for_user(user).company_ids
    assert seen == {
        "2026-03-01": frozenset(),
        "2026-03-02": {link.company_id},
        "2026-03-31": {link.company_id},
        "2026-04-01": frozenset(),
    }


def test_demo_accounts_command(demo, capsys):
    call_command("demo_accounts")
    out = capsys.readouterr().out
    assert "sup_district" in out and "电子监察人员" in out and "示范市东城区政务服务数据管理局" in out
    assert PASSWORD in out


def test_portal_service_points_use_constant_queries(demo):
    with CaptureQueriesContext(connection) as ctx:
        rows = selectors.service_points_for_portal()
    assert len(ctx) == 1
    hall = next(r for r in rows if r["name"] == "示范市政务服务中心")
    assert hall["windows"] == 14
    assert hall["kind_label"] == "政务服务中心"
    assert "13:30-17:30" in hall["hours"]


@pytest.mark.parametrize("page", ["org:departments", "org:service_points", "org:windows", "org:staff"])
def test_workbench_pages_query_count_does_not_grow(demo, client, page):
    from django.urls import reverse

    client.force_login(get_user_model().objects.get(username="admin"))
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(page))
    assert response.status_code == 200
    assert len(ctx) <= 10, [q["sql"] for q in ctx.captured_queries]
