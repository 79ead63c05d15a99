#!/usr/bin/env python3
"""Benchmark: the supervision sweep over the open records (target: 20,000 open in ≤ 10 s).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zw_sup .venv/bin/python bench/supervision_sweep.py
        [--open 20000]

Makes sure `--open` open records exist (written straight to the table: the sweep reads only the
record), spread over the demo city's departments, stages and deadlines so that about a tenth are
yellow or red. Times a first sweep (lights change, warnings and rule cards are issued) and a second
one (steady state: nothing to send). Exits 1 when either is over the target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import uuid

from supervision_common import setup_django

TARGET_SECONDS = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--open", type=int, default=20_000)
    args = parser.parse_args()
    label = setup_django()

    from zhengwu.core.calendar import add_workdays, local_day
    from zhengwu.org import selectors as org_selectors
    from zhengwu.supervision.models import SupervisedCase
    from zhengwu.supervision.services._common import SYSTEM
    from zhengwu.supervision.services.sweep import supervision_sweep

    today = local_day(dt.datetime.now(dt.UTC))
    have = SupervisedCase.objects.filter(is_open=True, source="bench-sweep").count()
    if have < args.open:
        rng = random.Random(1)
        depts = list(org_selectors.departments_for(SYSTEM))
        rows = []
        for n in range(args.open - have):
            d = depts[n % len(depts)]
            accepted_on = add_workdays(today, -rng.randint(0, 12))
            received = dt.datetime.combine(accepted_on, dt.time(2), tzinfo=dt.UTC)
            rows.append(
                SupervisedCase(
                    source="bench-sweep",
                    case_id=str(uuid.uuid4()),
                    case_number=f"S{n:08d}",
                    item_code="BENCH",
                    item_name="基准事项",
                    department_id=d.pk,
                    department_name=d.name,
                    department_line=d.line,
                    region_code=d.region.code,
                    status="accepted",
                    stage="review",
                    received_at=received,
                    accepted_at=received,
                    accepted_on=accepted_on,
                    promised_limit=rng.choice([10, 15, 20]),
                    statutory_limit=20,
                    suspensions=[[add_workdays(accepted_on, 1).isoformat(), None]] if n % 50 == 0 else [],
                )
            )
        SupervisedCase.objects.bulk_create(rows, batch_size=2000)
    open_total = SupervisedCase.objects.filter(is_open=True).count()
    timings = []
    for _round in range(2):
        started = time.perf_counter()
        result = supervision_sweep()
        timings.append((time.perf_counter() - started, result))
    print(f"database: {label}; open records: {open_total:,}")
    ok = True
    for name, (seconds, result) in zip(("first sweep", "second sweep"), timings, strict=True):
        good = seconds <= TARGET_SECONDS
        ok &= good
        print(
            f"{name}: {seconds:.2f} s for {result.records:,} open records "
            f"({result.changed:,} changed, {result.warnings:,} warnings, {result.cards:,} cards; "
            f"target {TARGET_SECONDS:.0f} s) {'OK' if good else 'SLOW'}"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
