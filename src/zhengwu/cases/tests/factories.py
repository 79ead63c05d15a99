"""Test data for cases, built straight on the models (no services): a consistent case in one call.

Needs the demo city (the `demo_org` fixture in cases/tests/conftest.py). Catalogue rows come from
catalog.tests.factories.make_item; the clock fields come from cases/clock.py, so a factory case has
the same deadlines the services would have given it.

    item = make_item_for_cases(allows_deficiency=True)
    case = make_case(status="accepted", item=item)          # accepted 2025-09-26, steps started
    actor = actor_of("clerk")                                 # a demo account's Actor
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengwu.cases import clock
from zhengwu.cases.models import (
    AcceptanceMode,
    ApplicantKind,
    Case,
    CaseFile,
    CaseMaterial,
    CaseStatus,
    CaseStep,
    IntakeChannel,
    MaterialState,
    StepStatus,
)
from zhengwu.catalog.models import FormField, MaterialRequirement, ServiceItem
from zhengwu.catalog.models.choices import FieldType, HandlingType, Stage
from zhengwu.catalog.selectors.for_cases import window_category_for
from zhengwu.catalog.tests.factories import make_item
from zhengwu.core.access.actor import Actor
from zhengwu.core.numbering.services import format_number, next_number
from zhengwu.org.demo import resident_id

SHANGHAI = ZoneInfo("Asia/Shanghai")
RECEIVED_ON = dt.date(2025, 9, 26)  # a Friday just before the National Day holiday
PERSON_PHONE = "13800000001"
AGENT_PHONE = "13800000002"
PERSON_NAME = "林示范"
PERSON_ID = resident_id("44010619900101123")  # the demo applicant's ID number (with its check digit)

# Statuses in which the case has been accepted (steps exist, promised_due is set).
ACCEPTED_STATUSES = {
    CaseStatus.ACCEPTED,
    CaseStatus.SUSPENDED,
    CaseStatus.DECIDED,
    CaseStatus.COMPLETED,
    CaseStatus.DELIVERED,
}
_item_codes = itertools.count(1)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware instant on a local (Asia/Shanghai) day."""
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def travel(day: dt.date, hour: int = 10, minute: int = 0) -> Any:
    """A fixed clock at a local time of `day` (time_machine; use as a context manager or decorator)."""
    import time_machine

    return time_machine.travel(at(day, hour, minute), tick=False)


def applicant_user(phone: str = PERSON_PHONE) -> Any:
    """The demo applicant's user (13800000001 林示范; 13800000002 is the company agent)."""
    return get_user_model().objects.get(username=phone)


_demo_applicant = applicant_user


def actor_of(user_or_username: Any) -> Actor:
    """The Actor of a demo account (staff username, applicant phone, or a user object)."""
    from zhengwu.org.selectors import actor_for_user

    user = user_or_username
    if isinstance(user, str):
        user = get_user_model().objects.get(username=user)
    return actor_for_user(user)


def person_profile_id_number(user: Any) -> str:
    from django.apps import apps

    profile = apps.get_model("org", "PersonProfile").objects.filter(user_id=user.pk).first()
    return profile.id_number if profile else PERSON_ID


def make_item_for_cases(
    *,
    name: str = "食品经营许可",
    allows_deficiency: bool = True,
    allows_commitment: bool = False,
    handling_type: str = HandlingType.PROMISED,
    basic_code: str | None = None,
    extra_fields: list[dict[str, Any]] | None = None,
    **version_fields: Any,
) -> ServiceItem:
    """An effective licensing item of the city market-regulation department.

    Materials: 营业执照 (required), 经营场所使用证明 (required, deferrable). Form fields:
    applicant_name (text, required, prefilled from the company name), plus `extra_fields`
    (FormField kwargs, e.g. {"key": "area", "label": "经营面积", "field_type": "number"}).
    Steps: accept / review (5) / decide (2) / complete / deliver.
    """
    code = basic_code or f"0001{next(_item_codes):08d}"
    item = make_item(
        name=name,
        basic_code=code,
        handling_type=handling_type,
        allows_deficiency=allows_deficiency,
        allows_commitment=allows_commitment,
        **version_fields,
    )
    if extra_fields:
        version = item.current_version
        start = version.form_fields.count() + 1
        for order, spec in enumerate(extra_fields, start=start):
            FormField.objects.create(version=version, order=order, **spec)
    return item


def _case_number(implementation_code: str, day: dt.date) -> str:
    serial = next_number(key=f"cases:{implementation_code}", day=day)
    return format_number(implementation_code, day, serial)


