from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role
from zhengwu.core.audit.models import AuditEntry
from zhengwu.core.events.models import Event
from zhengwu.org import services, validators
from zhengwu.org.demo import org_uscc, resident_id
from zhengwu.org.models import Department, Region

from .conftest import CITY, make_user

pytestmark = pytest.mark.django_db

GOOD_USCC = org_uscc(CITY, 77)
GOOD_ID = resident_id("44010619900101123")


def bad_check_digit(code: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return code[:-1] + next(c for c in alphabet if c != code[-1])


def test_demo_codes_are_valid():
    validators.clean_uscc(GOOD_USCC)
    validators.clean_id_number(GOOD_ID)


@pytest.mark.parametrize(
    "base17",
    ["99990119900101123", "44990219800202101"],  # unknown province; known province, unknown county
    ids=["province", "county"],
)
def test_id_number_with_unknown_area_is_a_field_error(base17):
    with pytest.raises(ValidationError) as exc:
        validators.clean_id_number(resident_id(base17))
    assert "地区码无效" in exc.value.message_dict["id_number"][0]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (bad_check_digit(GOOD_USCC), "统一社会信用代码校验位错误"),
        ("9144", "统一社会信用代码应为18位"),
        ("ABCDEFGH1234567890", "统一社会信用代码格式错误"),
        ("", "请填写统一社会信用代码"),
    ],
)
def test_department_with_bad_uscc_is_refused(world, value, message):
    before = Department.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.department_create(actor=None, name="测试局", uscc=value, region_code=CITY)
    assert message in exc.value.message_dict["uscc"][0]
    assert Department.objects.count() == before


def test_unknown_region_and_bad_phone_are_reported_together(world):
    with pytest.raises(ValidationError) as exc:
        services.department_create(
            actor=None, name="测试局", uscc=GOOD_USCC, region_code="449999000000", complaint_phone="123"
        )
    errors = exc.value.message_dict
    assert "区划代码不存在" in errors["region_code"][0]
    assert "电话号码格式错误" in errors["complaint_phone"][0]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("440106199013011234", "出生日期无效"),  # a 13th month
        ("440106199002301234", "出生日期无效"),  # 30 February
        ("440106209901011234", "出生日期无效"),  # born in the future
        (bad_check_digit(GOOD_ID)[:17] + ("0" if GOOD_ID[-1] != "0" else "1"), "校验位错误"),
        ("000000199001011234", "身份证号码"),
        ("4401061990010112", "应为18位"),
    ],
)
def test_person_profile_with_bad_id_number_is_refused(db, value, message):
    user = make_user("13800000011", kind="applicant")
    with pytest.raises(ValidationError) as exc:
        services.person_profile_upsert(
            actor=None, user_id=user.pk, name="张三", id_number=value, phone="13800000011"
        )
    assert message in exc.value.message_dict["id_number"][0]


@pytest.mark.parametrize("phone", ["12800000000", "1380000000", "0757-83300000"])
def test_person_phone_must_be_a_mobile(db, phone):
    user = make_user("13800000012", kind="applicant")
    with pytest.raises(ValidationError) as exc:
        services.person_profile_upsert(
            actor=None, user_id=user.pk, name="张三", id_number=GOOD_ID, phone=phone
        )
    assert "phone" in exc.value.message_dict


@pytest.mark.parametrize("phone", ["0757-12345678", "075712345678", "010-1234567", "12345", "13800000001"])
def test_department_phones_accept_landlines_and_hotlines(phone):
    assert validators.clean_service_phone(phone, "complaint_phone") == phone


@pytest.mark.parametrize(
    ("code", "kwargs", "field", "message"),
    [
        ("44990200000A", {}, "code", "12位数字"),
        ("4499020000", {}, "code", "12位数字"),
        ("000000000000", {}, "code", "省级代码"),
        ("449902000000", {"level": "city"}, "level", "级别与区划代码不符"),
        ("449902001000", {"parent_code": "449903000000"}, "parent_code", "不包含"),
        ("449902001000", {"parent_code": "449988000000"}, "parent_code", "区划代码不存在"),
        ("449988001000", {}, "parent_code", "找不到上级区划"),
        ("449900000000", {}, "code", "已存在"),
    ],
)
def test_bad_region_codes(world, code, kwargs, field, message):
    before = Region.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.region_create(actor=None, code=code, name="某地", **kwargs)
    assert message in exc.value.message_dict[field][0]
    assert Region.objects.count() == before


