"""`manage.py compute_assessment 2025-Q3` (or 2025-09; the former spelling 2025Q3 is read too): compute
a period's assessment as the system.

Re-running replaces a draft's scores; a published period is kept unchanged (the command says so and
exits with an error). `--publish` publishes the result as well; `--last` computes the last closed
period of every kind the schemes ask for, like the worker does once a period has ended."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role

from ...services import assessment

COMMAND_ACTOR = Actor(user_id=None, roles=frozenset({Role.SYSADMIN}), display_name="compute_assessment")


class Command(BaseCommand):
    help = "计算指定周期（如 2025-Q3 或 2025-09）的绩效评估；已发布的周期保持不变"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("period", nargs="?", help="2025-Q3（季度，也可写作 2025Q3）或 2025-09（月度）")
        parser.add_argument("--last", action="store_true", help="计算上一个已结束的周期（按评估方案）")
        parser.add_argument("--publish", action="store_true", help="计算后发布（发布后不再变动）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["last"]:
            done = assessment.assessment_job()
            self.stdout.write("已计算：" + ("、".join(done) if done else "无（均已计算）"))
            return
        if not options["period"]:
            raise CommandError("请指定评估周期，如 2025-Q3 或 2025-09，或使用 --last。")
        try:
            run = assessment.assessment_compute(actor=None, period=options["period"])
            if options["publish"]:
                run = assessment.assessment_publish(actor=COMMAND_ACTOR, period=run.period)
        except ValidationError as exc:
            raise CommandError("；".join(m for msgs in exc.message_dict.values() for m in msgs)) from None
        count, status = run.scores.count(), run.get_status_display()
        self.stdout.write(
            self.style.SUCCESS(f"{run.period}：{count} 个评估对象，办结 {run.case_count} 件（{status}）")
        )
