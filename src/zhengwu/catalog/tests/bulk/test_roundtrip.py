import copy
import datetime as dt

import pytest
import time_machine

from zhengwu.catalog.bulk import catalog_import, export_catalog, read_file, write_workbook
from zhengwu.catalog.models import Bundle, BundleItem, ItemVersion, ServiceItem
from zhengwu.catalog.models.choices import VersionStatus
from zhengwu.core.audit.models import AuditEntry

from ..factories import department, make_item

pytestmark = pytest.mark.django_db


def _catalogue():
    food = make_item(
        aliases=["开饭店"],
        themes=["operation"],
        fees=[{"name": "工本费", "amount": "10.00", "unit": "元/件", "basis": "粤价〔2020〕1号"}],
        charges_fee=True,
        limit_note="不含现场核查时间",
        valid_from=dt.date(2026, 1, 1),
    )
    other = make_item(
        name="公共场所卫生许可",
        dept=department("示范市卫生健康委员会"),
        basic_code="000117002000",
        visits=1,
        visits_reason="需现场核验原件",
    )
    bundle = Bundle.objects.create(
        code="open-restaurant",
        name="开办餐饮店",
        region=food.region,
        lead_department=food.department,
        themes=["opening"],
        aliases=["开饭店"],
        promised_limit=5,
    )
    BundleItem.objects.create(bundle=bundle, item=food, order=1)
    BundleItem.objects.create(bundle=bundle, item=other, order=2, optional=True)


def _strip(data):
    data = copy.deepcopy(data)
    data.pop("exported_at")
    return data


def _wipe():
    BundleItem.objects.all().delete()
    Bundle.objects.all().delete()
    ServiceItem.objects.update(current_version=None)
    ItemVersion.objects.all().delete()
    ServiceItem.objects.all().delete()


@time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC))
@pytest.mark.parametrize("kind", ["json", "xlsx"])
def test_export_import_round_trip_is_equal(admin_actor, kind):
    _catalogue()
    before = export_catalog()
    assert len(before["items"]) == 2 and len(before["bundles"]) == 1
    _wipe()
    if kind == "json":
        report = catalog_import(actor=admin_actor, data=before)
    else:
        report = catalog_import(actor=admin_actor, data=read_file(write_workbook(before), "c.xlsx"))
    assert report.ok, [str(e) for e in report.errors]
    assert report.items_created == 2 and report.bundles_created == 1 and report.materials == 4
    after = export_catalog()
    assert _strip(after) == _strip(before)
    assert AuditEntry.objects.filter(action="catalog.import").count() == 1


@time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC))
def test_import_of_an_existing_code_supersedes_the_current_version(admin_actor):
    _catalogue()
    data = export_catalog()
    data["items"][0]["version"]["promised_limit"] = 5
    data["items"][0]["version"]["effective_on"] = None
    report = catalog_import(actor=admin_actor, data=data)
    assert report.ok and report.items_updated == 2 and report.items_created == 0
    item = ServiceItem.objects.get(pk=ServiceItem.objects.order_by("pk").first().pk)
    versions = list(item.versions.order_by("number").values_list("number", "status", "superseded_on"))
    assert versions == [
        (1, VersionStatus.SUPERSEDED, dt.date(2026, 3, 2)),
        (2, VersionStatus.EFFECTIVE, None),
    ]
    assert item.current_version.promised_limit == 5
    assert item.current_version.effective_on == dt.date(2026, 3, 2)
    assert item.current_version.change_kind == "adjust"


def test_no_update_refuses_existing_codes(admin_actor):
    _catalogue()
    data = export_catalog()
    report = catalog_import(actor=admin_actor, data=data, update=False)
    assert not report.ok
    assert {(e.sheet, e.row, e.field) for e in report.errors} == {
        ("事项", 1, "实施编码"),
        ("事项", 2, "实施编码"),
    }
    assert ItemVersion.objects.count() == 2
