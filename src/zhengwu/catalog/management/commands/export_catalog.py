"""`manage.py export_catalog FILE [--all-versions]`: the catalogue as JSON (.json) or Excel (.xlsx)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhengwu.catalog.bulk import export_catalog, write_workbook


class Command(BaseCommand):
    help = "导出事项目录（.json 或 .xlsx，格式 zhengwu.catalog/1）；文件名为 - 时输出 JSON 到标准输出"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="输出文件：*.json 或 *.xlsx，或 -")
        parser.add_argument("--all-versions", action="store_true", help="同时导出每个事项的全部历史版本")

    def handle(self, *args: Any, **options: Any) -> None:
        data = export_catalog(all_versions=options["all_versions"])
        target = options["file"]
        if target == "-":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
            return
        path = Path(target)
        if path.suffix.lower() == ".xlsx":
            path.write_bytes(write_workbook(data))
        else:
            path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        self.stderr.write(f"exported {len(data['items'])} items, {len(data['bundles'])} bundles to {path}")
