#!/usr/bin/env python3
"""Benchmark: add_workdays calls per second on one core (target ≥ 200,000).

    .venv/bin/python bench/calendar_bench.py [--calls 1000000] [--seed 1]

Uses a throw-away SQLite database (migrated here, no overrides), random start dates 2004–2030 and
n in 1..60, region=None. Exits 1 when below the target.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

TARGET = 200_000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3, help="best of this many timed rounds")
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):  # pin to one core so the figure is a one-core figure
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "src"))
    tmp = tempfile.TemporaryDirectory(prefix="zw-calbench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhengwu.settings"
    os.environ.setdefault("SECRET_KEY", "calendar-benchmark")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
    os.environ["ZHENGWU_VAR_DIR"] = tmp.name

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", "core_calendar", verbosity=0)
    from zhengwu.core.calendar import add_workdays

    rng = random.Random(args.seed)
    lo, hi = dt.date(2004, 1, 1).toordinal(), dt.date(2030, 12, 31).toordinal()
    pairs = [(dt.date.fromordinal(rng.randint(lo, hi)), rng.randint(1, 60)) for _ in range(args.calls)]
    add_workdays(pairs[0][0], pairs[0][1])  # build the tables outside the timing

    best = 0.0
    for _ in range(max(1, args.rounds)):
        started = time.perf_counter()
        for day, n in pairs:
            add_workdays(day, n)
        elapsed = time.perf_counter() - started
        best = max(best, len(pairs) / elapsed)
    tmp.cleanup()
    verdict = "OK" if best >= TARGET else "TOO SLOW"
    print(
        f"add_workdays: {best:,.0f} calls/second on one core ({args.calls:,} calls, best of "
        f"{args.rounds}; target {TARGET:,}) {verdict}"
    )
    return 0 if best >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
