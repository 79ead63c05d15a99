"""一件事 bundles: created and published by the hall (they cross departments)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.regions import region_prefix
from zhengwu.core.access.roles import Role
from zhengwu.core.audit.services import audit_record
from zhengwu.org import selectors as org_selectors

from .. import validation as v
from ..models import Bundle, BundleItem, ServiceItem
from ..models.choices import Audience

EDITABLE_BUNDLE_FIELDS = {
    "name",
    "audience",
    "themes",
    "aliases",
    "description",
    "promised_limit",
    "deemed_consent",
}


def _require_hall(actor: Actor) -> None:
    if actor.user_id is None or not actor.has_role(Role.HALL_MANAGER):
        raise PermissionDenied(_("只有大厅管理人员可以维护“一件事”。"))


def _clean_fields(fields: dict[str, Any], errors: dict[str, list[str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in fields.items():
        try:
            if key == "name":
                value = (value or "").strip()
                if not value or len(value) > 100:
                    raise ValidationError({"name": [_("请填写名称（不超过100个字）。")]})
            elif key == "audience":
                if value not in Audience.values:
                    raise ValidationError({"audience": [_("服务对象无效。")]})
            elif key == "themes":
                value = v.validate_themes(value)
            elif key == "aliases":
                value = v.validate_aliases(value)
            elif key == "promised_limit":
                if value not in (None, ""):
                    value = int(value)
                    if value < 0:
                        raise ValueError
                else:
                    value = None
            elif key == "description":
                value = (value or "").strip()
            elif key == "deemed_consent":
                value = bool(value)
            out[key] = value
        except ValidationError as exc:
            v.merge_errors(errors, exc)
        except (TypeError, ValueError):
            errors.setdefault(key, []).append(_("承诺时限应为不小于0的整数。"))
    return out


def _items(item_ids: Iterable[Any], region_code: str, errors: dict[str, list[str]]) -> list[int]:
    try:
        ids = v.validate_int_list("item_ids", list(item_ids), _("事项"))
    except ValidationError as exc:
        v.merge_errors(errors, exc)
        return []
    if len(ids) < 2:
        errors.setdefault("item_ids", []).append(_("“一件事”至少包含两个事项。"))
        return ids
    found = set(
        ServiceItem.objects.filter(
            pk__in=ids, region__code__startswith=region_prefix(region_code) if region_code else "-"
        ).values_list("pk", flat=True)
    )
    if missing := [str(i) for i in ids if i not in found]:
        errors.setdefault("item_ids", []).append(
            _("事项不存在或不属于本地区：%(ids)s。") % {"ids": "、".join(missing)}
        )
    return ids


def _set_members(bundle: Bundle, ids: list[int], optional_ids: set[int]) -> None:
    BundleItem.objects.filter(bundle=bundle).delete()
    BundleItem.objects.bulk_create(
        BundleItem(bundle=bundle, item_id=pk, order=i, optional=pk in optional_ids)
        for i, pk in enumerate(ids, start=1)
    )


@transaction.atomic
def bundle_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    region_code: str,
    lead_department_id: int,
    item_ids: Iterable[int],
    optional_item_ids: Iterable[int] = (),
    audience: str = Audience.BOTH,
    themes: Iterable[str] = (),
    aliases: Iterable[str] = (),
    description: str = "",
    promised_limit: int | None = None,
    deemed_consent: bool = True,
) -> Bundle:
    _require_hall(actor)
    errors: dict[str, list[str]] = {}
    code = (code or "").strip()
    if not code or slugify(code) != code:
        errors["code"] = [_("编码只能由小写字母、数字、连字符组成。")]
    elif Bundle.objects.filter(code=code).exists():
        errors["code"] = [_("编码“%(c)s”已被使用。") % {"c": code}]
    region = org_selectors.regions_for(actor).filter(code=region_code).first()
    if region is None:
        errors["region_code"] = [_("区划不存在或不在您的管辖范围内。")]
    dept = org_selectors.public_departments().filter(pk=_int(lead_department_id)).first()
    if dept is None:
        errors["lead_department_id"] = [_("牵头部门不存在。")]
    fields = _clean_fields(
        {
            "name": name,
            "audience": audience,
            "themes": list(themes),
            "aliases": list(aliases),
            "description": description,
            "promised_limit": promised_limit,
            "deemed_consent": deemed_consent,
        },
        errors,
    )
    ids = _items(item_ids, region_code or "", errors)
    v.raise_if(errors)
    bundle = Bundle.objects.create(code=code, region_id=region.pk, lead_department_id=dept.pk, **fields)  # type: ignore[union-attr]
    _set_members(bundle, ids, set(_int_list(optional_item_ids)))
    audit_record(
        actor=actor,
        action="catalog.bundle.create",
        obj_type="catalog.bundle",
        obj_id=bundle.pk,
        summary=_("新建“一件事”“%(name)s”") % {"name": bundle.name},
        extra={"item_ids": ids},
    )
    return bundle


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def _int_list(values: Iterable[Any]) -> list[int]:
    return [_int(x) for x in values]


def _lock_bundle(actor: Actor, bundle_id: Any) -> Bundle:
    bundle = (
        Bundle.objects.select_for_update(of=("self",))
        .select_related("region")
        .filter(pk=_int(bundle_id))
        .first()
    )
    if bundle is None or not actor.sees(region_code=bundle.region.code):
        raise Http404
    return bundle


@transaction.atomic
def bundle_update(
    *,
    actor: Actor,
    bundle_id: int,
    item_ids: Iterable[int] | None = None,
    optional_item_ids: Iterable[int] = (),
    **fields: Any,
) -> Bundle:
    _require_hall(actor)
    bundle = _lock_bundle(actor, bundle_id)
    errors: dict[str, list[str]] = {}
    for key in set(fields) - EDITABLE_BUNDLE_FIELDS:
        errors[key] = [_("字段“%(f)s”不存在或不可修改。") % {"f": key}]
    clean = _clean_fields({k: val for k, val in fields.items() if k in EDITABLE_BUNDLE_FIELDS}, errors)
    ids = _items(item_ids, bundle.region.code, errors) if item_ids is not None else None
    v.raise_if(errors)
    changes = {k: [getattr(bundle, k), val] for k, val in clean.items() if getattr(bundle, k) != val}
    for k, val in clean.items():
        setattr(bundle, k, val)
    bundle.save()
    if ids is not None:
        old = list(BundleItem.objects.filter(bundle=bundle).values_list("item_id", flat=True))
        _set_members(bundle, ids, set(_int_list(optional_item_ids)))
        if old != ids:
            changes["item_ids"] = [old, ids]
    audit_record(
        actor=actor,
        action="catalog.bundle.update",
        obj_type="catalog.bundle",
        obj_id=bundle.pk,
        summary=_("修改“一件事”“%(name)s”") % {"name": bundle.name},
        changes=changes,
    )
    return bundle


@transaction.atomic
def bundle_publish(*, actor: Actor, bundle_id: int, published: bool = True) -> Bundle:
    """Show (or hide) a bundle on the portal; every required member must be in force to show it."""
    _require_hall(actor)
    bundle = _lock_bundle(actor, bundle_id)
    if published:
        inactive = list(
            BundleItem.objects.filter(bundle=bundle, optional=False, item__is_active=False).values_list(
                "item__name", flat=True
            )
        )
        if inactive:
            raise ValidationError(
                {NON_FIELD_ERRORS: [_("以下事项尚未生效，不能发布：%(n)s。") % {"n": "、".join(inactive)}]}
            )
    if bundle.is_published != published:
        bundle.is_published = published
        bundle.save(update_fields=["is_published", "updated_at"])
        audit_record(
            actor=actor,
            action="catalog.bundle.publish" if published else "catalog.bundle.unpublish",
            obj_type="catalog.bundle",
            obj_id=bundle.pk,
            summary=(_("发布“一件事”“%(name)s”") if published else _("下线“一件事”“%(name)s”"))
            % {"name": bundle.name},
        )
    return bundle
