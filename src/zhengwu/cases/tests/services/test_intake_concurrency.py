"""Ten parallel submits of one draft create one case with one number; parallel submits of different
drafts get distinct consecutive numbers. Real threads, real row locks: PostgreSQL only."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from zhengwu.cases.models import Case, CaseStatus, IntakeChannel
from zhengwu.cases.services.intake import case_draft_create, case_material_upload, case_submit
from zhengwu.cases.tests.factories import actor_of, applicant_user, make_item_for_cases, pdf_upload, travel
from zhengwu.core.events.models import Event

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def run_parallel(n: int, fn: Callable[[int], Any]) -> tuple[list[Any], list[BaseException]]:
    barrier = threading.Barrier(n)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(i: int) -> None:
        try:
            barrier.wait()
            value = fn(i)
            with lock:
                results.append(value)
        except BaseException as exc:  # collected and asserted on by the test
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


def ready_draft(item: Any, actor: Any) -> Case:
    case = case_draft_create(
        actor=actor, item_id=item.pk, channel=IntakeChannel.ONLINE, form_data={"applicant_name": "林示范"}
    )
    for material in case.materials.all():
        case_material_upload(actor=actor, case_id=case.pk, material_id=material.pk, upload=pdf_upload())
    return case


def test_ten_parallel_submits_of_one_draft_create_one_numbered_case(demo_org: Any) -> None:
    item = make_item_for_cases()
    person = actor_of(applicant_user())
    draft = ready_draft(item, person)
    with travel(dt.date(2025, 9, 26)):
        results, errors = run_parallel(10, lambda _i: case_submit(actor=person, case_id=draft.pk).number)
    assert not errors
    assert len(results) == 10 and len(set(results)) == 1
    assert results[0] == f"{item.implementation_code}202509260001"
    assert Case.objects.filter(status=CaseStatus.SUBMITTED).count() == 1
    assert Event.objects.filter(type="cases.case_received").count() == 1


def test_parallel_submits_of_different_drafts_get_distinct_numbers(demo_org: Any) -> None:
    item = make_item_for_cases()
    person = actor_of(applicant_user())
    drafts = [ready_draft(item, person) for _ in range(8)]
    with travel(dt.date(2025, 9, 26)):
        results, errors = run_parallel(8, lambda i: case_submit(actor=person, case_id=drafts[i].pk).number)
    assert not errors
    assert sorted(results) == [f"{item.implementation_code}20250926{n:04d}" for n in range(1, 9)]
