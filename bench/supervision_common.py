"""Shared set-up of the supervision benchmarks (bench/supervision_*.py).

Database: DATABASE_URL as given (PostgreSQL, e.g. postgres://postgres@127.0.0.1:5432/zw_sup — the
benchmarks migrate it and seed the demo city and the demo exchange system); without DATABASE_URL a
fresh SQLite file under /tmp.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DONGCHENG = "449902000000"


def setup_django() -> str:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "zhengwu.settings"
    os.environ.setdefault("SECRET_KEY", "supervision-benchmark")
    os.environ.setdefault("DEBUG", "0")
    tmp = tempfile.mkdtemp(prefix="zw-supbench-")
    os.environ.setdefault("ZHENGWU_VAR_DIR", tmp)
    os.environ.setdefault("SMS_BACKEND", "zhengwu.core.notify.backends.LocmemSmsBackend")
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        label = f"PostgreSQL ({url.rsplit('/', 1)[-1]})"
    else:
        path = Path(tmp) / "supervision-bench.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
        label = f"SQLite ({path})"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["*"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Notifications of the sweep go to the in-process queue, not a worker that is not running.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    call_command("migrate", verbosity=0)
    from zhengwu.org.demo import seed_demo
    from zhengwu.supervision.demo import seed_supervision_demo

    seed_demo()
    seed_supervision_demo()
    return label


def case_events(
    case_id: str, received: dt.datetime, *, uscc: str, promised: int = 10
) -> list[dict[str, Any]]:
    """received → accepted → review step → decided, in the exchange standard's envelope."""
    from zhengwu.core.calendar import add_workdays, local_day

    day = local_day(received)
    accepted_on = day
    base = {
        "case_number": f"BENCH{case_id[-12:]}",
        "case_id": case_id,
        "item_code": "11449902000000001X44990200001000",
        "item_name": "食品经营许可",
        "department_uscc": uscc,
        "region_code": DONGCHENG,
        "received_at": received.isoformat(),
    }
    steps = [
        ("cases.case_received", received, {"status": "submitted"}),
        (
            "cases.case_accepted",
            received + dt.timedelta(hours=1),
            {
                "status": "accepted",
                "mode": "normal",
                "accepted_on": accepted_on.isoformat(),
                "promised_due": add_workdays(accepted_on, promised).isoformat(),
            },
        ),
        (
            "cases.case_step_completed",
            received + dt.timedelta(hours=2),
            {"status": "accepted", "step_name": "审查", "stage": "review"},
        ),
        ("cases.case_decided", received + dt.timedelta(hours=3), {"status": "decided", "decision": "grant"}),
    ]
    return [
        {
            "id": str(uuid.uuid4()),
            "type": event_type,
            "occurred_at": at.astimezone(dt.UTC).isoformat(),
            "aggregate": {"type": "cases.case", "id": case_id},
            "actor": None,
            "payload": {**base, **extra},
        }
        for event_type, at, extra in steps
    ]