def make_case(
    *,
    status: str = CaseStatus.SUBMITTED,
    item: ServiceItem | None = None,
    applicant_user: Any = None,
    received_on: dt.date = RECEIVED_ON,
    accepted_on: dt.date | None = None,
    with_files: bool = False,
    **fields: Any,
) -> Case:
    """A consistent case in `status` (default: received on 2025-09-26, waiting for acceptance).

    Drafts have no number and no clock; submitted cases have number, query code and acceptance due;
    accepted (and later) cases have accepted_on (default: the receipt day), promised/statutory due
    and CaseSteps for the review and decide stages (the first active; all done once decided).
    Any Case field may be overridden through `fields`. `with_files=True` stores one small PDF per
    material (core.files, purpose "case_material", owned by the applicant user).
    """
    from zhengwu.cases.services._base import new_query_code

    item = item or make_item_for_cases()
    version = item.current_version
    assert version is not None, "make_case needs an item with an effective version"
    user = applicant_user if applicant_user is not None else _demo_applicant()
    department = item.department
    region_code = department.region.code
    draft = status == CaseStatus.DRAFT

    values: dict[str, Any] = {
        "applicant_kind": ApplicantKind.PERSON,
        "applicant_name": PERSON_NAME,
        "applicant_id_number": person_profile_id_number(user),
        "applicant_phone": getattr(user, "phone", None) or PERSON_PHONE,
        "applicant_address": "示范市东城区东湖街道湖滨路8号3栋502房",
        "applicant_user": user,
        "query_code": new_query_code(),
        "item": item,
        "item_version": version,
        "item_name": version.name,
        "implementation_code": item.implementation_code,
        "department": department,
        "department_line": department.line,
        "region_code": region_code,
        "channel": IntakeChannel.ONLINE,
        "window_category": window_category_for(item),
        "status": status,
        "form_data": {
            f.key: PERSON_NAME for f in version.form_fields.all() if f.field_type == FieldType.TEXT
        },
    }
    if not draft:
        values["number"] = _case_number(item.implementation_code, received_on)
        values["submitted_at"] = at(received_on, 9, 30)
        values["acceptance_due"] = clock.acceptance_due(received_on, region_code)
    accepted = status in ACCEPTED_STATUSES
    if accepted:
        accepted_on = accepted_on or received_on
        accepted_at = at(accepted_on, 10)
        values.update(
            accepted_on=accepted_on,
            accepted_at=accepted_at,
            acceptance_mode=AcceptanceMode.NORMAL,
            promised_due=clock.limit_due(
                accepted_at=accepted_at,
                limit=version.promised_limit,
                unit=version.promised_unit,
                region=region_code,
            ),
            statutory_due=clock.limit_due(
                accepted_at=accepted_at,
                limit=version.statutory_limit,
                unit=version.statutory_unit,
                region=region_code,
            ),
        )
    values.update(fields)
    case = Case.objects.create(**values)

    material_state = MaterialState.MISSING if draft else MaterialState.SUBMITTED
    if accepted:
        material_state = MaterialState.ACCEPTED
    requirements: list[MaterialRequirement] = list(version.materials.all())
    materials = [
        CaseMaterial.objects.create(
            case=case,
            requirement=req,
            order=req.order,
            name=req.name,
            required=req.required,
            deferrable=req.deferrable,
            state=material_state,
        )
        for req in requirements
    ]
    if with_files:
        for material in materials:
            add_case_file(material, user=user)

    if accepted and case.accepted_at is not None:
        _make_steps(case, decided=status not in (CaseStatus.ACCEPTED, CaseStatus.SUSPENDED))
    return case


def _make_steps(case: Case, *, decided: bool) -> None:
    steps = [s for s in case.item_version.steps.all() if s.stage in (Stage.REVIEW, Stage.DECIDE)]
    accepted_at = case.accepted_at
    assert accepted_at is not None
    for index, step in enumerate(steps):
        first = index == 0
        CaseStep.objects.create(
            case=case,
            order=step.order,
            name=step.name,
            stage=step.stage,
            role=step.role,
            department_id=case.department_id,
            limit=step.limit,
            status=StepStatus.DONE if decided else (StepStatus.ACTIVE if first else StepStatus.PENDING),
            started_at=accepted_at if (first or decided) else None,
            due_on=clock.step_due(accepted_at, step.limit, case.region_code) if first else None,
        )


def pdf_upload(name: str = "营业执照.pdf", text: str = "Zhengwu") -> SimpleUploadedFile:
    """A small real PDF upload (core.files checks the content, not only the name)."""
    from zhengwu.core.files.tests.samples import pdf_bytes

    return SimpleUploadedFile(name, pdf_bytes(text), content_type="application/pdf")


def add_case_file(material: CaseMaterial, *, user: Any = None, round: int = 0, name: str = "") -> CaseFile:
    """Store a small PDF for the material (purpose "case_material", owner = the case's applicant)."""
    from zhengwu.core.files.services import file_store

    case = material.case
    owner = user or case.applicant_user
    stored = file_store(
        actor=None,
        upload=pdf_upload(name or f"{material.name}.pdf", text=f"{case.pk}-{material.pk}-{round}"),
        purpose="case_material",
        owner_user_id=owner.pk if owner else None,
    )
    return CaseFile.objects.create(
        material=material,
        file_id=stored.pk,
        original_name=stored.original_name,
        round=round,
        uploaded_by=owner,
    )
