"""Creating and editing drafts: codes, field rules, parts, scope and immutability."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from zhengwu.catalog import services
from zhengwu.catalog.models import (
    FormField,
    ImmutableVersionError,
    ItemVersion,
    MaterialRequirement,
    ProcedureStep,
    ServiceItem,
)
from zhengwu.catalog.models.choices import VersionStatus
from zhengwu.catalog.validation import validate_codes

from ..factories import department, implementation_code, make_item


def create(drafter, **overrides):
    dept = department()
    fields = {
        "department_id": dept.pk,
        "item_type": "licensing",
        "name": "公共场所卫生许可",
        "basic_code": "000117001000",
        "implementation_code": implementation_code(dept, "000117001000", "1"),
    }
    fields.update(overrides)
    return services.item_create_draft(actor=drafter, **fields)


@pytest.mark.django_db
def test_validate_codes_rules(demo_org):
    uscc = department().uscc
    validate_codes(
        department_uscc=uscc, basic_code="000101001000", implementation_code=f"{uscc}000101001000001"
    )
    cases = {
        ("00010100100", f"{uscc}00010100100001"): "basic_code",  # 11 chars
        ("000101001000", f"{uscc}000101001000"): "implementation_code",  # no suffix: 30 chars
        ("000101001000", f"{uscc}0001010010001234"): "implementation_code",  # 4-digit suffix
        ("000101001000", "91440000MA0000000X000101001000001"): "implementation_code",  # another USCC
        ("000101001000", f"{uscc}000101001999001"): "implementation_code",  # not the basic code
        ("000101001000", f"{uscc}000101001000A1"): "implementation_code",  # suffix not digits
        ("00010100100a", f"{uscc}00010100100a001"): "basic_code",  # lower case
    }
    for (basic, impl), field in cases.items():
        with pytest.raises(ValidationError) as err:
            validate_codes(department_uscc=uscc, basic_code=basic, implementation_code=impl)
        assert field in err.value.message_dict, (basic, impl)


@pytest.mark.django_db
def test_create_item_draft_errors_are_field_level(drafter):
    with pytest.raises(ValidationError) as err:
        create(drafter, department_id=999999, name="", item_type="bogus", themes=["nope"])
    assert {"department_id", "name", "item_type", "themes"} <= set(err.value.message_dict)
    with pytest.raises(ValidationError) as err:
        create(drafter, implementation_code="1144" + "0" * 27)
    assert "统一社会信用代码" in err.value.message_dict["implementation_code"][0]
    assert not ServiceItem.objects.exists()


@pytest.mark.django_db
def test_implementation_code_unique_per_region(drafter):
    create(drafter)
    with pytest.raises(ValidationError) as err:
        create(drafter, name="另一个")
    assert "本区划已有实施编码" in err.value.message_dict["implementation_code"][0]
    assert ServiceItem.objects.count() == 1


@pytest.mark.django_db
def test_department_outside_scope_is_unknown(outsider):
    with pytest.raises(ValidationError) as err:
        create(outsider)
    assert "department_id" in err.value.message_dict


@pytest.mark.django_db
def test_update_validation(drafter):
    draft = create(drafter)
    bad = {
        "promised_limit": 30,
        "statutory_limit": 20,
        "fees": [{"name": "工本费", "amount": "-5", "basis": "x"}],
        "channels": ["online", "pigeon"],
        "supervision_phone": "abc",
        "online_depth": 9,
    }
    with pytest.raises(ValidationError) as err:
        services.version_update(actor=drafter, version_id=draft.pk, **bad)
    errors = err.value.message_dict
    assert {"fees", "channels"} <= set(errors)
    assert "不能为负数" in errors["fees"][0]
    with pytest.raises(ValidationError) as err:
        services.version_update(
            actor=drafter,
            version_id=draft.pk,
            promised_limit=30,
            statutory_limit=20,
            supervision_phone="abc",
            online_depth=9,
            valid_from=dt.date(2026, 1, 2),
            valid_until=dt.date(2026, 1, 1),
        )
    errors = err.value.message_dict
    # choices are checked first; the cross-field rules run once every field is well-formed
    assert set(errors) == {"online_depth"}
    with pytest.raises(ValidationError) as err:
        services.version_update(
            actor=drafter,
            version_id=draft.pk,
            promised_limit=30,
            statutory_limit=20,
            supervision_phone="abc",
            valid_from=dt.date(2026, 1, 2),
            valid_until=dt.date(2026, 1, 1),
        )
    assert set(err.value.message_dict) == {"promised_limit", "supervision_phone", "valid_until"}
    with pytest.raises(ValidationError) as err:
        services.version_update(actor=drafter, version_id=draft.pk, promised_limit=30, statutory_limit=20)
    assert err.value.message_dict == {"promised_limit": ["承诺办结时限不能长于法定办结时限。"]}
    with pytest.raises(ValidationError) as err:
        services.version_update(actor=drafter, version_id=draft.pk, status="effective")
    assert "status" in err.value.message_dict
    v = ItemVersion.objects.get(pk=draft.pk)
    assert v.promised_limit is None and v.status == VersionStatus.DRAFT  # nothing half-saved
    ok = services.version_update(
        actor=drafter,
        version_id=draft.pk,
        statutory_limit="20",
        promised_limit=8,
        fees=[{"name": "工本费", "amount": "5", "unit": "元/本", "basis": "粤价费〔2020〕1号"}],
        consultation_phone="0757-83310001、12345",
    )
    assert ok.statutory_limit == 20 and ok.fees[0]["amount"] == "5.00"


@pytest.mark.django_db
def test_parts_validation(drafter):
    draft = create(drafter)
    with pytest.raises(ValidationError) as err:
        services.material_set(
            actor=drafter,
            version_id=draft.pk,
            materials=[{"name": "营业执照"}, {"name": "", "copies": -1}, {"name": "营业执照"}],
        )
    msgs = err.value.message_dict["materials"]
    assert any(m.startswith("第2项材料：材料名称") for m in msgs)
    with pytest.raises(ValidationError) as err:
        services.material_set(
            actor=drafter,
            version_id=draft.pk,
            materials=[{"name": "申请表", "blank_form_file_id": "not-a-uuid"}],
        )
    with pytest.raises(ValidationError) as err:
        services.material_set(
            actor=drafter,
            version_id=draft.pk,
            materials=[{"name": "申请表", "blank_form_file_id": "0b0c4ec8-6a35-4e0a-9d41-3c6c2ab0b7d1"}],
        )
    assert "文件不存在" in err.value.message_dict["materials"][0]
    services.material_set(
        actor=drafter,
        version_id=draft.pk,
        materials=[{"name": "申请书"}, {"name": "身份证明", "deferrable": True}],
    )
    assert list(MaterialRequirement.objects.filter(version=draft).values_list("name", "order")) == [
        ("申请书", 1),
        ("身份证明", 2),
    ]
    with pytest.raises(ValidationError) as err:
        services.form_fields_set(
            actor=drafter,
            version_id=draft.pk,
            fields=[
                {"key": "kind", "label": "类型", "field_type": "choice"},
                {"key": "kind", "label": "重复"},
                {"key": "n", "label": "数", "validation": {"pattern": "("}},
            ],
        )
    msgs = " ".join(err.value.message_dict["form_fields"])
    assert "须列出选项" in msgs and "字段标识重复" in msgs and "正则表达式无效" in msgs
    services.form_fields_set(
        actor=drafter,
        version_id=draft.pk,
        fields=[{"key": "kind", "label": "类型", "field_type": "choice", "choices": ["个体", "企业"]}],
    )
    assert FormField.objects.get(version=draft).choices == ["个体", "企业"]
    with pytest.raises(ValidationError) as err:
        services.steps_set(
            actor=drafter, version_id=draft.pk, steps=[{"name": "受理", "stage": "accept", "role": "wizard"}]
        )
    assert "办理角色" in err.value.message_dict["steps"][0]
    services.steps_set(
        actor=drafter,
        version_id=draft.pk,
        steps=[{"name": "受理", "stage": "accept", "role": "window_clerk", "limit": 1}],
    )
    assert ProcedureStep.objects.get(version=draft).role == "window_clerk"


@pytest.mark.django_db
def test_published_versions_are_immutable_in_services(demo_org, drafter):
    item = make_item()
    version = item.current_version
    with pytest.raises(ValidationError) as err:
        services.version_update(actor=drafter, version_id=version.pk, promised_limit=3)
    assert err.value.messages == ["已发布的版本不可修改，请新建变更草稿"]
    for fn, kwargs in (
        (services.material_set, {"materials": []}),
        (services.form_fields_set, {"fields": []}),
        (services.steps_set, {"steps": []}),
    ):
        with pytest.raises(ValidationError):
            fn(actor=drafter, version_id=version.pk, **kwargs)
    assert version.materials.count() == 2


@pytest.mark.django_db
def test_published_versions_are_immutable_in_the_model(demo_org):
    item = make_item()
    version = ItemVersion.objects.get(pk=item.current_version_id)
    version.promised_limit = 1
    with pytest.raises(ImmutableVersionError):
        version.save()
    with pytest.raises(ImmutableVersionError):
        version.save(update_fields=["promised_limit"])
    with pytest.raises(ImmutableVersionError):
        version.delete()
    material = version.materials.first()
    material.name = "改名"
    with pytest.raises(ImmutableVersionError):
        material.save()
    with pytest.raises(ImmutableVersionError):
        material.delete()
    with pytest.raises(ImmutableVersionError):
        version.steps.first().delete()
    # the transition fields stay writable for the services
    version.refresh_from_db()
    version.superseded_on = dt.date(2026, 2, 1)
    version.status = VersionStatus.SUPERSEDED
    version.save(update_fields=["status", "superseded_on"])
    assert ItemVersion.objects.get(pk=version.pk).promised_limit == 10


@pytest.mark.django_db
def test_drafts_are_editable_in_the_model(demo_org):
    version = make_item(status="draft").versions.get()
    version.promised_limit = 3
    version.save()
    version.materials.first().delete()
    assert version.materials.count() == 1


@pytest.mark.django_db
def test_staff_of_another_department_get_404(demo_org, drafter, outsider):
    item = make_item()
    draft = services.version_create_draft(actor=drafter, item_id=item.pk, reason="调整")
    with pytest.raises(Http404):
        services.version_create_draft(actor=outsider, item_id=item.pk, reason="调整")
    with pytest.raises(Http404):
        services.version_update(actor=outsider, version_id=draft.pk, promised_limit=3)
    with pytest.raises(Http404):
        services.version_submit(actor=outsider, version_id=draft.pk)
    with pytest.raises(Http404):
        services.version_update(actor=drafter, version_id="abc", promised_limit=3)


@pytest.mark.django_db
def test_metadata_update(demo_org, drafter):
    item = make_item()
    services.item_update_metadata(
        actor=drafter, item_id=item.pk, themes=["opening"], aliases=["开饭店", " 开饭店 "]
    )
    item.refresh_from_db()
    assert item.themes == ["opening"] and item.aliases == ["开饭店"]
    with pytest.raises(ValidationError):
        services.item_update_metadata(actor=drafter, item_id=item.pk, themes=["nope"])
