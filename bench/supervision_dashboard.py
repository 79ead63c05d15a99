#!/usr/bin/env python3
"""Benchmark: statistics dashboard and drill-down, and supervision's drill-down pages, at volume.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zw_stats_bench \
        .venv/bin/python bench/supervision_dashboard.py [--cases 1000000] [--open 20000] [--rounds 30]

Targets (issue 5): with 1,000,000 supervised cases of which 20,000 open, on PostgreSQL, dashboard
p95 ≤ 300 ms and drill-down p95 ≤ 200 ms, server-side (in-process test client, so the time is the
view, its queries and the template; no network, no static files).

The database is the benchmark's own (created when missing). Records are written straight to the
table with COPY (PostgreSQL) or bulk inserts (SQLite): the pages read only the records, and the
statistics read only their rollup, which `rollup_refresh(full=True)` then builds (timed). An
incremental refresh after 1,000 records change is timed too. `--explain` prints the plans of the
supervision drill-down queries.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
import uuid
from typing import Any
from urllib.parse import urlsplit

from catalog_common import _create_pg_database, percentiles
from supervision_common import setup_django

SOURCE = "bench-stats"
CHANNELS = ["online"] * 5 + ["mobile"] * 2 + ["window"] * 3 + ["post", "kiosk"]
DASHBOARD_TARGET, DRILL_TARGET = 300.0, 200.0
BATCH = 20_000


def _items(rng: random.Random) -> list[dict[str, Any]]:
    """The demo catalogue's items plus five synthetic items per department (about 140 in all)."""
    from zhengwu.catalog.selectors.public import public_items
    from zhengwu.core.access.actor import Actor
    from zhengwu.core.access.roles import Role
    from zhengwu.org import selectors as org_selectors

    out = [
        {
            "code": i.implementation_code,
            "name": i.name,
            "dept": i.department_id,
            "dname": i.department.name,
            "line": i.department.line,
            "region": i.region.code,
        }
        for i in public_items()
    ]
    sysadmin = Actor(user_id=0, roles=frozenset({Role.SYSADMIN}))
    for d in org_selectors.departments_for(sysadmin):
        for k in range(5):
            out.append(
                {
                    "code": f"BENCH{d.pk:04d}{k:02d}",
                    "name": f"基准事项{d.pk}-{k}",
                    "dept": d.pk,
                    "dname": d.name,
                    "line": d.line,
                    "region": d.region.code,
                }
            )
    rng.shuffle(out)
    return out


def _rows(n: int, n_open: int, today: dt.date, rng: random.Random) -> Any:
    """Dicts of SupervisedCase fields: n - n_open closed over the last ~23 months, n_open open."""
    from zhengwu.core.calendar import TZ, add_workdays

    items = _items(rng)
    first = today.replace(day=1) - dt.timedelta(days=700)
    span = (today - dt.timedelta(days=25) - first).days
    workday_cache: dict[tuple[dt.date, int], dt.date] = {}

    def add(day: dt.date, k: int) -> dt.date:
        key = (day, k)
        if key not in workday_cache:
            workday_cache[key] = add_workdays(day, k)
        return workday_cache[key]

    for i in range(n):
        item = items[i % len(items)] if rng.random() < 0.5 else rng.choice(items)
        is_open = i >= n - n_open
        received_day = (
            today - dt.timedelta(days=rng.randint(0, 20))
            if is_open
            else first + dt.timedelta(days=rng.randint(0, span))
        )
        received = dt.datetime.combine(received_day, dt.time(9, rng.randint(0, 59)), tzinfo=TZ)
        accepted_on = add(received_day, rng.choice((0, 0, 1)))
        accepted = dt.datetime.combine(accepted_on, dt.time(11), tzinfo=TZ)
        limit = rng.choice((3, 5, 10, 15, 20))
        promised_due = add(accepted_on, limit)
        row: dict[str, Any] = {
            "source": SOURCE,
            "case_id": uuid.UUID(int=rng.getrandbits(128)).hex,
            "case_number": f"B{i:09d}",
            "item_code": item["code"],
            "item_name": item["name"],
            "department_id": item["dept"],
            "department_name": item["dname"],
            "department_line": item["line"],
            "region_code": item["region"],
            "channel": rng.choice(CHANNELS),
            "received_at": received,
            "accepted_at": accepted,
            "accepted_on": accepted_on,
            "promised_limit": limit,
            "statutory_limit": 20,
            "promised_due": promised_due,
            "acceptance_due": add(received_day, 5),
        }
        if is_open:
            roll = rng.random()
            light = "red" if roll < 0.05 else "yellow" if roll < 0.15 else "green"
            row.update(status="accepted", stage="review", is_open=True, light=light, current_due=promised_due)
        else:
            used = max(0, limit + rng.choice((-3, -2, -1, -1, 0, 0, 0, 1, 2)))
            decided_day = add(accepted_on, used)
            decided = dt.datetime.combine(decided_day, dt.time(15), tzinfo=TZ)
            row.update(
                status="delivered",
                stage="closed",
                is_open=False,
                light="green",
                decision="grant",
                review_at=decided,
                decided_at=decided,
                completed_at=decided + dt.timedelta(hours=1),
                delivered_at=decided + dt.timedelta(days=1),
                closed_at=decided + dt.timedelta(days=1),
                decided_on_time=decided_day <= promised_due,
                decided_early=decided_day < promised_due,
                ever_overdue=decided_day > promised_due,
            )
        yield row


