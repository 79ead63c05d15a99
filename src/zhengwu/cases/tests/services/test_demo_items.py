"""Every demo item can be applied for online and at a window and carried to delivery by the demo staff.

The demo city's catalogue (seed_catalog_demo) and accounts (seed_demo): for each effective item, the
citizen 林示范 applies online and a walk-in is keyed in at a window; a demo clerk whose window covers
the case accepts it, the demo reviewer / approver of the item's department complete every step (即办
items are decided at acceptance), the approver completes and the clerk hands the result out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from zhengwu.cases.demo import _pdf
from zhengwu.cases.models import Case, CaseStatus, StepStatus
from zhengwu.cases.selectors.staff import clerk_windows
from zhengwu.cases.services import acceptance, decision, delivery, intake, steps
from zhengwu.cases.services.intake import ApplicantData
from zhengwu.catalog.demo import seed_catalog_demo
from zhengwu.catalog.selectors.for_cases import effective_version, window_category_for
from zhengwu.catalog.selectors.public import public_items
from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role
from zhengwu.org.demo import STAFF_ACCOUNTS, org_uscc, resident_id

from ..factories import actor_of, travel

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 2)  # a Monday; every action of a case happens on this fixed day
WALK_IN_ID = resident_id("44010619880202101")


def _value(field: Any) -> Any:
    """A valid value for any form field type of the catalogue's declarative schema."""
    kind = field.field_type
    if kind in ("choice",) and field.choices:
        return field.choices[0]
    if kind == "multi_choice" and field.choices:
        return [field.choices[0]]
    return {
        "number": max(1, int((field.validation or {}).get("min", 1))),
        "date": "2026-02-27",
        "boolean": True,
        "id_number": WALK_IN_ID,
        "uscc": org_uscc("449900000000", 77),
        "phone": "13900000009",
        "address": "示范市东城区东湖街道湖滨路9号",
    }.get(kind, "示范文本")


def _form(version: Any) -> dict[str, Any]:
    return {f.key: _value(f) for f in version.form_fields.all()}


def _clerk_for(case: Case) -> tuple[Actor, int]:
    for account in STAFF_ACCOUNTS:
        if Role.WINDOW_CLERK in account.roles:
            actor = actor_of(account.username)
            window = next((w for w in clerk_windows(actor) if w.covers(case)), None)
            if window:
                return actor, window.id
    raise AssertionError(
        f"no demo clerk covers {case.item_name} ({case.region_code}, {case.window_category})"
    )


def _clerk_for_item(item: Any) -> tuple[Actor, int]:
    probe = Case(
        region_code=item.region.code,
        window_category=window_category_for(item),
        department_id=item.department_id,
    )
    return _clerk_for(probe)


def _staff_with(role: str, department_id: int) -> Actor:
    for account in STAFF_ACCOUNTS:
        actor = actor_of(account.username)
        if actor.department_id == department_id and actor.has_role(Role(role)):
            return actor
    raise AssertionError(f"no demo account holds {role} in department {department_id}")


def _carry_to_delivery(case: Case, clerk: Actor, window_id: int) -> Case:
    case = acceptance.case_accept(actor=clerk, case_id=case.pk, window_id=window_id)
    while case.status == CaseStatus.ACCEPTED:
        step = case.steps.get(status=StepStatus.ACTIVE)
        steps.step_complete(
            actor=_staff_with(step.role, step.department_id),
            step_id=step.pk,
            opinion="agree",
            comment="符合条件，同意。",
        )
        case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED and case.decision == "grant", case.item_name
    approver = _staff_with(Role.APPROVER.value, case.department_id)
    decision.case_complete(actor=approver, case_id=case.pk)
    return delivery.case_deliver(actor=clerk, case_id=case.pk, method="window", delivered_to="林示范")


def _upload_all(actor: Actor, draft: Case) -> None:
    for material in draft.materials.all():
        intake.case_material_upload(
            actor=actor, case_id=draft.pk, material_id=material.pk, upload=_pdf(material.name)
        )


def test_every_demo_item_online_and_at_the_window_to_delivery(demo_org: Any) -> None:
    seed_catalog_demo()
    items = list(public_items())
    assert len(items) >= 40
    citizen = actor_of("13800000001")
    delivered = window_only = 0
    with travel(DAY):
        for item in items:
            version = effective_version(item.pk)
            assert version is not None, item.name

            if set(version.channels) & {"online", "mobile"}:
                online = intake.case_draft_create(
                    actor=citizen, item_id=item.pk, channel="online", form_data=_form(version)
                )
                _upload_all(citizen, online)
                online = intake.case_submit(actor=citizen, case_id=online.pk)
                clerk, window_id = _clerk_for(online)
                assert _carry_to_delivery(online, clerk, window_id).status == CaseStatus.DELIVERED
                delivered += 1
            else:  # e.g. 结婚登记: both parties in person
                window_only += 1
                with pytest.raises(ValidationError, match="不支持网上申请"):
                    intake.case_draft_create(actor=citizen, item_id=item.pk, channel="online")

            clerk, window_id = _clerk_for_item(item)
            walk_in = intake.case_draft_create(
                actor=clerk,
                item_id=item.pk,
                channel="window",
                window_id=window_id,
                form_data=_form(version),
                applicant=ApplicantData(
                    kind="person", name="陈来办", id_number=WALK_IN_ID, phone="13900000009"
                ),
            )
            _upload_all(clerk, walk_in)
            walk_in = intake.case_submit(actor=clerk, case_id=walk_in.pk)
            assert _carry_to_delivery(walk_in, clerk, window_id).status == CaseStatus.DELIVERED
            delivered += 1
    assert delivered == 2 * len(items) - window_only and window_only < len(items) // 4
    assert (
        Case.objects.filter(status=CaseStatus.DELIVERED, documents__is_result=True).distinct().count()
        == delivered
    )
