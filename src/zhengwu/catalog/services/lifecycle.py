"""Submit → review (规范性/合法性/合理性) → announce → take effect; withdraw; cancel an item.

The announcement lasts a configurable number of working days (settings.CATALOG_ANNOUNCE_WORKDAYS,
default 5; the reviewer may choose another length for one version). A version takes effect on the
working day after its announcement ends, or on the later date the drafter asked for.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengwu.core.access.actor import Actor
from zhengwu.core.audit.services import audit_record
from zhengwu.core.calendar import add_workdays
from zhengwu.core.events.services import emit

from ..checker import check_version
from ..models import ItemVersion, ReviewRecord
from ..models.choices import ChangeKind, ReviewVerdict, VersionStatus
from ._common import (
    lock_version,
    require_drafter,
    require_reform_office,
    status_label,
    user_id_of,
    version_payload,
)
from ._common import today as local_today

ASPECTS = {
    "standard": gettext_lazy("规范性"),
    "legal": gettext_lazy("合法性"),
    "reasonable": gettext_lazy("合理性"),
}
MAX_ANNOUNCE_DAYS = 60
WITHDRAWABLE = (VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.RETURNED)


def announce_workdays_default() -> int:
    return int(getattr(settings, "CATALOG_ANNOUNCE_WORKDAYS", 5))


@transaction.atomic
def version_submit(*, actor: Actor, version_id: int) -> ItemVersion:
    """Send a draft to the reform office. Any error-severity checker finding blocks it."""
    require_drafter(actor)
    version = lock_version(actor, version_id)
    if not version.is_editable:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("该版本当前状态为“%(s)s”，不能提交。") % {"s": status_label(version.status)}
                ]
            }
        )
    errors: dict[str, list[str]] = {}
    for finding in check_version(version):
        if finding.severity == "error":
            errors.setdefault(finding.field or NON_FIELD_ERRORS, []).append(finding.message)
    if errors:
        raise ValidationError(errors)
    version.status = VersionStatus.SUBMITTED
    version.submitted_at = timezone.now()
    version.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_record(
        actor=actor,
        action="catalog.version.submit",
        obj_type="catalog.version",
        obj_id=version.pk,
        summary=_("提交“%(name)s”第%(n)d版送审") % {"name": version.item.name, "n": version.number},
    )
    emit(
        "catalog.version_submitted",
        version_payload(version),
        aggregate_type="catalog.version",
        aggregate_id=version.pk,
        actor=actor,
    )
    return version


def _clean_decisions(decisions: Any) -> tuple[dict[str, dict[str, str]], bool]:
    if not isinstance(decisions, dict):
        raise ValidationError({"decisions": [_("审核意见格式不正确。")]})
    errors: list[str] = []
    clean: dict[str, dict[str, str]] = {}
    for key, label in ASPECTS.items():
        decision = decisions.get(key)
        if not isinstance(decision, dict) or decision.get("verdict") not in ReviewVerdict.values:
            errors.append(_("请对%(aspect)s给出“通过”或“不通过”的意见。") % {"aspect": label})
            continue
        comment = str(decision.get("comment") or "").strip()
        if decision["verdict"] == ReviewVerdict.FAIL and not comment:
            errors.append(_("%(aspect)s不通过时须写明理由。") % {"aspect": label})
        clean[key] = {"verdict": decision["verdict"], "comment": comment}
    if unknown := sorted(set(decisions) - set(ASPECTS)):
        errors.append(_("未知的审核项：%(k)s。") % {"k": "、".join(unknown)})
    if errors:
        raise ValidationError({"decisions": errors})
    return clean, all(d["verdict"] == ReviewVerdict.PASS for d in clean.values())


def announcement_dates(
    *, start: dt.date, workdays: int, region_code: str, requested: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """(announce_until, effective_on) for an announcement starting on `start`."""
    until = add_workdays(start, workdays, region_code)
    effective = add_workdays(until, 1, region_code)
    if requested and requested > effective:
        effective = requested
    return until, effective


@transaction.atomic
def version_review(
    *,
    actor: Actor,
    version_id: int,
    decisions: dict[str, dict[str, str]],
    comment: str = "",
    announce_days: int | None = None,
) -> ItemVersion:
    """Record the reform office's review. Any fail sends it back; all pass announces it at once."""
    require_reform_office(actor)
    version = lock_version(actor, version_id)
    if version.status != VersionStatus.SUBMITTED:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("该版本当前状态为“%(s)s”，不在待审核状态。") % {"s": status_label(version.status)}
                ]
            }
        )
    if version.created_by_id == actor.user_id:
        raise ValidationError({NON_FIELD_ERRORS: [_("起草人不能审核自己起草的版本。")]})
    clean, passed = _clean_decisions(decisions)
    days = announce_workdays_default() if announce_days in (None, "") else announce_days
    try:
        days = int(days)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValidationError({"announce_days": [_("公示期应为整数个工作日。")]}) from None
    if not 1 <= days <= MAX_ANNOUNCE_DAYS:
        raise ValidationError(
            {"announce_days": [_("公示期应为1至%(n)d个工作日。") % {"n": MAX_ANNOUNCE_DAYS}]}
        )
    comment = (comment or "").strip()
    ReviewRecord.objects.create(
        version=version, reviewer_id=user_id_of(actor), decisions=clean, returned=not passed, comment=comment
    )
    version.reviewed_by_id = user_id_of(actor)
    version.reviewed_at = timezone.now()
    fields = ["status", "reviewed_by", "reviewed_at", "updated_at"]
    if passed:
        start = local_today()
        version.announce_from = start
        version.announce_until, version.effective_on = announcement_dates(
            start=start,
            workdays=days,
            region_code=version.item.region.code,
            requested=version.requested_effective_on,
        )
        version.status = VersionStatus.ANNOUNCED
        fields += ["announce_from", "announce_until", "effective_on"]
    else:
        version.status = VersionStatus.RETURNED
    version.save(update_fields=fields)
    audit_record(
        actor=actor,
        action="catalog.version.review",
        obj_type="catalog.version",
        obj_id=version.pk,
        summary=(
            _("审核通过“%(name)s”第%(n)d版，公示至%(until)s，%(eff)s生效")
            % {
                "name": version.item.name,
                "n": version.number,
                "until": version.announce_until,
                "eff": version.effective_on,
            }
            if passed
            else _("退回“%(name)s”第%(n)d版修改") % {"name": version.item.name, "n": version.number}
        ),
        changes={"decisions": [None, clean]},
        reason=comment,
    )
    emit(
        "catalog.version_reviewed",
        version_payload(version, verdict="pass" if passed else "fail", decisions=clean),
        aggregate_type="catalog.version",
        aggregate_id=version.pk,
        actor=actor,
    )
    if passed:
        emit(
            "catalog.version_announced",
            version_payload(
                version,
                announce_from=start.isoformat(),
                announce_until=version.announce_until.isoformat() if version.announce_until else None,
                effective_on=version.effective_on.isoformat() if version.effective_on else None,
            ),
            aggregate_type="catalog.version",
            aggregate_id=version.pk,
            actor=actor,
        )
    return version