def test_region_level_and_parent_follow_the_code(world):
    town = services.region_create(actor=None, code="449902001000", name="东湖街道")
    assert town.level == "town"
    assert town.parent.code == "449902000000"
    village = services.region_create(actor=None, code="449902001001", name="东湖社区", level="village")
    assert village.parent_id == town.pk


def test_create_and_update_are_audited_and_emit_events(world):
    admin = Actor(user_id=world.users["admin"].pk, roles=frozenset({Role.SYSADMIN}))
    department = services.department_create(
        actor=admin, name="示范市测试局", uscc=GOOD_USCC, region_code=CITY, line="test_line"
    )
    assert AuditEntry.objects.filter(action="org.department_created", obj_id=str(department.pk)).exists()
    created = Event.objects.get(type="org.department_created", aggregate_id=str(department.pk))
    assert created.payload["uscc"] == GOOD_USCC
    services.department_update(actor=admin, department_id=department.pk, complaint_phone="12345")
    entry = AuditEntry.objects.get(action="org.department_updated", obj_id=str(department.pk))
    assert entry.changes == {"complaint_phone": ["", "12345"]}
    updated = Event.objects.get(type="org.department_updated", aggregate_id=str(department.pk))
    assert updated.payload["changed_fields"] == ["complaint_phone"]
    # An update that changes nothing writes nothing.
    services.department_update(actor=admin, department_id=department.pk, complaint_phone="12345")
    assert Event.objects.filter(type="org.department_updated").count() == 1
    assert Event.objects.filter(type="org.region_created").count() == 4


def test_update_with_bad_value_changes_nothing(world):
    department = world.departments["city_market"]
    with pytest.raises(ValidationError) as exc:
        services.department_update(
            actor=None, department_id=department.pk, name="新名称", uscc=bad_check_digit(department.uscc)
        )
    assert "uscc" in exc.value.message_dict
    department.refresh_from_db()
    assert department.name == "示范市市场监督管理局"


def test_duplicate_uscc_is_refused(world):
    with pytest.raises(ValidationError) as exc:
        services.department_create(
            actor=None, name="重复局", uscc=world.departments["city_market"].uscc, region_code=CITY
        )
    assert "已被其他部门使用" in exc.value.message_dict["uscc"][0]


def test_only_sysadmin_maintains_departments(world):
    clerk = Actor(user_id=1, roles=frozenset({Role.WINDOW_CLERK}), region_code=CITY)
    with pytest.raises(PermissionDenied):
        services.department_create(actor=clerk, name="测试局", uscc=GOOD_USCC, region_code=CITY)


def test_service_point_hours_and_window_categories_are_validated(world):
    with pytest.raises(ValidationError) as exc:
        services.service_point_create(
            actor=None,
            name="某站",
            kind="station",
            region_code=CITY,
            address="某路",
            weekday_hours=[{"weekday": 8, "open": "09:00", "close": "12:00"}],
        )
    assert "weekday_hours" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.window_create(
            actor=None,
            service_point_id=world.points["city"].pk,
            code="A01",
            name="重复",
            categories=["nope"],
            kind="department",
        )
    errors = exc.value.message_dict
    assert set(errors) == {"code", "categories", "department_id"}


def test_staff_profile_rejects_public_roles_and_defaults_region(world):
    user = make_user("newstaff")
    with pytest.raises(ValidationError) as exc:
        services.staff_profile_upsert(
            actor=None, user_id=user.pk, department_id=world.departments["dc_market"].pk, roles=["applicant"]
        )
    assert "roles" in exc.value.message_dict
    profile = services.staff_profile_upsert(
        actor=None, user_id=user.pk, department_id=world.departments["dc_market"].pk, roles=["reviewer"]
    )
    assert profile.region.code == "449902000000"


def test_company_agent_dates(world):
    company = services.company_create(
        actor=None, name="某公司", uscc=org_uscc(CITY, 500), legal_rep_name="王某"
    )
    with pytest.raises(ValidationError) as exc:
        services.company_agent_authorise(
            actor=None,
            company_id=company.pk,
            user_id=world.users["applicant"].pk,
            authorised_from=datetime.date(2026, 2, 1),
            authorised_until=datetime.date(2026, 1, 1),
        )
    assert "authorised_until" in exc.value.message_dict
