from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from zhengwu.org.csv_import import KINDS, decode, import_org_csv


class Command(BaseCommand):
    help = "从 CSV 导入区划或部门：逐行校验，任何一行有误则全部不写入"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            text = decode(path.read_bytes())
        except OSError as exc:
            raise CommandError(f"无法读取文件 {path}：{exc.strerror}") from exc
        result = import_org_csv(actor=None, kind=options["kind"], text=text)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"导入失败：{len(result.errors)} 处错误，未写入任何数据。")
        self.stdout.write(self.style.SUCCESS(f"导入成功：新增 {result.created} 条。"))
