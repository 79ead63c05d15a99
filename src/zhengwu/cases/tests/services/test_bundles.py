"""一件事: parallel cases, 超时默认 for a silent department, the bundle status and 统一窗口出件."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from zhengwu.cases.models import (
    BundleCase,
    BundleStatus,
    Case,
    CaseStatus,
    CaseStep,
    Decision,
    IntakeChannel,
    Opinion,
    StepStatus,
    TimelineEntry,
)
from zhengwu.cases.services._base import CaseConflict, new_query_code
from zhengwu.cases.services.bundles import (
    bundle_deliver,
    bundle_state,
    bundle_status_refresh,
    deemed_consent_sweep,
)
from zhengwu.cases.services.decision import case_complete
from zhengwu.cases.services.delivery import case_deliver
from zhengwu.cases.services.steps import step_complete
from zhengwu.cases.services.suspension import case_suspend
from zhengwu.cases.tests.factories import (
    PERSON_ID,
    PERSON_NAME,
    actor_of,
    applicant_user,
    make_case,
    make_item_for_cases,
    travel,
)
from zhengwu.catalog.models import Bundle
from zhengwu.catalog.tests.factories import department
from zhengwu.core.audit.models import AuditEntry
from zhengwu.core.events.periodic import registered_jobs

from .test_steps_support import HOUSING, MARKET, active_step, events, fresh

pytestmark = pytest.mark.django_db
CITY_HALL = "示范市政务服务中心"


def city_window(code: str) -> Any:
    return apps.get_model("org", "Window").objects.get(service_point__name=CITY_HALL, code=code)


def make_bundle_case(*, deemed_consent: bool = True) -> tuple[BundleCase, Case, Case]:
    """开办餐饮店: a market-regulation item and a housing item, accepted 2025-09-26 at window A01."""
    market = department(MARKET)
    housing = department(HOUSING)
    bundle = Bundle.objects.create(
        code=f"restaurant-{deemed_consent}",
        name="开办餐饮店",
        region=market.region,
        lead_department=market,
        deemed_consent=deemed_consent,
        is_published=True,
    )
    user = applicant_user()
    bundle_case = BundleCase.objects.create(
        number=f"YJS20250926000{int(deemed_consent)}",
        query_code=new_query_code(),
        bundle=bundle,
        region_code=market.region.code,
        lead_department=market,
        status=BundleStatus.IN_PROGRESS,
        channel=IntakeChannel.ONLINE,
        deemed_consent=deemed_consent,
        applicant_kind="person",
        applicant_name=PERSON_NAME,
        applicant_id_number=PERSON_ID,
        applicant_phone="13800000001",
        applicant_address="示范市东城区东湖街道湖滨路8号",
        applicant_user=user,
    )
    window = city_window("A01")  # the general window that received the bundle
    food = make_case(
        status=CaseStatus.ACCEPTED, item=make_item_for_cases(), bundle_case=bundle_case, window=window
    )
    signs = make_case(
        status=CaseStatus.ACCEPTED,
        item=make_item_for_cases(name="户外招牌设置审批", dept=housing),
        bundle_case=bundle_case,
        window=window,
    )
    return bundle_case, food, signs


def fresh_bundle(bundle_case: BundleCase) -> BundleCase:
    return BundleCase.objects.get(pk=bundle_case.pk)


def test_bundle_state() -> None:
    s = CaseStatus
    assert bundle_state([s.DRAFT, s.DRAFT]) == BundleStatus.DRAFT
    assert bundle_state([s.ACCEPTED, s.DECIDED]) == BundleStatus.IN_PROGRESS
    assert bundle_state([s.DECIDED, s.COMPLETED, s.REJECTED]) == BundleStatus.DECIDED
    assert bundle_state([s.DELIVERED, s.WITHDRAWN]) == BundleStatus.DELIVERED
    assert bundle_state([s.COMPLETED, s.DELIVERED]) == BundleStatus.DECIDED
    assert bundle_state([s.REJECTED, s.TERMINATED]) == BundleStatus.CLOSED


def test_the_sweep_is_a_registered_periodic_job() -> None:
    import zhengwu.cases.events  # noqa: F401  (what the worker loads)

    assert "cases.deemed_consent_sweep" in {job.name for job in registered_jobs()}


def test_a_silent_department_is_deemed_to_consent_and_results_go_out_together(demo_org: Any) -> None:
    bundle_case, food, signs = make_bundle_case()
    reviewer, approver, clerk = actor_of("reviewer"), actor_of("approver"), actor_of("clerk")
    housing = department(HOUSING)

    # The market department decides in time.
    with travel(dt.date(2025, 10, 9)):
        step_complete(actor=reviewer, step_id=active_step(food).pk, opinion="agree", comment="符合")
        step_complete(actor=approver, step_id=active_step(food).pk, opinion="agree", comment="准予")
    assert fresh(food).status == CaseStatus.DECIDED
    assert fresh_bundle(bundle_case).status == BundleStatus.IN_PROGRESS

    # The housing department says nothing. Its 审查 step is due 2025-10-10: nothing happens on that day.
    with travel(dt.date(2025, 10, 10), 23, 30):
        assert deemed_consent_sweep() == 0
    with travel(dt.date(2025, 10, 13), 1):
        assert deemed_consent_sweep() == 1
        assert deemed_consent_sweep() == 0  # safe to run twice
    review = CaseStep.objects.get(case=signs, name="审查")
    assert review.status == StepStatus.DEEMED and review.opinion == Opinion.AGREE
    assert review.finished_by_id is None and "视为同意" in review.comment
    entry = TimelineEntry.objects.get(case=signs, action="case_deemed_consent")
    assert entry.title == f"超时默认同意：{housing.name}" and entry.public and entry.actor_user_id is None
    deemed = events(signs, "cases.case_deemed_consent")[0]
    assert deemed["step_name"] == "审查" and deemed["step_department_id"] == housing.pk
    assert deemed["bundle_number"] == bundle_case.number
    assert (
        AuditEntry.objects.filter(
            action="cases.deemed_consent", obj_type="org.department", obj_id=str(housing.pk)
        ).count()
        == 1
    )
    decide = active_step(signs)  # processing continues with the next step
    assert decide.name == "决定" and decide.due_on == dt.date(2025, 10, 15)

    # Silent on the decision as well: deemed consent means a grant.
    with travel(dt.date(2025, 10, 16), 1):
        assert deemed_consent_sweep() == 1
    signs = fresh(signs)
    assert signs.status == CaseStatus.DECIDED and signs.decision == Decision.GRANT
    assert AuditEntry.objects.filter(action="cases.deemed_consent", obj_id=str(housing.pk)).count() == 2
    bundle_case = fresh_bundle(bundle_case)
    assert bundle_case.status == BundleStatus.DECIDED and bundle_case.decided_at is not None

    # 统一出件 waits for every case to be completed; a member case is never delivered alone.
    with pytest.raises(ValidationError, match="尚未办结"):
        bundle_deliver(actor=clerk, bundle_case_id=bundle_case.pk, method="window", delivered_to="林示范")
    with travel(dt.date(2025, 10, 17)):
        case_complete(actor=reviewer, case_id=food.pk)
        case_complete(actor=clerk, case_id=signs.pk)
    with pytest.raises(ValidationError, match="统一出件"):
        case_deliver(actor=clerk, case_id=food.pk, method="window", delivered_to="林示范")
    with pytest.raises(PermissionDenied):  # department staff are not the general window
        bundle_deliver(actor=reviewer, bundle_case_id=bundle_case.pk, method="electronic")
    with pytest.raises(ValidationError) as exc:
        bundle_deliver(actor=clerk, bundle_case_id=bundle_case.pk, method="window")
    assert set(exc.value.message_dict) == {"delivered_to"}

    with travel(dt.date(2025, 10, 20)):
        bundle = bundle_deliver(
            actor=clerk, bundle_case_id=bundle_case.pk, method="window", delivered_to="林示范"
        )
    assert bundle.status == BundleStatus.DELIVERED and bundle.delivered_at is not None
    for case in (fresh(food), fresh(signs)):
        assert case.status == CaseStatus.DELIVERED and case.delivered_to == "林示范"
        assert events(case, "cases.case_delivered")[0]["bundle_number"] == bundle_case.number
        assert TimelineEntry.objects.filter(case=case, title="统一出件（窗口领取）").exists()
    with pytest.raises(CaseConflict):
        bundle_deliver(actor=clerk, bundle_case_id=bundle_case.pk, method="electronic")


def test_no_deemed_consent_when_the_bundle_turns_it_off(demo_org: Any) -> None:
    _bundle_case, _food, signs = make_bundle_case(deemed_consent=False)
    assert deemed_consent_sweep(today=dt.date(2025, 11, 3)) == 0
    assert active_step(signs).name == "审查"


def test_no_deemed_consent_while_the_clock_stands_still_or_outside_bundles(demo_org: Any) -> None:
    _bundle_case, food, signs = make_bundle_case()
    case_suspend(
        actor=actor_of("reviewer"), case_id=food.pk, kind="testing", reason="送检", expected_workdays=5
    )
    lone = make_case(status=CaseStatus.ACCEPTED, item=food.item)
    assert deemed_consent_sweep(today=dt.date(2025, 10, 13)) == 1  # only the housing case
    assert active_step(food).name == "审查" and active_step(lone).name == "审查"
    assert CaseStep.objects.get(case=signs, name="审查").status == StepStatus.DEEMED


def test_bundle_delivery_scope(demo_org: Any) -> None:
    bundle_case, _food, _signs = make_bundle_case()
    for outsider in (actor_of(applicant_user()), actor_of("dc_clerk")):
        with pytest.raises(BundleCase.DoesNotExist):
            bundle_deliver(actor=outsider, bundle_case_id=bundle_case.pk, method="electronic")
    with pytest.raises(BundleCase.DoesNotExist):
        bundle_deliver(actor=actor_of("clerk"), bundle_case_id="nope", method="electronic")  # type: ignore[arg-type]


def test_status_refresh_counts_cases_that_ended_without_a_result(demo_org: Any) -> None:
    bundle_case, food, signs = make_bundle_case()
    Case.objects.filter(pk=food.pk).update(status=CaseStatus.DECIDED)
    Case.objects.filter(pk=signs.pk).update(status=CaseStatus.WITHDRAWN)
    assert bundle_status_refresh(bundle_case.pk).status == BundleStatus.DECIDED
    assert AuditEntry.objects.filter(action="cases.bundle_status", obj_id=str(bundle_case.pk)).count() == 1
    assert (
        bundle_status_refresh(bundle_case.pk).status == BundleStatus.DECIDED
    )  # unchanged, not audited again
    assert AuditEntry.objects.filter(action="cases.bundle_status", obj_id=str(bundle_case.pk)).count() == 1
