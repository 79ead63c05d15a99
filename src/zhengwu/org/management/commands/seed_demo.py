from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from zhengwu.org.demo import seed_demo


class Command(BaseCommand):
    help = "创建示范市演示数据（可重复运行：已有的数据保持不变）"

    def handle(self, *args: Any, **options: Any) -> None:
        created = seed_demo()
        if any(created.values()):
            summary = "，".join(f"{k} {v}" for k, v in created.items() if v)
            self.stdout.write(self.style.SUCCESS(f"示范市演示数据已创建：{summary}"))
        else:
            self.stdout.write("示范市演示数据已存在，未作修改。")
