"""Shared set-up of the catalogue benchmarks: a database of their own, never var/zhengwu.sqlite3.

SQLite (default): a file under /tmp (or --db PATH, to keep a generated catalogue between runs).
PostgreSQL: set DATABASE_URL=postgres://…/NAME; the benchmarks use the database NAME_catalog_bench
(created when missing), never NAME itself.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def setup_django(db_path: str | None = None) -> str:
    """Point Django at the benchmark database, migrate it and seed the demo city; returns its label."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhengwu.settings"
    os.environ.setdefault("SECRET_KEY", "catalog-benchmark")
    os.environ.setdefault("DEBUG", "0")
    tmp = tempfile.mkdtemp(prefix="zw-catbench-")
    os.environ.setdefault("ZHENGWU_VAR_DIR", tmp)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        parts = urlsplit(url)
        name = parts.path.lstrip("/") or "zhengwu"
        bench_name = name if name.endswith("_catalog_bench") else f"{name}_catalog_bench"
        _create_pg_database(parts, bench_name)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{bench_name}"))
        label = f"PostgreSQL ({bench_name})"
    else:
        path = Path(db_path) if db_path else Path(tmp) / "bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        label = f"SQLite ({path})"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # The test client needs a host the site accepts; the benchmark never serves real traffic.
    settings.ALLOWED_HOSTS = ["*"]
    # No collectstatic for a benchmark: plain static storage instead of the hashed manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    from zhengwu.org.demo import seed_demo

    seed_demo()
    return label


def _create_pg_database(parts: Any, name: str) -> None:
    import psycopg

    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def ensure_load(items: int) -> int:
    """Generate synthetic items until the catalogue holds at least `items` of them."""
    from zhengwu.catalog.bulk.load import generate_load
    from zhengwu.catalog.models import ServiceItem

    have = ServiceItem.objects.filter(basic_code__startswith="L").count()
    if have < items:
        started = time.perf_counter()
        generate_load(items=items - have, bundles=200 if have == 0 else 0)
        print(f"generate_load {items - have} items: {time.perf_counter() - started:.1f} s", flush=True)
    from zhengwu.catalog.demo import seed_catalog_demo

    seed_catalog_demo()
    _maintain()
    return ServiceItem.objects.count()


def _maintain() -> None:
    """PostgreSQL: VACUUM ANALYZE, what autovacuum does on a server that has it on (the development
    server has it off). Without it a freshly generated catalogue is measured with no planner
    statistics and with every row rewritten by the reindex still dead in the table and its indexes."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)")


def timed(fn: Callable[[], Any], rounds: int) -> list[float]:
    """Milliseconds per call, after two warm-up calls."""
    fn()
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
