"""Synthetic catalogue volume for benchmarks (`manage.py generate_load`): plausible items, fast.

Names are composed from realistic parts (subject × kind of matter), spread over every department;
each item gets an effective version with 3–6 materials, 3 form fields and 5 procedure steps, and one
in five also has an older superseded version (without parts: only the current version is read by the
pages being measured). Rows go in with bulk_create, a fixed number of queries per batch.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from zhengwu.org.selectors import public_departments, service_points_by_name

from ..models import (
    Bundle,
    BundleItem,
    FormField,
    ItemVersion,
    MaterialRequirement,
    ProcedureStep,
    ServiceItem,
)
from ..models.choices import (
    Audience,
    ChangeKind,
    Channel,
    CompanyTheme,
    ItemType,
    MaterialSource,
    PersonTheme,
    Stage,
    VersionStatus,
)
from .sql import insert_rows

LOAD_PREFIX = "L"  # basic codes of generated items start with this letter (real ones are digits)
BATCH = 2000

SUBJECTS = [
    ("小餐饮", "食品安全法", "operation"),
    ("预包装食品销售", "食品安全法", "operation"),
    ("危险化学品", "危险化学品安全管理条例", "operation"),
    ("烟花爆竹零售", "烟花爆竹安全管理条例", "operation"),
    ("成品油零售", "成品油市场管理办法", "operation"),
    ("酒类批发", "酒类流通管理办法", "operation"),
    ("医疗器械经营", "医疗器械监督管理条例", "operation"),
    ("化妆品生产", "化妆品监督管理条例", "operation"),
    ("娱乐场所", "娱乐场所管理条例", "operation"),
    ("互联网上网服务营业场所", "互联网上网服务营业场所管理条例", "operation"),
    ("旅行社", "旅行社条例", "operation"),
    ("民办学校", "中华人民共和国民办教育促进法", "education"),
    ("职业技能培训机构", "中华人民共和国职业教育法", "education"),
    ("人力资源服务", "人力资源市场暂行条例", "employment"),
    ("劳务派遣", "劳务派遣行政许可实施办法", "employment"),
    ("养老机构", "中华人民共和国老年人权益保障法", "retirement"),
    ("托育机构", "托育机构设置标准（试行）", "birth"),
    ("建筑施工企业安全生产", "安全生产许可证条例", "investment"),
    ("城镇排水与污水处理", "城镇排水与污水处理条例", "investment"),
    ("取水", "取水许可和水资源费征收管理条例", "investment"),
    ("林木采伐", "中华人民共和国森林法", "investment"),
    ("农药经营", "农药管理条例", "operation"),
    ("种子生产经营", "中华人民共和国种子法", "operation"),
    ("兽药经营", "兽药管理条例", "operation"),
    ("动物防疫条件", "中华人民共和国动物防疫法", "operation"),
    ("道路货运车辆", "中华人民共和国道路运输条例", "transport"),
    ("机动车驾驶员培训", "中华人民共和国道路运输条例", "transport"),
    ("港口经营", "中华人民共和国港口法", "transport"),
    ("档案寄存", "中华人民共和国档案法", "information"),
    ("公共场所", "公共场所卫生管理条例", "operation"),
    ("放射诊疗", "放射诊疗管理规定", "health"),
    ("母婴保健技术服务", "中华人民共和国母婴保健法", "health"),
    ("单采血浆站", "血液制品管理条例", "health"),
    ("社会团体", "社会团体登记管理条例", "organisation"),
    ("基金会", "基金会管理条例", "organisation"),
    ("殡葬服务", "殡葬管理条例", "social"),
    ("二手车交易市场", "二手车流通管理办法", "operation"),
    ("再生资源回收", "再生资源回收管理办法", "operation"),
    ("户外广告", "城市市容和环境卫生管理条例", "advertising"),
    ("城市绿地占用", "城市绿化条例", "investment"),
]
KINDS = [
    ("经营许可", ItemType.LICENSING),
    ("经营许可延续", ItemType.LICENSING),
    ("经营许可变更", ItemType.LICENSING),
    ("经营许可注销", ItemType.LICENSING),
    ("设立审批", ItemType.LICENSING),
    ("备案", ItemType.FILING),
    ("资格认定", ItemType.CONFIRMATION),
    ("登记", ItemType.CONFIRMATION),
    ("证书补办", ItemType.PUBLIC_SERVICE),
    ("补贴申领", ItemType.PAYMENT),
    ("年度报告公示", ItemType.PUBLIC_SERVICE),
    ("奖励申报", ItemType.REWARD),
]
MATERIALS = [
    "申请书",
    "营业执照",
    "法定代表人身份证明",
    "经营场所使用证明",
    "设施设备清单",
    "管理制度文本",
    "专业技术人员资格证明",
    "安全评价报告",
    "平面布局图",
    "上年度工作报告",
    "原许可证件",
    "承诺书",
]
STEPS = [
    ("窗口受理", Stage.ACCEPT, "window_clerk", 1),
    ("审查", Stage.REVIEW, "reviewer", 4),
    ("审批决定", Stage.DECIDE, "approver", 3),
    ("办结", Stage.COMPLETE, "approver", 1),
    ("送达", Stage.DELIVER, "window_clerk", 1),
]
FIELDS = [
    ("applicant_name", "申请人名称", "company.name"),
    ("uscc", "统一社会信用代码", "company.uscc"),
    ("phone", "联系电话", "person.phone"),
]
PERSON_THEMES = set(PersonTheme.values)


def _next_serial() -> int:
    last = (
        ServiceItem.objects.filter(basic_code__startswith=LOAD_PREFIX)
        .order_by("-basic_code")
        .values_list("basic_code", flat=True)
        .first()
    )
    return int(last[1:]) + 1 if last else 1


def generate_load(
    *, items: int, bundles: int = 0, seed: int = 1, reindex: bool = True, stdout: Any = None
) -> dict[str, int]:
    """Add `items` synthetic effective items (and `bundles` bundles); returns counts of what was made."""
    rng = random.Random(seed)
    departments = list(public_departments())
    if not departments:
        raise RuntimeError("no departments: seed the organisation first (manage.py seed_demo)")
    user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        raise RuntimeError("no administrator account: seed the organisation first")
    halls = [p.pk for p in service_points_by_name(["示范市政务服务中心"]).values()]
    serial = _next_serial()
    today = timezone.localdate()
    counts = {"items": 0, "versions": 0, "materials": 0, "steps": 0, "bundles": 0, "indexed": 0}
    made: list[int] = []
    remaining = items
    while remaining > 0:
        size = min(BATCH, remaining)
        with transaction.atomic():
            ids = _batch(rng, departments, halls, user.pk, serial, size, today, counts)
        made.extend(ids)
        serial += size
        remaining -= size
        if stdout is not None:
            stdout.write(f"  {counts['items']} items")
    if bundles:
        counts["bundles"] = _bundles(rng, made, bundles)
    if reindex:
        from ..search_index import catalog_reindex

        counts["indexed"] = catalog_reindex()["items"]
    return counts


def _batch(
    rng: random.Random,
    departments: list[Any],
    halls: list[int],
    user_id: int,
    serial: int,
    size: int,
    today: dt.date,
    counts: dict[str, int],
) -> list[int]:
    now = timezone.now()
    new_items, old_versions, versions = [], [], []
    for n in range(serial, serial + size):
        dept = rng.choice(departments)
        subject, _law, theme = rng.choice(SUBJECTS)
        kind, item_type = rng.choice(KINDS)
        basic = f"{LOAD_PREFIX}{n:011d}"
        audience = Audience.PERSON if theme in PERSON_THEMES and rng.random() < 0.7 else Audience.COMPANY
        new_items.append(
            ServiceItem(
                department=dept,
                region=dept.region,
                item_type=item_type,
                name=f"{subject}{kind}",
                basic_code=basic,
                implementation_code=f"{dept.uscc}{basic}{n % 1000:03d}",
                audience=audience,
                themes=[theme],
                aliases=[subject],
                is_active=True,
            )
        )
    ServiceItem.objects.bulk_create(new_items)
    for item in new_items:
        subject = item.aliases[0]
        statutory = rng.choice([5, 10, 15, 20, 30])
        superseded = rng.random() < 0.2
        fields = {
            "name": item.name,
            "legal_basis": f"《{law_of(subject)}》第{rng.randint(5, 60)}条",
            "conditions": f"申请{item.name}应当具备与{subject}相适应的场所、设施设备、专业人员和管理制度。",
            "statutory_limit": statutory,
            "promised_limit": max(1, statutory // 2),
            "limit_note": "自受理之日起计算。",
            "visits": 0,
            "channels": [Channel.ONLINE, Channel.WINDOW],
            "service_point_ids": halls,
            "consultation_phone": dept.consultation_phone or "12345",
            "supervision_phone": "12345",
            "result_name": f"{item.name}决定书",
            "result_type": "decision",
            "allows_deficiency": rng.random() < 0.3,
            "allows_commitment": rng.random() < 0.2,
            "created_by_id": user_id,
        }
        if superseded:
            old_versions.append(
                ItemVersion(
                    item=item,
                    number=1,
                    status=VersionStatus.SUPERSEDED,
                    change_kind=ChangeKind.ADD,
                    effective_on=today - dt.timedelta(days=400),
                    superseded_on=today - dt.timedelta(days=30),
                    **{**fields, "promised_limit": statutory},
                )
            )
        versions.append(
            ItemVersion(
                item=item,
                number=2 if superseded else 1,
                status=VersionStatus.EFFECTIVE,
                change_kind=ChangeKind.ADJUST if superseded else ChangeKind.ADD,
                effective_on=today - dt.timedelta(days=30 if superseded else 400),
                **fields,
            )
        )
    ItemVersion.objects.bulk_create(old_versions + versions)
    materials, form_fields, steps = [], [], []
    for item, version in zip(new_items, versions, strict=True):
        item.current_version = version
        item.updated_at = now
        for order, name in enumerate(rng.sample(MATERIALS, rng.randint(3, 6)), start=1):
            materials.append(
                dict(
                    version_id=version.pk,
                    order=order,
                    name=f"{item.aliases[0]}{name}" if order == 1 else name,
                    originals=1,
                    copies=rng.randint(0, 1),
                    deferrable=order > 2 and version.allows_deficiency,
                    source=MaterialSource.LICENSE if name == "营业执照" else MaterialSource.APPLICANT,
                    license_type_code="114499000000000018001" if name == "营业执照" else "",
                )
            )
        for order, (key, label, prefill) in enumerate(FIELDS, start=1):
            form_fields.append(
                dict(version_id=version.pk, order=order, key=key, label=label, prefill=prefill)
            )
        for order, (name, stage, role, limit) in enumerate(STEPS, start=1):
            steps.append(
                dict(version_id=version.pk, order=order, name=name, stage=stage, role=role, limit=limit)
            )
    # One UPDATE with a subquery rather than bulk_update's CASE per row.
    ServiceItem.objects.filter(pk__in=[i.pk for i in new_items]).update(
        current_version=Subquery(
            ItemVersion.objects.filter(item=OuterRef("pk"), status=VersionStatus.EFFECTIVE).values("pk")[:1]
        ),
        updated_at=now,
    )
    insert_rows(MaterialRequirement, materials)
    insert_rows(FormField, form_fields)
    insert_rows(ProcedureStep, steps)
    counts["items"] += len(new_items)
    counts["versions"] += len(versions) + len(old_versions)
    counts["materials"] += len(materials)
    counts["steps"] += len(steps)
    return [i.pk for i in new_items]


def law_of(subject: str) -> str:
    return next(law for s, law, _theme in SUBJECTS if s == subject)


def _bundles(rng: random.Random, item_ids: list[int], count: int) -> int:
    if len(item_ids) < 4:
        return 0
    first = Bundle.objects.filter(code__startswith="load-").count()
    picks = [rng.sample(item_ids, rng.randint(2, 4)) for _n in range(count)]
    leads = {
        pk: (region_id, dept_id)
        for pk, region_id, dept_id in ServiceItem.objects.filter(pk__in={p[0] for p in picks}).values_list(
            "pk", "region_id", "department_id"
        )
    }
    made = []
    for n, members in enumerate(picks, start=first + 1):
        region_id, dept_id = leads[members[0]]
        bundle = Bundle(
            code=f"load-{n}",
            name=f"综合办理事项{n}号",
            region_id=region_id,
            lead_department_id=dept_id,
            themes=[CompanyTheme.OPERATION],
            is_published=True,
            promised_limit=10,
        )
        made.append((bundle, members))
    Bundle.objects.bulk_create([b for b, _m in made])
    BundleItem.objects.bulk_create(
        [
            BundleItem(bundle=b, item_id=i, order=o)
            for b, members in made
            for o, i in enumerate(members, start=1)
        ]
    )
    return len(made)
