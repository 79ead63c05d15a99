"""Checks shared by the org services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role

from .models import Region


def require_admin(actor: Actor | None) -> None:
    """Organisation data is configuration: the system (actor None, e.g. seed_demo) or a sysadmin."""
    if actor is not None and Role.SYSADMIN not in actor.roles:
        raise PermissionDenied(_("只有系统管理员可以维护组织机构"))


def require_hall_admin(actor: Actor | None, region_code: str) -> None:
    if actor is None or Role.SYSADMIN in actor.roles:
        return
    if Role.HALL_MANAGER in actor.roles and actor.sees_region(region_code):
        return
    raise PermissionDenied(_("只有系统管理员或本区域的大厅管理人员可以维护服务场所和窗口"))


def merge(errors: dict[str, list[str]], exc: ValidationError) -> None:
    for field, messages in exc.message_dict.items():
        errors.setdefault(field, []).extend(messages)


def collect(errors: dict[str, list[str]], check: Any, *args: Any, **kwargs: Any) -> Any:
    """Run one field check, remembering its error so the caller can report every field at once."""
    try:
        return check(*args, **kwargs)
    except ValidationError as exc:
        merge(errors, exc)
        return None


def region_by_code(code: str, field: str) -> Region:
    region = Region.objects.filter(code=(code or "").strip()).first()
    if region is None:
        raise ValidationError({field: [_("区划代码不存在：%(code)s") % {"code": code}]})
    return region


def diff(obj: Any, new: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [getattr(obj, k), val] for k, val in new.items() if getattr(obj, k) != val}
