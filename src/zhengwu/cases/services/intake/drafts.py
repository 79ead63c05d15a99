"""Drafts (暂存) and material uploads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.catalog.selectors import for_cases as catalog
from zhengwu.core.access.actor import Actor
from zhengwu.core.audit.services import audit_record
from zhengwu.core.files.services import file_store

from ...models import BundleCase, Case, CaseFile, CaseMaterial, CaseStatus, MaterialState, SupplementRequest
from .._base import CaseConflict, new_query_code, require, save_case
from .access import (
    MATERIAL_PURPOSE,
    ONLINE_CHANNELS,
    WINDOW_CHANNELS,
    covering_windows,
    is_applicant,
    is_intake_clerk,
    lock_row,
    owner_or_404,
    staff_sees,
)
from .applicant import resolve_applicant
from .form import clean_form_data, is_empty


def _effective_version(item_id: int) -> Any:
    version = catalog.effective_version(item_id)
    require(version is not None, "item_id", _("该事项不存在或已停止办理，暂不能申请。"))
    return version


def _check_channel(version: Any, channel: str) -> None:
    channels = set(version.channels or [])
    if channel in ONLINE_CHANNELS and channels and not channels & {"online", "mobile", "kiosk"}:
        raise ValidationError({"item_id": [_("该事项不支持网上申请，请到窗口办理。")]})


def prefilled_form(
    version: Any, form_data: Mapping[str, Any] | None, prefill: Mapping[str, Any]
) -> dict[str, Any]:
    data = dict(form_data or {})
    for field in version.form_fields.all():
        if field.prefill and is_empty(data.get(field.key)) and prefill.get(field.prefill):
            data[field.key] = prefill[field.prefill]
    cleaned, errors = clean_form_data(version.form_fields.all(), data, check_required=False)
    if errors:
        raise ValidationError(errors)
    return cleaned


def new_case(
    *,
    version: Any,
    channel: str,
    applicant: Mapping[str, Any],
    form_data: dict[str, Any],
    window_id: int | None,
    green_channel: bool,
    bundle_case: BundleCase | None = None,
) -> Case:
    item = version.item
    department = item.department
    case = Case.objects.create(
        **applicant,
        query_code=new_query_code(),
        item_id=item.pk,
        item_version_id=version.pk,
        item_name=version.name,
        implementation_code=item.implementation_code,
        department_id=department.pk,
        department_line=department.line,
        region_code=item.region.code,
        bundle_case=bundle_case,
        channel=channel,
        window_id=window_id if channel in WINDOW_CHANNELS else None,
        window_category=catalog.window_category_for(item),
        green_channel=green_channel,
        form_data=form_data,
    )
    CaseMaterial.objects.bulk_create(
        [
            CaseMaterial(
                case=case,
                requirement_id=req.pk,
                order=req.order,
                name=req.name,
                required=req.required,
                deferrable=req.deferrable,
            )
            for req in version.materials.all()
        ]
    )
    return case


# --- drafts -----------------------------------------------------------------------------------


def case_draft_create(
    *,
    actor: Actor,
    item_id: int,
    channel: str,
    form_data: Mapping[str, Any] | None = None,
    applicant: Any = None,
    window_id: int | None = None,
    green_channel: bool = False,
) -> Case:
    """A draft (暂存) on the item's effective version, one CaseMaterial per requirement."""
    with transaction.atomic(durable=True):
        version = _effective_version(item_id)
        _check_channel(version, channel)
        fields, prefill = resolve_applicant(
            actor=actor, channel=channel, applicant=applicant, window_id=window_id
        )
        data = prefilled_form(version, form_data, prefill)
        case = new_case(
            version=version,
            channel=channel,
            applicant=fields,
            form_data=data,
            window_id=window_id,
            green_channel=green_channel and channel in WINDOW_CHANNELS,
        )
        audit_record(
            actor=actor,
            action="cases.case_draft_create",
            obj_type="cases.case",
            obj_id=case.pk,
            summary=_("暂存申请：%(item)s") % {"item": case.item_name},
            extra={"channel": channel, "window_id": case.window_id},
        )
    return case


def case_draft_update(
    *, actor: Actor, case_id: int, form_data: Mapping[str, Any], revision: int | None = None
) -> Case:
    """Save the form (暂存): field types are checked, required-ness only at submission."""
    with transaction.atomic(durable=True):
        case = lock_row(case_id)
        owner_or_404(actor, case)
        if case.status != CaseStatus.DRAFT:
            raise CaseConflict(_("申请已提交，不能再修改表单。"))
        if revision is not None and revision != case.revision:
            raise CaseConflict()
        data, errors = clean_form_data(case.item_version.form_fields.all(), form_data, check_required=False)
        if errors:
            raise ValidationError(errors)
        case.form_data = data
        save_case(case, fields=["form_data"])
        audit_record(actor=actor, action="cases.case_draft_update", obj_type="cases.case", obj_id=case.pk)
    return case


# --- materials --------------------------------------------------------------------------------


def _open_supplement(case: Case) -> SupplementRequest | None:
    return case.supplement_requests.filter(answered_at__isnull=True).order_by("-round").first()


def _listed_material_ids(request: SupplementRequest | None) -> set[int]:
    if request is None:
        return set()
    return {int(entry["material_id"]) for entry in request.items or []}


