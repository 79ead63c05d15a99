"""Lookups, permission checks and event payloads shared by the catalogue's write services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role
from zhengwu.core.calendar import local_day

from ..models import ItemVersion, ServiceItem

ITEM_SCOPE = {
    "region_field": "region__code",
    "department_field": "department_id",
    "line_field": "department__line",
}
VERSION_SCOPE = {
    "region_field": "item__region__code",
    "department_field": "item__department_id",
    "line_field": "item__department__line",
}
# Department staff draft their own items (DOMAIN §4); the reform office (审改办, in the government
# services bureau) reviews. SYSADMIN passes every has_role check.
DRAFTER_ROLES = (Role.REVIEWER, Role.APPROVER)
REVIEWER_ROLES = (Role.HALL_MANAGER,)


def today() -> dt.date:
    return local_day(timezone.now())


def user_id_of(actor: Actor) -> int:
    if actor.user_id is None:  # the require_* checks refuse anonymous actors before this
        raise PermissionDenied(_("请先登录。"))
    return actor.user_id


def require_drafter(actor: Actor) -> None:
    if actor.user_id is None or not actor.has_role(*DRAFTER_ROLES):
        raise PermissionDenied(_("您没有起草事项变更的权限。"))


def require_reform_office(actor: Actor) -> None:
    if actor.user_id is None or not actor.has_role(*REVIEWER_ROLES):
        raise PermissionDenied(_("只有审改部门（大厅管理人员）可以审核事项变更。"))


def items_in_scope(actor: Actor) -> QuerySet[ServiceItem]:
    return ServiceItem.objects.filter(actor.scope_q(**ITEM_SCOPE))


def versions_in_scope(actor: Actor) -> QuerySet[ItemVersion]:
    return ItemVersion.objects.filter(actor.scope_q(**VERSION_SCOPE))


def _pk(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


def lock_item(actor: Actor | None, item_id: Any) -> ServiceItem:
    """The item, locked for the transition; 404 when missing or outside the actor's scope."""
    pk = _pk(item_id)
    if actor is not None and not items_in_scope(actor).filter(pk=pk).exists():
        raise Http404
    try:
        return (
            ServiceItem.objects.select_for_update(of=("self",))
            .select_related("region", "department")
            .get(pk=pk)
        )
    except ServiceItem.DoesNotExist:
        raise Http404 from None


def lock_version(actor: Actor | None, version_id: Any) -> ItemVersion:
    """Lock the item, then the version (always in that order, so two transitions cannot deadlock)."""
    pk = _pk(version_id)
    qs = versions_in_scope(actor) if actor is not None else ItemVersion.objects.all()
    item_id = qs.filter(pk=pk).values_list("item_id", flat=True).first()
    if item_id is None:
        raise Http404
    item = lock_item(None, item_id)
    version = ItemVersion.objects.select_for_update(of=("self",)).get(pk=pk)
    version.item = item
    return version


def version_payload(version: ItemVersion, **extra: Any) -> dict[str, Any]:
    item = version.item
    return {
        "item_id": item.pk,
        "version_id": version.pk,
        "number": version.number,
        "implementation_code": item.implementation_code,
        "name": version.name,
        "department_id": item.department_id,
        "region_code": item.region.code,
        "change_kind": version.change_kind,
        "status": version.status,
        **extra,
    }


def status_label(status: str) -> str:
    from ..models.choices import VersionStatus

    return str(VersionStatus(status).label) if status in VersionStatus.values else status
