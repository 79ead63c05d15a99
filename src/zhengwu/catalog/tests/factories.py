"""Test data for the catalogue: a complete, checker-clean item in a few lines.

Org rows come from the demo city (org's own seeder); tests reach org tables only through the app
registry, never by importing org.models.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model

from zhengwu.catalog.models import (
    FormField,
    ItemVersion,
    MaterialRequirement,
    ProcedureStep,
    ServiceItem,
)
from zhengwu.catalog.models.choices import (
    Channel,
    HandlingType,
    ItemType,
    LimitUnit,
    ResultType,
    Stage,
    VersionStatus,
)


def department(name: str = "示范市市场监督管理局") -> Any:
    return apps.get_model("org", "Department").objects.select_related("region").get(name=name)


def staff_user(username: str = "admin") -> Any:
    return get_user_model().objects.get(username=username)


def implementation_code(dept: Any, basic_code: str, suffix: str = "000") -> str:
    return f"{dept.uscc}{basic_code}{suffix}"


LICENSING_STEPS = [
    ("受理", Stage.ACCEPT, "window_clerk", 1),
    ("审查", Stage.REVIEW, "reviewer", 5),
    ("决定", Stage.DECIDE, "approver", 2),
    ("办结", Stage.COMPLETE, "approver", 1),
    ("送达", Stage.DELIVER, "window_clerk", 1),
]


def make_item(
    *,
    name: str = "食品经营许可",
    dept: Any = None,
    basic_code: str = "000101001000",
    status: str = VersionStatus.EFFECTIVE,
    item_type: str = ItemType.LICENSING,
    effective_on: dt.date = dt.date(2026, 1, 5),
    aliases: list[str] | None = None,
    themes: list[str] | None = None,
    **version_fields: Any,
) -> ServiceItem:
    dept = dept or department()
    item = ServiceItem.objects.create(
        department=dept,
        region=dept.region,
        item_type=item_type,
        name=name,
        basic_code=basic_code,
        implementation_code=implementation_code(dept, basic_code),
        aliases=aliases or [],
        themes=themes or [],
    )
    fields: dict[str, Any] = {
        "name": name,
        "status": status,
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "conditions": "有与经营的食品品种、数量相适应的经营场所。",
        "handling_type": HandlingType.PROMISED,
        "statutory_limit": 20,
        "statutory_unit": LimitUnit.WORKDAYS,
        "promised_limit": 10,
        "promised_unit": LimitUnit.WORKDAYS,
        "visits": 0,
        "channels": [Channel.ONLINE, Channel.WINDOW],
        "consultation_phone": "0757-83300001",
        "supervision_phone": "12345",
        "result_name": f"{name}证",
        "result_type": ResultType.LICENSE,
        "license_type_code": "SPJYXKZ",
        "created_by": staff_user(),
        "effective_on": effective_on if status == VersionStatus.EFFECTIVE else None,
    }
    fields.update(version_fields)
    version = ItemVersion.objects.create(item=item, number=1, **fields)
    MaterialRequirement.objects.create(version=version, order=1, name="营业执照", originals=1)
    MaterialRequirement.objects.create(
        version=version, order=2, name="经营场所使用证明", copies=1, deferrable=True
    )
    FormField.objects.create(
        version=version, order=1, key="applicant_name", label="申请人名称", prefill="company.name"
    )
    for order, (step_name, stage, role, limit) in enumerate(LICENSING_STEPS, start=1):
        ProcedureStep.objects.create(
            version=version, order=order, name=step_name, stage=stage, role=role, limit=limit
        )
    if status == VersionStatus.EFFECTIVE:
        item.current_version = version
        item.is_active = True
        item.save(update_fields=["current_version", "is_active"])
    return item
