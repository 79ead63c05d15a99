"""Helpers shared by the handling tests (steps, suspension, decision, delivery, bundles, concurrency).

No tests here. Cases come from cases/tests/factories.py (accepted on Friday 2025-09-26, the day
before the National Day make-up Sunday): the 审查 step (5 working days) is due 2025-10-10, the
promised limit (10) ends 2025-10-16 and the statutory one (20) on 2025-10-30.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model

from zhengwu.cases.models import Case, CaseStatus, CaseStep, StepStatus, TimelineEntry
from zhengwu.cases.tests.factories import actor_of, make_case, make_item_for_cases
from zhengwu.catalog.tests.factories import department
from zhengwu.core.access.actor import Actor
from zhengwu.core.events.models import Event
from zhengwu.org.services import staff_profile_upsert

ACCEPTED = dt.date(2025, 9, 26)
REVIEW_DUE = dt.date(2025, 10, 10)
PROMISED_DUE = dt.date(2025, 10, 16)
STATUTORY_DUE = dt.date(2025, 10, 30)
MARKET = "示范市市场监督管理局"
HOUSING = "示范市住房和城乡建设局"

_usernames = itertools.count(1)


def new_staff(
    roles: Iterable[str], *, dept: str = MARKET, delegated: Iterable[str] = (), name: str = ""
) -> Actor:
    """A fresh staff account with a profile in `dept` (org's own service), as an Actor."""
    username = f"staff{next(_usernames)}"
    user = get_user_model().objects.create_user(
        username=username, password="x-Unused-2026", kind="staff", display_name=name or username
    )
    staff_profile_upsert(
        actor=None,
        user_id=user.pk,
        department_id=department(dept).pk,
        roles=list(roles),
        delegated_item_codes=list(delegated),
    )
    return actor_of(user)


def delegate(username: str, codes: Iterable[str]) -> Actor:
    """Give a demo chief representative the delegation of `codes` (org's own service)."""
    user = get_user_model().objects.get(username=username)
    profile = apps.get_model("org", "StaffProfile").objects.get(user=user)
    staff_profile_upsert(
        actor=None,
        user_id=user.pk,
        department_id=profile.department_id,
        roles=list(profile.roles),
        window_ids=list(profile.windows.values_list("pk", flat=True)),
        delegated_item_codes=list(codes),
    )
    return actor_of(user)


def accepted_case(**fields: Any) -> Case:
    item = fields.pop("item", None) or make_item_for_cases()
    return make_case(status=CaseStatus.ACCEPTED, item=item, **fields)


def steps_of(case: Case) -> list[CaseStep]:
    return list(CaseStep.objects.filter(case=case).order_by("order", "pk"))


def active_step(case: Case) -> CaseStep:
    return CaseStep.objects.get(case=case, status=StepStatus.ACTIVE)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def event_types(case: Case) -> list[str]:
    """The case's outbox event types, sorted (a fixed test clock gives them equal instants)."""
    return sorted(
        Event.objects.filter(aggregate_type="cases.case", aggregate_id=str(case.pk)).values_list(
            "type", flat=True
        )
    )


def events(case: Case, event_type: str) -> list[dict[str, Any]]:
    return [
        e.payload
        for e in Event.objects.filter(aggregate_id=str(case.pk), type=event_type).order_by("occurred_at")
    ]


def titles(case: Case, *, public: bool | None = None) -> list[str]:
    qs = TimelineEntry.objects.filter(case=case)
    if public is not None:
        qs = qs.filter(public=public)
    return list(qs.order_by("at", "pk").values_list("title", flat=True))


def finish_steps(case: Case) -> None:
    """Mark every step done (a case whose approver decides through case_decide)."""
    CaseStep.objects.filter(case=case).update(status=StepStatus.DONE, opinion="agree")
