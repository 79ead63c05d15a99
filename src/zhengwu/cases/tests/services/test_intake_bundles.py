"""一件事 intake: one form, one shared material set, one case per item, numbered together."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from zhengwu.cases.models import BundleCase, BundleStatus, Case, CaseFile, CaseStatus, IntakeChannel
from zhengwu.cases.services.intake import (
    bundle_draft_create,
    bundle_draft_update,
    bundle_submit,
    case_material_upload,
    case_submit,
)
from zhengwu.cases.tests.factories import actor_of, applicant_user, make_item_for_cases, pdf_upload, travel
from zhengwu.catalog.models import Bundle, BundleItem
from zhengwu.catalog.tests.factories import department

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundle(demo_org: Any) -> Bundle:
    food = make_item_for_cases(name="食品经营许可")
    sign = make_item_for_cases(name="户外招牌设置", allows_deficiency=False)
    seal = make_item_for_cases(name="刻制印章备案", allows_deficiency=False)
    dept = department()
    b = Bundle.objects.create(
        code="open-restaurant", name="开办餐饮店", region=dept.region, lead_department=dept, is_published=True
    )
    BundleItem.objects.create(bundle=b, item=food, order=1)
    BundleItem.objects.create(bundle=b, item=sign, order=2)
    BundleItem.objects.create(bundle=b, item=seal, order=3, optional=True)
    return b


def test_a_bundle_draft_has_one_case_per_chosen_item(bundle: Bundle) -> None:
    person = actor_of(applicant_user())
    bc = bundle_draft_create(
        actor=person,
        bundle_id=bundle.pk,
        channel=IntakeChannel.ONLINE,
        item_ids=[],
        form_data={"applicant_name": "林示范"},
    )
    cases = list(bc.cases.order_by("pk"))
    assert [c.item_name for c in cases] == ["食品经营许可", "户外招牌设置"]  # the optional 刻章 not chosen
    assert all(c.status == CaseStatus.DRAFT and c.applicant_user_id == person.user_id for c in cases)
    assert (
        bc.status == BundleStatus.DRAFT and bc.deemed_consent and bc.form_data == {"applicant_name": "林示范"}
    )
    everything = bundle_draft_create(actor=person, bundle_id=bundle.pk, channel=IntakeChannel.ONLINE)
    assert everything.cases.count() == 3


def test_an_unpublished_bundle_cannot_be_applied_for(bundle: Bundle) -> None:
    Bundle.objects.filter(pk=bundle.pk).update(is_published=False)
    with pytest.raises(ValidationError) as err:
        bundle_draft_create(
            actor=actor_of(applicant_user()), bundle_id=bundle.pk, channel=IntakeChannel.ONLINE
        )
    assert "bundle_id" in err.value.message_dict


def test_one_upload_serves_every_case_needing_the_same_material(bundle: Bundle) -> None:
    person = actor_of(applicant_user())
    bc = bundle_draft_create(actor=person, bundle_id=bundle.pk, channel=IntakeChannel.ONLINE, item_ids=[])
    first, second = bc.cases.order_by("pk")
    licence = first.materials.get(name="营业执照")
    case_material_upload(actor=person, case_id=first.pk, material_id=licence.pk, upload=pdf_upload())
    shared = CaseFile.objects.filter(material__name="营业执照", material__case__bundle_case=bc)
    assert shared.count() == 2 and len({f.file_id for f in shared}) == 1
    assert second.materials.get(name="营业执照").state == "submitted"


def test_bundle_submit_validates_every_case_and_numbers_them_together(bundle: Bundle) -> None:
    person = actor_of(applicant_user())
    bc = bundle_draft_create(actor=person, bundle_id=bundle.pk, channel=IntakeChannel.ONLINE, item_ids=[])
    first, second = bc.cases.order_by("pk")
    with pytest.raises(ValidationError) as err:
        bundle_submit(actor=person, bundle_case_id=bc.pk)
    keys = set(err.value.message_dict)
    assert "applicant_name" in keys
    assert f"material_{second.materials.get(name='经营场所使用证明').pk}" in keys  # no 容缺 for the sign
    assert not Case.objects.exclude(number="").exists()
    with pytest.raises(ValidationError):
        case_submit(actor=person, case_id=first.pk)  # a member is submitted with its bundle only

    bundle_draft_update(actor=person, bundle_case_id=bc.pk, form_data={"applicant_name": "林示范"})
    for name in ("营业执照", "经营场所使用证明"):
        case_material_upload(
            actor=person,
            case_id=second.pk,
            material_id=second.materials.get(name=name).pk,
            upload=pdf_upload(),
        )
    with travel(dt.date(2025, 9, 26)):
        submitted = bundle_submit(actor=person, bundle_case_id=bc.pk)
        again = bundle_submit(actor=person, bundle_case_id=bc.pk)
    assert submitted.status == BundleStatus.IN_PROGRESS
    assert submitted.number == "YJS44990020250926" + "0001" and again.number == submitted.number
    cases = list(Case.objects.filter(bundle_case=bc).order_by("pk"))
    assert all(c.status == CaseStatus.SUBMITTED and c.number.endswith("202509260001") for c in cases)
    assert len({c.number for c in cases}) == 2
    assert all(c.acceptance_due == dt.date(2025, 10, 10) for c in cases)
    assert BundleCase.objects.get(pk=bc.pk).submitted_at is not None
