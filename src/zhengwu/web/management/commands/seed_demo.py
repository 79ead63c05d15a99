from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "创建示范市演示数据（可重复运行：已有的数据保持不变）"

    def handle(self, *args: Any, **options: Any) -> None:
        # Each app seeds its own part, in order (settings.DEMO_SEEDERS): org first, then what uses it.
        created: dict[str, int] = {}
        for path in settings.DEMO_SEEDERS:
            created.update(import_string(path)())
        if any(created.values()):
            summary = "，".join(f"{k} {v}" for k, v in created.items() if v)
            self.stdout.write(self.style.SUCCESS(f"示范市演示数据已创建：{summary}"))
        else:
            self.stdout.write("示范市演示数据已存在，未作修改。")
