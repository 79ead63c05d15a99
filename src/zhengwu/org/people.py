"""Writes about people: staff profiles, applicants (persons), companies and their agents.

Re-exported by org.services; other apps call them from there. Audit rows never carry the full ID
number or phone: only masked values.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import PUBLIC_ROLES, Role
from zhengwu.core.audit.masking import mask_id_number, mask_phone
from zhengwu.core.audit.services import audit_record

from . import validators as v
from ._checks import collect, region_by_code, require_admin
from .models import Company, CompanyAgent, Department, PersonProfile, StaffProfile, Window


def _user_exists(user_id: int, field: str = "user_id") -> None:
    if not get_user_model().objects.filter(pk=user_id).exists():
        raise ValidationError({field: [_("账号不存在")]})


def staff_profile_upsert(
    *,
    actor: Actor | None,
    user_id: int,
    department_id: int,
    roles: Iterable[str],
    region_code: str | None = None,
    window_ids: Iterable[int] = (),
    delegated_item_codes: Iterable[str] = (),
) -> StaffProfile:
    """Create or replace a staff member's department, roles, windows and delegation."""
    require_admin(actor)
    errors: dict[str, list[str]] = {}
    collect(errors, _user_exists, user_id)
    department = Department.objects.select_related("region").filter(pk=department_id).first()
    if department is None:
        errors.setdefault("department_id", []).append(_("部门不存在"))
    role_list = list(dict.fromkeys(str(r) for r in roles))
    bad = [r for r in role_list if r not in Role.values or Role(r) in PUBLIC_ROLES]
    if bad:
        errors.setdefault("roles", []).append(_("不是工作人员角色：%(roles)s") % {"roles": "、".join(bad)})
    if not role_list:
        errors.setdefault("roles", []).append(_("请至少选择一个角色"))
    region = None
    if region_code:
        region = collect(errors, region_by_code, region_code, "region_code")
    elif department is not None:
        region = department.region
    ids = sorted(set(window_ids))
    windows = list(Window.objects.filter(pk__in=ids))
    if len(windows) != len(ids):
        errors.setdefault("window_ids", []).append(_("窗口不存在"))
    codes = [c.strip() for c in delegated_item_codes if c and c.strip()]
    if codes and Role.CHIEF_REPRESENTATIVE.value not in role_list:
        errors.setdefault("delegated_item_codes", []).append(_("只有首席代表可以授权事项"))
    if errors:
        raise ValidationError(errors)
    assert department is not None and region is not None
    with transaction.atomic():
        profile, created = StaffProfile.objects.update_or_create(
            user_id=user_id,
            defaults={
                "department": department,
                "region": region,
                "roles": role_list,
                "delegated_item_codes": codes,
            },
        )
        profile.windows.set(windows)
        audit_record(
            actor=actor,
            action="org.staff_profile_saved",
            obj_type="org.staff_profile",
            obj_id=profile.pk,
            summary=_("设置工作人员 %(user)s 的部门和角色") % {"user": user_id},
            changes={
                "department_id": department_id,
                "roles": role_list,
                "window_ids": ids,
                "delegated_item_codes": codes,
                "created": created,
            },
        )
    return profile


def person_profile_upsert(
    *, actor: Actor | None, user_id: int, name: str, id_number: str, phone: str, address: str = ""
) -> PersonProfile:
    """An applicant's real-name profile, by the applicant, a window clerk or an administrator."""
    if actor is not None and actor.user_id != user_id and not actor.has_role(Role.WINDOW_CLERK):
        raise PermissionDenied(_("不能修改他人的个人信息"))
    errors: dict[str, list[str]] = {}
    collect(errors, _user_exists, user_id)
    name = collect(errors, v.clean_required, name, "name", _("姓名"), 64)
    id_number = collect(errors, v.clean_id_number, id_number)
    phone = collect(errors, v.clean_mobile, phone)
    address = (address or "").strip()
    if len(address) > 255:
        errors.setdefault("address", []).append(_("地址不能超过255个字"))
    if id_number and PersonProfile.objects.filter(id_number=id_number).exclude(user_id=user_id).exists():
        errors.setdefault("id_number", []).append(_("该身份证号码已被其他账号使用"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        profile, created = PersonProfile.objects.update_or_create(
            user_id=user_id,
            defaults={"name": name, "id_number": id_number, "phone": phone, "address": address},
        )
        audit_record(
            actor=actor,
            action="org.person_profile_saved",
            obj_type="org.person_profile",
            obj_id=profile.pk,
            summary=_("保存个人实名信息 %(name)s") % {"name": name},
            changes={"id_number": mask_id_number(id_number), "phone": mask_phone(phone), "created": created},
        )
    return profile


def company_create(
    *,
    actor: Actor | None,
    name: str,
    uscc: str,
    legal_rep_name: str,
    legal_rep_id_number: str = "",
    kind: str = Company.Kind.ENTERPRISE,
) -> Company:
    require_admin(actor)
    errors: dict[str, list[str]] = {}
    name = collect(errors, v.clean_required, name, "name", _("企业名称"), 128)
    uscc = collect(errors, v.clean_uscc, uscc)
    if uscc and Company.objects.filter(uscc=uscc).exists():
        errors.setdefault("uscc", []).append(_("该统一社会信用代码的企业已登记"))
    legal_rep_name = collect(errors, v.clean_required, legal_rep_name, "legal_rep_name", _("法定代表人"), 64)
    if legal_rep_id_number:
        legal_rep_id_number = collect(errors, v.clean_id_number, legal_rep_id_number, "legal_rep_id_number")
    if kind not in Company.Kind.values:
        errors.setdefault("kind", []).append(_("企业类型无效"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        company = Company.objects.create(
            name=name,
            uscc=uscc,
            legal_rep_name=legal_rep_name,
            legal_rep_id_number=legal_rep_id_number or "",
            kind=kind,
        )
        audit_record(
            actor=actor,
            action="org.company_created",
            obj_type="org.company",
            obj_id=company.pk,
            summary=_("登记企业 %(name)s（%(uscc)s）") % {"name": name, "uscc": uscc},
        )
    return company


def company_agent_authorise(
    *,
    actor: Actor | None,
    company_id: int,
    user_id: int,
    authorised_from: datetime.date,
    authorised_until: datetime.date | None = None,
) -> CompanyAgent:
    require_admin(actor)
    errors: dict[str, list[str]] = {}
    collect(errors, _user_exists, user_id)
    if not Company.objects.filter(pk=company_id).exists():
        errors.setdefault("company_id", []).append(_("企业不存在"))
    if authorised_until is not None and authorised_until < authorised_from:
        errors.setdefault("authorised_until", []).append(_("授权截止日不能早于起始日"))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        link, _created = CompanyAgent.objects.update_or_create(
            company_id=company_id,
            user_id=user_id,
            defaults={"authorised_from": authorised_from, "authorised_until": authorised_until},
        )
        audit_record(
            actor=actor,
            action="org.company_agent_authorised",
            obj_type="org.company",
            obj_id=company_id,
            summary=_("授权经办人 %(user)s") % {"user": user_id},
            changes={
                "user_id": user_id,
                "from": authorised_from.isoformat(),
                "until": authorised_until.isoformat() if authorised_until else None,
            },
        )
    return link
