"""Delivery (送达) of a completed case: window pick-up signed off, post with a tracking number, or
electronic. The results of a bundle (一件事) are handed out together (bundles.bundle_deliver)."""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor

from ..models import Case, CaseStatus, DeliveryMethod
from ..notices import notify_applicant
from ._base import record, save_case
from .bundles import bundle_deliver
from .decision import allow, check_state, covered_by_window, department_staff, lock_visible

__all__ = ["bundle_deliver", "case_deliver", "clean_delivery", "deliver_locked"]

# Case field lengths (models/case.py).
TRACKING_MAX, RECIPIENT_MAX, ADDRESS_MAX = 40, 64, 255


def clean_delivery(
    *, method: str, tracking_number: str, delivered_to: str, address: str, default_address: str = ""
) -> dict[str, str]:
    """The method-specific fields, every error at once: a window pick-up needs who signed for it, a
    post delivery its tracking number and an address (the applicant's by default)."""
    method = str(method or "").strip()
    tracking_number = str(tracking_number or "").strip()
    delivered_to = str(delivered_to or "").strip()
    address = str(address or "").strip()
    errors: dict[str, list[str]] = {}
    if method not in DeliveryMethod.values:
        errors["method"] = [_("请选择送达方式：窗口领取、邮寄送达或电子送达。")]
    if method == DeliveryMethod.WINDOW and not delivered_to:
        errors["delivered_to"] = [_("窗口领取须填写签收人。")]
    if method == DeliveryMethod.POST:
        if not tracking_number:
            errors["tracking_number"] = [_("邮寄送达须填写邮件单号。")]
        address = address or str(default_address or "").strip()
        if not address:
            errors["address"] = [_("邮寄送达须填写邮寄地址。")]
    for field, value, limit in (
        ("tracking_number", tracking_number, TRACKING_MAX),
        ("delivered_to", delivered_to, RECIPIENT_MAX),
        ("address", address, ADDRESS_MAX),
    ):
        if len(value) > limit:
            errors.setdefault(field, []).append(_("不能超过 %(n)s 个字。") % {"n": limit})
    if errors:
        raise ValidationError(errors)
    return {
        "method": method,
        "tracking_number": tracking_number if method == DeliveryMethod.POST else "",
        "delivered_to": delivered_to if method == DeliveryMethod.WINDOW else "",
        "address": address if method == DeliveryMethod.POST else "",
    }


def deliver_locked(
    case: Case,
    *,
    actor: Actor,
    method: str,
    tracking_number: str,
    delivered_to: str,
    address: str,
    bundle: bool = False,
) -> None:
    """`completed` → `delivered` for a case the caller has locked and checked."""
    case.status = CaseStatus.DELIVERED
    case.delivery_method = method
    case.tracking_number = tracking_number
    case.delivered_to = delivered_to
    case.delivery_address = address
    save_case(
        case, fields=["status", "delivery_method", "tracking_number", "delivered_to", "delivery_address"]
    )
    label = DeliveryMethod(method).label
    details = {
        DeliveryMethod.WINDOW: _("签收人：%(who)s") % {"who": delivered_to},
        DeliveryMethod.POST: _("邮件单号：%(no)s") % {"no": tracking_number},
        DeliveryMethod.ELECTRONIC: "",
    }
    record(
        case,
        actor=actor,
        action="case_delivered",
        title=_("统一出件（%(method)s）") % {"method": label}
        if bundle
        else _("送达（%(method)s）") % {"method": label},
        summary=details[DeliveryMethod(method)],
        payload={"method": method, "tracking_number": tracking_number},
    )
    notify_applicant(case, "cases.delivered")


def case_deliver(
    *,
    actor: Actor,
    case_id: int,
    revision: int | None = None,
    method: str,
    tracking_number: str = "",
    delivered_to: str = "",
    address: str = "",
) -> Case:
    """Deliver a completed case (department staff, or the window that received it)."""
    with transaction.atomic(durable=True):
        case = lock_visible(actor, case_id)
        allow(
            department_staff(actor, case) or covered_by_window(actor, case),
            _("只有本部门工作人员或受理该办件的窗口可以送达。"),
        )
        check_state(case, (CaseStatus.COMPLETED,), revision)
        if case.bundle_case_id:
            raise ValidationError({NON_FIELD_ERRORS: [_("一件事的办件须在综合窗口统一出件，不能单独送达。")]})
        values = clean_delivery(
            method=method,
            tracking_number=tracking_number,
            delivered_to=delivered_to,
            address=address,
            default_address=case.applicant_address,
        )
        deliver_locked(
            case,
            actor=actor,
            method=values["method"],
            tracking_number=values["tracking_number"],
            delivered_to=values["delivered_to"],
            address=values["address"],
        )
    return case
