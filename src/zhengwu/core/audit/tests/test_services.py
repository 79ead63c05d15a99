from __future__ import annotations

import datetime

import pytest
import time_machine
from django.db import transaction

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role
from zhengwu.core.audit import context
from zhengwu.core.audit.masking import mask_address, mask_id_number, mask_phone
from zhengwu.core.audit.models import AuditEntry
from zhengwu.core.audit.services import audit_pii_read, audit_record, diff_fields

CLERK = Actor(
    user_id=7,
    roles=frozenset({Role.WINDOW_CLERK, Role.REVIEWER}),
    department_id=3,
    region_code="440604000000",
    display_name="张三",
)


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2025, 3, 4, 9, 30, tzinfo=datetime.UTC), tick=False)
def test_record_keeps_who_what_when_where_why():
    token = context.bind(context.Origin(channel="window", ip="10.0.0.8", window="A05"))
    try:
        audit_record(
            actor=CLERK,
            action="org.department.update",
            obj_type="department",
            obj_id=12,
            summary="改名",
            changes={"name": ["旧名", "新名"]},
            reason="机构改革",
        )
    finally:
        context.reset(token)
    row = AuditEntry.objects.get()
    assert row.occurred_at == datetime.datetime(2025, 3, 4, 9, 30, tzinfo=datetime.UTC)
    assert (row.actor_user_id, row.actor_name, row.actor_department_id) == (7, "张三", 3)
    assert row.actor_roles == "reviewer,window_clerk"
    assert row.actor_region_code == "440604000000"
    assert (row.action, row.obj_type, row.obj_id) == ("org.department.update", "department", "12")
    assert row.changes == {"name": ["旧名", "新名"]}
    assert (row.reason, row.channel, row.ip, row.window) == ("机构改革", "window", "10.0.0.8", "A05")
    assert row.is_pii_read is False


@pytest.mark.django_db
def test_record_without_actor_is_the_system():
    audit_record(actor=None, action="calendar.sync", obj_type="calendar", obj_id="2025")
    row = AuditEntry.objects.get()
    assert row.actor_user_id is None and row.actor_name == "" and row.channel == "system" and row.ip is None


@pytest.mark.django_db
def test_pii_read_is_flagged_with_fields_and_purpose():
    audit_pii_read(
        actor=CLERK, obj_type="applicant", obj_id=5, fields=["id_number", "phone"], purpose="核验身份"
    )
    row = AuditEntry.objects.get()
    assert row.is_pii_read and row.action == "pii.read"
    assert row.extra == {"fields": ["id_number", "phone"]}
    assert row.reason == "核验身份" and row.obj_id == "5"


@pytest.mark.django_db
def test_rolled_back_action_leaves_no_audit_row():
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=CLERK, action="x.create", obj_type="x", obj_id=1)
        raise RuntimeError("boom")
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_long_summary_is_cut_not_refused():
    audit_record(actor=CLERK, action="x.update", obj_type="x", obj_id=1, summary="长" * 900)
    assert len(AuditEntry.objects.get().summary) == 500


def test_diff_fields_between_dicts_and_objects():
    class Obj:
        name = "新名"
        phone = "0757-1"
        day = datetime.date(2025, 1, 2)

    old = {"name": "旧名", "phone": "0757-1", "day": datetime.date(2025, 1, 1)}
    assert diff_fields(old, Obj(), ["name", "phone", "day"]) == {
        "name": ["旧名", "新名"],
        "day": ["2025-01-01", "2025-01-02"],
    }
    assert diff_fields(None, {"name": "甲"}, ["name"]) == {"name": [None, "甲"]}
    assert diff_fields({"name": "甲"}, {"name": "甲"}, ["name"]) == {}


def test_masking():
    assert mask_id_number("440104199003071234") == "4401**********1234"
    assert mask_id_number("") == ""
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("0757-8888") == "*****8888"
    assert mask_address("广东省佛山市禅城区祖庙街道人民路12号3栋501") == "广东省佛山市禅城区******"
    assert mask_address("佛山市人民路12号") == "佛山市******"
    assert "12号" not in mask_address("人民路12号")
