"""Every write to the organisation. Keyword-only, validated with Chinese messages, audited.

Services use a plain (non-durable) atomic block because the CSV import and seed_demo compose many of
them into one all-or-nothing transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.regions import LEVEL_NAMES, region_prefix
from zhengwu.core.audit.services import audit_record
from zhengwu.core.events.services import emit

from . import validators as v
from ._checks import collect, diff, region_by_code, require_admin, require_hall_admin
from .models import Department, Region, ServicePoint, Window
from .models import WindowCategory as Category
from .people import company_agent_authorise as company_agent_authorise
from .people import company_create as company_create
from .people import person_profile_upsert as person_profile_upsert
from .people import staff_profile_upsert as staff_profile_upsert

_UNSET: Any = object()


# --- regions --------------------------------------------------------------------------------


def region_create(
    *, actor: Actor | None, code: str, name: str, parent_code: str | None = None, level: str | None = None
) -> Region:
    require_admin(actor)
    errors: dict[str, list[str]] = {}
    cleaned = collect(errors, v.clean_region_code, code)
    parent: Region | None = None
    derived = ""
    name = collect(errors, v.clean_required, name, "name", _("区划名称"), 64)
    if cleaned:
        code, derived = cleaned
        if level and level != derived:
            labels = dict(Region.Level.choices)
            errors.setdefault("level", []).append(
                _("级别与区划代码不符：代码%(code)s是%(level)s级")
                % {"code": code, "level": labels.get(derived, derived)}
            )
        if Region.objects.filter(code=code).exists():
            errors.setdefault("code", []).append(_("区划代码已存在：%(code)s") % {"code": code})
        parent = collect(errors, _find_parent, code, derived, parent_code)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        region = Region.objects.create(code=code, name=name, level=derived, parent=parent)
        audit_record(
            actor=actor,
            action="org.region_created",
            obj_type="org.region",
            obj_id=region.pk,
            summary=_("新增区划 %(name)s（%(code)s）") % {"name": region.name, "code": region.code},
        )
        emit(
            "org.region_created",
            {
                "region_id": region.pk,
                "region_code": region.code,
                "name": region.name,
                "level": region.level,
                "parent_code": parent.code if parent else None,
            },
            aggregate_type="org.region",
            aggregate_id=region.code,
            actor=actor,
        )
    return region


def _find_parent(code: str, level: str, parent_code: str | None) -> Region | None:
    if level == LEVEL_NAMES[0]:
        if parent_code:
            raise ValidationError({"parent_code": [_("省级区划没有上级区划")]})
        return None
    if parent_code:
        parent = region_by_code(parent_code, "parent_code")
        prefix = region_prefix(parent.code)
        if not code.startswith(prefix) or len(prefix) >= len(region_prefix(code)):
            raise ValidationError(
                {
                    "parent_code": [
                        _("上级区划%(parent)s不包含区划代码%(code)s") % {"parent": parent.code, "code": code}
                    ]
                }
            )
        return parent
    # No parent given: the nearest enclosing level whose segment is not all zeros must exist (a town
    # can sit directly under a city only when the district digits are 00, as in cities without
    # districts).
    own = region_prefix(code)
    for n in (9, 6, 4, 2):
        if n >= len(own) or region_prefix(own[:n].ljust(12, "0")) != own[:n]:
            continue
        candidate = own[:n].ljust(12, "0")
        found = Region.objects.filter(code=candidate).first()
        if found is None:
            break
        return found
    raise ValidationError(
        {"parent_code": [_("找不到上级区划，请先导入上级区划（代码%(code)s）") % {"code": code}]}
    )


def region_update(*, actor: Actor | None, region_id: int, name: str) -> Region:
    require_admin(actor)
    name = v.clean_required(name, "name", _("区划名称"), 64)
    with transaction.atomic():
        region = Region.objects.select_for_update().get(pk=region_id)
        changes = diff(region, {"name": name})
        region.name = name
        region.save(update_fields=["name"])
        audit_record(
            actor=actor,
            action="org.region_updated",
            obj_type="org.region",
            obj_id=region.pk,
            summary=_("修改区划 %(code)s") % {"code": region.code},
            changes=changes,
        )
    return region


# --- departments ----------------------------------------------------------------------------

_DEPARTMENT_FIELDS = (
    "name",
    "short_name",
    "uscc",
    "region_code",
    "parent_id",
    "line",
    "supervision_contact_name",
    "supervision_contact_phone",
    "consultation_phone",
    "complaint_phone",
    "active",
)


def _clean_department(data: dict[str, Any], instance: Department | None) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    out: dict[str, Any] = {}
    out["name"] = collect(errors, v.clean_required, data.get("name", ""), "name", _("部门名称"), 128)
    out["short_name"] = (data.get("short_name") or "").strip()[:32]
    uscc = collect(errors, v.clean_uscc, data.get("uscc", ""))
    if uscc:
        clash = Department.objects.filter(uscc=uscc)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            errors.setdefault("uscc", []).append(
                _("统一社会信用代码已被其他部门使用：%(uscc)s") % {"uscc": uscc}
            )
    out["uscc"] = uscc
    out["region"] = collect(errors, region_by_code, data.get("region_code", ""), "region_code")
    parent = None
    if data.get("parent_id"):
        parent = Department.objects.filter(pk=data["parent_id"]).first()
        if parent is None:
            errors.setdefault("parent_id", []).append(_("上级部门不存在"))
        elif instance is not None and parent.pk == instance.pk:
            errors.setdefault("parent_id", []).append(_("上级部门不能是本部门"))
    out["parent"] = parent
    out["line"] = collect(errors, v.clean_line, data.get("line", ""))
    out["supervision_contact_name"] = (data.get("supervision_contact_name") or "").strip()[:32]
    for field in ("supervision_contact_phone", "consultation_phone", "complaint_phone"):
        out[field] = collect(errors, v.clean_service_phone, data.get(field, ""), field)
    out["active"] = bool(data.get("active", True))
    if errors:
        raise ValidationError(errors)
    return out


def _department_payload(d: Department) -> dict[str, Any]:
    return {
        "department_id": d.pk,
        "name": d.name,
        "uscc": d.uscc,
        "region_code": d.region.code,
        "line": d.line,
        "parent_id": d.parent_id,
    }


def department_create(
    *,
    actor: Actor | None,
    name: str,
    uscc: str,
    region_code: str,
    short_name: str = "",
    parent_id: int | None = None,
    line: str = "",
    supervision_contact_name: str = "",
    supervision_contact_phone: str = "",
    consultation_phone: str = "",
    complaint_phone: str = "",
    active: bool = True,
) -> Department:
    require_admin(actor)
    data = _clean_department(dict(locals()), None)
    with transaction.atomic():
        department = Department.objects.create(**data)
        audit_record(
            actor=actor,
            action="org.department_created",
            obj_type="org.department",
            obj_id=department.pk,
            summary=_("新增部门 %(name)s") % {"name": department.name},
        )
        emit(
            "org.department_created",
            _department_payload(department),
            aggregate_type="org.department",
            aggregate_id=department.pk,
            actor=actor,
        )
    return department


def _plain(value: Any) -> Any:
    """JSON-friendly value for audit and events: related objects by id, code for regions."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, Region):
        return value.code
    return getattr(value, "pk", str(value))


