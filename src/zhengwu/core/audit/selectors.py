"""Reading the audit log, scoped: administrators see all, supervisors and hall managers their region."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role

from .models import AuditEntry

AUDIT_READER_ROLES = (Role.SYSADMIN, Role.SUPERVISOR, Role.HALL_MANAGER)


def can_read_audit(actor: Actor) -> bool:
    return actor.is_authenticated and actor.has_role(*AUDIT_READER_ROLES)


def audit_entries_for(actor: Actor) -> QuerySet[AuditEntry]:
    """Rows the actor may see; empty for anyone who is not an audit reader."""
    if Role.SYSADMIN in actor.roles:
        return AuditEntry.objects.all()
    if not can_read_audit(actor) or not actor.region_prefix:
        return AuditEntry.objects.none()
    return AuditEntry.objects.filter(actor_region_code__startswith=actor.region_prefix)


@dataclass(frozen=True)
class AuditFilters:
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None  # inclusive, in local time
    actor: str = ""  # a user id (digits) or part of a name
    action: str = ""  # exact action or a prefix such as "org." or "org.department"
    obj_type: str = ""
    obj_id: str = ""
    channel: str = ""
    pii_only: bool = False


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def audit_search(actor: Actor, filters: AuditFilters) -> QuerySet[AuditEntry]:
    qs = audit_entries_for(actor)
    if filters.date_from:
        qs = qs.filter(occurred_at__gte=_local_midnight(filters.date_from))
    if filters.date_to:
        qs = qs.filter(occurred_at__lt=_local_midnight(filters.date_to + datetime.timedelta(days=1)))
    who = filters.actor.strip()
    if who:
        by_name = Q(actor_name__icontains=who)
        qs = qs.filter(by_name | Q(actor_user_id=int(who)) if who.isdigit() else by_name)
    action = filters.action.strip()
    if action:
        qs = qs.filter(Q(action=action) | Q(action__startswith=action.rstrip(".") + "."))
    if filters.obj_type.strip():
        qs = qs.filter(obj_type=filters.obj_type.strip())
    if filters.obj_id.strip():
        qs = qs.filter(obj_id=filters.obj_id.strip())
    if filters.channel:
        qs = qs.filter(channel=filters.channel)
    if filters.pii_only:
        qs = qs.filter(is_pii_read=True)
    return qs.order_by("-occurred_at", "-id")
