"""The applicant: the acting user's profile or company online, checked walk-in data at the window."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role
from zhengwu.org import selectors as org_selectors
from zhengwu.org.validators import clean_id_number, clean_mobile, clean_uscc

from ...models import ApplicantKind, IntakeChannel
from .._base import require
from .access import WINDOW_CHANNELS


@dataclass(frozen=True)
class ApplicantData:
    """A walk-in applicant keyed in at the window (person: 身份证号码; company: 统一社会信用代码)."""

    kind: str
    name: str
    id_number: str
    phone: str = ""
    address: str = ""
    contact_name: str = ""


# --- the applicant ----------------------------------------------------------------------------


def _merge(errors: dict[str, list[str]], exc: ValidationError) -> None:
    for key, messages in exc.message_dict.items():
        errors.setdefault(key, []).extend(messages)


def clean_applicant(data: ApplicantData | Mapping[str, Any]) -> dict[str, Any]:
    """Window applicant data → Case applicant fields; every problem reported at once."""

    def get(name: str, default: Any = "") -> Any:
        if isinstance(data, Mapping):
            return data.get(name, default)
        return getattr(data, name, default)

    errors: dict[str, list[str]] = {}
    kind = str(get("kind", "") or "")
    if kind not in ApplicantKind.values:
        errors["applicant_kind"] = [_("请选择申请人类型（自然人或法人）")]
    name = str(get("name", "") or "").strip()
    if not name:
        errors["applicant_name"] = [_("请填写申请人名称")]
    elif len(name) > 128:
        errors["applicant_name"] = [_("申请人名称不能超过128个字")]
    id_number = str(get("id_number", "") or "")
    try:
        if kind == ApplicantKind.COMPANY:
            id_number = clean_uscc(id_number, field="applicant_id_number")
        else:
            id_number = clean_id_number(id_number, field="applicant_id_number")
    except ValidationError as exc:
        _merge(errors, exc)
    phone = str(get("phone", "") or "")
    try:
        phone = clean_mobile(phone, field="applicant_phone")
    except ValidationError as exc:
        _merge(errors, exc)
    address = str(get("address", "") or "").strip()
    if len(address) > 255:
        errors["applicant_address"] = [_("联系地址不能超过255个字")]
    contact = str(get("contact_name", "") or "").strip()
    if kind == ApplicantKind.COMPANY and not contact:
        errors["contact_name"] = [_("请填写经办人姓名")]
    elif len(contact) > 64:
        errors["contact_name"] = [_("经办人姓名不能超过64个字")]
    if errors:
        raise ValidationError(errors)
    user_id = org_selectors.person_user_id_for_id_number(id_number) if kind == ApplicantKind.PERSON else None
    return {
        "applicant_kind": kind,
        "applicant_name": name,
        "applicant_id_number": id_number,
        "applicant_phone": phone,
        "applicant_address": address,
        "contact_name": contact,
        "applicant_user_id": user_id,
        "company_id": None,
    }


def _online_applicant(actor: Actor, applicant: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """(Case applicant fields, prefill values by FormField.prefill source) for the acting user."""
    if actor.user_id is None:
        raise PermissionDenied(_("请先登录。"))
    user = get_user_model().objects.get(pk=actor.user_id)
    company_id = applicant.get("company_id") if isinstance(applicant, Mapping) else None
    if company_id:
        try:
            company = org_selectors.company_for_agent(actor, int(company_id))
        except (TypeError, ValueError):
            company = None
        require(company is not None, "company_id", _("您不是该企业的授权经办人，不能以该企业名义申请。"))
        assert company is not None
        fields = {
            "applicant_kind": ApplicantKind.COMPANY,
            "applicant_name": company.name,
            "applicant_id_number": company.uscc,
            "applicant_phone": getattr(user, "phone", "") or "",
            "applicant_address": "",
            "contact_name": getattr(user, "display_name", "") or str(user),
            "applicant_user_id": actor.user_id,
            "company_id": company.pk,
        }
        prefill = {
            "company.name": company.name,
            "company.uscc": company.uscc,
            "company.legal_rep_name": company.legal_rep_name,
        }
        return fields, prefill
    person = org_selectors.person_profile_for(actor, actor.user_id, full=True)
    require(person is not None, "__all__", _("请先完成实名认证（完善个人信息）后再申请。"))
    assert person is not None
    fields = {
        "applicant_kind": ApplicantKind.PERSON,
        "applicant_name": person.name,
        "applicant_id_number": person.id_number,
        "applicant_phone": person.phone,
        "applicant_address": person.address,
        "contact_name": "",
        "applicant_user_id": actor.user_id,
        "company_id": None,
    }
    prefill = {
        "person.name": person.name,
        "person.id_number": person.id_number,
        "person.phone": person.phone,
        "person.address": person.address,
    }
    return fields, prefill


def _window_prefill(fields: Mapping[str, Any]) -> dict[str, Any]:
    if fields["applicant_kind"] == ApplicantKind.COMPANY:
        return {"company.name": fields["applicant_name"], "company.uscc": fields["applicant_id_number"]}
    return {
        "person.name": fields["applicant_name"],
        "person.id_number": fields["applicant_id_number"],
        "person.phone": fields["applicant_phone"],
        "person.address": fields["applicant_address"],
    }


def resolve_applicant(
    *, actor: Actor, channel: str, applicant: Any, window_id: int | None
) -> tuple[dict[str, Any], dict[str, Any]]:
    if channel not in IntakeChannel.values or channel == IntakeChannel.EXCHANGE:
        raise ValidationError({"channel": [_("不支持的申请渠道")]})
    if channel in WINDOW_CHANNELS:
        if not actor.has_role(Role.WINDOW_CLERK, Role.CHIEF_REPRESENTATIVE):
            raise PermissionDenied(_("只有窗口受理人员可以代为录入申请。"))
        require(
            window_id is not None and window_id in actor.window_ids,
            "window_id",
            _("请选择您所在的受理窗口。"),
        )
        require(applicant is not None, "applicant_name", _("请填写申请人信息"))
        fields = clean_applicant(applicant)
        return fields, _window_prefill(fields)
    return _online_applicant(actor, applicant)