def department_update(*, actor: Actor | None, department_id: int, **fields: Any) -> Department:
    """Change some fields of a department; fields are those of department_create."""
    require_admin(actor)
    unknown = set(fields) - set(_DEPARTMENT_FIELDS)
    if unknown:
        raise TypeError(f"department_update() got unexpected fields {sorted(unknown)}")
    with transaction.atomic():
        department = Department.objects.select_for_update().select_related("region").get(pk=department_id)
        current = {f: getattr(department, f) for f in _DEPARTMENT_FIELDS if f not in ("region_code",)}
        current["region_code"] = department.region.code
        data = _clean_department({**current, **fields}, department)
        changes = diff(department, data)
        for key, value in data.items():
            setattr(department, key, value)
        department.save()
        if not changes:
            return department
        printable = {k: [_plain(a), _plain(b)] for k, (a, b) in changes.items()}
        audit_record(
            actor=actor,
            action="org.department_updated",
            obj_type="org.department",
            obj_id=department.pk,
            summary=_("修改部门 %(name)s") % {"name": department.name},
            changes=printable,
        )
        emit(
            "org.department_updated",
            {
                "department_id": department.pk,
                "name": department.name,
                "region_code": department.region.code,
                "changed_fields": sorted(changes),
                "changes": printable,
            },
            aggregate_type="org.department",
            aggregate_id=department.pk,
            actor=actor,
        )
    return department


