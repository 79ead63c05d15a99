"""Cost of one submit in-process: SQL statements, CPU ms of the web request and of the background
work it causes (the task rows the worker runs), without HTTP or a load generator in the way.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/zw_submit_bench
    .venv/bin/python bench/cases_submit_profile.py
    … --submits 300 --profile web      # cProfile of the requests (top 40 by cumulative time)
    … --profile worker                 # cProfile of the worker's tasks

Each submit is the applicant's POST /api/v1/cases/mine/<id>/submit/ with an Idempotency-Key,
through the full middleware stack (Django's test client: session, CSRF, authentication), on drafts
made as in bench/cases_submit.py. Then every task row those submits queued is run in this process
by the worker's own loop (`QueueWorker.run_one`), timed the same way. Figures: median and p95 of
CPU ms (process time, so waiting for PostgreSQL is not counted) and wall ms, statements per submit
(the whole request, session and actor included), task rows per submit.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
import uuid

from cases_common import arguments, ensure_volume, setup_django


def main() -> int:
    parser = arguments(__doc__.splitlines()[0], historical=0, open_cases=0)
    parser.add_argument("--submits", type=int, default=200)
    parser.add_argument("--profile", choices=["none", "web", "worker"], default="none")
    parser.add_argument(
        "--sql", action="store_true", help="print the statements of one submit and one task run"
    )
    args = parser.parse_args()
    label = setup_django(args.db)
    ensure_volume(args.historical, args.open)
    from cases_submit import PERSON, dry_run, ready_drafts
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client
    from django_tasks_db.models import DBTaskResult

    from zhengwu.core.events.management.commands.worker import QueueWorker

    ids = dry_run(ready_drafts(args.submits + 60))[: args.submits]
    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username=PERSON))
    token = _get_new_csrf_string()
    client.cookies[settings.CSRF_COOKIE_NAME] = token
    # Tasks queued by the set-up are not what is measured.
    run_tasks(QueueWorker, None)
    tasks_before = DBTaskResult.objects.count()

    statements: list[int] = []

    def counter(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        statements[-1] += 1
        if args.sql and len(statements) == 11:
            print(f"  web SQL: {sql[:160]}")
        return execute(sql, params, many, context)

    profiler = cProfile.Profile(time.process_time) if args.profile == "web" else None
    backend = PgBackend()
    cpu: list[float] = []
    wall: list[float] = []
    with connection.execute_wrapper(counter):
        for n, pk in enumerate(ids):
            statements.append(0)
            c0, w0 = time.process_time(), time.perf_counter()
            if profiler and n >= 10:
                profiler.enable()
            response = client.post(
                f"/api/v1/cases/mine/{pk}/submit/",
                HTTP_X_CSRFTOKEN=token,
                HTTP_IDEMPOTENCY_KEY=f"prof-{pk}-{uuid.uuid4().hex[:8]}",
            )
            if profiler:
                profiler.disable()
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - w0) * 1000)
            assert response.status_code == 200, (response.status_code, response.content[:500])
    web_pg = backend.cpu_ms() / len(ids)
    queued = DBTaskResult.objects.count() - tasks_before
    print(f"# {label}: {len(ids)} submits through the API (test client, full middleware)")
    print(f"web:    CPU {fmt(cpu[10:])} | wall {fmt(wall[10:])} | statements {fmt(statements, 'n')}")
    if web_pg:
        print(f"        PostgreSQL backend CPU {web_pg:.1f} ms per submit (mean)")
    print(f"tasks queued: {queued} ({queued / len(ids):.2f} per submit)")
    wprof = cProfile.Profile(time.process_time) if args.profile == "worker" else None
    backend = PgBackend()
    per_task, task_statements = run_tasks(QueueWorker, wprof, show_sql=args.sql)
    worker_pg = backend.cpu_ms() / len(ids)
    total = sum(per_task)
    print(
        f"worker: {len(per_task)} tasks, CPU {total / len(ids):.1f} ms per submit "
        f"(per task {fmt(per_task)}), statements {sum(task_statements) / len(ids):.1f} per submit"
    )
    if worker_pg:
        print(f"        PostgreSQL backend CPU {worker_pg:.1f} ms per submit (mean)")
    both = statistics.median(cpu[10:]) + total / len(ids)
    print(f"Django CPU per submit (web median + worker mean): {both:.1f} ms")
    if web_pg or worker_pg:
        print(f"with PostgreSQL: {both + web_pg + worker_pg:.1f} ms CPU per submit")
    for prof, name in ((profiler, "web"), (wprof, "worker")):
        if prof is not None:
            path = os.path.join(tempfile.gettempdir(), f"submit-{name}.prof")
            prof.dump_stats(path)
            print(f"{name} profile written to {path} (pstats)")
    for prof in (profiler, wprof):
        if prof is not None:
            out = io.StringIO()
            stats = pstats.Stats(prof, stream=out)
            stats.sort_stats("cumulative").print_stats(r"zhengwu|django_tasks|rest_framework/views", 60)
            stats.sort_stats("tottime").print_stats(25)
            print(out.getvalue())
    return 0


def run_tasks(worker_cls, profiler, show_sql: bool = False):  # type: ignore[no-untyped-def]
    from django.db import connection

    worker = worker_cls.make(worker_id="profile")
    cpu: list[float] = []
    statements: list[int] = []

    def counter(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        statements[-1] += 1
        if show_sql and len(statements) <= 2:
            print(f"  task {len(statements)} SQL: {sql[:160]}")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        while True:
            statements.append(0)
            c0 = time.process_time()
            if profiler:
                profiler.enable()
            ran = worker.run_one()
            if profiler:
                profiler.disable()
            if not ran:
                statements.pop()
                break
            cpu.append((time.process_time() - c0) * 1000)
    return cpu, statements


class PgBackend:
    """CPU time of this process's PostgreSQL backend (from /proc: same machine only), else 0."""

    def __init__(self) -> None:
        from django.db import connection

        self.pid = 0
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = int(cursor.fetchone()[0])
        self.start = self.ticks()

    def ticks(self) -> int:
        try:
            fields = open(f"/proc/{self.pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
        except (OSError, IndexError):
            return 0
        return int(fields[11]) + int(fields[12])  # utime + stime

    def cpu_ms(self) -> float:
        if not self.pid:
            return 0.0
        return (self.ticks() - self.start) * 1000 / os.sysconf("SC_CLK_TCK")


def fmt(values: list[float] | list[int], unit: str = "ms") -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    if unit == "n":
        return f"median {statistics.median(ordered):g}, max {ordered[-1]}"
    return f"median {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms"


if __name__ == "__main__":
    sys.exit(main())
