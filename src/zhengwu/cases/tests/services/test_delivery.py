"""送达: window pick-up signed off, post with a tracking number, electronic; only completed cases."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengwu.cases.models import Case, CaseStatus, DeliveryMethod
from zhengwu.cases.services._base import CaseConflict
from zhengwu.cases.services.delivery import case_deliver
from zhengwu.cases.tests.factories import actor_of, applicant_user, make_case
from zhengwu.core.notify.models import Notification

from .test_steps_support import HOUSING, events, fresh, new_staff, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(demo_org: Any) -> Case:
    return make_case(status=CaseStatus.COMPLETED, decision="grant")


@pytest.fixture
def clerk(demo_org: Any) -> Any:
    return actor_of("clerk")  # sits at B01, the market department's window


def test_window_pick_up_needs_who_signed(case: Case, clerk: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        case_deliver(actor=clerk, case_id=case.pk, method="window")
    assert set(exc.value.message_dict) == {"delivered_to"}
    case_deliver(actor=clerk, case_id=case.pk, revision=case.revision, method="window", delivered_to="林示范")
    case = fresh(case)
    assert case.status == CaseStatus.DELIVERED and case.delivery_method == DeliveryMethod.WINDOW
    assert case.delivered_to == "林示范" and case.tracking_number == "" and case.delivery_address == ""
    assert events(case, "cases.case_delivered")[0]["method"] == "window"
    assert titles(case) == ["送达（窗口领取）"]
    assert Notification.objects.filter(template="cases.delivered", user_id=case.applicant_user_id).exists()


def test_post_needs_a_tracking_number_and_defaults_to_the_applicants_address(case: Case, clerk: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        case_deliver(actor=clerk, case_id=case.pk, method="post", delivered_to="ignored")
    assert set(exc.value.message_dict) == {"tracking_number"}
    with pytest.raises(ValidationError) as exc:
        case_deliver(actor=clerk, case_id=case.pk, method="post", tracking_number="x" * 41)
    assert set(exc.value.message_dict) == {"tracking_number"}
    case_deliver(
        actor=clerk, case_id=case.pk, method="post", tracking_number=" EMS1234567890 ", delivered_to="x"
    )
    case = fresh(case)
    assert case.delivery_method == DeliveryMethod.POST and case.tracking_number == "EMS1234567890"
    assert case.delivery_address == case.applicant_address and case.delivered_to == ""
    delivered = events(case, "cases.case_delivered")[0]
    assert delivered["method"] == "post" and delivered["tracking_number"] == "EMS1234567890"


def test_post_without_any_address_is_refused(demo_org: Any, clerk: Any) -> None:
    case = make_case(status=CaseStatus.COMPLETED, decision="grant", applicant_address="")
    with pytest.raises(ValidationError) as exc:
        case_deliver(actor=clerk, case_id=case.pk, method="post", tracking_number="SF100")
    assert set(exc.value.message_dict) == {"address"}
    case_deliver(
        actor=clerk, case_id=case.pk, method="post", tracking_number="SF100", address="示范市湖滨路8号"
    )
    assert fresh(case).delivery_address == "示范市湖滨路8号"


def test_electronic_needs_nothing(case: Case) -> None:
    case_deliver(actor=actor_of("reviewer"), case_id=case.pk, method="electronic")
    assert fresh(case).delivery_method == DeliveryMethod.ELECTRONIC


def test_bad_method_wrong_status_and_scope(demo_org: Any, clerk: Any) -> None:
    case = make_case(status=CaseStatus.COMPLETED, decision="grant")
    with pytest.raises(ValidationError) as exc:
        case_deliver(actor=clerk, case_id=case.pk, method="pigeon")
    assert set(exc.value.message_dict) == {"method"}
    decided = make_case(status=CaseStatus.DECIDED, decision="grant")
    with pytest.raises(CaseConflict):
        case_deliver(actor=clerk, case_id=decided.pk, method="electronic")
    with pytest.raises(CaseConflict):
        case_deliver(actor=clerk, case_id=case.pk, revision=case.revision + 1, method="electronic")
    for outsider in (new_staff(["reviewer"], dept=HOUSING), actor_of(applicant_user()), actor_of("dc_clerk")):
        with pytest.raises(Case.DoesNotExist):
            case_deliver(actor=outsider, case_id=case.pk, method="electronic")
    with pytest.raises(PermissionDenied):
        case_deliver(actor=actor_of("sup_city"), case_id=case.pk, method="electronic")  # sees, may not act
    case_deliver(actor=clerk, case_id=case.pk, method="electronic")
    with pytest.raises(CaseConflict):  # delivered twice
        case_deliver(actor=clerk, case_id=case.pk, method="electronic")
