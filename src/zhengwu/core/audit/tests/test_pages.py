from __future__ import annotations

import csv
import datetime
import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role
from zhengwu.core.audit.models import AuditEntry
from zhengwu.core.audit.services import audit_pii_read, audit_record

LIST = "/workbench/audit/"
EXPORT = "/workbench/audit/export.csv"
SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))

CHANCHENG = Actor(
    user_id=101, roles=frozenset({Role.WINDOW_CLERK}), region_code="440604000000", display_name="禅城甲"
)
NANHAI = Actor(
    user_id=102, roles=frozenset({Role.WINDOW_CLERK}), region_code="440605000000", display_name="南海乙"
)
OTHER_CITY = Actor(
    user_id=103, roles=frozenset({Role.REVIEWER}), region_code="440100000000", display_name="广州丙"
)


def _write(actor, action="org.department.update", obj_type="department", obj_id=1, day=None, **kw):
    moment = datetime.datetime.combine(day or datetime.date(2025, 3, 4), datetime.time(10), tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        audit_record(actor=actor, action=action, obj_type=obj_type, obj_id=obj_id, **kw)


def _ids(response):
    return [e.pk for e in response.context["page"].object_list]


@pytest.fixture
def rows(db):
    _write(CHANCHENG, day=datetime.date(2025, 3, 1), summary="禅城一")
    _write(NANHAI, action="cases.case.accept", obj_type="case", obj_id=9, day=datetime.date(2025, 3, 2))
    _write(OTHER_CITY, action="org.department.create", day=datetime.date(2025, 3, 3))
    with time_machine.travel(datetime.datetime(2025, 3, 4, 11, tzinfo=SHANGHAI), tick=False):
        audit_pii_read(actor=CHANCHENG, obj_type="applicant", obj_id=5, fields=["id_number"])
    return {e.actor_name + e.action: e.pk for e in AuditEntry.objects.all()}


@pytest.fixture
def login(client, make_user):
    def as_(*roles, region_code=""):
        user, _actor = make_user(*roles, region_code=region_code)
        client.force_login(user)
        return client

    return as_


def test_anonymous_is_sent_to_login(client, make_user):
    response = client.get(LIST)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "role", [Role.APPLICANT, Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER, Role.HOTLINE_AGENT]
)
def test_other_roles_get_404(login, rows, role):
    c = login(role, region_code="440600000000")
    assert c.get(LIST).status_code == 404
    assert c.get(EXPORT).status_code == 404


def test_sysadmin_sees_everything(login, rows):
    response = login(Role.SYSADMIN).get(LIST)
    assert response.status_code == 200
    assert len(_ids(response)) == 4
    assert "禅城一" in response.content.decode()


def test_city_supervisor_sees_own_city_and_districts_only(login, rows):
    response = login(Role.SUPERVISOR, region_code="440600000000").get(LIST)
    names = {e.actor_name for e in response.context["page"].object_list}
    assert names == {"禅城甲", "南海乙"}


def test_district_hall_manager_sees_own_district_only(login, rows):
    response = login(Role.HALL_MANAGER, region_code="440604000000").get(LIST)
    assert {e.actor_name for e in response.context["page"].object_list} == {"禅城甲"}


def test_supervisor_of_another_region_sees_nothing_of_ours(login, rows):
    response = login(Role.SUPERVISOR, region_code="450100000000").get(LIST)
    assert response.status_code == 200 and _ids(response) == []
    assert _ids(login(Role.SUPERVISOR, region_code="").get(LIST)) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"date_from": "2025-03-02", "date_to": "2025-03-02"}, {"南海乙cases.case.accept"}),
        ({"actor": "南海"}, {"南海乙cases.case.accept"}),
        ({"actor": "101"}, {"禅城甲org.department.update", "禅城甲pii.read"}),
        ({"action": "org"}, {"禅城甲org.department.update", "广州丙org.department.create"}),
        ({"action": "org.department.create"}, {"广州丙org.department.create"}),
        ({"obj_type": "case", "obj_id": "9"}, {"南海乙cases.case.accept"}),
        ({"obj_type": "case", "obj_id": "8"}, set()),
        ({"pii_only": "on"}, {"禅城甲pii.read"}),
        ({"channel": "web"}, set()),
        ({"channel": "system", "date_from": "2025-03-03"}, {"广州丙org.department.create", "禅城甲pii.read"}),
    ],
)
def test_filters(login, rows, query, expected):
    response = login(Role.SYSADMIN).get(LIST, query)
    assert response.status_code == 200
    assert set(_ids(response)) == {rows[k] for k in expected}