def generate(n: int, n_open: int) -> float:
    """Write n records (COPY on PostgreSQL); returns seconds."""
    from django.db import connection
    from django.utils import timezone

    from zhengwu.core.calendar import local_day
    from zhengwu.supervision.models import SupervisedCase

    started = time.perf_counter()
    rng = random.Random(2026)
    today = local_day(timezone.now())
    now = timezone.now()
    fields = [f for f in SupervisedCase._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    defaults = {f.attname: f.get_default() for f in fields}
    defaults["updated_at"] = now - dt.timedelta(days=1)  # older than any refresh's overlap
    defaults["computed_on"] = today
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}

    def values(row: dict[str, Any]) -> tuple[Any, ...]:
        out = []
        for f in fields:
            v = row.get(f.attname, defaults[f.attname])
            out.append(json.dumps(v) if f.attname in json_fields else v)
        return tuple(out)

    if connection.vendor == "postgresql":
        table = SupervisedCase._meta.db_table
        sql = f'COPY "{table}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) FROM STDIN'
        # One COPY per batch: building a row asks the calendar, which may query the same connection.
        batch: list[tuple[Any, ...]] = []

        def flush() -> None:
            with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
                for values_row in batch:
                    copy.write_row(values_row)
            batch.clear()

        for k, row in enumerate(_rows(n, n_open, today, rng), 1):
            batch.append(values(row))
            if len(batch) >= BATCH:
                flush()
            if k % 200_000 == 0:
                print(f"  {k:,} records written ({time.perf_counter() - started:.0f} s)", flush=True)
        flush()
        with connection.cursor() as cursor:
            cursor.execute(f'VACUUM (ANALYZE) "{table}"')
    else:
        objs: list[SupervisedCase] = []
        for row in _rows(n, n_open, today, rng):
            objs.append(SupervisedCase(**{**defaults, **row}))
            if len(objs) >= BATCH:
                SupervisedCase.objects.bulk_create(objs)
                objs = []
        SupervisedCase.objects.bulk_create(objs)
    return time.perf_counter() - started


def _analyze() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("statistics_casefact", "statistics_dailystat", "statistics_monthlystat"):
                cursor.execute(f"VACUUM (ANALYZE) {table}")


def measure(client: Any, url: str, rounds: int) -> tuple[float, float, float]:
    samples = []
    for k in range(rounds + 2):
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        if k >= 2:
            samples.append(elapsed)
    return percentiles(samples)


