"""收件: drafts, the form, uploads, submission (idempotent), window intake, withdrawal."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengwu.cases.models import (
    ApplicantKind,
    Case,
    CaseFile,
    CaseMaterial,
    CaseStatus,
    IntakeChannel,
    MaterialState,
    TimelineEntry,
)
from zhengwu.cases.services._base import CaseConflict
from zhengwu.cases.services.intake import (
    ApplicantData,
    case_draft_create,
    case_draft_update,
    case_file_remove,
    case_material_upload,
    case_submit,
    case_withdraw,
)
from zhengwu.cases.services.intake.submission import required_materials
from zhengwu.cases.tests.factories import (
    AGENT_PHONE,
    PERSON_ID,
    actor_of,
    applicant_user,
    make_item_for_cases,
    pdf_upload,
    travel,
)
from zhengwu.catalog.models.choices import FieldType, PrefillSource, VersionStatus
from zhengwu.catalog.tests.factories import make_item
from zhengwu.core.events.models import Event as OutboxEvent
from zhengwu.core.files.tests.samples import ELF
from zhengwu.core.notify.models import Notification
from zhengwu.core.numbering.models import Counter

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 9, 26)

EXTRA_FIELDS = [
    {"key": "person_name", "label": "姓名", "prefill": PrefillSource.PERSON_NAME, "required": True},
    {
        "key": "id_no",
        "label": "身份证号码",
        "field_type": FieldType.ID_NUMBER,
        "prefill": PrefillSource.PERSON_ID,
    },
    {"key": "area", "label": "经营面积", "field_type": FieldType.NUMBER, "validation": {"min": 1}},
    {"key": "opened", "label": "开业日期", "field_type": FieldType.DATE, "required": False},
    {"key": "kind", "label": "主体类型", "field_type": FieldType.CHOICE, "choices": ["个体", "企业"]},
    {"key": "mobile", "label": "联系手机", "field_type": FieldType.PHONE, "required": False},
    {"key": "credit", "label": "统一社会信用代码", "field_type": FieldType.USCC, "required": False},
]


@pytest.fixture
def item(demo_org: Any) -> Any:
    return make_item_for_cases(extra_fields=EXTRA_FIELDS)


@pytest.fixture
def person() -> Any:
    return actor_of(applicant_user())


def valid_form() -> dict[str, Any]:
    return {"applicant_name": "林示范", "area": "35.5", "kind": "个体"}


def draft_with_files(item: Any, actor: Any) -> Case:
    case = case_draft_create(
        actor=actor, item_id=item.pk, channel=IntakeChannel.ONLINE, form_data=valid_form()
    )
    for material in case.materials.all():
        case_material_upload(actor=actor, case_id=case.pk, material_id=material.pk, upload=pdf_upload())
    return case


def events(case: Case, type_: str) -> list[Any]:
    return list(
        OutboxEvent.objects.filter(aggregate_type="cases.case", aggregate_id=str(case.pk), type=type_)
    )


# --- drafts ---------------------------------------------------------------------------------


def test_online_draft_copies_the_effective_version_and_prefills_from_the_profile(
    item: Any, person: Any
) -> None:
    case = case_draft_create(actor=person, item_id=item.pk, channel=IntakeChannel.ONLINE)
    assert case.status == CaseStatus.DRAFT and case.number == ""
    assert case.item_version_id == item.current_version_id
    assert case.implementation_code == item.implementation_code
    assert case.department_id == item.department_id and case.department_line == "market"
    assert case.region_code == "449900000000"
    assert case.window_category == "business_license"
    assert len(case.query_code) == 6
    assert case.applicant_kind == ApplicantKind.PERSON
    assert case.applicant_id_number == PERSON_ID and case.applicant_phone == "13800000001"
    assert case.applicant_user_id == person.user_id
    assert case.form_data == {"person_name": "林示范", "id_no": PERSON_ID}
    materials = list(case.materials.all())
    assert [m.name for m in materials] == ["营业执照", "经营场所使用证明"]
    assert [m.deferrable for m in materials] == [False, True]
    assert all(m.state == MaterialState.MISSING for m in materials)


def test_company_agent_applies_for_the_company(item: Any) -> None:
    agent = actor_of(AGENT_PHONE)
    (company_id,) = agent.company_ids
    case = case_draft_create(
        actor=agent, item_id=item.pk, channel=IntakeChannel.ONLINE, applicant={"company_id": company_id}
    )
    assert case.applicant_kind == ApplicantKind.COMPANY
    assert case.company_id == company_id and case.applicant_name == "示范市示范科技有限公司"
    assert len(case.applicant_id_number) == 18 and case.contact_name == "黄经办"
    assert case.form_data["applicant_name"] == "示范市示范科技有限公司"  # prefill company.name


def test_an_applicant_cannot_apply_for_a_company_they_do_not_represent(item: Any, person: Any) -> None:
    agent = actor_of(AGENT_PHONE)
    (company_id,) = agent.company_ids
    with pytest.raises(ValidationError) as err:
        case_draft_create(
            actor=person, item_id=item.pk, channel=IntakeChannel.ONLINE, applicant={"company_id": company_id}
        )
    assert "company_id" in err.value.message_dict


def test_an_item_not_in_force_cannot_be_applied_for(demo_org: Any, person: Any) -> None:
    draft_item = make_item(name="未生效事项", basic_code="000199000001", status=VersionStatus.DRAFT)
    with pytest.raises(ValidationError) as err:
        case_draft_create(actor=person, item_id=draft_item.pk, channel=IntakeChannel.ONLINE)
    assert "停止办理" in err.value.message_dict["item_id"][0]
    assert not Case.objects.exists()


def test_draft_update_checks_field_types_all_at_once_but_not_requiredness(item: Any, person: Any) -> None:
    case = case_draft_create(actor=person, item_id=item.pk, channel=IntakeChannel.ONLINE)
    bad = {
        "area": "三十",
        "opened": "2025/13/01",
        "kind": "合伙",
        "mobile": "12345",
        "id_no": PERSON_ID[:-1] + ("0" if PERSON_ID[-1] != "0" else "1"),
        "credit": "91449900MA00000001",
    }
    with pytest.raises(ValidationError) as err:
        case_draft_update(actor=person, case_id=case.pk, form_data=bad)
    errors = err.value.message_dict
    assert set(errors) == {"area", "opened", "kind", "mobile", "id_no", "credit"}
    assert errors["area"] == ["经营面积须为数字"]
    assert "年-月-日" in errors["opened"][0]
    assert errors["kind"] == ["主体类型请从给定选项中选择"]
    assert "11位手机号码" in errors["mobile"][0]
    assert "校验位" in errors["id_no"][0]
    case.refresh_from_db()
    assert case.form_data == {"person_name": "林示范", "id_no": PERSON_ID}  # nothing written

    with pytest.raises(ValidationError) as err:
        case_draft_update(actor=person, case_id=case.pk, form_data={"area": "0.5"})
    assert err.value.message_dict["area"] == ["经营面积不能小于1"]
    saved = case_draft_update(actor=person, case_id=case.pk, form_data={"area": "12", "opened": "2025-10-01"})
    assert saved.form_data == {"area": 12, "opened": "2025-10-01"}  # no required check while drafting


def test_draft_update_with_a_stale_revision_conflicts(item: Any, person: Any) -> None:
    case = case_draft_create(actor=person, item_id=item.pk, channel=IntakeChannel.ONLINE)
    case_draft_update(actor=person, case_id=case.pk, form_data={"area": "10"}, revision=case.revision)
    with pytest.raises(CaseConflict):
        case_draft_update(actor=person, case_id=case.pk, form_data={"area": "11"}, revision=case.revision)


def test_someone_else_cannot_touch_my_draft(item: Any, person: Any) -> None:
    case = case_draft_create(actor=person, item_id=item.pk, channel=IntakeChannel.ONLINE)
    other = actor_of(AGENT_PHONE)
    material = case.materials.first()
    with pytest.raises(Case.DoesNotExist):
        case_draft_update(actor=other, case_id=case.pk, form_data={})
    with pytest.raises(Case.DoesNotExist):
        case_material_upload(actor=other, case_id=case.pk, material_id=material.pk, upload=pdf_upload())
    with pytest.raises(Case.DoesNotExist):
        case_submit(actor=other, case_id=case.pk)
    with pytest.raises(Case.DoesNotExist):
        case_withdraw(actor=other, case_id=case.pk)
    with pytest.raises(PermissionDenied):  # a reviewer of the department sees it but cannot upload
        case_material_upload(
            actor=actor_of("reviewer"), case_id=case.pk, material_id=material.pk, upload=pdf_upload()
        )


# --- uploads --------------------------------------------------------------------------------


def test_upload_checks_type_and_size_and_the_material(item: Any, person: Any, settings: Any) -> None:
    case = case_draft_create(actor=person, item_id=item.pk, channel=IntakeChannel.ONLINE)
    material = case.materials.first()
    with pytest.raises(ValidationError) as err:
        case_material_upload(
            actor=person,
            case_id=case.pk,
            material_id=material.pk,
            upload=SimpleUploadedFile("营业执照.pdf", ELF),
        )
    assert "file" in err.value.message_dict
    settings.FILES_MAX_BYTES = 100
    with pytest.raises(ValidationError) as err:
        case_material_upload(actor=person, case_id=case.pk, material_id=material.pk, upload=pdf_upload())
    assert "file" in err.value.message_dict
    settings.FILES_MAX_BYTES = 20 * 1024 * 1024
    other = case_draft_create(actor=person, item_id=item.pk, channel=IntakeChannel.ONLINE)
    with pytest.raises(ValidationError) as err:
        case_material_upload(
            actor=person, case_id=case.pk, material_id=other.materials.first().pk, upload=pdf_upload()
        )
    assert err.value.message_dict["material_id"] == ["该材料不属于本办件。"]
    assert not material.files.exists()

    case_file = case_material_upload(
        actor=person, case_id=case.pk, material_id=material.pk, upload=pdf_upload()
    )
    material.refresh_from_db()
    assert material.state == MaterialState.SUBMITTED and case_file.round == 0
    assert case_file.uploaded_by_id == person.user_id
    case_file_remove(actor=person, case_id=case.pk, case_file_id=case_file.pk)
    material.refresh_from_db()
    case_file.refresh_from_db()
    assert case_file.removed and material.state == MaterialState.MISSING


# --- submission -----------------------------------------------------------------------------


def test_required_materials_answers_as_the_orm(item: Any, person: Any) -> None:
    from django.db.models import Exists, OuterRef

    case = case_draft_create(actor=person, item_id=item.pk, channel=IntakeChannel.ONLINE)
    first, second = case.materials.order_by("order", "pk")[:2]
    kept = case_material_upload(actor=person, case_id=case.pk, material_id=first.pk, upload=pdf_upload())
    gone = case_material_upload(actor=person, case_id=case.pk, material_id=second.pk, upload=pdf_upload())
    case_file_remove(actor=person, case_id=case.pk, case_file_id=gone.pk)
    assert kept.material_id == first.pk
    live_file = CaseFile.objects.filter(material=OuterRef("pk"), removed=False)
    orm = list(
        CaseMaterial.objects.filter(case_id=case.pk, required=True)
        .order_by("order", "pk")
        .values_list("pk", "name", "deferrable", Exists(live_file))
    )
    assert required_materials(case.pk) == orm
    assert [has_file for *_rest, has_file in orm][:2] == [True, False]


def test_submit_lists_every_missing_field_and_material_at_once_and_writes_nothing(
    item: Any, person: Any
) -> None:
    case = case_draft_create(
        actor=person, item_id=item.pk, channel=IntakeChannel.ONLINE, form_data={"area": "20"}
    )
    licence = case.materials.get(name="营业执照")
    with pytest.raises(ValidationError) as err:
        case_submit(actor=person, case_id=case.pk)
    errors = err.value.message_dict
    assert errors["applicant_name"] == ["请填写申请人名称"]
    assert errors["kind"] == ["请填写主体类型"]
    assert errors[f"material_{licence.pk}"] == ["请上传“营业执照”"]
    # the deferrable material of an item allowing 容缺 may be deferred by the clerk at acceptance
    assert not any(k.startswith("material_") and k != f"material_{licence.pk}" for k in errors)
    assert "opened" not in errors and "area" not in errors
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT and case.number == "" and case.submitted_at is None
    assert (
        not Counter.objects.exists() and not OutboxEvent.objects.filter(type="cases.case_received").exists()
    )


def test_without_deficiency_every_required_material_is_needed(demo_org: Any, person: Any) -> None:
    item = make_item_for_cases(allows_deficiency=False)
    case = case_draft_create(
        actor=person, item_id=item.pk, channel=IntakeChannel.ONLINE, form_data=valid_form()
    )
    with pytest.raises(ValidationError) as err:
        case_submit(actor=person, case_id=case.pk)
    assert {k for k in err.value.message_dict if k.startswith("material_")} == {
        f"material_{m.pk}" for m in case.materials.all()
    }


def test_submit_numbers_the_case_and_starts_the_acceptance_clock(item: Any, person: Any) -> None:
    with travel(DAY, 9):
        case = draft_with_files(item, person)
        submitted = case_submit(actor=person, case_id=case.pk, idempotency_key="k-1")
    assert submitted.status == CaseStatus.SUBMITTED
    assert submitted.number == f"{item.implementation_code}202509260001"
    assert submitted.acceptance_due == dt.date(2025, 10, 10)
    assert submitted.submitted_at is not None and submitted.revision > case.revision
    (event,) = events(case, "cases.case_received")
    assert event.payload["case_number"] == submitted.number
    assert event.payload["received_at"].startswith("2025-09-26")
    entry = TimelineEntry.objects.get(case=case, action="case_received")
    assert entry.title == "收件" and entry.actor_user_id == person.user_id
    notices = Notification.objects.filter(template="cases.received")
    assert {n.channel for n in notices} == {"inbox", "sms"}
    assert submitted.number in notices.get(channel="sms").body
    assert "2025年10月10日" in notices.get(channel="inbox").body


def test_when_the_days_numbers_are_used_up_the_draft_stays_a_draft(item: Any, person: Any) -> None:
    with travel(DAY, 9):
        case = draft_with_files(item, person)
        Counter.objects.create(key=f"cases:{item.implementation_code}", day=DAY, value=9999)
        with pytest.raises(CaseConflict, match="编号已用完"):
            case_submit(actor=person, case_id=case.pk)
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT and case.number == "" and case.submitted_at is None
    assert Counter.objects.get(key=f"cases:{item.implementation_code}").value == 9999
    assert not events(case, "cases.case_received")


def test_submitting_twice_returns_the_same_case_with_one_number(item: Any, person: Any) -> None:
    with travel(DAY):
        case = draft_with_files(item, person)
        first = case_submit(actor=person, case_id=case.pk)
        again = case_submit(actor=person, case_id=case.pk)
        second_case = draft_with_files(item, person)
        second = case_submit(actor=person, case_id=second_case.pk)
    assert again.pk == first.pk and again.number == first.number and again.revision == first.revision
    assert len(events(case, "cases.case_received")) == 1
    assert second.number == f"{item.implementation_code}202509260002"
    assert Counter.objects.get().value == 2


def test_numbers_restart_each_day_and_per_implementation_code(item: Any, person: Any) -> None:
    other_item = make_item_for_cases(name="食品生产许可")
    with travel(DAY):
        a = case_submit(actor=person, case_id=draft_with_files(item, person).pk)
        b = case_submit(actor=person, case_id=draft_with_files(other_item, person).pk)
    with travel(dt.date(2025, 9, 28)):
        c = case_submit(actor=person, case_id=draft_with_files(item, person).pk)
    assert a.number.endswith("202509260001") and b.number.endswith("202509260001")
    assert a.number != b.number
    assert c.number == f"{item.implementation_code}202509280001"
    assert c.acceptance_due == dt.date(2025, 10, 11)  # the make-up Saturday is the 5th working day


def test_the_draft_follows_a_new_effective_version_at_submission(item: Any, person: Any) -> None:
    from zhengwu.catalog.models import ItemVersion, MaterialRequirement

    case = draft_with_files(item, person)
    old = item.current_version
    new = ItemVersion.objects.create(
        item=item,
        number=2,
        name=old.name,
        status=VersionStatus.EFFECTIVE,
        promised_limit=5,
        statutory_limit=20,
        created_by=old.created_by,
        allows_deficiency=True,
    )
    MaterialRequirement.objects.create(version=new, order=1, name="营业执照")
    MaterialRequirement.objects.create(version=new, order=2, name="健康证明")
    ItemVersion.objects.filter(pk=old.pk).update(status=VersionStatus.SUPERSEDED)
    type(item).objects.filter(pk=item.pk).update(current_version=new)
    with pytest.raises(ValidationError) as err:
        case_submit(actor=person, case_id=case.pk)
    health = case.materials.get(name="健康证明")
    assert list(err.value.message_dict) == [f"material_{health.pk}"]
    case_material_upload(actor=person, case_id=case.pk, material_id=health.pk, upload=pdf_upload())
    submitted = case_submit(actor=person, case_id=case.pk)
    assert submitted.item_version_id == new.pk
    licence = submitted.materials.get(name="营业执照")
    assert licence.requirement.version_id == new.pk and licence.files.count() == 1
    leftover = submitted.materials.get(name="经营场所使用证明")  # had a file: kept as an extra
    assert leftover.requirement_id is None and not leftover.required


# --- window intake --------------------------------------------------------------------------


def clerk_window(clerk: Any, code: str = "B01") -> int:
    from django.apps import apps

    Window = apps.get_model("org", "Window")
    return Window.objects.get(pk__in=clerk.window_ids, code=code).pk


def test_window_intake_validates_the_applicant_with_checksums(item: Any) -> None:
    clerk = actor_of("clerk")
    window_id = clerk_window(clerk)
    bad = ApplicantData(
        kind=ApplicantKind.PERSON, name="", id_number="440106199001011230", phone="1380000", address="x" * 300
    )
    with pytest.raises(ValidationError) as err:
        case_draft_create(
            actor=clerk, item_id=item.pk, channel=IntakeChannel.WINDOW, applicant=bad, window_id=window_id
        )
    errors = err.value.message_dict
    assert errors["applicant_name"] == ["请填写申请人名称"]
    assert errors["applicant_id_number"] == ["身份证号码校验位错误"]
    assert errors["applicant_phone"] == ["请填写11位手机号码"]
    assert "applicant_address" in errors
    company = {
        "kind": ApplicantKind.COMPANY,
        "name": "某公司",
        "id_number": "91449900MA00000001",
        "phone": "13900000000",
    }
    with pytest.raises(ValidationError) as err:
        case_draft_create(
            actor=clerk, item_id=item.pk, channel=IntakeChannel.WINDOW, applicant=company, window_id=window_id
        )
    assert set(err.value.message_dict) == {"applicant_id_number", "contact_name"}
    assert not Case.objects.exists()


def test_window_intake_at_the_clerks_window_links_a_registered_person(item: Any) -> None:
    clerk = actor_of("clerk")
    window_id = clerk_window(clerk)
    walk_in = ApplicantData(
        kind=ApplicantKind.PERSON, name="林示范", id_number=PERSON_ID.lower(), phone="13800000001"
    )
    case = case_draft_create(
        actor=clerk,
        item_id=item.pk,
        channel=IntakeChannel.WINDOW,
        applicant=walk_in,
        window_id=window_id,
        green_channel=True,
        form_data={"area": "10", "kind": "个体"},
    )
    assert case.window_id == window_id and case.green_channel
    assert case.applicant_id_number == PERSON_ID and case.applicant_user_id == applicant_user().pk
    assert case.form_data == {"person_name": "林示范", "id_no": PERSON_ID, "area": 10, "kind": "个体"}
    for material in case.materials.all():
        case_material_upload(actor=clerk, case_id=case.pk, material_id=material.pk, upload=pdf_upload())
    case_draft_update(actor=clerk, case_id=case.pk, form_data={**case.form_data, "applicant_name": "林示范"})
    with travel(DAY):
        submitted = case_submit(actor=clerk, case_id=case.pk)
    assert submitted.status == CaseStatus.SUBMITTED
    (event,) = events(case, "cases.case_received")
    assert event.payload["window_id"] == window_id and event.payload["green_channel"] is True


def test_window_intake_needs_one_of_the_clerks_windows(item: Any) -> None:
    clerk = actor_of("clerk")
    dc_window = clerk_window(actor_of("dc_clerk"))
    walk_in = ApplicantData(
        kind=ApplicantKind.PERSON, name="林示范", id_number=PERSON_ID, phone="13800000001"
    )
    with pytest.raises(ValidationError) as err:
        case_draft_create(
            actor=clerk, item_id=item.pk, channel=IntakeChannel.WINDOW, applicant=walk_in, window_id=dc_window
        )
    assert "window_id" in err.value.message_dict
    with pytest.raises(PermissionDenied):
        case_draft_create(
            actor=actor_of("reviewer"),
            item_id=item.pk,
            channel=IntakeChannel.WINDOW,
            applicant=walk_in,
            window_id=dc_window,
        )


# --- withdrawal -----------------------------------------------------------------------------


def test_the_applicant_withdraws_before_the_decision(item: Any, person: Any) -> None:
    with travel(DAY):
        case = case_submit(actor=person, case_id=draft_with_files(item, person).pk)
        withdrawn = case_withdraw(actor=person, case_id=case.pk, reason="不再需要")
    assert withdrawn.status == CaseStatus.WITHDRAWN and withdrawn.closed_at is not None
    assert len(events(case, "cases.case_withdrawn")) == 1
    with pytest.raises(CaseConflict):
        case_withdraw(actor=person, case_id=case.pk)
    draft = case_draft_create(actor=person, item_id=item.pk, channel=IntakeChannel.ONLINE)
    assert case_withdraw(actor=person, case_id=draft.pk).status == CaseStatus.WITHDRAWN
    assert not events(draft, "cases.case_withdrawn")
