#!/usr/bin/env python3
"""Benchmark: importing 10,000 catalogue items (target ≤ 60 s), from JSON and from Excel.

    .venv/bin/python bench/catalog_import.py [--items 10000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zw .venv/bin/python bench/catalog_import.py

The file is built from the 45 demo items (each copied with a new code), so every row is realistic:
4–7 materials, 5–7 form fields and 4–5 steps per item. Its own database (bench/catalog_common.py).
Exits 1 when slower than the target.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time

from catalog_common import setup_django

TARGET_S = 60.0


def build(n: int) -> dict:
    from zhengwu.catalog.demo import demo_data

    template = demo_data()
    items = []
    for i in range(n):
        item = copy.deepcopy(template["items"][i % len(template["items"])])
        basic = f"B{i:011d}"
        item["basic_code"] = basic
        item["implementation_code"] = f"{item['department_uscc']}{basic}000"
        items.append(item)
    return {"format": template["format"], "effective_on": "2026-01-05", "items": items, "bundles": []}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10_000)
    args = parser.parse_args()
    label = setup_django()
    from django.contrib.auth import get_user_model

    from zhengwu.catalog.bulk import catalog_import, read_file, write_workbook
    from zhengwu.catalog.models import ServiceItem
    from zhengwu.core.access.actor import actor_for

    actor = actor_for(get_user_model().objects.get(username="admin"))
    ServiceItem.objects.filter(basic_code__startswith="B").update(current_version=None)
    ServiceItem.objects.filter(basic_code__startswith="B").delete()
    data = build(args.items)
    print(f"{label}: importing {args.items} items", flush=True)

    started = time.perf_counter()
    report = catalog_import(actor=actor, data=data, reindex=False)
    json_s = time.perf_counter() - started
    assert report.ok, report.errors[:5]
    print(
        f"  JSON  : {json_s:6.1f} s  ({report.items_created} new, {report.materials} materials, "
        f"{report.steps} steps)"
    )

    content = write_workbook(data)
    started = time.perf_counter()
    flat = read_file(content, "catalog.xlsx")
    read_s = time.perf_counter() - started
    report = catalog_import(actor=actor, data=flat, reindex=False)  # every item exists now: new versions
    xlsx_s = time.perf_counter() - started
    assert report.ok, report.errors[:5]
    print(
        f"  Excel : {xlsx_s:6.1f} s  (reading the workbook {read_s:.1f} s; {report.items_updated} items "
        f"superseded by a new version; file {len(content) / 1e6:.1f} MB)"
    )
    # Leave the benchmark database as it was (the search and guide benchmarks may share it).
    ServiceItem.objects.filter(basic_code__startswith="B").update(current_version=None)
    ServiceItem.objects.filter(basic_code__startswith="B").delete()
    worst = max(json_s, xlsx_s)
    ok = worst <= TARGET_S
    print(f"target ≤ {TARGET_S:.0f} s: {'met' if ok else 'MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