def test_date_to_is_inclusive_in_local_time(login, db):
    # 23:30 in Shanghai on 3 March is still 3 March, although it is 15:30 UTC.
    with time_machine.travel(datetime.datetime(2025, 3, 3, 23, 30, tzinfo=SHANGHAI), tick=False):
        audit_record(actor=CHANCHENG, action="x.y", obj_type="x", obj_id=1)
    c = login(Role.SYSADMIN)
    assert len(_ids(c.get(LIST, {"date_to": "2025-03-03"}))) == 1
    assert len(_ids(c.get(LIST, {"date_from": "2025-03-04"}))) == 0


@pytest.mark.parametrize(
    ("query", "field", "text"),
    [
        ({"date_from": "2025-13-01"}, "date_from", "日期"),
        ({"date_from": "2025-03-05", "date_to": "2025-03-01"}, "date_to", "结束日期不能早于开始日期"),
        ({"channel": "fax"}, "channel", ""),
    ],
)
def test_bad_filter_is_400_with_the_field_named(login, rows, query, field, text):
    response = login(Role.SYSADMIN).get(LIST, query)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert text in " ".join(response.context["form"].errors[field])


def test_pagination_50_per_page(login, db):
    for i in range(60):
        audit_record(actor=CHANCHENG, action="x.y", obj_type="x", obj_id=i)
    c = login(Role.SYSADMIN)
    first = c.get(LIST)
    assert len(_ids(first)) == 50 and first.context["page"].has_next()
    second = c.get(LIST, {"page": 2})
    assert len(_ids(second)) == 10
    assert not set(_ids(first)) & set(_ids(second))


@pytest.mark.parametrize("count", [10, 60])
def test_query_count_does_not_grow_with_rows(login, db, count, django_assert_max_num_queries):
    for i in range(count):
        audit_record(actor=CHANCHENG, action="x.y", obj_type="x", obj_id=i, changes={"a": [1, 2]})
    c = login(Role.SUPERVISOR, region_code="440600000000")
    # session + user + count + page: the same for 10 rows and for 60.
    with django_assert_max_num_queries(4):
        response = c.get(LIST)
    assert response.status_code == 200


def test_export_is_scoped_filtered_and_audited(login, rows):
    c = login(Role.SUPERVISOR, region_code="440600000000")
    response = c.get(EXPORT, {"action": "org"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert table[0][0] == "时间"
    assert [r[2] for r in table[1:]] == ["禅城甲"]  # Guangzhou is outside the supervisor's region
    export = AuditEntry.objects.get(action="audit.export")
    assert export.summary == "导出审计日志 1 条"
    assert export.extra == {"filters": {"action": "org"}}


def test_export_neutralises_spreadsheet_formulas(login, db):
    audit_record(actor=CHANCHENG, action="x.y", obj_type="x", obj_id=1, summary='=HYPERLINK("http://evil")')
    body = b"".join(login(Role.SYSADMIN).get(EXPORT).streaming_content).decode("utf-8")
    assert "'=HYPERLINK" in body


def test_admin_is_read_only(client, rows):
    admin = get_user_model().objects.create(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    assert (
        client.get(reverse("admin:core_audit_auditentry_changelist"), {"is_pii_read__exact": "1"}).status_code
        == 200
    )
    pk = rows["禅城甲pii.read"]
    change = client.get(reverse("admin:core_audit_auditentry_change", args=[pk]))
    assert change.status_code == 200 and b'name="_save"' not in change.content
    assert (
        client.post(reverse("admin:core_audit_auditentry_delete", args=[pk]), {"post": "yes"}).status_code
        == 403
    )
    assert client.get(reverse("admin:core_audit_auditentry_add")).status_code == 403
    assert AuditEntry.objects.filter(pk=pk).exists()
