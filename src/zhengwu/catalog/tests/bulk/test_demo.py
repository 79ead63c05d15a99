import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengwu.catalog.checker import ERROR, check_version
from zhengwu.catalog.demo import seed_catalog_demo
from zhengwu.catalog.models import Bundle, ItemVersion, ServiceItem
from zhengwu.catalog.models.choices import ItemType, VersionStatus
from zhengwu.core.files.models import StoredFile

pytestmark = pytest.mark.django_db


def test_demo_catalogue_is_complete_and_idempotent(demo_org):
    created = seed_catalog_demo()
    assert created["catalog_items"] >= 40 and created["catalog_bundles"] >= 3
    assert created["catalog_flawed_drafts"] == 4
    assert ServiceItem.objects.filter(is_active=True).count() >= 40
    assert Bundle.objects.filter(deemed_consent=True, is_published=True).count() >= 3
    assert {"企业开办", "开办餐饮店", "新生儿出生"} <= set(Bundle.objects.values_list("name", flat=True))
    assert ServiceItem.objects.values("department").distinct().count() >= 10
    effective = ItemVersion.objects.filter(status=VersionStatus.EFFECTIVE).select_related("item")
    for version in effective:
        errors = [f for f in check_version(version, today=dt.date(2026, 3, 2)) if f.severity == ERROR]
        assert not errors, (version.name, errors)
        assert version.materials.exists() and version.steps.exists() and version.form_fields.exists()
    # Forms come with a real blank and a filled sample PDF.
    form = effective.first().materials.filter(is_form=True).first()
    blank = StoredFile.objects.get(pk=form.blank_form_file_id)
    assert blank.extension == "pdf" and blank.purpose == "catalog_form"
    assert StoredFile.objects.get(pk=form.sample_file_id).purpose == "catalog_sample"
    assert effective.filter(item__item_type=ItemType.LICENSING, allows_deficiency=True).exists()
    assert effective.filter(allows_commitment=True).exists()
    # The flawed drafts are there for the checker to find, each with an error.
    drafts = ItemVersion.objects.filter(status=VersionStatus.DRAFT)
    assert drafts.count() == 4
    codes = {f.code for d in drafts for f in check_version(d) if f.severity == ERROR}
    assert codes == {"vague_material", "no_supervision_phone", "visits_without_reason", "fee_without_basis"}

    with CaptureQueriesContext(connection) as queries:
        again = seed_catalog_demo()
    assert not any(again.values())
    assert len(queries) <= 8