def explain(sql_and_params: list[tuple[str, Any]]) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql, params in sql_and_params:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print("\n".join(r[0] for r in cursor.fetchall()))
            print("-" * 60)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--open", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        parts = urlsplit(url)
        _create_pg_database(parts, parts.path.lstrip("/"))
    label = setup_django()

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from zhengwu.catalog.demo import seed_catalog_demo
    from zhengwu.core.access.actor import actor_for
    from zhengwu.statistics.services import rollup_refresh
    from zhengwu.supervision import selectors as sup_selectors
    from zhengwu.supervision.models import SupervisedCase

    seed_catalog_demo()
    have = SupervisedCase.objects.filter(source=SOURCE).count()
    if have == 0:
        print(f"generating {args.cases:,} records ({args.open:,} open) …", flush=True)
        seconds = generate(args.cases, args.open)
        print(f"generated in {seconds:.1f} s", flush=True)
        started = time.perf_counter()
        result = rollup_refresh(full=True)
        _analyze()
        print(
            f"full rollup rebuild: {time.perf_counter() - started:.1f} s "
            f"({result.facts_changed:,} facts, {result.days_rebuilt} days, {result.months_rebuilt} months)",
            flush=True,
        )
    elif have != args.cases:
        print(f"note: the database holds {have:,} benchmark records (not regenerated)")
    total = SupervisedCase.objects.count()
    open_total = SupervisedCase.objects.filter(is_open=True).count()

    # Incremental refresh after 1,000 records changed (the periodic job's usual work).
    ids = list(
        SupervisedCase.objects.filter(source=SOURCE, is_open=False).values_list("id", flat=True)[:1000]
    )
    rollup_refresh()
    SupervisedCase.objects.filter(id__in=ids).update(updated_at=timezone.now(), channel="window")
    started = time.perf_counter()
    inc = rollup_refresh()
    print(
        f"incremental refresh: {time.perf_counter() - started:.2f} s "
        f"({inc.records_read:,} read, {inc.facts_changed:,} changed, {inc.days_rebuilt} days)",
        flush=True,
    )
    _analyze()

    user = get_user_model().objects.get(username="sup_city")
    client = Client()
    client.force_login(user)
    district = Client()
    district.force_login(get_user_model().objects.get(username="sup_district"))
    actor = actor_for(user)
    city = "449900000000"
    busiest = (
        SupervisedCase.objects.filter(is_open=True, region_code=city)
        .values_list("department_id", flat=True)
        .order_by("department_id")
        .first()
    )
    item_code = (
        SupervisedCase.objects.filter(is_open=True, department_id=busiest)
        .values_list("item_code", flat=True)
        .first()
    )
    year = timezone.now().year
    dash, drill = DASHBOARD_TARGET, DRILL_TARGET
    stats, dept = "/supervision/stats/", f"/supervision/departments/{busiest}/"
    pages = [
        ("statistics: dashboard (this year)", client, stats, dash),
        ("statistics: dashboard (last year)", client, f"{stats}?period={year - 1}", dash),
        (
            "statistics: dashboard (custom range)",
            client,
            f"{stats}?from={year - 1}-03-15&to={year}-02-10",
            dash,
        ),
        ("statistics: dashboard (district supervisor)", district, stats, dash),
        ("statistics: region → departments", client, f"{stats}regions/{city}/", drill),
        ("statistics: department → items", client, f"{stats}departments/{busiest}/", drill),
        ("statistics: API report", client, "/api/v1/statistics/report/", drill),
        ("supervision: regions", client, "/supervision/regions/", drill),
        ("supervision: region → departments", client, f"/supervision/regions/{city}/", drill),
        ("supervision: department → items", client, dept, drill),
        ("supervision: item → cases", client, f"{dept}items/{item_code}/", drill),
        ("supervision: wall", client, "/supervision/", dash),
    ]
    print(f"database: {label}; records: {total:,} ({open_total:,} open); rounds: {args.rounds}")
    ok = True
    for name, c, page_url, target in pages:
        queries: list[str] = []

        def count(
            execute: Any, sql: str, params: Any, many: bool, context: Any, queries: list = queries
        ) -> Any:
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            c.get(page_url)
        p50, p95, worst = measure(c, page_url, args.rounds)
        good = p95 <= target
        ok &= good
        print(
            f"{name:45s} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {worst:7.1f} ms  "
            f"({len(queries)} queries; target p95 ≤ {target:.0f}) {'OK' if good else 'SLOW'}",
            flush=True,
        )
    if args.explain:
        qs = [
            sup_selectors._counted(sup_selectors.open_records_for(actor).values("region_code")).order_by(
                "region_code"
            ),
            sup_selectors.open_records_for(actor).filter(region_code=city).values("department_id"),
            sup_selectors.open_records_for(actor)
            .filter(department_id=busiest)
            .values("item_code", "item_name"),
            sup_selectors.open_records_for(actor).filter(department_id=busiest, item_code=item_code),
        ]
        explain([q.query.sql_with_params() for q in qs])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
