"""Two colleagues acting on the same case at the same moment: exactly one succeeds, the other gets a
CaseConflict (the views show "该办件已被他人处理…", the API answers 409). Real threads with their own
database connections and real row locks, so PostgreSQL only."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections

from zhengwu.cases.models import BundleStatus, Case, CaseStatus, CaseStep, StepStatus
from zhengwu.cases.services._base import CaseConflict
from zhengwu.cases.services.acceptance import case_accept
from zhengwu.cases.services.bundles import bundle_deliver, deemed_consent_sweep
from zhengwu.cases.services.steps import step_complete
from zhengwu.cases.services.suspension import case_suspend
from zhengwu.cases.tests.factories import actor_of, make_case, travel
from zhengwu.catalog.tests.factories import department
from zhengwu.core.events.models import Event
from zhengwu.org.services import staff_profile_upsert

from .test_bundles import city_window, make_bundle_case
from .test_steps_support import MARKET, accepted_case, active_step, fresh, new_staff

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks (select_for_update is a no-op)",
    ),
]
DAY = dt.date(2025, 10, 9)


def race(*calls: Callable[[], Any]) -> tuple[list[Any], list[BaseException]]:
    """Run the calls at the same moment, each in its own thread (and database connection)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker(call: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            value = call()
            with lock:
                results.append(value)
        except BaseException as exc:  # collected and asserted on by the test
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results, errors


def one_wins(results: list[Any], errors: list[BaseException]) -> None:
    assert len(results) == 1, errors
    assert len(errors) == 1 and isinstance(errors[0], CaseConflict), errors
    assert errors[0].message  # the clear Chinese message the page and the API show


def count(case: Case, event_type: str) -> int:
    return Event.objects.filter(aggregate_id=str(case.pk), type=event_type).count()


@pytest.mark.parametrize("with_revision", [True, False], ids=["same-page", "api-no-revision"])
def test_two_reviewers_complete_the_same_step(demo_org: Any, with_revision: bool) -> None:
    case = accepted_case()
    step = active_step(case)
    revision = case.revision if with_revision else None
    reviewers = [actor_of("reviewer"), new_staff(["reviewer"])]
    with travel(DAY):
        results, errors = race(
            *[
                lambda actor=actor: step_complete(
                    actor=actor, step_id=step.pk, revision=revision, opinion="agree", comment="同意"
                )
                for actor in reviewers
            ]
        )
    one_wins(results, errors)
    step.refresh_from_db()
    assert step.status == StepStatus.DONE and step.finished_by_id == results[0].finished_by_id
    assert active_step(case).name == "决定"
    assert count(case, "cases.case_step_completed") == 1
    assert fresh(case).revision == case.revision + 1


def test_two_clerks_accept_the_same_case(demo_org: Any) -> None:
    case = make_case(status=CaseStatus.SUBMITTED, with_files=True)
    clerks = [actor_of("clerk"), actor_of("chief")]  # both sit at window B01 of the city hall
    with travel(dt.date(2025, 9, 29)):
        results, errors = race(
            *[
                lambda actor=actor: case_accept(actor=actor, case_id=case.pk, revision=case.revision)
                for actor in clerks
            ]
        )
    one_wins(results, errors)
    assert fresh(case).status == CaseStatus.ACCEPTED
    assert count(case, "cases.case_accepted") == 1
    assert CaseStep.objects.filter(case=case).count() == 2  # the steps were started once


def test_suspend_and_complete_at_once(demo_org: Any) -> None:
    case = accepted_case()
    step = active_step(case)
    with travel(DAY):
        results, errors = race(
            lambda: step_complete(
                actor=actor_of("reviewer"),
                step_id=step.pk,
                revision=case.revision,
                opinion="agree",
                comment="",
            ),
            lambda: case_suspend(
                actor=actor_of("approver"),
                case_id=case.pk,
                revision=case.revision,
                kind="inspection",
                reason="现场检验",
                expected_workdays=3,
            ),
        )
    one_wins(results, errors)
    suspended = count(case, "cases.case_suspended")
    completed = count(case, "cases.case_step_completed")
    assert suspended + completed == 1
    assert fresh(case).status == (CaseStatus.SUSPENDED if suspended else CaseStatus.ACCEPTED)


def test_the_sweep_and_a_late_opinion_at_once(demo_org: Any) -> None:
    _bundle_case, food, signs = make_bundle_case()
    CaseStep.objects.filter(case=food).update(status=StepStatus.DONE)  # only the housing step is overdue
    housing_reviewer = new_staff(["reviewer"], dept="示范市住房和城乡建设局")
    step = active_step(signs)
    with travel(dt.date(2025, 10, 13), 9):
        results, errors = race(
            deemed_consent_sweep,
            lambda: step_complete(
                actor=housing_reviewer, step_id=step.pk, opinion="agree", comment="迟到的意见"
            ),
        )
    step.refresh_from_db()
    deemed = count(signs, "cases.case_deemed_consent")
    completed = count(signs, "cases.case_step_completed")
    assert deemed + completed == 1
    if deemed:  # the sweep came first: the reviewer's page is out of date
        assert step.status == StepStatus.DEEMED
        assert len(errors) == 1 and isinstance(errors[0], CaseConflict)
    else:  # the reviewer came first: the sweep finds nothing left to do
        assert step.status == StepStatus.DONE
        assert not errors and 0 in results


def test_two_clerks_hand_out_the_same_bundle(demo_org: Any) -> None:
    bundle_case, food, signs = make_bundle_case()
    Case.objects.filter(pk__in=[food.pk, signs.pk]).update(status=CaseStatus.COMPLETED, decision="grant")
    clerks = [actor_of("clerk"), new_clerk_at_a01()]
    results, errors = race(
        *[
            lambda actor=actor: bundle_deliver(
                actor=actor, bundle_case_id=bundle_case.pk, method="window", delivered_to="林示范"
            )
            for actor in clerks
        ]
    )
    one_wins(results, errors)
    assert results[0].status == BundleStatus.DELIVERED
    assert count(food, "cases.case_delivered") == 1 and count(signs, "cases.case_delivered") == 1


def new_clerk_at_a01() -> Any:
    """A second clerk at the general window A01 that received the bundle."""
    user = get_user_model().objects.create_user(username="clerk2", password="x-Unused-2026", kind="staff")
    staff_profile_upsert(
        actor=None,
        user_id=user.pk,
        department_id=department(MARKET).pk,
        roles=["window_clerk"],
        window_ids=[city_window("A01").pk],
    )
    return actor_of(user)
