"""Public progress query (办件编号 + 查询码, no login): p95 ≤ 50 ms over 1,020,000 cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zw_bench .venv/bin/python bench/cases_progress.py
    .venv/bin/python bench/cases_progress.py --historical 100000 --open 5000      # SQLite

Each request asks for a different case picked at random across the whole volume (cold rows, not
one cached case), in-process through the whole Django stack: the API /api/v1/cases/progress/ and
the portal page /cases/progress/. The anti-guessing throttle is lifted for the run; a wrong code
is measured too (it must cost the same as a right one).
"""

from __future__ import annotations

import random
import sys
from typing import Any

from cases_common import arguments, count_queries, ensure_volume, row, setup_django, timed

LIMIT_MS = 50.0
ROUNDS = 300


def main() -> int:
    args = arguments(__doc__.splitlines()[0], historical=1_000_000, open_cases=20_000).parse_args()
    label = setup_django(args.db)
    volume = ensure_volume(args.historical, args.open)
    from django.db.models import Max, Min
    from django.test import Client

    from zhengwu.cases.models import Case

    print(f"# {label}: {volume['closed']:,} closed + {volume['open']:,} open cases")
    bounds = Case.objects.exclude(number="").aggregate(lo=Min("pk"), hi=Max("pk"))
    rnd = random.Random(7)
    targets = []
    while len(targets) < ROUNDS + 10:
        ids = [rnd.randint(bounds["lo"], bounds["hi"]) for _ in range(200)]
        targets += list(
            Case.objects.filter(pk__in=ids).exclude(number="").values_list("number", "query_code")
        )
    client = Client()

    worst = 0.0
    for name, path, wrong in (
        ("api   /api/v1/cases/progress/", "/api/v1/cases/progress/", False),
        ("page  /cases/progress/", "/cases/progress/", False),
        ("api   wrong query code", "/api/v1/cases/progress/", True),
    ):
        picks = iter(targets * 2)

        def ask(path: str = path, wrong: bool = wrong, picks: Any = picks) -> None:
            number, code = next(picks)
            response = client.get(path, {"number": number, "code": "ZZZZZZ" if wrong else code})
            assert response.status_code == (404 if wrong and path.startswith("/api") else 200), (
                response.status_code
            )

        queries = count_queries(ask)
        samples = timed(ask, ROUNDS)
        worst = max(worst, sorted(samples)[round(0.95 * (len(samples) - 1))])
        print(row(name, samples, LIMIT_MS, f"  ({queries} queries)"), flush=True)
    print(f"worst p95 {worst:.1f} ms (limit {LIMIT_MS:g} ms): {'ok' if worst <= LIMIT_MS else 'OVER'}")
    return 0 if worst <= LIMIT_MS else 1


if __name__ == "__main__":
    sys.exit(main())
