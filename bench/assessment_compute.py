#!/usr/bin/env python3
"""Benchmark: computing a quarter's assessment (绩效评估) over its decided cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zw_assess_bench .venv/bin/python \\
        bench/assessment_compute.py [--decided 250000]

Makes sure `--decided` cases decided in 2025Q4 exist (written straight to the record table: the
assessment reads only the records), spread over the demo city's departments, windows and staff, with
a realistic mix of on-time, early and late decisions. Times `assessment_compute` of 2025Q4 twice (the
second is a recomputation of the draft). A city of 1,000,000 cases a year decides ~250,000 a quarter.
Exits 1 when a run is over the target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import uuid

from supervision_common import setup_django

TARGET_SECONDS = 30.0
SOURCE = "bench-assess"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decided", type=int, default=250_000)
    args = parser.parse_args()
    label = setup_django()

    from django.db import connection

    from zhengwu.core.calendar import add_workdays
    from zhengwu.org import selectors as org_selectors
    from zhengwu.supervision.models import AssessmentRun, AssessmentScore, SupervisedCase
    from zhengwu.supervision.services._common import SYSTEM
    from zhengwu.supervision.services.assessment import assessment_compute

    have = SupervisedCase.objects.filter(source=SOURCE).count()
    if have < args.decided:
        rng = random.Random(5)
        depts = list(org_selectors.departments_for(SYSTEM))
        windows = list(org_selectors.windows_for(SYSTEM).values_list("pk", flat=True))
        staff = list(org_selectors.staff_for(SYSTEM).values_list("user_id", flat=True))
        start = dt.date(2025, 10, 1)
        batch: list[SupervisedCase] = []
        for n in range(args.decided - have):
            d = depts[n % len(depts)]
            accepted_on = start + dt.timedelta(days=rng.randint(0, 80))
            limit = rng.choice([5, 8, 10, 20])
            due = add_workdays(accepted_on, limit)
            decided = add_workdays(accepted_on, max(limit + rng.choice([-4, -2, -1, 0, 0, 1, 3]), 0))
            at = dt.datetime.combine(decided, dt.time(7), tzinfo=dt.UTC)
            batch.append(
                SupervisedCase(
                    source=SOURCE,
                    case_id=str(uuid.uuid4()),
                    case_number=f"A{n:08d}",
                    item_code="BENCH",
                    item_name="基准事项",
                    department_id=d.pk,
                    department_name=d.name,
                    department_line=d.line,
                    region_code=d.region.code,
                    status="completed",
                    stage="closed",
                    is_open=False,
                    accepted_on=accepted_on,
                    decided_at=at,
                    closed_at=at,
                    promised_limit=limit,
                    promised_due=due,
                    decided_on_time=decided <= due,
                    decided_early=decided < due,
                    window_id=rng.choice(windows),
                    handler_user_ids=sorted(set(rng.sample(staff, 2))),
                )
            )
            if len(batch) == 5000:
                SupervisedCase.objects.bulk_create(batch)
                batch = []
        SupervisedCase.objects.bulk_create(batch)
    AssessmentRun.objects.filter(period="2025Q4").delete()
    print(f"{label}: {SupervisedCase.objects.filter(source=SOURCE).count():,} decided cases in 2025Q4")
    worst = 0.0
    for attempt in ("first", "recompute"):
        connection.queries_log.clear()
        t0 = time.perf_counter()
        run = assessment_compute(actor=None, period="2025Q4", on_day=dt.date(2026, 1, 5))
        seconds = time.perf_counter() - t0
        worst = max(worst, seconds)
        scores = AssessmentScore.objects.filter(run=run).count()
        print(f"  {attempt}: {seconds:.1f} s, {run.case_count:,} cases, {scores:,} scores")
    print(f"target ≤ {TARGET_SECONDS:.0f} s: {'ok' if worst <= TARGET_SECONDS else 'OVER'}")
    return 0 if worst <= TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
