"""manage.py check_guides: run the guide-quality checker over the catalogue; exit 1 when errors exist."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhengwu.catalog.checker import ERROR, catalogue_queryset, check_catalogue


class Command(BaseCommand):
    help = "检查事项办事指南质量（DOMAIN §4 规则）；存在错误时退出码为 1。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--department", type=int, help="只检查该部门（部门标识）的事项")
        parser.add_argument("--errors-only", action="store_true", help="只列出错误，不列出警告")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        qs = catalogue_queryset()
        if options["department"]:
            qs = qs.filter(item__department_id=options["department"])
        report = check_catalogue(qs)
        errors_only = options["errors_only"]
        for dept in report["departments"]:
            for version in dept["versions"]:
                version["findings"] = [
                    f.as_dict() for f in version["findings"] if not errors_only or f.severity == ERROR
                ]
            dept["versions"] = [v for v in dept["versions"] if v["findings"]]
        report["departments"] = [d for d in report["departments"] if d["versions"]]
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))
        else:
            self._text(report)
        if report["errors"]:
            sys.exit(1)

    def _text(self, report: dict[str, Any]) -> None:
        for dept in report["departments"]:
            self.stdout.write(f"{dept['department_name']}（错误 {dept['errors']}，警告 {dept['warnings']}）")
            for v in dept["versions"]:
                self.stdout.write(
                    f"  {v['item_name']} 第{v['number']}版 [{v['status_label']}] {v['implementation_code']}"
                )
                for f in v["findings"]:
                    mark = "错误" if f["severity"] == ERROR else "警告"
                    self.stdout.write(f"    {mark} {f['code']}: {f['message']}")
        self.stdout.write(
            f"共检查 {report['checked']} 个版本：错误 {report['errors']} 项，警告 {report['warnings']} 项，"
            f"{report['versions_failing']} 个版本不能提交。"
        )
