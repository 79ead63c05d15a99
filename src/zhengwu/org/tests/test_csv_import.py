from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from zhengwu.org.csv_import import import_org_csv
from zhengwu.org.demo import org_uscc
from zhengwu.org.models import Department, Region

from .conftest import CITY, DC

pytestmark = pytest.mark.django_db

REGIONS_OK = """code,name,parent_code
449902001000,东湖街道,
449902001001,东湖社区,449902001000
449903101000,西山镇,449903000000
"""

# line 2 ok, 3 bad digits, 4 level mismatch via parent, 5 duplicate of 2, 6 parent failed earlier, 7 unknown
REGIONS_BAD = """code,name,parent_code
449902001000,东湖街道,
44990200100X,坏代码,
449902002000,某街道,449903000000
449902001000,东湖街道重复,
449902005001,某社区,
449977001000,无上级,
"""


def bad(code: str) -> str:
    return code[:-1] + ("0" if code[-1] != "0" else "1")


def test_good_regions_file_is_imported(world):
    result = import_org_csv(actor=None, kind="regions", text=REGIONS_OK)
    assert result.ok, result.errors
    assert result.created == 3
    assert Region.objects.get(code="449902001001").parent.code == "449902001000"


def test_one_bad_row_writes_nothing_and_every_bad_row_is_reported(world):
    before = Region.objects.count()
    result = import_org_csv(actor=None, kind="regions", text=REGIONS_BAD)
    assert not result.ok
    assert result.created == 0
    assert Region.objects.count() == before
    by_line = {}
    for error in result.errors:
        by_line.setdefault(error.line, []).append(error)
    assert sorted(by_line) == [3, 4, 5, 6, 7]
    assert "12位数字" in by_line[3][0].message
    assert "不包含" in by_line[4][0].message
    assert "与第2行重复" in by_line[5][0].message
    assert "找不到上级区划" in by_line[6][0].message
    assert by_line[7][0].field == "parent_code"
    assert str(by_line[3][0]).startswith("第3行")


def test_departments_with_parent_earlier_in_the_file(world):
    parent, child = org_uscc(CITY, 301), org_uscc(CITY, 302)
    text = (
        "name,short_name,uscc,region_code,parent_uscc,line,supervision_contact_name,"
        "supervision_contact_phone,consultation_phone,complaint_phone\n"
        f"示范市测试局,测试局,{parent},{CITY},,test,李四,13800000000,0757-83311111,12345\n"
        f"示范市测试局分局,分局,{child},{DC},{parent},test,,,,\n"
    )
    result = import_org_csv(actor=None, kind="departments", text=text)
    assert result.ok, result.errors
    assert Department.objects.get(uscc=child).parent.uscc == parent


def test_departments_bad_rows(world):
    text = (
        "name,uscc,region_code,parent_uscc\n"
        f"甲局,{bad(org_uscc(CITY, 310))},{CITY},\n"
        f"乙局,{org_uscc(CITY, 311)},449977000000,\n"
        f"丙局,{org_uscc(CITY, 312)},{CITY},{org_uscc(CITY, 399)}\n"
        f"丁局,{org_uscc(CITY, 313)},{CITY},\n"
        f"戊局,{org_uscc(CITY, 313).lower()},{CITY},\n"
        f"己局,{world.departments['city_market'].uscc},{CITY},\n"
    )
    before = Department.objects.count()
    result = import_org_csv(actor=None, kind="departments", text=text)
    assert Department.objects.count() == before
    got = {(e.line, e.field) for e in result.errors}
    assert got == {(2, "uscc"), (3, "region_code"), (4, "parent_uscc"), (6, "uscc"), (7, "uscc")}
    assert next(e for e in result.errors if e.line == 2).message == "统一社会信用代码校验位错误"


def test_missing_header_is_reported(world):
    result = import_org_csv(actor=None, kind="departments", text="name,region_code\n甲局,449900000000\n")
    assert [(e.line, e.field) for e in result.errors] == [(1, "表头")]


def test_command(world, tmp_path):
    good = tmp_path / "regions.csv"
    good.write_bytes(("\ufeff" + REGIONS_OK).encode("utf-8"))  # Excel's BOM
    call_command("import_org_csv", "regions", str(good))
    assert Region.objects.filter(code="449903101000").exists()
    broken = tmp_path / "bad.csv"
    broken.write_bytes(REGIONS_BAD.replace("449902001000", "449902003000").encode("gb18030"))
    before = Region.objects.count()
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_org_csv", "regions", str(broken))
    assert Region.objects.count() == before


def test_import_page(client, world):
    client.force_login(world.users["admin"])
    upload = SimpleUploadedFile("r.csv", REGIONS_BAD.encode(), content_type="text/csv")
    response = client.post(reverse("org:import"), {"kind": "regions", "file": upload})
    assert response.status_code == 400
    content = response.content.decode()
    assert "与第2行重复" in content and "未写入任何数据" in content
    upload = SimpleUploadedFile("r.csv", REGIONS_OK.encode(), content_type="text/csv")
    response = client.post(reverse("org:import"), {"kind": "regions", "file": upload})
    assert response.status_code == 302
    assert Region.objects.filter(code="449902001001").exists()
