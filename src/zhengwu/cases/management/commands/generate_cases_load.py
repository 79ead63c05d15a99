"""`manage.py generate_cases_load --historical 1000000 --open 20000`: benchmark volume (see _cases_load)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengwu.catalog.selectors.public import public_items

from ._cases_load import generate


class Command(BaseCommand):
    help = "生成办件压测数据：历史办件（已结束）和在办办件，按示范事项、部门、区划分布。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--historical", type=int, default=1_000_000, help="已结束的历史办件数")
        parser.add_argument("--open", type=int, default=20_000, help="在办办件数")
        parser.add_argument("--batch", type=int, default=10_000, help="每批写入的办件数")
        parser.add_argument("--seed", type=int, default=20250926, help="随机种子（同一种子生成同样的分布）")

    def handle(self, *args: Any, **options: Any) -> None:
        historical, open_cases = options["historical"], options["open"]
        if historical < 0 or open_cases < 0 or options["batch"] < 1:
            raise CommandError("数量不能为负数，批量至少为 1。")
        if not public_items().exists():
            self.stdout.write("没有生效的事项：先加载示范数据（seed_demo）……")
            call_command("seed_demo", verbosity=0)
        started = time.perf_counter()
        report = generate(
            historical=historical,
            open_cases=open_cases,
            seed=options["seed"],
            batch=options["batch"],
            progress=self.stdout.write,
        )
        seconds = time.perf_counter() - started
        rate = (report.historical + report.open) / max(seconds, 1e-9)
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成 {report.historical:,} 件历史办件、{report.open:,} 件在办办件；"
                f"环节 {report.steps:,}，办理记录 {report.timeline:,}，材料 {report.materials:,}，"
                f"编号计数器 {report.counters:,}；用时 {seconds:.1f} 秒（{rate:,.0f} 件/秒）。"
            )
        )
        for status, count in sorted(report.by_status.items()):
            self.stdout.write(f"  {status}: {count:,}")