def _upload_round(case: Case, material: CaseMaterial) -> int:
    """0 in a draft or at the window; the notice's round for a supplement; deferred: 0."""
    if case.status == CaseStatus.SUPPLEMENT:
        request = _open_supplement(case)
        if request is None or material.pk not in _listed_material_ids(request):
            raise ValidationError(
                {
                    "material_id": [
                        _("“%(name)s”不在补正告知书所列材料中，只能补正告知书列出的材料。")
                        % {"name": material.name}
                    ]
                }
            )
        return request.round
    return 0


def _may_upload(actor: Actor, case: Case, material: CaseMaterial) -> None:
    applicant = is_applicant(actor, case)
    clerk = is_intake_clerk(actor, case) or bool(
        case.status != CaseStatus.DRAFT and covering_windows(actor, case)
    )
    if not (applicant or clerk):
        if staff_sees(actor, case):
            raise PermissionDenied(_("您不能为该办件上传材料。"))
        raise Case.DoesNotExist
    if case.status == CaseStatus.DRAFT:
        return
    if case.status == CaseStatus.SUBMITTED and clerk:
        return  # scanned at the window before acceptance
    if case.status == CaseStatus.SUPPLEMENT:
        return  # _upload_round checks the material is listed
    if (
        case.status in (CaseStatus.ACCEPTED, CaseStatus.SUSPENDED)
        and material.state == MaterialState.DEFERRED
    ):
        return
    if case.status in (CaseStatus.ACCEPTED, CaseStatus.SUSPENDED):
        raise ValidationError(
            {"material_id": [_("“%(name)s”不是容缺后补的材料，受理后不能再上传。") % {"name": material.name}]}
        )
    raise CaseConflict(
        _("办件当前状态为“%(status)s”，不能上传材料。") % {"status": case.get_status_display()}
    )


def _same_material_in_bundle(case: Case, material: CaseMaterial) -> list[CaseMaterial]:
    """Materials of the bundle's other draft cases that share this upload (same name)."""
    if case.bundle_case_id is None or case.status != CaseStatus.DRAFT:
        return []
    name = "".join(material.name.split())
    others = CaseMaterial.objects.filter(
        case__bundle_case_id=case.bundle_case_id, case__status=CaseStatus.DRAFT
    ).exclude(case_id=case.pk)
    return [m for m in others if "".join(m.name.split()) == name]


def case_material_upload(*, actor: Actor, case_id: int, material_id: int, upload: UploadedFile) -> CaseFile:
    """Store a file for a material (core.files checks type and size; purpose "case_material")."""
    with transaction.atomic(durable=True):
        case = lock_row(case_id)
        try:
            material = case.materials.get(pk=int(material_id))
        except (CaseMaterial.DoesNotExist, TypeError, ValueError):
            _may_upload_case(actor, case)
            raise ValidationError({"material_id": [_("该材料不属于本办件。")]}) from None
        _may_upload(actor, case, material)
        round_ = _upload_round(case, material)
        stored = file_store(
            actor=actor, upload=upload, purpose=MATERIAL_PURPOSE, owner_user_id=case.applicant_user_id
        )
        case_file = CaseFile.objects.create(
            material=material,
            file_id=stored.pk,
            original_name=stored.original_name,
            round=round_,
            uploaded_by_id=actor.user_id,
        )
        if (
            case.status in (CaseStatus.DRAFT, CaseStatus.SUBMITTED)
            and material.state == MaterialState.MISSING
        ):
            material.state = MaterialState.SUBMITTED
            material.save(update_fields=["state"])
        for other in _same_material_in_bundle(case, material):
            CaseFile.objects.create(
                material=other,
                file_id=stored.pk,
                original_name=stored.original_name,
                round=0,
                uploaded_by_id=actor.user_id,
            )
            if other.state == MaterialState.MISSING:
                other.state = MaterialState.SUBMITTED
                other.save(update_fields=["state"])
        audit_record(
            actor=actor,
            action="cases.material_upload",
            obj_type="cases.case",
            obj_id=case.pk,
            summary=_("上传材料“%(name)s”：%(file)s") % {"name": material.name, "file": stored.original_name},
            extra={"material_id": material.pk, "file_id": str(stored.pk), "round": round_},
        )
    return case_file


def _may_upload_case(actor: Actor, case: Case) -> None:
    if not (is_applicant(actor, case) or is_intake_clerk(actor, case) or staff_sees(actor, case)):
        raise Case.DoesNotExist


def case_file_remove(*, actor: Actor, case_id: int, case_file_id: int) -> None:
    """Drafts only: the file is marked removed (kept for the record)."""
    with transaction.atomic(durable=True):
        case = lock_row(case_id)
        owner_or_404(actor, case)
        if case.status != CaseStatus.DRAFT:
            raise CaseConflict(_("申请已提交，不能删除已上传的材料。"))
        case_file = (
            CaseFile.objects.select_related("material")
            .filter(pk=case_file_id, material__case=case, removed=False)
            .first()
        )
        require(case_file is not None, "case_file_id", _("该文件不存在或已删除。"))
        assert case_file is not None
        case_file.removed = True
        case_file.save(update_fields=["removed"])
        material = case_file.material
        if not material.files.filter(removed=False).exists():
            material.state = MaterialState.MISSING
            material.save(update_fields=["state"])
        audit_record(
            actor=actor,
            action="cases.material_remove",
            obj_type="cases.case",
            obj_id=case.pk,
            summary=_("删除材料文件“%(file)s”") % {"file": case_file.original_name},
            extra={"material_id": material.pk, "file_id": str(case_file.file_id)},
        )
