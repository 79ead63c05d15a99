from __future__ import annotations

import unicodedata
from typing import Any

from django.core.management.base import BaseCommand

from zhengwu.org.demo import PASSWORD, demo_account_rows


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = "列出演示账号（用户名、角色、部门）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--markdown", action="store_true", help="以 Markdown 表格输出")

    def handle(self, *args: Any, **options: Any) -> None:
        rows = [("用户名", "角色", "部门/单位"), *demo_account_rows()]
        if options["markdown"]:
            self.stdout.write("| 用户名 | 角色 | 部门/单位 |\n|---|---|---|")
            for row in rows[1:]:
                self.stdout.write("| `" + row[0] + "` | " + " | ".join(row[1:]) + " |")
            self.stdout.write(f"\n所有账号的密码均为 `{PASSWORD}`。")
            return
        widths = [max(_width(r[i]) for r in rows) for i in range(3)]
        for row in rows:
            self.stdout.write("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
        self.stdout.write(f"密码（所有账号）：{PASSWORD}")
