"""generate_cases_load: realistic volume, consistent rows, numbering that continues afterwards."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count

from zhengwu.cases.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    Case,
    CaseStatus,
    CaseStep,
    StepStatus,
    TimelineEntry,
)
from zhengwu.catalog.demo import seed_catalog_demo
from zhengwu.core.numbering.models import Counter

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def catalog(demo_org: Any) -> None:
    seed_catalog_demo()


def test_generates_closed_history_and_open_work(catalog: Any) -> None:
    out = StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("generate_cases_load", historical=400, open=200, batch=64, stdout=out)
    assert "已生成 400 件历史办件、200 件在办办件" in out.getvalue()
    assert Case.objects.count() == 600
    assert Case.objects.filter(status__in=CLOSED_STATUSES).count() == 400
    assert Case.objects.filter(status__in=OPEN_STATUSES).count() == 200
    # Every open state is represented, history is before the last 40 days, open work before today.
    open_states = set(Case.objects.filter(status__in=OPEN_STATUSES).values_list("status", flat=True))
    assert open_states >= {CaseStatus.SUBMITTED, CaseStatus.ACCEPTED, CaseStatus.DECIDED}
    assert Case.objects.filter(submitted_at__gte=NOW - dt.timedelta(hours=10)).count() == 0
    # Numbers are unique and well-formed; items are spread, heavier at the top.
    numbers = list(Case.objects.values_list("number", "implementation_code"))
    assert len({n for n, _c in numbers}) == 600
    assert all(n.startswith(code) and len(n) == len(code) + 12 for n, code in numbers)
    per_item = sorted(Case.objects.values("item_id").annotate(n=Count("id")).values_list("n", flat=True))
    assert len(per_item) > 10 and per_item[-1] > 3 * per_item[len(per_item) // 2]
    # Accepted open cases have exactly one active step with a due day; timelines start with receipt.
    for case in Case.objects.filter(status=CaseStatus.ACCEPTED)[:50]:
        active = case.steps.filter(status=StepStatus.ACTIVE)
        assert active.count() == 1
        # a step without a limit has no due day
        assert (active[0].due_on is not None) == bool(active[0].limit)
        assert case.promised_due is not None
    first = TimelineEntry.objects.filter(case__in=Case.objects.all()[:20]).order_by("case_id", "at", "pk")
    assert {t.action for t in first} >= {"case_received"}
    assert (
        CaseStep.objects.filter(case__status=CaseStatus.DELIVERED).exclude(status=StepStatus.DONE).count()
        == 0
    )


def test_numbering_continues_after_the_generated_cases(catalog: Any) -> None:
    from zhengwu.core.numbering.services import next_number

    with time_machine.travel(NOW, tick=False):
        call_command("generate_cases_load", historical=50, open=50, stdout=StringIO())
    counter = Counter.objects.filter(key__startswith="cases:").order_by("-value").first()
    assert counter is not None
    used = Case.objects.filter(
        implementation_code=counter.key.removeprefix("cases:"), number__contains=f"{counter.day:%Y%m%d}"
    )
    assert counter.value == used.count()
    assert next_number(key=counter.key, day=counter.day) == counter.value + 1


def test_a_second_run_adds_more(catalog: Any) -> None:
    with time_machine.travel(NOW, tick=False):
        call_command("generate_cases_load", historical=30, open=10, stdout=StringIO())
        call_command("generate_cases_load", historical=30, open=10, stdout=StringIO())
    assert Case.objects.count() == 80
    assert Case.objects.values("number").distinct().count() == 80
