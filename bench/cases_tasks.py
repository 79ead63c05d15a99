"""Staff task list (我的待办): p95 ≤ 150 ms with 1,000,000 historical and 20,000 open cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/zw_bench .venv/bin/python bench/cases_tasks.py
    .venv/bin/python bench/cases_tasks.py --historical 100000 --open 5000      # SQLite

Measures, in-process through the whole Django stack (middleware, session, template or serializer;
no network), the workbench page /workbench/cases/ and the API /api/v1/cases/staff/tasks/ for the
city market bureau's reviewer and approver (the busiest inboxes of the generated volume): first
page, page 5, the red-light filter, the reverse due-day sort. Also counts the queries per request
to show the list does a constant number whatever its length.
"""

from __future__ import annotations

import sys
from typing import Any

from cases_common import arguments, count_queries, ensure_volume, logged_in_client, row, setup_django, timed

LIMIT_MS = 150.0
ROUNDS = 60


def main() -> int:
    args = arguments(__doc__.splitlines()[0], historical=1_000_000, open_cases=20_000).parse_args()
    label = setup_django(args.db)
    volume = ensure_volume(args.historical, args.open)

    from zhengwu.cases.models import CaseStep, StepStatus

    print(f"# {label}: {volume['closed']:,} closed + {volume['open']:,} open cases")
    worst = 0.0
    for username in ("reviewer", "approver"):
        client = logged_in_client(username)
        from django.contrib.auth import get_user_model

        from zhengwu.core.access.actor import actor_for

        actor = actor_for(get_user_model().objects.get(username=username))
        tasks = CaseStep.objects.filter(
            status=StepStatus.ACTIVE,
            department_id=actor.department_id,
            role__in=[r.value for r in actor.roles],
        ).count()
        print(f"## {username}: {tasks:,} active steps in the inbox")
        for name, url in (
            ("page  /workbench/cases/", "/workbench/cases/"),
            ("page  /workbench/cases/?page=5", "/workbench/cases/?page=5"),
            ("page  /workbench/cases/?light=red", "/workbench/cases/?light=red"),
            ("page  /workbench/cases/?sort=-due", "/workbench/cases/?sort=-due"),
            ("api   /api/v1/cases/staff/tasks/", "/api/v1/cases/staff/tasks/"),
            ("api   /api/v1/cases/staff/tasks/?page=5", "/api/v1/cases/staff/tasks/?page=5"),
            ("api   /api/v1/cases/staff/tasks/?light=red", "/api/v1/cases/staff/tasks/?light=red"),
        ):

            def get(url: str = url, client: Any = client) -> None:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            queries = count_queries(get)
            samples = timed(get, ROUNDS)
            worst = max(worst, sorted(samples)[round(0.95 * (len(samples) - 1))])
            print(row(name, samples, LIMIT_MS, f"  ({queries} queries)"), flush=True)
    print(f"worst p95 {worst:.1f} ms (limit {LIMIT_MS:g} ms): {'ok' if worst <= LIMIT_MS else 'OVER'}")
    return 0 if worst <= LIMIT_MS else 1


if __name__ == "__main__":
    sys.exit(main())
