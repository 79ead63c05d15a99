"""一件事: a bundle draft (one case per item, one form, shared uploads) and its submission."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwu.catalog.selectors import for_cases as catalog
from zhengwu.core.access.actor import Actor
from zhengwu.core.audit.services import audit_record

from ...models import BundleCase, BundleStatus, Case, CaseStatus
from .._base import CaseConflict, new_query_code, require, save_case, today
from .access import is_applicant, is_intake_clerk
from .applicant import resolve_applicant
from .drafts import new_case, prefilled_form
from .form import clean_form_data
from .submission import day_number, follow_effective_version, receive, refresh_version, submission_errors

# --- bundles (一件事) --------------------------------------------------------------------------


def bundle_draft_create(
    *,
    actor: Actor,
    bundle_id: int,
    channel: str,
    form_data: Mapping[str, Any] | None = None,
    applicant: Any = None,
    window_id: int | None = None,
    item_ids: Sequence[int] | None = None,
) -> BundleCase:
    """One bundle draft, one draft case per chosen member item (required members always)."""
    with transaction.atomic(durable=True):
        found = catalog.bundle_for_intake(bundle_id)
        require(found is not None, "bundle_id", _("该“一件事”不存在或未发布。"))
        assert found is not None
        chosen = set(item_ids) if item_ids is not None else None
        members = [m for m in found.members if not m.optional or chosen is None or m.item_id in chosen]
        require(bool(members), "item_ids", _("请至少选择一个事项。"))
        fields, prefill = resolve_applicant(
            actor=actor, channel=channel, applicant=applicant, window_id=window_id
        )
        bundle = found.bundle
        merged: dict[str, Any] = dict(form_data or {})
        for member in members:
            merged.update(prefilled_form(member.version, merged, prefill))
        bundle_case = BundleCase.objects.create(
            **fields,
            query_code=new_query_code(),
            bundle=bundle,
            region_code=bundle.region.code,
            lead_department=bundle.lead_department,
            channel=channel,
            form_data=merged,
            deemed_consent=bundle.deemed_consent,
        )
        for member in members:
            keys = {f.key for f in member.version.form_fields.all()}
            new_case(
                version=member.version,
                channel=channel,
                applicant=fields,
                form_data={k: v for k, v in merged.items() if k in keys},
                window_id=window_id,
                green_channel=False,
                bundle_case=bundle_case,
            )
        audit_record(
            actor=actor,
            action="cases.bundle_draft_create",
            obj_type="cases.bundle_case",
            obj_id=bundle_case.pk,
            summary=_("暂存一件事申请：%(name)s") % {"name": bundle.name},
            extra={"item_ids": [m.item_id for m in members]},
        )
    return bundle_case


def _lock_bundle(bundle_case_id: int) -> tuple[BundleCase, list[Case]]:
    bundle_case = BundleCase.objects.select_for_update().get(pk=bundle_case_id)
    cases = list(Case.objects.select_for_update().filter(bundle_case=bundle_case).order_by("pk"))
    return bundle_case, cases


def bundle_draft_update(*, actor: Actor, bundle_case_id: int, form_data: Mapping[str, Any]) -> BundleCase:
    """Save the merged form of a bundle draft (each case keeps its own item's fields)."""
    with transaction.atomic(durable=True):
        bundle_case, cases = _lock_bundle(bundle_case_id)
        if not (is_applicant(actor, bundle_case) or is_intake_clerk(actor, bundle_case)):
            raise BundleCase.DoesNotExist
        if bundle_case.status != BundleStatus.DRAFT:
            raise CaseConflict(_("申请已提交，不能再修改表单。"))
        merged: dict[str, Any] = {}
        errors: dict[str, list[str]] = {}
        for case in cases:
            data, case_errors = clean_form_data(
                case.item_version.form_fields.all(), form_data, check_required=False
            )
            errors.update(case_errors)
            merged.update(data)
            case.form_data = data
            save_case(case, fields=["form_data"])
        if errors:
            raise ValidationError(errors)
        bundle_case.form_data = merged
        bundle_case.revision += 1
        bundle_case.save(update_fields=["form_data", "revision", "updated_at"])
        audit_record(
            actor=actor,
            action="cases.bundle_draft_update",
            obj_type="cases.bundle_case",
            obj_id=bundle_case.pk,
        )
    return bundle_case


def bundle_submit(*, actor: Actor, bundle_case_id: int) -> BundleCase:
    """Submit every case of the bundle at once (each its own number) and number the bundle."""
    follow_effective_version(
        actor, list(Case.objects.filter(bundle_case_id=bundle_case_id).values_list("pk", flat=True))
    )
    with transaction.atomic(durable=True):
        bundle_case, cases = _lock_bundle(bundle_case_id)
        if not (is_applicant(actor, bundle_case) or is_intake_clerk(actor, bundle_case)):
            raise BundleCase.DoesNotExist
        if bundle_case.status != BundleStatus.DRAFT:
            return bundle_case  # already submitted: a retry changes nothing
        drafts = [c for c in cases if c.status == CaseStatus.DRAFT]
        require(bool(drafts), "__all__", _("该一件事申请没有可提交的事项。"))
        errors: dict[str, list[str]] = {}
        versions = {}
        for case in drafts:
            versions[case.pk] = refresh_version(case)
            for key, messages in submission_errors(case, versions[case.pk]).items():
                errors.setdefault(key, messages)
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        day = today()
        bundle_case.number = day_number(
            key=f"bundles:{bundle_case.region_code}", prefix=f"YJS{bundle_case.region_code[:6]}", day=day
        )
        bundle_case.status = BundleStatus.IN_PROGRESS
        bundle_case.submitted_at = now
        bundle_case.revision += 1
        bundle_case.save(update_fields=["number", "status", "submitted_at", "revision", "updated_at"])
        for case in drafts:
            case.bundle_case = bundle_case
            receive(case, actor=actor, now=now)
        audit_record(
            actor=actor,
            action="cases.bundle_submit",
            obj_type="cases.bundle_case",
            obj_id=bundle_case.pk,
            summary=_("一件事申请 %(number)s 已提交（%(n)d 个事项）")
            % {"number": bundle_case.number, "n": len(drafts)},
        )
    return bundle_case
