import io
import json
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from zhengwu.catalog.bulk import FileRefused, catalog_import, export_catalog, read_file, write_workbook
from zhengwu.catalog.models import ItemVersion, MaterialRequirement, ServiceItem
from zhengwu.core.access.actor import actor_for

from ..factories import department, make_item, staff_user

pytestmark = pytest.mark.django_db


def _three_items():
    for n, (name, dept) in enumerate(
        [
            ("食品经营许可", "示范市市场监督管理局"),
            ("公共场所卫生许可", "示范市卫生健康委员会"),
            ("道路运输经营许可", "示范市交通运输局"),
        ],
        start=1,
    ):
        make_item(name=name, dept=department(dept), basic_code=f"00010100{n}000")
    data = export_catalog()
    ServiceItem.objects.update(current_version=None)
    ItemVersion.objects.all().delete()
    ServiceItem.objects.all().delete()
    return data


def _edit_xlsx(content, edits):
    book = load_workbook(io.BytesIO(content))
    for sheet, row, header, value in edits:
        ws = book[sheet]
        column = next(c.column for c in ws[1] if c.value == header)
        ws.cell(row=row, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _where(report):
    return {(e.sheet, e.row, e.field) for e in report.errors}


def test_one_broken_xlsx_row_writes_nothing_and_names_sheet_row_field(admin_actor):
    content = write_workbook(_three_items())
    broken = _edit_xlsx(
        content,
        [
            ("事项", 3, "承诺办结时限", 30),  # statutory is 20
            ("事项", 3, "收费项目", "工本费；-5；元；粤价〔2020〕1号"),
            ("材料", 4, "原件份数", -1),
            ("办理环节", 7, "监察环节", "盖章"),
        ],
    )
    report = catalog_import(actor=admin_actor, data=read_file(broken, "catalog.xlsx"))
    assert not report.ok
    assert _where(report) == {
        ("事项", 3, "承诺办结时限"),
        ("事项", 3, "收费项目"),
        ("材料", 4, "原件份数"),
        ("办理环节", 7, "监察环节"),
    }
    messages = " ".join(e.message for e in report.errors)
    assert "承诺办结时限不能长于法定办结时限" in messages
    assert "不能为负数" in messages
    assert "“盖章”不是有效的监察环节" in messages
    assert ServiceItem.objects.count() == 0 and MaterialRequirement.objects.count() == 0
    # The untouched file goes in whole.
    assert catalog_import(actor=admin_actor, data=read_file(content, "catalog.xlsx")).items_created == 3


def test_unknown_department_malformed_code_unknown_enum_and_bad_date(admin_actor):
    data = _three_items()
    first, second, third = data["items"]
    first["department_uscc"] = "91449900MA00000000"
    second["basic_code"] = "abc"
    third["version"]["handling_type"] = "sometimes"
    third["version"]["valid_from"] = "2026-02-30"
    third["version"]["service_points"] = ["不存在的大厅"]
    third["version"]["materials"][0]["sample_file"] = str(uuid.uuid4())
    report = catalog_import(actor=admin_actor, data=data)
    assert _where(report) >= {
        ("事项", 1, "实施主体统一社会信用代码"),
        ("事项", 2, "基本编码"),
        ("事项", 3, "办件类型"),
        ("事项", 3, "有效期起"),
        ("材料", 5, "示例样表"),
    }
    text = "\n".join(str(e) for e in report.errors)
    assert "找不到统一社会信用代码为“91449900MA00000000”的部门" in text
    assert "基本编码应为12位大写字母或数字" in text
    assert ServiceItem.objects.count() == 0


def test_duplicate_codes_unknown_item_ref_and_bad_bundle(admin_actor):
    data = _three_items()
    data["items"].append(json.loads(json.dumps(data["items"][0])))
    data["items"][1]["version"]["steps"][0]["role"] = "emperor"
    data["bundles"] = [
        {
            "code": "x y",
            "name": "企业开办",
            "region_code": "449900000000",
            "lead_department_uscc": data["items"][0]["department_uscc"],
            "items": [{"implementation_code": "nope"}],
        }
    ]
    report = catalog_import(actor=admin_actor, data=data)
    assert _where(report) >= {
        ("事项", 4, "实施编码"),
        ("办理环节", 6, "办理角色"),
        ("一件事", 1, "编码"),
        ("一件事", 1, "包含事项"),
    }


def test_dry_run_counts_but_writes_nothing(admin_actor):
    data = _three_items()
    report = catalog_import(actor=admin_actor, data=data, dry_run=True)
    assert report.ok and report.items_created == 3 and report.steps == 15
    assert ServiceItem.objects.count() == 0


def test_only_admins_import(demo_org):
    with pytest.raises(PermissionDenied):
        catalog_import(
            actor=actor_for(staff_user("clerk")), data={"format": "zhengwu.catalog/1", "items": []}
        )


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"PK\x03\x04garbage", "c.xlsx"),
        (b"not json", "c.json"),
        (b'{"format": "other"}', "c.json"),
        (b"%PDF-1.4", "c.xlsx"),
    ],
)
def test_unreadable_files_are_refused_whole(content, name):
    with pytest.raises(FileRefused):
        read_file(content, name)
