#!/usr/bin/env python3
"""Benchmark: item guide page p95 over 120,000 items (target ≤ 100 ms), through the test client on
/services/items/<implementation code>/ for random items.

    .venv/bin/python bench/catalog_guide.py [--items 120000] [--pages 500] [--db /tmp/cat.sqlite3]

Its own database (bench/catalog_common.py). Exits 1 when p95 misses the target.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from catalog_common import ensure_load, percentiles, setup_django

TARGET_MS = 100.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=120_000)
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    label = setup_django(args.db)
    total = ensure_load(args.items)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zhengwu.catalog.models import ServiceItem

    rng = random.Random(args.seed)
    top = ServiceItem.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    wanted = {rng.randint(1, top) for _n in range(args.pages * 2)}
    active = ServiceItem.objects.filter(is_active=True)
    codes = list(active.filter(pk__in=wanted).values_list("implementation_code", flat=True))[: args.pages]
    # The real demo guides (forms, fees, several halls); generated (L…) and import-bench (B…) items left out.
    demo_items = active.exclude(basic_code__startswith="L").exclude(basic_code__startswith="B")
    demo = list(demo_items.values_list("implementation_code", flat=True))
    codes += demo
    client = Client()
    for code in codes[:3]:
        client.get(f"/services/items/{code}/")
    samples, queries = [], []
    for code in codes:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(f"/services/items/{code}/")
            samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (code, response.status_code)
        queries.append(len(captured))
    p50, p95, worst = percentiles(samples)
    ok = p95 <= TARGET_MS
    print(f"{label}: {total} items, {len(codes)} guide pages ({len(demo)} demo items)")
    print(
        f"  guide page p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {worst:6.1f} ms; "
        f"queries per page {min(queries)}–{max(queries)}"
    )
    print(f"target p95 ≤ {TARGET_MS:.0f} ms: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
