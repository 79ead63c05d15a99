"""Draft → submitted → reviewed → announced → effective, with a fixed clock across National Day 2025."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhengwu.catalog import services
from zhengwu.catalog.models import ItemVersion, ReviewRecord, ServiceItem
from zhengwu.catalog.models.choices import ChangeKind, VersionStatus
from zhengwu.core.audit.models import AuditEntry
from zhengwu.core.events.models import Event

from ..factories import make_item
from .conftest import at

PASS = {k: {"verdict": "pass", "comment": ""} for k in ("standard", "legal", "reasonable")}
REVIEW_DAY = dt.date(2025, 9, 26)  # Friday before National Day (Oct 1–8 off; Sep 28 and Oct 11 worked)


def adjust(drafter, item, **fields) -> ItemVersion:
    draft = services.version_create_draft(actor=drafter, item_id=item.pk, reason="压缩承诺时限")
    if fields:
        services.version_update(actor=drafter, version_id=draft.pk, **fields)
    return draft


@pytest.fixture
def item(demo_org):
    return make_item(service_point_ids=[], effective_on=dt.date(2025, 1, 6))


@pytest.mark.django_db
def test_full_lifecycle_across_national_day(item, drafter, reform):
    old = item.current_version
    with at(dt.date(2025, 9, 25)):
        draft = adjust(drafter, item, promised_limit=5)
        assert draft.number == 2 and draft.status == VersionStatus.DRAFT
        assert draft.materials.count() == 2 and draft.steps.count() == 5 and draft.form_fields.count() == 1
        services.version_submit(actor=drafter, version_id=draft.pk)
    with at(REVIEW_DAY):
        reviewed = services.version_review(actor=reform, version_id=draft.pk, decisions=PASS, comment="同意")
    assert reviewed.status == VersionStatus.ANNOUNCED
    assert reviewed.announce_from == REVIEW_DAY
    # Sep 28 (make-up Sunday), 29, 30, Oct 9, Oct 10 = 5 working days
    assert reviewed.announce_until == dt.date(2025, 10, 10)
    # Saturday Oct 11 is a make-up working day
    assert reviewed.effective_on == dt.date(2025, 10, 11)
    assert ReviewRecord.objects.get(version=draft).decisions["legal"]["verdict"] == "pass"

    assert services.versions_activate_due(today=dt.date(2025, 10, 10)) == 0
    assert services.versions_activate_due(today=dt.date(2025, 10, 11)) == 1
    assert services.versions_activate_due(today=dt.date(2025, 10, 11)) == 0  # idempotent
    item.refresh_from_db()
    old.refresh_from_db()
    draft.refresh_from_db()
    assert item.current_version_id == draft.pk and item.is_active
    assert draft.status == VersionStatus.EFFECTIVE
    assert old.status == VersionStatus.SUPERSEDED and old.superseded_on == dt.date(2025, 10, 11)
    types = list(
        Event.objects.filter(type__startswith="catalog.")
        .order_by("occurred_at")
        .values_list("type", flat=True)
    )
    assert types == [
        "catalog.version_submitted",
        "catalog.version_reviewed",
        "catalog.version_announced",
        "catalog.version_effective",
    ]
    effective = Event.objects.get(type="catalog.version_effective").payload
    assert effective["implementation_code"] == item.implementation_code
    assert effective["effective_on"] == "2025-10-11" and effective["change_kind"] == "adjust"
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"catalog.version.create_draft", "catalog.version.submit", "catalog.version.review"} <= actions
    assert "catalog.version.effective" in actions


@pytest.mark.django_db
def test_announce_days_and_requested_date(item, drafter, reform):
    with at(REVIEW_DAY):
        draft = adjust(drafter, item, requested_effective_on=dt.date(2025, 11, 3))
        services.version_submit(actor=drafter, version_id=draft.pk)
        v = services.version_review(actor=reform, version_id=draft.pk, decisions=PASS, announce_days=2)
    assert v.announce_until == dt.date(2025, 9, 29)
    assert v.effective_on == dt.date(2025, 11, 3)
    with at(REVIEW_DAY), pytest.raises(ValidationError) as err:
        services.version_review(actor=reform, version_id=draft.pk, decisions=PASS)
    assert "待审核" in str(err.value)


@pytest.mark.django_db
def test_bad_announce_days(item, drafter, reform):
    draft = adjust(drafter, item)
    services.version_submit(actor=drafter, version_id=draft.pk)
    with pytest.raises(ValidationError) as err:
        services.version_review(actor=reform, version_id=draft.pk, decisions=PASS, announce_days=0)
    assert "announce_days" in err.value.message_dict


@pytest.mark.django_db
def test_a_fail_returns_it_to_the_drafter(item, drafter, reform):
    draft = adjust(drafter, item)
    services.version_submit(actor=drafter, version_id=draft.pk)
    with pytest.raises(ValidationError) as err:  # a fail needs a reason
        services.version_review(
            actor=reform, version_id=draft.pk, decisions={**PASS, "legal": {"verdict": "fail", "comment": ""}}
        )
    assert "合法性不通过时须写明理由。" in err.value.message_dict["decisions"]
    decisions = {**PASS, "legal": {"verdict": "fail", "comment": "设定依据已废止"}}
    v = services.version_review(actor=reform, version_id=draft.pk, decisions=decisions)
    assert v.status == VersionStatus.RETURNED and v.announce_from is None
    assert ReviewRecord.objects.get(version=draft).returned
    # the drafter edits and resubmits
    services.version_update(
        actor=drafter, version_id=draft.pk, legal_basis="《食品安全法》第三十五条（2021年修正）"
    )
    assert services.version_submit(actor=drafter, version_id=draft.pk).status == VersionStatus.SUBMITTED


@pytest.mark.django_db
def test_checker_errors_block_submission(item, drafter):
    draft = adjust(drafter, item, legal_basis="", visits=1)
    with pytest.raises(ValidationError) as err:
        services.version_submit(actor=drafter, version_id=draft.pk)
    assert set(err.value.message_dict) == {"legal_basis", "visits_reason"}
    assert ItemVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT


@pytest.mark.django_db
def test_the_drafter_cannot_review_and_clerks_cannot_review(item, demo_org, reform):
    from zhengwu.core.access.actor import actor_for

    from ..factories import staff_user

    admin = actor_for(staff_user("admin"))
    draft = adjust(admin, item)
    services.version_submit(actor=admin, version_id=draft.pk)
    with pytest.raises(ValidationError) as err:
        services.version_review(actor=admin, version_id=draft.pk, decisions=PASS)
    assert "起草人不能审核" in str(err.value)
    with pytest.raises(PermissionDenied):
        services.version_review(actor=actor_for(staff_user("clerk")), version_id=draft.pk, decisions=PASS)
    assert services.version_review(actor=reform, version_id=draft.pk, decisions=PASS).status == "announced"


@pytest.mark.django_db
def test_one_open_draft_per_item(item, drafter, second_drafter):
    adjust(drafter, item)
    with pytest.raises(ValidationError) as err:
        services.version_create_draft(actor=second_drafter, item_id=item.pk, reason="再改一次")
    assert "已有未完成的变更（第2版，草稿）" in str(err.value)


@pytest.mark.django_db
def test_withdraw_then_a_new_draft(item, drafter):
    draft = adjust(drafter, item)
    with pytest.raises(ValidationError):
        services.version_withdraw(actor=drafter, version_id=draft.pk, reason="")
    services.version_withdraw(actor=drafter, version_id=draft.pk, reason="不再调整")
    assert ItemVersion.objects.get(pk=draft.pk).status == VersionStatus.WITHDRAWN
    assert services.version_create_draft(actor=drafter, item_id=item.pk, reason="重新调整").number == 3


@pytest.mark.django_db
def test_cancel_takes_the_item_out(item, drafter, reform):
    old_id = item.current_version_id
    with at(REVIEW_DAY):
        draft = services.version_create_draft(
            actor=drafter, item_id=item.pk, change_kind=ChangeKind.CANCEL, reason="法律修改，事项取消"
        )
        services.version_submit(actor=drafter, version_id=draft.pk)
        v = services.version_review(actor=reform, version_id=draft.pk, decisions=PASS)
    assert services.versions_activate_due(today=v.effective_on) == 1
    item = ServiceItem.objects.get(pk=item.pk)
    assert not item.is_active and item.current_version_id == old_id
    assert ItemVersion.objects.get(pk=old_id).status == VersionStatus.SUPERSEDED
    cancelled = Event.objects.get(type="catalog.item_cancelled").payload
    assert cancelled["item_id"] == item.pk and cancelled["cancelled_on"] == v.effective_on.isoformat()
    with pytest.raises(ValidationError):  # nothing left to change
        services.version_create_draft(actor=drafter, item_id=item.pk, reason="恢复")


@pytest.mark.django_db
def test_new_item_goes_live(demo_org, drafter, reform):
    from ..factories import department, implementation_code

    dept = department()
    with at(REVIEW_DAY):
        draft = services.item_create_draft(
            actor=drafter,
            department_id=dept.pk,
            item_type="filing",
            name="食品小作坊登记",
            basic_code="000101009000",
            implementation_code=implementation_code(dept, "000101009000", "1"),
            themes=["operation"],
            aliases=["小作坊"],
        )
        assert draft.consultation_phone == dept.consultation_phone
        services.version_update(
            actor=drafter,
            version_id=draft.pk,
            legal_basis="《广东省食品生产加工小作坊和食品摊贩管理条例》",
            statutory_limit=15,
            promised_limit=5,
            channels=["online"],
        )
        services.material_set(actor=drafter, version_id=draft.pk, materials=[{"name": "登记申请书"}])
        services.version_submit(actor=drafter, version_id=draft.pk)
        v = services.version_review(actor=reform, version_id=draft.pk, decisions=PASS)
    services.versions_activate_due(today=v.effective_on)
    item = ServiceItem.objects.get(pk=draft.item_id)
    assert item.is_active and item.current_version_id == draft.pk
    assert Event.objects.get(type="catalog.version_effective").payload["change_kind"] == "add"
