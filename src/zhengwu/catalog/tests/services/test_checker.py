"""Every guide-quality rule: a failing case and a passing case."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwu.catalog.checker import RULES, check_catalogue, check_version
from zhengwu.catalog.models import ItemVersion, MaterialRequirement, ProcedureStep, ServiceItem
from zhengwu.catalog.models.choices import Channel, ItemType, LimitUnit, OnlineDepth, ResultType, Stage

from ..factories import make_item

TODAY = dt.date(2026, 3, 2)
CLEAN = {"service_point_ids": [1], "license_type_code": "11440000MB0001234X001"}


def version_of(item: ServiceItem) -> ItemVersion:
    return item.versions.get()


def codes(version: ItemVersion) -> set[str]:
    return {f.code for f in check_version(version, today=TODAY)}


@pytest.mark.django_db
def test_the_base_item_is_clean(demo_org):
    findings = check_version(version_of(make_item(status="draft", **CLEAN)), today=TODAY)
    assert findings == []


def add_material(**fields: Any) -> Callable[[ItemVersion], None]:
    def apply(v: ItemVersion) -> None:
        MaterialRequirement.objects.create(version=v, order=9, **fields)

    return apply


def drop_steps(*stages: str) -> Callable[[ItemVersion], None]:
    def apply(v: ItemVersion) -> None:
        ProcedureStep.objects.filter(version=v, stage__in=stages).delete()

    return apply


def drop_materials(v: ItemVersion) -> None:
    MaterialRequirement.objects.filter(version=v).delete()


FILE = uuid.uuid4()
# code: (version fields or a callable that breaks it, the same for a fixed case)
CASES: dict[str, tuple[Any, Any]] = {
    "vague_material": (add_material(name="其他相关材料"), add_material(name="法定代表人身份证明")),
    "no_time_limit": ({"promised_limit": None}, {"promised_limit": 5}),
    "no_legal_basis": ({"legal_basis": "  "}, {"legal_basis": "《行政许可法》第十二条"}),
    "no_supervision_phone": ({"supervision_phone": ""}, {"supervision_phone": "12345"}),
    "form_without_blank_or_sample": (
        add_material(name="申请表", is_form=True, blank_form_file_id=FILE),
        add_material(name="申请表", is_form=True, blank_form_file_id=FILE, sample_file_id=FILE),
    ),
    "fee_without_basis": (
        {"charges_fee": True, "fees": [{"name": "工本费", "amount": "10.00", "unit": "元/本", "basis": ""}]},
        {"charges_fee": True, "fees": [{"name": "工本费", "amount": "10.00", "basis": "粤价〔2020〕1号"}]},
    ),
    "visits_without_reason": ({"visits": 1}, {"visits": 1, "visits_reason": "须现场核验原件"}),
    "licensing_missing_stages": (drop_steps(Stage.DELIVER), drop_steps()),
    "promised_exceeds_statutory": (
        {"promised_limit": 30, "statutory_limit": 20},
        {"promised_limit": 20, "statutory_limit": 20},
    ),
    "intermediary_unnamed": (
        {"needs_intermediary": True},
        {"needs_intermediary": True, "intermediary_services": "环评"},
    ),
    "no_consultation_phone": ({"consultation_phone": ""}, {"consultation_phone": "0757-83300001"}),
    "no_materials": (drop_materials, {}),
    "full_online_without_online_channel": (
        {"online_depth": OnlineDepth.FULL_ONLINE, "channels": [Channel.WINDOW]},
        {"online_depth": OnlineDepth.PRE_REVIEW, "channels": [Channel.WINDOW]},
    ),
    "license_without_type_code": (
        {"result_type": ResultType.LICENSE, "license_type_code": ""},
        {"result_type": ResultType.DECISION, "license_type_code": ""},
    ),
    "window_without_service_point": (
        {"channels": [Channel.ONLINE, Channel.WINDOW], "service_point_ids": []},
        {"channels": [Channel.ONLINE], "service_point_ids": []},
    ),
    "deficiency_without_deferrable": (
        lambda v: (
            _set(v, allows_deficiency=True)
            or MaterialRequirement.objects.filter(version=v).update(deferrable=False)
        ),
        {"allows_deficiency": True},
    ),
    "validity_expired": ({"valid_until": TODAY - dt.timedelta(days=1)}, {"valid_until": TODAY}),
}


def _set(v: ItemVersion, **fields: Any) -> None:
    for k, val in fields.items():
        setattr(v, k, val)
    v.save()


def test_every_rule_has_a_case():
    assert {r.code for r in RULES} == set(CASES)


def build(change: Any) -> ItemVersion:
    fields = dict(CLEAN)
    if isinstance(change, dict):
        fields.update(change)
    version = version_of(make_item(status="draft", **fields))
    if callable(change):
        change(version)
    return ItemVersion.objects.get(pk=version.pk)


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fails_and_passes(demo_org, code):
    failing, passing = CASES[code]
    assert code in codes(build(failing))
    ServiceItem.objects.all().delete()
    assert code not in codes(build(passing))


@pytest.mark.django_db
def test_severity_and_messages(demo_org):
    version = build({"legal_basis": "", "consultation_phone": ""})
    by_code = {f.code: f for f in check_version(version, today=TODAY)}
    assert by_code["no_legal_basis"].severity == "error"
    assert by_code["no_legal_basis"].field == "legal_basis"
    assert "设定依据" in by_code["no_legal_basis"].message
    assert by_code["no_consultation_phone"].severity == "warning"
    # errors are listed first
    assert [f.severity for f in check_version(version, today=TODAY)] == ["error", "warning"]


@pytest.mark.django_db
def test_only_licensing_items_need_all_stages(demo_org):
    item = make_item(status="draft", item_type=ItemType.FILING, **CLEAN)
    version = version_of(item)
    ProcedureStep.objects.filter(version=version, stage=Stage.DELIVER).delete()
    assert "licensing_missing_stages" not in codes(version)


@pytest.mark.django_db
def test_units_are_compared_in_working_days(demo_org):
    # 15 natural days ≈ 10.7 working days: within a 20-working-day statutory limit
    ok = build({"promised_limit": 15, "promised_unit": LimitUnit.NATURAL_DAYS})
    assert "promised_exceeds_statutory" not in codes(ok)
    ServiceItem.objects.all().delete()
    too_long = build({"promised_limit": 40, "promised_unit": LimitUnit.NATURAL_DAYS})
    assert "promised_exceeds_statutory" in codes(too_long)


@pytest.mark.django_db
def test_catalogue_report_groups_by_department_in_constant_queries(demo_org):
    make_item(name="甲", basic_code="000101001001", **CLEAN)
    make_item(name="乙", basic_code="000101001002", legal_basis="", **CLEAN)
    with CaptureQueriesContext(connection) as few:
        report = check_catalogue(today=TODAY)
    for n in range(3, 8):
        make_item(name=f"丙{n}", basic_code=f"00010100100{n}", supervision_phone="", **CLEAN)
    with CaptureQueriesContext(connection) as many:
        bigger = check_catalogue(today=TODAY)
    assert len(few) == len(many) <= 4
    assert report["checked"] == 2 and report["errors"] == 1 and report["versions_failing"] == 1
    [dept] = report["departments"]
    assert dept["department_name"] == "示范市市场监督管理局"
    assert [v["item_name"] for v in dept["versions"]] == ["乙"]
    assert bigger["versions_failing"] == 6


@pytest.mark.django_db
def test_check_guides_command(demo_org, capsys):
    make_item(name="甲", basic_code="000101001001", **CLEAN)
    call_command("check_guides")  # no errors: exits normally
    make_item(name="乙", basic_code="000101001002", legal_basis="", consultation_phone="", **CLEAN)
    with pytest.raises(SystemExit) as exit_info:
        call_command("check_guides", "--format", "json")
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert '"no_legal_basis"' in out and '"no_consultation_phone"' in out
    with pytest.raises(SystemExit):
        call_command("check_guides", "--errors-only")
    text = capsys.readouterr().out
    assert "未填写设定依据" in text and "咨询电话" not in text
    other_dept = ServiceItem.objects.get(name="乙").department_id + 1000
    call_command("check_guides", "--department", str(other_dept))
