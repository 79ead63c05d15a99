"""`manage.py generate_load --items 120000 [--bundles N]`: synthetic catalogue volume for benchmarks."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from zhengwu.catalog.bulk.load import generate_load


class Command(BaseCommand):
    help = "生成用于性能测试的合成事项（每个事项含生效版本、3–6 项材料、5 个办理环节）并建立检索索引"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--items", type=int, default=120_000)
        parser.add_argument("--bundles", type=int, default=0)
        parser.add_argument("--seed", type=int, default=1, help="随机种子（同一种子生成同样的数据）")
        parser.add_argument("--no-reindex", action="store_true", help="不重建检索索引")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        counts = generate_load(
            items=options["items"],
            bundles=options["bundles"],
            seed=options["seed"],
            reindex=not options["no_reindex"],
            stdout=self.stderr if options["verbosity"] > 1 else None,
        )
        elapsed = time.perf_counter() - started
        summary = ", ".join(f"{k} {v}" for k, v in counts.items())
        self.stdout.write(self.style.SUCCESS(f"generated {summary} in {elapsed:.1f} s"))
