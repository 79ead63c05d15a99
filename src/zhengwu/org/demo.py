"""The demo city 示范市 (fictitious codes under 4499, Guangdong): regions, departments, halls, windows,
an account for every role and some applicants. Idempotent: what exists is left alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric, uscc

from zhengwu.core.access.roles import Role

from . import services
from .models import Company, Department, PersonProfile, Region, ServicePoint, Window
from .models import WindowCategory as Cat

PASSWORD = "Demo-2026"  # noqa: S105 - published demo password, documented in docs/demo-accounts.md
CITY = "449900000000"
DONGCHENG = "449902000000"
XICHENG = "449903000000"

REGIONS: list[tuple[str, str]] = [
    ("440000000000", "广东省"),
    (CITY, "示范市"),
    (DONGCHENG, "东城区"),
    ("449902001000", "东湖街道"),
    ("449902001001", "东湖社区"),
    ("449902001002", "湖滨社区"),
    ("449902101000", "东平镇"),
    ("449902101201", "东平村"),
    ("449902101202", "石岭村"),
    (XICHENG, "西城区"),
    ("449903001000", "西关街道"),
    ("449903001001", "西关社区"),
    ("449903001002", "荔湾社区"),
    ("449903101000", "西山镇"),
    ("449903101201", "西山村"),
    ("449903101202", "云溪村"),
]


def with_check_digit(base17: str) -> str:
    return base17 + uscc.calc_check_digit(base17)


def org_uscc(region_code: str, seq: int) -> str:
    """11 = 机构编制 / 机关; then the 6-digit region, a 9-digit organisation code and the check digit."""
    return with_check_digit(f"11{region_code[:6]}{seq:09d}")


def resident_id(base17: str) -> str:
    return base17 + ric.calc_check_digit(base17 + "0")


# (short key, name, short name, line, consultation phone)
CITY_DEPARTMENTS = [
    ("market", "市市场监督管理局", "市场监管局", "market", "0757-83310001"),
    ("natural_resources", "市自然资源局", "自然资源局", "natural_resources", "0757-83310002"),
    ("housing", "市住房和城乡建设局", "住建局", "housing", "0757-83310003"),
    ("health", "市卫生健康委员会", "卫健委", "health", "0757-83310004"),
    ("transport", "市交通运输局", "交通局", "transport", "0757-83310005"),
    ("civil_affairs", "市民政局", "民政局", "civil_affairs", "0757-83310006"),
    ("urban_management", "市城市管理和综合执法局", "城管局", "urban_management", "0757-83310007"),
    ("government_services", "市政务服务数据管理局", "政数局", "government_services", "0757-83310008"),
    ("ecology_environment", "市生态环境局", "生态环境局", "ecology_environment", "0757-83310009"),
    ("disabled_persons", "市残疾人联合会", "残联", "disabled_persons", "0757-83310010"),
    ("government_office", "市人民政府办公室", "市府办", "government_office", "0757-83310011"),
]
# District counterparts share the city department's line (条线).
DISTRICT_LINES = [
    ("market", "市场监督管理局", "市场监管局"),
    ("housing", "住房和城乡建设局", "住建局"),
    ("natural_resources", "自然资源分局", "自然资源分局"),
    ("government_services", "政务服务数据管理局", "政数局"),
]
DISTRICTS = [(DONGCHENG, "东城区", "dc"), (XICHENG, "西城区", "xc")]

HALL_HOURS = [
    *({"weekday": d, "open": "09:00", "close": "12:00"} for d in range(1, 6)),
    *({"weekday": d, "open": "13:30", "close": "17:30"} for d in range(1, 6)),
    {"weekday": 6, "open": "09:00", "close": "12:00", "appointment": True},
]
HALL_HOURS_TEXT = "周一至周五 9:00-12:00，13:30-17:30；周六上午 9:00-12:00 预约办理"
TOWN_HOURS = [
    *({"weekday": d, "open": "08:30", "close": "12:00"} for d in range(1, 6)),
    *({"weekday": d, "open": "14:00", "close": "17:30"} for d in range(1, 6)),
]
TOWN_HOURS_TEXT = "周一至周五 8:30-12:00，14:00-17:30"

GENERAL_WINDOWS = [
    ("A01", "注册登记类综合窗口", [Cat.REGISTRATION]),
    ("A02", "工程建设类综合窗口", [Cat.CONSTRUCTION]),
    ("A03", "经营许可类综合窗口", [Cat.BUSINESS_LICENSE]),
    ("A04", "公共资源交易类综合窗口", [Cat.PUBLIC_RESOURCE]),
    ("A05", "其他事项综合窗口", [Cat.OTHER]),
]


@dataclass(frozen=True)
class DemoAccount:
    username: str
    roles: tuple[Role, ...]
    department: str  # key: "<district prefix>:<line>" or the city key
    windows: tuple[str, ...] = ()  # "<hall name>/<window code>"
    delegated: tuple[str, ...] = ()
    superuser: bool = False
    display_name: str = ""


CITY_HALL = "示范市政务服务中心"
STAFF_ACCOUNTS = [
    DemoAccount(
        "clerk",
        (Role.WINDOW_CLERK,),
        "market",
        (*(f"{CITY_HALL}/{code}" for code, _n, _c in GENERAL_WINDOWS), f"{CITY_HALL}/B01"),
        display_name="陈受理",
    ),
    DemoAccount("reviewer", (Role.REVIEWER,), "market", display_name="李审查"),
    DemoAccount("approver", (Role.APPROVER,), "market", display_name="王审批"),
    DemoAccount(
        "chief",
        (Role.CHIEF_REPRESENTATIVE, Role.WINDOW_CLERK),
        "market",
        (f"{CITY_HALL}/B01",),
        delegated=("MARKET-0001", "MARKET-0002"),
        display_name="张首席",
    ),
    DemoAccount("hallmgr", (Role.HALL_MANAGER,), "government_services", display_name="刘大厅"),
    DemoAccount("sup_city", (Role.SUPERVISOR,), "government_services", display_name="赵监察"),
    DemoAccount("sup_district", (Role.SUPERVISOR,), "dc:government_services", display_name="孙监察"),
    DemoAccount("hotline", (Role.HOTLINE_AGENT,), "government_services", display_name="周话务"),
    DemoAccount("handler", (Role.UNIT_HANDLER,), "housing", display_name="吴承办"),
    DemoAccount("kbeditor", (Role.KNOWLEDGE_EDITOR,), "government_services", display_name="郑知识"),
    DemoAccount("operator", (Role.MARKET_OPERATOR,), "government_services", display_name="冯运营"),
    DemoAccount(
        "dc_clerk",
        (Role.WINDOW_CLERK,),
        "dc:market",
        (*(f"东城区政务服务中心/{code}" for code, _n, _c in GENERAL_WINDOWS[:3]), "东城区政务服务中心/B01"),
        display_name="何窗口",
    ),
    DemoAccount(
        "xc_clerk",
        (Role.WINDOW_CLERK,),
        "xc:market",
        (*(f"西城区政务服务中心/{code}" for code, _n, _c in GENERAL_WINDOWS[:3]), "西城区政务服务中心/B01"),
        display_name="邓窗口",
    ),
    DemoAccount("admin", (Role.SYSADMIN,), "government_services", superuser=True, display_name="系统管理员"),
]
# Every other department that handles demo items gets a reviewer (审查) and an approver (审批人), so each
# demo item can be carried from acceptance to delivery: `<department key>_reviewer` / `_approver`
# (district keys with "_" for ":", e.g. `dc_housing_reviewer`).
BACK_OFFICE_DEPARTMENTS: dict[str, str] = {
    **{
        key: short for key, _n, short, *_r in CITY_DEPARTMENTS if key not in ("market", "government_services")
    },
    "dc:market": "东城区市场监管局",
    "dc:housing": "东城区住建局",
    "xc:market": "西城区市场监管局",
}
STAFF_ACCOUNTS += [
    DemoAccount(f"{key.replace(':', '_')}_{suffix}", (role,), key, display_name=f"{short}{title}")
    for key, short in BACK_OFFICE_DEPARTMENTS.items()
    for suffix, role, title in (("reviewer", Role.REVIEWER, "审查员"), ("approver", Role.APPROVER, "审批人"))
]
PERSON_PHONE = "13800000001"
AGENT_PHONE = "13800000002"
AGENCY_PHONE = "13800000003"


def seed_demo() -> dict[str, int]:
    """Create whatever part of the demo city is missing; returns counts of what was created."""
    created: dict[str, int] = {}
    with transaction.atomic():
        created["regions"] = _regions()
        departments, created["departments"] = _departments()
        points, created["service_points"] = _service_points()
        created["windows"] = _windows(points, departments)
        created["accounts"] = _accounts(departments)
    return created


def _regions() -> int:
    existing = set(Region.objects.values_list("code", flat=True))
    n = 0
    for code, name in REGIONS:
        if code not in existing:
            services.region_create(actor=None, code=code, name=name)
            n += 1
    return n


def _department_specs() -> list[dict[str, Any]]:
    specs = []
    for seq, (key, name, short, line, phone) in enumerate(CITY_DEPARTMENTS, start=1):
        specs.append(
            {
                "key": key,
                "name": f"示范{name}",
                "short_name": short,
                "line": line,
                "region_code": CITY,
                "uscc": org_uscc(CITY, seq),
                "consultation_phone": phone,
                "complaint_phone": "12345",
                "supervision_contact_name": "监察联络员",
                "supervision_contact_phone": phone.replace("8331", "8332"),
            }
        )
    for d_index, (code, district, prefix) in enumerate(DISTRICTS, start=2):
        for seq, (line, name, short) in enumerate(DISTRICT_LINES, start=1):
            phone = f"0757-8{d_index}41{seq:04d}"
            specs.append(
                {
                    "key": f"{prefix}:{line}",
                    "name": f"示范市{district}{name}",
                    "short_name": short,
                    "line": line,
                    "region_code": code,
                    "uscc": org_uscc(code, seq),
                    "consultation_phone": phone,
                    "complaint_phone": "12345",
                    "supervision_contact_name": "监察联络员",
                    "supervision_contact_phone": phone,
                }
            )
    return specs


def _departments() -> tuple[dict[str, Department], int]:
    specs = _department_specs()
    by_uscc = {d.uscc: d for d in Department.objects.filter(uscc__in=[s["uscc"] for s in specs])}
    n = 0
    result = {}
    for spec in specs:
        key = spec.pop("key")
        department = by_uscc.get(spec["uscc"])
        if department is None:
            department = services.department_create(actor=None, **spec)
            n += 1
        result[key] = department
    return result, n


def _point_specs() -> list[dict[str, Any]]:
    specs: list[dict[str, Any]] = [
        {
            "name": CITY_HALL,
            "kind": ServicePoint.Kind.CENTER,
            "region_code": CITY,
            "address": "示范市东城区市民大道1号市民服务中心",
            "latitude": "23.021500",
            "longitude": "113.121400",
            "opening_hours": HALL_HOURS_TEXT,
            "weekday_hours": HALL_HOURS,
            "phone": "0757-83300000",
        },
    ]
    for i, (code, district, _prefix) in enumerate(DISTRICTS, start=2):
        specs.append(
            {
                "name": f"{district}政务服务中心",
                "kind": ServicePoint.Kind.CENTER,
                "region_code": code,
                "address": f"示范市{district}政务大道{i}8号",
                "opening_hours": HALL_HOURS_TEXT,
                "weekday_hours": HALL_HOURS,
                "phone": f"0757-8{i}400000",
            }
        )
    for code, name in REGIONS:
        if code.endswith("000") and code[6:9] != "000":
            specs.append(
                {
                    "name": f"{name}便民服务中心",
                    "kind": ServicePoint.Kind.CONVENIENCE,
                    "region_code": code,
                    "address": f"示范市{name}政务路1号",
                    "opening_hours": TOWN_HOURS_TEXT,
                    "weekday_hours": TOWN_HOURS,
                    "phone": f"0757-8{code[5]}5{code[6:9]}00",
                }
            )
        elif not code.endswith("000"):
            specs.append(
                {
                    "name": f"{name}党群服务站",
                    "kind": ServicePoint.Kind.STATION,
                    "region_code": code,
                    "address": f"示范市{name}村委大楼一楼",
                    "opening_hours": TOWN_HOURS_TEXT,
                    "weekday_hours": TOWN_HOURS,
                    "phone": f"0757-8{code[5]}6{code[6:9]}{code[10:]}",
                }
            )
    return specs


def _service_points() -> tuple[dict[str, ServicePoint], int]:
    existing = {p.name: p for p in ServicePoint.objects.all()}
    n = 0
    result = {}
    for spec in _point_specs():
        point = existing.get(spec["name"])
        if point is None:
            point = services.service_point_create(actor=None, **spec)
            n += 1
        result[point.name] = point
    return result, n


def _window_specs(
    points: dict[str, ServicePoint], departments: dict[str, Department]
) -> list[dict[str, Any]]:
    specs = []
    dept_windows = [
        ("B01", "market"),
        ("B02", "natural_resources"),
        ("B03", "housing"),
        ("B04", "health"),
        ("B05", "transport"),
        ("B06", "civil_affairs"),
        ("B07", "disabled_persons"),
        ("B08", "ecology_environment"),
        ("B09", "urban_management"),
    ]
    for point in points.values():
        if point.name == CITY_HALL:
            general = GENERAL_WINDOWS
            mine = [(code, departments[key]) for code, key in dept_windows]
        elif point.kind == ServicePoint.Kind.CENTER:
            general = GENERAL_WINDOWS[:3]
            prefix = next(p for c, _n, p in DISTRICTS if c == point.region.code)
            mine = [("B01", departments[f"{prefix}:market"]), ("B02", departments[f"{prefix}:housing"])]
        else:
            general = [("A01", "综合受理窗口", [Cat.REGISTRATION, Cat.BUSINESS_LICENSE, Cat.OTHER])]
            mine = []
        for code, name, cats in general:
            specs.append(
                {
                    "point": point,
                    "code": code,
                    "name": name,
                    "kind": Window.Kind.GENERAL,
                    "categories": [str(c) for c in cats],
                }
            )
        for code, department in mine:
            specs.append(
                {
                    "point": point,
                    "code": code,
                    "name": f"{department.short_name}窗口",
                    "kind": Window.Kind.DEPARTMENT,
                    "department_id": department.pk,
                    "categories": [str(Cat.REGISTRATION), str(Cat.BUSINESS_LICENSE)],
                }
            )
    return specs


def _windows(points: dict[str, ServicePoint], departments: dict[str, Department]) -> int:
    existing = set(Window.objects.values_list("service_point_id", "code"))
    n = 0
    for spec in _window_specs(points, departments):
        point = spec.pop("point")
        if (point.pk, spec["code"]) not in existing:
            services.window_create(actor=None, service_point_id=point.pk, **spec)
            n += 1
    return n


def _new_user(
    username: str,
    *,
    kind: str,
    display_name: str,
    password_hash: str,
    phone: str | None = None,
    superuser: bool = False,
) -> Any:
    user = get_user_model()(
        username=username,
        kind=kind,
        display_name=display_name,
        phone=phone,
        is_staff=superuser,
        is_superuser=superuser,
    )
    if phone:
        user.phone_verified_at = timezone.now()
    # Set directly: the demo password is deliberately simple and skips the validators. One argon2 hash
    # serves every demo account (hashing costs ~0.2 s each); real accounts always get their own salt.
    user.password = password_hash
    user.save()
    return user


def _accounts(departments: dict[str, Department]) -> int:
    User = get_user_model()
    usernames = [a.username for a in STAFF_ACCOUNTS] + [PERSON_PHONE, AGENT_PHONE, AGENCY_PHONE]
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    windows = {
        f"{w.service_point.name}/{w.code}": w.pk
        for w in Window.objects.select_related("service_point").filter(
            service_point__name__in=[CITY_HALL, "东城区政务服务中心", "西城区政务服务中心"]
        )
    }
    n = 0
    password_hash = make_password(PASSWORD) if set(usernames) - existing else ""
    for account in STAFF_ACCOUNTS:
        if account.username in existing:
            continue
        user = _new_user(
            account.username,
            kind="staff",
            display_name=account.display_name,
            superuser=account.superuser,
            password_hash=password_hash,
        )
        services.staff_profile_upsert(
            actor=None,
            user_id=user.pk,
            department_id=departments[account.department].pk,
            roles=[r.value for r in account.roles],
            window_ids=[windows[w] for w in account.windows],
            delegated_item_codes=account.delegated,
        )
        n += 1
    start = datetime.date(2026, 1, 1)
    if PERSON_PHONE not in existing:
        user = _new_user(
            PERSON_PHONE,
            kind="applicant",
            display_name="林示范",
            phone=PERSON_PHONE,
            password_hash=password_hash,
        )
        if not PersonProfile.objects.filter(id_number=resident_id("44010619900101123")).exists():
            services.person_profile_upsert(
                actor=None,
                user_id=user.pk,
                name="林示范",
                id_number=resident_id("44010619900101123"),
                phone=PERSON_PHONE,
                address="示范市东城区东湖街道湖滨路8号3栋502房",
            )
        n += 1
    for phone, display, company_name, kind, seq in (
        (AGENT_PHONE, "黄经办", "示范市示范科技有限公司", Company.Kind.ENTERPRISE, 1),
        (AGENCY_PHONE, "梁中介", "示范市规划设计咨询有限公司", Company.Kind.AGENCY, 2),
    ):
        if phone in existing:
            continue
        user = _new_user(
            phone, kind="applicant", display_name=display, phone=phone, password_hash=password_hash
        )
        code = with_check_digit(f"91{CITY[:6]}MA{seq:07d}")
        company = Company.objects.filter(uscc=code).first() or services.company_create(
            actor=None,
            name=company_name,
            uscc=code,
            legal_rep_name=display,
            legal_rep_id_number=resident_id(f"4401061985060{seq}234"),
            kind=kind,
        )
        services.company_agent_authorise(
            actor=None, company_id=company.pk, user_id=user.pk, authorised_from=start
        )
        n += 1
    return n


def demo_account_rows() -> list[tuple[str, str, str]]:
    """(username, roles in Chinese, department or what the account is) for every demo account."""
    rows = []
    by_key = {spec["key"]: spec["name"] for spec in _department_specs()}
    for account in STAFF_ACCOUNTS:
        rows.append(
            (account.username, "、".join(str(r.label) for r in account.roles), by_key[account.department])
        )
    rows.append((PERSON_PHONE, str(Role.APPLICANT.label), "林示范（个人）"))
    rows.append((AGENT_PHONE, str(Role.COMPANY_AGENT.label), "示范市示范科技有限公司"))
    rows.append((AGENCY_PHONE, str(Role.AGENCY.label), "示范市规划设计咨询有限公司"))
    return rows