@transaction.atomic
def version_withdraw(*, actor: Actor, version_id: int, reason: str) -> ItemVersion:
    """Abandon a draft, a submitted or a returned version (it stays for the record)."""
    require_drafter(actor)
    version = lock_version(actor, version_id)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写撤回理由。")]})
    if version.status not in WITHDRAWABLE:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _("该版本当前状态为“%(s)s”，不能撤回。") % {"s": status_label(version.status)}
                ]
            }
        )
    version.status = VersionStatus.WITHDRAWN
    version.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="catalog.version.withdraw",
        obj_type="catalog.version",
        obj_id=version.pk,
        summary=_("撤回“%(name)s”第%(n)d版") % {"name": version.item.name, "n": version.number},
        reason=reason,
    )
    return version


def versions_activate_due(*, today: dt.date | None = None) -> int:
    """Announced versions whose date has come take effect; returns how many did. Safe to repeat."""
    day = today or local_today()
    due = list(
        ItemVersion.objects.filter(status=VersionStatus.ANNOUNCED, effective_on__lte=day)
        .order_by("item_id", "number")
        .values_list("pk", flat=True)
    )
    return sum(1 for pk in due if _activate(pk))


@transaction.atomic
def _activate(version_id: int) -> bool:
    version = lock_version(None, version_id)
    if version.status != VersionStatus.ANNOUNCED:  # another worker got there first
        return False
    item = version.item
    previous = None
    if item.current_version_id and item.current_version_id != version.pk:
        previous = ItemVersion.objects.select_for_update(of=("self",)).get(pk=item.current_version_id)
    if previous is not None and previous.status == VersionStatus.EFFECTIVE:
        previous.status = VersionStatus.SUPERSEDED
        previous.superseded_on = version.effective_on
        previous.save(update_fields=["status", "superseded_on", "updated_at"])
    version.status = VersionStatus.EFFECTIVE
    version.save(update_fields=["status", "updated_at"])
    cancelled = version.change_kind == ChangeKind.CANCEL
    if cancelled:
        # The item leaves the catalogue; current_version keeps pointing at the last content version
        # so its history page and old cases still show what applied.
        item.is_active = False
        if item.current_version_id is None:
            item.current_version = version
    else:
        item.current_version = version
        item.name = version.name
        item.is_active = True
    item.save(update_fields=["current_version", "name", "is_active", "updated_at"])
    audit_record(
        actor=None,
        action="catalog.item.cancel" if cancelled else "catalog.version.effective",
        obj_type="catalog.version",
        obj_id=version.pk,
        summary=(_("事项“%(name)s”取消") if cancelled else _("“%(name)s”第%(n)d版生效"))
        % {"name": item.name, "n": version.number},
        extra={"item_id": item.pk, "superseded": previous.pk if previous else None},
    )
    effective_on = version.effective_on.isoformat() if version.effective_on else None
    emit(
        "catalog.version_effective",
        version_payload(
            version, effective_on=effective_on, previous_version_id=previous.pk if previous else None
        ),
        aggregate_type="catalog.version",
        aggregate_id=version.pk,
    )
    if cancelled:
        emit(
            "catalog.item_cancelled",
            {
                "item_id": item.pk,
                "version_id": version.pk,
                "implementation_code": item.implementation_code,
                "name": item.name,
                "department_id": item.department_id,
                "region_code": item.region.code,
                "cancelled_on": effective_on,
            },
            aggregate_type="catalog.item",
            aggregate_id=item.pk,
        )
    return True
