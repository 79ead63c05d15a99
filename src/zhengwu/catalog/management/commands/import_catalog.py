"""`manage.py import_catalog FILE [--dry-run] [--no-update] [--user NAME] [--effective-on DATE]`.

Checks every row; prints each bad row (sheet, row, column, reason) and writes nothing if any fails.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengwu.catalog.bulk import FileRefused, catalog_import, read_file
from zhengwu.core.access.actor import actor_for


class Command(BaseCommand):
    help = "导入事项目录（.json 或 .xlsx）：逐行校验，任何一行有误则全部不写入"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--no-update", action="store_true", help="实施编码已存在时报错，而不是生成新版本")
        parser.add_argument("--user", default="", help="以哪个账号的名义导入（默认第一个超级管理员）")
        parser.add_argument(
            "--effective-on", default="", help="生效日期 YYYY-MM-DD（默认文件中的日期或今天）"
        )
        parser.add_argument("--no-reindex", action="store_true", help="导入后不重建全文检索索引")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        users = get_user_model().objects.order_by("pk")
        user = (
            users.filter(username=options["user"]).first()
            if options["user"]
            else users.filter(is_superuser=True).first()
        )
        if user is None:
            raise CommandError("找不到导入账号：请用 --user 指定一个系统管理员账号")
        try:
            effective_on = dt.date.fromisoformat(options["effective_on"]) if options["effective_on"] else None
            flat = read_file(path.read_bytes(), path.name)
        except ValueError as exc:
            raise CommandError(f"生效日期格式应为 YYYY-MM-DD：{exc}") from exc
        except FileRefused as exc:
            raise CommandError(str(exc)) from exc
        report = catalog_import(
            actor=actor_for(user),
            data=flat,
            dry_run=options["dry_run"],
            update=not options["no_update"],
            effective_on=effective_on,
            reindex=not options["no_reindex"],
        )
        for issue in report.errors:
            self.stderr.write(str(issue))
        summary = "，".join(f"{k} {v}" for k, v in report.counts().items())
        if report.errors:
            raise CommandError(f"{len(report.errors)} 处错误，未写入任何数据（{summary}）")
        verb = "校验通过（未写入）" if report.dry_run else "导入完成"
        self.stdout.write(self.style.SUCCESS(f"{verb}：{summary}；sha256 {report.sha256}"))
