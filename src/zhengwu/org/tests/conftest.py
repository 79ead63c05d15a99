"""A small two-district world for org tests (faster than the full demo city)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from zhengwu.core.access.roles import Role
from zhengwu.org import services
from zhengwu.org.demo import org_uscc

CITY, DC, XC = "449900000000", "449902000000", "449903000000"


@dataclass
class World:
    departments: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    points: dict[str, Any] = field(default_factory=dict)


def make_user(username: str, *, kind: str = "staff", superuser: bool = False) -> Any:
    return get_user_model().objects.create(
        username=username, kind=kind, is_superuser=superuser, is_staff=superuser, display_name=username
    )


def make_staff(username: str, department: Any, *roles: Role, window_ids: tuple[int, ...] = ()) -> Any:
    user = make_user(username)
    services.staff_profile_upsert(
        actor=None,
        user_id=user.pk,
        department_id=department.pk,
        roles=[r.value for r in roles],
        window_ids=window_ids,
    )
    return user


@pytest.fixture
def world(db: Any) -> World:
    w = World()
    services.region_create(actor=None, code="440000000000", name="广东省")
    services.region_create(actor=None, code=CITY, name="示范市")
    services.region_create(actor=None, code=DC, name="东城区")
    services.region_create(actor=None, code=XC, name="西城区")
    specs = [
        ("city_market", "示范市市场监督管理局", CITY, "market", 1),
        ("city_gov", "示范市政务服务数据管理局", CITY, "government_services", 2),
        ("city_housing", "示范市住房和城乡建设局", CITY, "housing", 3),
        ("dc_market", "东城区市场监督管理局", DC, "market", 1),
        ("dc_gov", "东城区政务服务数据管理局", DC, "government_services", 2),
        ("xc_market", "西城区市场监督管理局", XC, "market", 1),
    ]
    for key, name, region, line, seq in specs:
        w.departments[key] = services.department_create(
            actor=None, name=name, uscc=org_uscc(region, seq), region_code=region, line=line
        )
    for key, region in (("city", CITY), ("dc", DC), ("xc", XC)):
        point = services.service_point_create(
            actor=None,
            name=f"{key}政务服务中心",
            kind="center",
            region_code=region,
            address=f"{key}路1号",
            opening_hours="周一至周五",
            phone="0757-83300000",
        )
        w.points[key] = point
        market = w.departments[f"{key}_market"]
        services.window_create(
            actor=None, service_point_id=point.pk, code="A01", name="综合窗口", categories=["registration"]
        )
        services.window_create(
            actor=None,
            service_point_id=point.pk,
            code="B01",
            name="市场监管窗口",
            kind="department",
            department_id=market.pk,
            categories=["business_license"],
        )
    d = w.departments
    w.users["sup_city"] = make_staff("sup_city", d["city_gov"], Role.SUPERVISOR)
    w.users["sup_dc"] = make_staff("sup_dc", d["dc_gov"], Role.SUPERVISOR)
    w.users["city_market"] = make_staff("city_market", d["city_market"], Role.APPROVER)
    w.users["dc_market"] = make_staff("dc_market", d["dc_market"], Role.WINDOW_CLERK)
    w.users["other_dept"] = make_staff("other_dept", d["city_housing"], Role.REVIEWER)
    w.users["applicant"] = make_user("13900000009", kind="applicant")
    w.users["admin"] = make_user("admin", superuser=True)
    return w
