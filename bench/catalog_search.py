#!/usr/bin/env python3
"""Benchmark: catalogue search p50/p95 over 120,000 items (target p95 ≤ 50 ms), three ways: the
search selector, the search page (/services/search/?q=) and the JSON endpoint (/services/search.json).

    .venv/bin/python bench/catalog_search.py [--items 120000] [--rounds 5] [--db /tmp/cat.sqlite3]

The first run generates the items (generate_load, a few minutes); pass --db to keep them for the next
run. Its own database (bench/catalog_common.py). Exits 1 when a p95 misses the target.
"""

from __future__ import annotations

import argparse
import sys

from catalog_common import ensure_load, percentiles, setup_django, timed

TARGET_MS = 50.0
QUERIES = [
    "开饭店",
    "开公司",
    "注册公司",
    "食品经营许可",
    "营业执照",
    "生孩子",
    "结婚",
    "残疾证",
    "挂招牌",
    "盖房子",
    "跑运输",
    "低保",
    "过户",
    "环评",
    "政府信息公开",
    "开药店",
    "旅行社",
    "养老机构",
    "危险化学品经营许可",
    "民办学校设立审批",
    "证书补办",
    "补贴申领",
    "东城区开饭店",
    "排污许可证",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=120_000)
    parser.add_argument("--rounds", type=int, default=5, help="timed calls per query")
    parser.add_argument("--db", default=None, help="SQLite file to keep (ignored with DATABASE_URL)")
    args = parser.parse_args()
    label = setup_django(args.db)
    total = ensure_load(args.items)
    from django.test import Client

    from zhengwu.catalog.selectors.public import catalog_search

    client = Client()
    print(f"{label}: {total} items, {len(QUERIES)} queries × {args.rounds} rounds", flush=True)
    ways = {
        "selector catalog_search()": lambda q: catalog_search(q),
        "page /services/search/?q=": lambda q: _get(client, "/services/search/", q),
        "API  /services/search.json?q=": lambda q: _get(client, "/services/search.json", q),
    }
    ok = True
    slowest: list[tuple[float, str]] = []
    for name, fn in ways.items():
        per_query = {q: timed(lambda q=q, fn=fn: fn(q), args.rounds) for q in QUERIES}
        samples = [ms for values in per_query.values() for ms in values]
        if not slowest:
            slowest = sorted(((max(v), q) for q, v in per_query.items()), reverse=True)[:6]
        p50, p95, worst = percentiles(samples)
        met = p95 <= TARGET_MS
        ok &= met
        verdict = "ok" if met else "SLOW"
        print(f"  {name:32s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {worst:6.1f} ms  {verdict}")
    hits = {q: len(catalog_search(q).results) for _ms, q in slowest}
    print(
        "  slowest queries (selector, max ms): "
        + "，".join(f"{q} {ms:.0f}（{hits[q]} 条）" for ms, q in slowest)
    )
    print(f"target p95 ≤ {TARGET_MS:.0f} ms: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


def _get(client, path: str, query: str) -> None:
    response = client.get(path, {"q": query})
    assert response.status_code == 200, (path, query, response.status_code)


if __name__ == "__main__":
    sys.exit(main())
