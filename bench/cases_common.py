"""Shared set-up of the case benchmarks (bench/cases_*.py).

Database: DATABASE_URL as given (PostgreSQL: e.g. postgres://postgres@127.0.0.1:5432/zw_bench — the
benchmarks write to it: they migrate, seed the demo city and generate the volume when it is
missing); without DATABASE_URL a SQLite file under /tmp (or --db PATH), never var/zhengwu.sqlite3.

Volume: `ensure_volume(historical, open)` runs `manage.py generate_cases_load` for whatever is
missing, then VACUUM (ANALYZE) on PostgreSQL (what autovacuum does on a production server).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def arguments(description: str, *, historical: int, open_cases: int) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--db", help="SQLite file to use (default: a new file under /tmp)")
    parser.add_argument("--historical", type=int, default=historical, help="historical (closed) cases wanted")
    parser.add_argument("--open", type=int, default=open_cases, help="open cases wanted")
    return parser


def setup_django(db_path: str | None = None) -> str:
    """Point Django at the benchmark database, migrate it and seed the demo city; returns its label."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhengwu.settings"
    os.environ.setdefault("SECRET_KEY", "cases-benchmark")
    os.environ.setdefault("DEBUG", "0")
    tmp = tempfile.mkdtemp(prefix="zw-casebench-")
    os.environ.setdefault("ZHENGWU_VAR_DIR", tmp)
    os.environ.setdefault("SMS_BACKEND", "zhengwu.core.notify.backends.LocmemSmsBackend")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        label = f"PostgreSQL ({url.rsplit('/', 1)[-1]})"
    else:
        path = Path(db_path) if db_path else Path(tmp) / "cases-bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        label = f"SQLite ({path})"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # The benchmarks measure queries, not the anti-guessing throttle of the public progress query.
    settings.CASES_PROGRESS_RATE = "100000000/min"
    call_command("migrate", verbosity=0)
    from zhengwu.catalog.demo import seed_catalog_demo
    from zhengwu.org.demo import seed_demo

    seed_demo()
    seed_catalog_demo()
    return label


def ensure_volume(historical: int, open_cases: int) -> dict[str, int]:
    """Generate closed and open cases until there are at least this many of each."""
    from django.core.management import call_command

    from zhengwu.cases.models import CLOSED_STATUSES, OPEN_STATUSES, Case

    have_closed = Case.objects.filter(status__in=CLOSED_STATUSES).count()
    have_open = Case.objects.filter(status__in=OPEN_STATUSES).count()
    more_closed, more_open = max(0, historical - have_closed), max(0, open_cases - have_open)
    if more_closed or more_open:
        started = time.perf_counter()
        call_command("generate_cases_load", historical=more_closed, open=more_open)
        print(
            f"generate_cases_load {more_closed:,} + {more_open:,}: {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        vacuum()
    return {"closed": max(have_closed, historical), "open": max(have_open, open_cases)}


def vacuum() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")


def timed(fn: Callable[[], Any], rounds: int, warmup: int = 3) -> list[float]:
    """Milliseconds per call, after a few warm-up calls."""
    for _n in range(warmup):
        fn()
    out = []
    for _n in range(rounds):
        started = time.perf_counter()
        fn()
        out.append((time.perf_counter() - started) * 1000)
    return out


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return p50, p95, ordered[-1]


def row(label: str, samples: list[float], limit: float | None = None, extra: str = "") -> str:
    p50, p95, worst = percentiles(samples)
    verdict = "" if limit is None else ("  ok" if p95 <= limit else f"  OVER {limit:g} ms")
    figures = f"p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {worst:7.1f} ms"
    return f"{label:<52} n={len(samples):<4} {figures}{verdict}{extra}"


def count_queries(fn: Callable[[], Any]) -> int:
    """How many SQL statements one call runs (Django's query log is reset per request, so wrap)."""
    from django.db import connection

    seen = 0

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal seen
        seen += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        fn()
    return seen


def logged_in_client(username: str) -> Any:
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client
