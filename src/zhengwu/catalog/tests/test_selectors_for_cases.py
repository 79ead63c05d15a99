"""The effective version a submission applies on: the plain-SQL selector answers as the ORM does."""

from __future__ import annotations

from django.db.models import F

from zhengwu.catalog.models import ItemVersion, ServiceItem
from zhengwu.catalog.models.choices import VersionStatus
from zhengwu.catalog.selectors.for_cases import effective_version_id

from .factories import make_item


def orm_effective_version_id(item_id: int) -> int | None:
    return (
        ItemVersion.objects.filter(
            item_id=item_id,
            item__is_active=True,
            item__current_version_id=F("id"),
            status=VersionStatus.EFFECTIVE,
        )
        .values_list("pk", flat=True)
        .first()
    )


def test_effective_version_id_matches_the_orm(demo_org):
    in_force = make_item(name="在用事项", basic_code="000101001001")
    draft = make_item(name="草稿事项", basic_code="000101001002", status=VersionStatus.DRAFT)
    stopped = make_item(name="停用事项", basic_code="000101001003")
    ServiceItem.objects.filter(pk=stopped.pk).update(is_active=False)
    withdrawn = make_item(name="版本已废止", basic_code="000101001004")
    ItemVersion.objects.filter(item=withdrawn).update(status=VersionStatus.SUPERSEDED)
    other = make_item(name="别的事项", basic_code="000101001005")
    pointing_elsewhere = make_item(name="指向别处", basic_code="000101001006")
    # a current version that belongs to another item is not this item's effective version
    ServiceItem.objects.filter(pk=pointing_elsewhere.pk).update(current_version=other.current_version)

    expected = {
        in_force.pk: in_force.current_version_id,
        draft.pk: None,
        stopped.pk: None,
        withdrawn.pk: None,
        other.pk: other.current_version_id,
        pointing_elsewhere.pk: None,
        987654: None,
    }
    assert {pk: effective_version_id(pk) for pk in expected} == expected
    assert {pk: orm_effective_version_id(pk) for pk in expected} == expected
