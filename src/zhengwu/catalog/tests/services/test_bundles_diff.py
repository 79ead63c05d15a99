"""一件事 merging and the version diff."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengwu.catalog import services
from zhengwu.catalog.bundles import bundle_merged_form_fields, bundle_merged_materials
from zhengwu.catalog.diff import version_diff
from zhengwu.catalog.models import FormField, MaterialRequirement

from ..factories import department, make_item


@pytest.fixture
def two_items(demo_org):
    food = make_item(name="食品经营许可", basic_code="000101001000")
    health = make_item(
        name="公共场所卫生许可", basic_code="000117001000", dept=department("示范市卫生健康委员会")
    )
    # both ask for the business licence; health also wants a floor plan
    MaterialRequirement.objects.create(version=health.current_version, order=3, name="场所平面图", copies=1)
    FormField.objects.create(
        version=health.current_version, order=2, key="area", label="经营面积", field_type="number"
    )
    FormField.objects.create(
        version=food.current_version, order=2, key="area", label="经营面积", field_type="text"
    )
    return food, health


@pytest.mark.django_db
def test_bundle_lifecycle_and_merge(two_items, reform, drafter, django_assert_max_num_queries):
    food, health = two_items
    with pytest.raises(PermissionDenied):
        services.bundle_create(
            actor=drafter,
            code="open-restaurant",
            name="开办餐饮店",
            region_code="449900000000",
            lead_department_id=food.department_id,
            item_ids=[food.pk, health.pk],
        )
    with pytest.raises(ValidationError) as err:
        services.bundle_create(
            actor=reform,
            code="Open Restaurant",
            name="",
            region_code="000000000000",
            lead_department_id=0,
            item_ids=[food.pk],
        )
    assert {"code", "name", "region_code", "lead_department_id", "item_ids"} <= set(err.value.message_dict)
    bundle = services.bundle_create(
        actor=reform,
        code="open-restaurant",
        name="开办餐饮店",
        region_code="449900000000",
        lead_department_id=food.department_id,
        item_ids=[food.pk, health.pk],
        aliases=["开饭店"],
    )
    with django_assert_max_num_queries(4):
        merged = bundle_merged_materials(bundle)
    by_name = {m.name: m for m in merged}
    assert list(by_name) == ["营业执照", "经营场所使用证明", "场所平面图"]
    assert by_name["营业执照"].item_ids == [food.pk, health.pk]
    assert by_name["场所平面图"].item_names == ["公共场所卫生许可"]
    form = bundle_merged_form_fields(bundle)
    assert [f.key for f in form.fields] == ["applicant_name", "area"]
    assert [(c.key, c.differences) for c in form.conflicts] == [("area", ["field_type"])]

    services.bundle_update(actor=reform, bundle_id=bundle.pk, name="开办餐饮店一件事")
    assert services.bundle_publish(actor=reform, bundle_id=bundle.pk).is_published


@pytest.mark.django_db
def test_diff_between_versions(demo_org, drafter):
    item = make_item()
    old = item.current_version
    draft = services.version_create_draft(actor=drafter, item_id=item.pk, reason="调整")
    assert version_diff(old, draft) == []
    services.version_update(actor=drafter, version_id=draft.pk, promised_limit=5, channels=["online"])
    services.material_set(
        actor=drafter,
        version_id=draft.pk,
        materials=[{"name": "营业执照", "originals": 1, "copies": 1}, {"name": "法定代表人身份证明"}],
    )
    draft.refresh_from_db()
    changes = {c.field: c for c in version_diff(old, draft)}
    assert changes["promised_limit"].label == "承诺办结时限"
    assert (changes["promised_limit"].old, changes["promised_limit"].new) == (10, 5)
    assert changes["channels"].old == "网上办理、窗口办理" and changes["channels"].new == "网上办理"
    assert (
        changes["materials.营业执照"].kind == "changed"
        and "复印件份数：1" in changes["materials.营业执照"].new
    )
    assert changes["materials.法定代表人身份证明"].kind == "added"
    assert changes["materials.经营场所使用证明"].kind == "removed"
