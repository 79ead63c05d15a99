import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from zhengwu.catalog.models import Bundle, ItemVersion, ServiceItem
from zhengwu.catalog.models.choices import VersionStatus
from zhengwu.core.search.selectors import search_documents

from ..factories import make_item

pytestmark = pytest.mark.django_db


def test_generate_load_makes_effective_items_with_parts_and_indexes_them(demo_org):
    call_command("generate_load", items=60, bundles=3, verbosity=0)
    items = ServiceItem.objects.filter(basic_code__startswith="L")
    assert items.count() == 60 and Bundle.objects.filter(code__startswith="load-").count() == 3
    for item in items.select_related("current_version"):
        version = item.current_version
        assert version.status == VersionStatus.EFFECTIVE
        assert 3 <= version.materials.count() <= 6 and version.steps.count() == 5
    assert ItemVersion.objects.filter(status=VersionStatus.SUPERSEDED).exists()
    assert search_documents(kind="catalog.item", query=items.first().name)
    call_command("generate_load", items=5, verbosity=0)  # continues the numbering
    assert ServiceItem.objects.filter(basic_code__startswith="L").count() == 65


def test_export_then_import_commands(demo_org, tmp_path, capsys):
    make_item()
    json_file, xlsx_file = tmp_path / "c.json", tmp_path / "c.xlsx"
    call_command("export_catalog", str(json_file))
    call_command("export_catalog", str(xlsx_file), all_versions=True)
    data = json.loads(json_file.read_text())
    assert data["format"] == "zhengwu.catalog/1" and len(data["items"]) == 1
    call_command("import_catalog", str(xlsx_file), dry_run=True)
    assert ItemVersion.objects.count() == 1
    call_command("import_catalog", str(json_file), effective_on="2026-04-01")
    # Each exported version carries its own effective date, which wins over --effective-on.
    assert ServiceItem.objects.get().current_version.effective_on == dt.date(2026, 1, 5)
    data["items"][0]["version"]["promised_limit"] = 99
    json_file.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import_catalog", str(json_file))
    assert "事项 第 1 行【承诺办结时限】" in capsys.readouterr().err
