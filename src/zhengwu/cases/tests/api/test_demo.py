"""seed_cases_demo: a dozen demo cases in every state, through the services, idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from zhengwu.cases.demo import seed_cases_demo
from zhengwu.cases.models import BundleCase, Case, CaseStatus, StepStatus
from zhengwu.catalog.demo import seed_catalog_demo

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)  # the fixed clock of these tests (conftest)


@pytest.fixture
def demo_catalog(demo_org: Any) -> None:
    seed_catalog_demo()


def by_key(key: str) -> Case:
    return Case.objects.get(note__startswith=f"[demo:{key}]")


def test_demo_cases_cover_every_state_and_run_once(demo_catalog: Any) -> None:
    first = seed_cases_demo(TODAY)
    assert first["cases_demo"] >= 12
    assert seed_cases_demo(TODAY) == {"cases_demo": 0}

    assert by_key("waiting").status == CaseStatus.SUBMITTED
    assert by_key("supplement").status == CaseStatus.SUPPLEMENT
    assert by_key("review-green").status == CaseStatus.ACCEPTED
    assert by_key("suspended").status == CaseStatus.SUSPENDED
    assert by_key("deficiency").deficiency_due is not None
    assert by_key("decided").status == CaseStatus.DECIDED
    assert by_key("completed").status == CaseStatus.COMPLETED
    delivered = by_key("delivered")
    assert delivered.status == CaseStatus.DELIVERED and delivered.decision == "grant"
    assert delivered.documents.filter(is_result=True).exists()
    assert by_key("denied").decision == "deny"
    assert by_key("rejected").status == CaseStatus.REJECTED
    assert by_key("withdrawn").status == CaseStatus.WITHDRAWN

    overdue = by_key("overdue")
    assert overdue.promised_due < TODAY
    active = overdue.steps.get(status=StepStatus.ACTIVE)
    assert active.due_on < TODAY

    # History is dated in the past, in working days before the seeding day.
    assert delivered.submitted_at.date() < TODAY - dt.timedelta(days=20)
    assert (
        delivered.number[-12:-4] == f"{delivered.submitted_at.astimezone(dt.UTC):%Y%m%d}" or delivered.number
    )

    bundle = BundleCase.objects.get(cases__note__startswith="[demo:bundle]", cases__item_name="食品经营许可")
    assert bundle.bundle.code == "kaiban-canyindian"
    statuses = sorted(bundle.cases.values_list("status", flat=True))
    assert CaseStatus.ACCEPTED in statuses and CaseStatus.SUBMITTED in statuses
    assert bundle.status == "in_progress"