# --- service points and windows -------------------------------------------------------------


def _clean_hours(value: Any) -> list[dict[str, Any]]:
    """Structured hours: [{"weekday": 1-7, "open": "HH:MM", "close": "HH:MM", "appointment": bool}]."""
    bad = ValidationError(
        {"weekday_hours": [_("分时段办公时间格式错误：星期为1至7，时间为HH:MM，且开始早于结束")]}
    )
    if not isinstance(value, list):
        raise bad
    out = []
    for slot in value:
        try:
            day = int(slot["weekday"])
            start = datetime.time.fromisoformat(slot["open"])
            end = datetime.time.fromisoformat(slot["close"])
        except (KeyError, TypeError, ValueError):
            raise bad from None
        if not 1 <= day <= 7 or start >= end:
            raise bad
        out.append(
            {
                "weekday": day,
                "open": start.strftime("%H:%M"),
                "close": end.strftime("%H:%M"),
                "appointment": bool(slot.get("appointment", False)),
            }
        )
    return out


def _clean_coordinate(value: Any, field: str, limit: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except InvalidOperation:
        raise ValidationError({field: [_("坐标应为数字")]}) from None
    if abs(number) > limit:
        raise ValidationError({field: [_("坐标超出范围")]})
    return number


def service_point_create(
    *,
    actor: Actor | None,
    name: str,
    kind: str,
    region_code: str,
    address: str,
    latitude: Any = None,
    longitude: Any = None,
    opening_hours: str = "",
    weekday_hours: Sequence[dict[str, Any]] = (),
    phone: str = "",
) -> ServicePoint:
    errors: dict[str, list[str]] = {}
    name = collect(errors, v.clean_required, name, "name", _("名称"), 128)
    if kind not in ServicePoint.Kind.values:
        errors.setdefault("kind", []).append(_("服务场所类型无效"))
    region = collect(errors, region_by_code, region_code, "region_code")
    address = collect(errors, v.clean_required, address, "address", _("地址"), 255)
    lat = collect(errors, _clean_coordinate, latitude, "latitude", 90)
    lon = collect(errors, _clean_coordinate, longitude, "longitude", 180)
    hours = collect(errors, _clean_hours, list(weekday_hours))
    phone = collect(errors, v.clean_service_phone, phone, "phone")
    if region is not None and name and ServicePoint.objects.filter(region=region, name=name).exists():
        errors.setdefault("name", []).append(_("该区划下已有同名服务场所"))
    if errors:
        raise ValidationError(errors)
    require_hall_admin(actor, region.code)
    with transaction.atomic():
        point = ServicePoint.objects.create(
            name=name,
            kind=kind,
            level=region.level,
            region=region,
            address=address,
            latitude=lat,
            longitude=lon,
            opening_hours=(opening_hours or "").strip(),
            weekday_hours=hours,
            phone=phone,
        )
        audit_record(
            actor=actor,
            action="org.service_point_created",
            obj_type="org.service_point",
            obj_id=point.pk,
            summary=_("新增服务场所 %(name)s") % {"name": point.name},
        )
    return point


def service_point_update(*, actor: Actor | None, service_point_id: int, **fields: Any) -> ServicePoint:
    allowed = {
        "name",
        "address",
        "opening_hours",
        "weekday_hours",
        "phone",
        "latitude",
        "longitude",
        "active",
    }
    if set(fields) - allowed:
        raise TypeError(f"service_point_update() got unexpected fields {sorted(set(fields) - allowed)}")
    with transaction.atomic():
        point = ServicePoint.objects.select_for_update().select_related("region").get(pk=service_point_id)
        require_hall_admin(actor, point.region.code)
        errors: dict[str, list[str]] = {}
        new: dict[str, Any] = {}
        if "name" in fields:
            new["name"] = collect(errors, v.clean_required, fields["name"], "name", _("名称"), 128)
        if "address" in fields:
            new["address"] = collect(errors, v.clean_required, fields["address"], "address", _("地址"), 255)
        if "phone" in fields:
            new["phone"] = collect(errors, v.clean_service_phone, fields["phone"], "phone")
        if "weekday_hours" in fields:
            new["weekday_hours"] = collect(errors, _clean_hours, list(fields["weekday_hours"]))
        if "latitude" in fields:
            new["latitude"] = collect(errors, _clean_coordinate, fields["latitude"], "latitude", 90)
        if "longitude" in fields:
            new["longitude"] = collect(errors, _clean_coordinate, fields["longitude"], "longitude", 180)
        if "opening_hours" in fields:
            new["opening_hours"] = (fields["opening_hours"] or "").strip()
        if "active" in fields:
            new["active"] = bool(fields["active"])
        if errors:
            raise ValidationError(errors)
        changes = diff(point, new)
        for key, value in new.items():
            setattr(point, key, value)
        point.save()
        audit_record(
            actor=actor,
            action="org.service_point_updated",
            obj_type="org.service_point",
            obj_id=point.pk,
            summary=_("修改服务场所 %(name)s") % {"name": point.name},
            changes={k: [str(a), str(b)] for k, (a, b) in changes.items()},
        )
    return point


def window_create(
    *,
    actor: Actor | None,
    service_point_id: int,
    code: str,
    name: str,
    kind: str = Window.Kind.GENERAL,
    department_id: int | None = None,
    categories: Iterable[str] = (),
    active: bool = True,
) -> Window:
    errors: dict[str, list[str]] = {}
    point = ServicePoint.objects.select_related("region").filter(pk=service_point_id).first()
    if point is None:
        errors.setdefault("service_point_id", []).append(_("服务场所不存在"))
    code = collect(errors, v.clean_required, code, "code", _("窗口编号"), 16)
    name = collect(errors, v.clean_required, name, "name", _("窗口名称"), 64)
    if kind not in Window.Kind.values:
        errors.setdefault("kind", []).append(_("窗口类型无效"))
    department = None
    if department_id is not None:
        department = Department.objects.filter(pk=department_id).first()
        if department is None:
            errors.setdefault("department_id", []).append(_("部门不存在"))
    elif kind == Window.Kind.DEPARTMENT:
        errors.setdefault("department_id", []).append(_("部门窗口须指定部门"))
    categories = list(dict.fromkeys(categories))
    if any(c not in Category.values for c in categories):
        errors.setdefault("categories", []).append(
            _("受理类别无效，可选：%(choices)s")
            % {"choices": "、".join(str(lbl) for _c, lbl in Category.choices)}
        )
    if point is not None and code and Window.objects.filter(service_point=point, code=code).exists():
        errors.setdefault("code", []).append(_("该服务场所已有编号为%(code)s的窗口") % {"code": code})
    if errors:
        raise ValidationError(errors)
    assert point is not None
    require_hall_admin(actor, point.region.code)
    with transaction.atomic():
        window = Window.objects.create(
            service_point=point,
            code=code,
            name=name,
            kind=kind,
            department=department,
            categories=categories,
            active=active,
        )
        audit_record(
            actor=actor,
            action="org.window_created",
            obj_type="org.window",
            obj_id=window.pk,
            summary=_("新增窗口 %(point)s %(code)s") % {"point": point.name, "code": code},
        )
    return window


def window_update(
    *,
    actor: Actor | None,
    window_id: int,
    name: str = _UNSET,
    categories: Iterable[str] = _UNSET,
    active: bool = _UNSET,
) -> Window:
    with transaction.atomic():
        window = Window.objects.select_for_update().select_related("service_point__region").get(pk=window_id)
        require_hall_admin(actor, window.service_point.region.code)
        new: dict[str, Any] = {}
        if name is not _UNSET:
            new["name"] = v.clean_required(name, "name", _("窗口名称"), 64)
        if categories is not _UNSET:
            cats = list(dict.fromkeys(categories))
            if any(c not in Category.values for c in cats):
                raise ValidationError({"categories": [_("受理类别无效")]})
            new["categories"] = cats
        if active is not _UNSET:
            new["active"] = bool(active)
        changes = diff(window, new)
        for key, value in new.items():
            setattr(window, key, value)
        window.save()
        audit_record(
            actor=actor,
            action="org.window_updated",
            obj_type="org.window",
            obj_id=window.pk,
            summary=_("修改窗口 %(code)s") % {"code": window.code},
            changes=changes,
        )
    return window
