from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "重建统计汇总表（全量）；--incremental 只汇总上次刷新后变化的监察记录"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--incremental", action="store_true", help="只处理变化的记录")

    def handle(self, *args: Any, **options: Any) -> None:
        from zhengwu.statistics.services import rollup_refresh

        result = rollup_refresh(full=not options["incremental"])
        self.stdout.write(
            f"读取监察记录 {result.records_read} 条，变更 {result.facts_changed} 条，"
            f"重算 {result.days_rebuilt} 天、{result.months_rebuilt} 个月，用时 {result.seconds:.1f} 秒"
        )
