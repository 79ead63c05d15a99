#!/usr/bin/env python3
"""Benchmark: data-exchange intake, events per second with idempotency (target ≥ 2,000/s).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zw_sup .venv/bin/python bench/supervision_exchange.py
        [--cases 5000] [--batch 1000] [--workers 1]

Each case sends received → accepted → review step → decided (4 events). Batches of `--batch` signed
requests go through the full Django stack in-process (middleware, HMAC check, JSON Schema
validation, scope check, dedup by event id, record recompute). Then the same batches are replayed:
they must all come back as duplicates and add nothing. Exits 1 under the target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import sys
import time
import uuid
from zoneinfo import ZoneInfo

from supervision_common import case_events, setup_django

TARGET = 2000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument(
        "--workers", type=int, default=1, help="concurrent senders (gunicorn workers serve them in parallel)"
    )
    args = parser.parse_args()
    label = setup_django()
    from django.db import connections

    from zhengwu.supervision.demo import DEMO_KEY_ID
    from zhengwu.supervision.models import CaseEventRecord, ExchangeSystem

    ExchangeSystem.objects.filter(key_id=DEMO_KEY_ID).update(check_item_codes=False)
    per_worker = [args.cases // args.workers] * args.workers
    before = CaseEventRecord.objects.count()
    connections.close_all()  # forked workers must not share the parent's connection
    with multiprocessing.get_context("fork").Pool(args.workers) as pool:
        runs = pool.starmap(run_worker, [(n, args.batch) for n in per_worker])
    total = sum(r[0] for r in runs)
    elapsed = max(r[1] for r in runs)
    duplicates = sum(r[2] for r in runs)
    replay = max(r[3] for r in runs)
    cpu = sum(r[4] for r in runs)
    added = CaseEventRecord.objects.count() - before - total
    rate = total / elapsed
    ok = rate >= TARGET and duplicates == total and added == 0
    print(f"database: {label}; {args.workers} concurrent senders")
    print(
        f"exchange intake: {total:,} events ({sum(per_worker):,} cases) in batches of {args.batch}: "
        f"{elapsed:.2f} s, {rate:,.0f} events/s (target {TARGET:,}) {'OK' if rate >= TARGET else 'SLOW'}"
    )
    print(f"  application CPU: {cpu:.2f} s ({cpu / total * 1e6:.0f} µs per event); the rest is database time")
    print(
        f"replay of the same batches: {duplicates:,} duplicates, {added} added, "
        f"{total / replay:,.0f} events/s {'OK' if duplicates == total and added == 0 else 'FAIL'}"
    )
    return 0 if ok else 1


def run_worker(cases: int, batch: int) -> tuple[int, float, int, float, float]:
    """Send `cases` new cases (4 events each) in signed batches, then replay them; returns timings."""
    from django.test import Client

    from zhengwu.org.demo import DONGCHENG, org_uscc
    from zhengwu.supervision.demo import DEMO_KEY_ID, DEMO_SECRET
    from zhengwu.supervision.services.exchange import signature

    uscc = org_uscc(DONGCHENG, 1)
    # Recent cases (the last few days), as a live district system reports them.
    start = dt.datetime.now(ZoneInfo("Asia/Shanghai")) - dt.timedelta(hours=4, minutes=cases)
    events = []
    for n in range(cases):
        events += case_events(str(uuid.uuid4()), start + dt.timedelta(minutes=n), uscc=uscc)
    # Interleave cases as a real system would send them: events of one case spread over batches.
    events.sort(key=lambda e: e["occurred_at"])
    bodies = [
        json.dumps({"events": events[i : i + batch]}, ensure_ascii=False).encode()
        for i in range(0, len(events), batch)
    ]
    client = Client()

    def send(body: bytes) -> dict:
        stamp = str(int(time.time()))
        response = client.post(
            "/api/v1/exchange/events/",
            data=body,
            content_type="application/json",
            headers={
                "X-Zhengwu-Key": DEMO_KEY_ID,
                "X-Zhengwu-Timestamp": stamp,
                "X-Zhengwu-Signature": signature(DEMO_SECRET, stamp, body),
            },
        )
        assert response.status_code == 200, response.content[:500]
        return response.json()

    started, cpu = time.perf_counter(), time.process_time()
    accepted = sum(send(body)["accepted"] for body in bodies)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu
    assert accepted == len(events), (accepted, len(events))
    started = time.perf_counter()
    duplicates = sum(send(body)["duplicates"] for body in bodies)
    return len(events), elapsed, duplicates, time.perf_counter() - started, cpu


if __name__ == "__main__":
    sys.exit(main())
