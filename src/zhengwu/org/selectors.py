"""Reads of the organisation, already filtered by the actor's scope.

Other apps use these (never org.models). Scope follows DOMAIN §5 through Actor.scope_q: supervisors
and hall managers see their whole region and below, department staff their own department and its
line (条线) counterparts below them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from zhengwu.core.access.actor import Actor, roles_of
from zhengwu.core.access.roles import Role
from zhengwu.core.audit.services import audit_pii_read

from .models import (
    Company,
    Department,
    PersonProfile,
    Region,
    ServicePoint,
    StaffProfile,
    Window,
)

# --- the acting user ------------------------------------------------------------------------


def actor_for_user(user: Any) -> Actor:
    """The Actor of a logged-in user, in at most two queries (settings.ACTOR_RESOLVER)."""
    roles: set[Role] = set()
    display_name = str(user)
    if getattr(user, "is_superuser", False):
        roles.add(Role.SYSADMIN)
    if getattr(user, "kind", "staff") != "applicant" or user.is_superuser:
        profile = StaffProfile.objects.select_related("department", "region").filter(user_id=user.pk).first()
        if profile is not None:
            window_ids = StaffProfile.windows.through.objects.filter(staffprofile_id=profile.pk).values_list(
                "window_id", flat=True
            )
            roles |= roles_of(profile.roles)
            return Actor(
                user_id=user.pk,
                roles=frozenset(roles),
                department_id=profile.department_id,
                department_line=profile.department.line,
                region_code=profile.region.code,
                window_ids=frozenset(window_ids),
                display_name=display_name,
            )
        # A staff account without a profile has no roles until an administrator assigns them.
        return Actor(user_id=user.pk, roles=frozenset(roles), display_name=display_name)
    # Applicants: a person, and an agent of every company that has authorised them today.
    roles.add(Role.APPLICANT)
    company_ids = set()
    for company_id, kind in _agent_links(user.pk, timezone.localdate()):
        company_ids.add(company_id)
        roles.add(Role.AGENCY if kind == Company.Kind.AGENCY else Role.COMPANY_AGENT)
    return Actor(
        user_id=user.pk, roles=frozenset(roles), company_ids=frozenset(company_ids), display_name=display_name
    )


def _agent_links(user_id: int, today: dt.date) -> list[tuple[int, str]]:
    """(company id, company kind) of every company that authorises the user on `today`, from the
    link's first day to its last, both included (the org tests pin both).

    Plain SQL: it runs on every request of an applicant, and the ORM took 0.5 ms of CPU to build a
    query that runs in 0.1 ms (bench/cases_submit_profile.py).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.company_id, c.kind FROM org_companyagent a JOIN org_company c ON c.id = a.company_id"
            " WHERE a.user_id = %s AND a.authorised_from <= %s"
            " AND (a.authorised_until IS NULL OR a.authorised_until >= %s)",
            [user_id, today, today],
        )
        return list(cursor.fetchall())


# --- public lists ---------------------------------------------------------------------------


def service_points_for_portal() -> list[dict[str, Any]]:
    """Every active service point for the public home page, in two queries."""
    points = (
        ServicePoint.objects.filter(active=True)
        .select_related("region")
        .annotate(windows_count=Count("windows", filter=Q(windows__active=True)))
        .order_by("region__code", "kind", "name")
    )
    return [
        {
            "id": p.pk,
            "name": p.name,
            "kind": p.kind,
            "kind_label": str(p.get_kind_display()),
            "level": p.level,
            "level_label": str(p.get_level_display()),
            "region_code": p.region.code,
            "region_name": p.region.name,
            "address": p.address,
            "hours": p.opening_hours,
            "weekday_hours": p.weekday_hours,
            "phone": p.phone,
            "latitude": p.latitude,
            "longitude": p.longitude,
            "windows": p.windows_count,
        }
        for p in points
    ]


def public_regions() -> QuerySet[Region]:
    return Region.objects.select_related("parent").order_by("code")


def public_departments() -> QuerySet[Department]:
    return Department.objects.filter(active=True).select_related("region").order_by("region__code", "name")


def public_service_points() -> QuerySet[ServicePoint]:
    return (
        ServicePoint.objects.filter(active=True)
        .select_related("region")
        .annotate(windows_count=Count("windows", filter=Q(windows__active=True)))
        .order_by("region__code", "name")
    )


def service_point_windows(point_ids: list[int]) -> QuerySet[Window]:
    return Window.objects.filter(service_point_id__in=point_ids, active=True).select_related("department")


# --- staff lists, scoped --------------------------------------------------------------------

DEPARTMENT_SCOPE = {"region_field": "region__code", "department_field": "id", "line_field": "line"}
STAFF_SCOPE = {
    "region_field": "department__region__code",
    "department_field": "department_id",
    "line_field": "department__line",
}


def departments_for(actor: Actor) -> QuerySet[Department]:
    return (
        Department.objects.filter(actor.scope_q(**DEPARTMENT_SCOPE))
        .select_related("region", "parent")
        .order_by("region__code", "name")
    )


def department_facts(*, ids: Iterable[int] = (), usccs: Iterable[str] = ()) -> list[tuple[Any, ...]]:
    """(id, name, uscc, line, region code, supervision contact phone) of the departments with these
    ids or USCCs, in one plain query: for services of other apps that only need the facts."""
    ids, usccs = list(ids), list(usccs)
    if not ids and not usccs:
        return []
    return list(
        Department.objects.filter(Q(pk__in=ids) | Q(uscc__in=usccs)).values_list(
            "pk", "name", "uscc", "line", "region__code", "supervision_contact_phone"
        )
    )


def regions_for(actor: Actor) -> QuerySet[Region]:
    """The actor's region and everything below it (all regions for a sysadmin)."""
    qs = Region.objects.select_related("parent").order_by("code")
    if Role.SYSADMIN in actor.roles:
        return qs
    if not actor.is_staff_actor or not actor.region_prefix:
        return qs.none()
    return qs.filter(code__startswith=actor.region_prefix)


def service_points_for(actor: Actor) -> QuerySet[ServicePoint]:
    q = actor.scope_q(region_field="region__code", department_field=None)
    return (
        ServicePoint.objects.filter(q)
        .select_related("region")
        .annotate(windows_count=Count("windows"))
        .order_by("region__code", "name")
    )


def windows_for(actor: Actor) -> QuerySet[Window]:
    q = actor.scope_q(region_field="service_point__region__code", department_field=None)
    return (
        Window.objects.filter(q)
        .select_related("service_point", "department")
        .order_by("service_point__region__code", "service_point__name", "code")
    )


def staff_for(actor: Actor) -> QuerySet[StaffProfile]:
    return (
        StaffProfile.objects.filter(actor.scope_q(**STAFF_SCOPE))
        .select_related("user", "department", "region")
        .prefetch_related("windows")
        .order_by("department__region__code", "department__name", "user__username")
    )


def staff_summary(user_id: int) -> dict[str, Any] | None:
    """Department and region names of one staff member (for account lists and the demo table)."""
    profile = StaffProfile.objects.select_related("department", "region").filter(user_id=user_id).first()
    if profile is None:
        return None
    return {
        "department": profile.department.name,
        "department_id": profile.department_id,
        "region": profile.region.name,
        "region_code": profile.region.code,
        "roles": list(profile.roles),
    }


# --- personal data --------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonView:
    user_id: int
    name: str
    id_number: str
    phone: str
    address: str
    masked: bool


def person_profile_for(actor: Actor, user_id: int, full: bool = False) -> PersonView | None:
    """An applicant's profile: masked unless full=True, and every full read is audited.

    The applicant sees their own data; window clerks, reviewers and approvers may read it (they
    handle the applicant's cases); nobody else gets it at all.
    """
    own = actor.user_id is not None and actor.user_id == user_id
    if not own and not actor.has_role(
        Role.WINDOW_CLERK, Role.REVIEWER, Role.APPROVER, Role.CHIEF_REPRESENTATIVE
    ):
        return None
    profile = PersonProfile.objects.filter(user_id=user_id).first()
    if profile is None:
        return None
    if full:
        audit_pii_read(
            actor=actor,
            obj_type="org.person_profile",
            obj_id=profile.pk,
            fields=["id_number", "phone", "address"],
            purpose="" if not own else "本人查看",
        )
        return PersonView(user_id, profile.name, profile.id_number, profile.phone, profile.address, False)
    return PersonView(
        user_id, profile.name, profile.masked_id_number, profile.masked_phone, profile.masked_address, True
    )


def companies_for(actor: Actor) -> QuerySet[Company]:
    """Companies an agent may act for (staff with a sysadmin role see all)."""
    if Role.SYSADMIN in actor.roles:
        return Company.objects.all()
    return Company.objects.filter(pk__in=actor.company_ids)


# --- bulk lookups (catalogue import/export): one query each, keyed by the natural identifier ---


def departments_by_uscc(usccs: Iterable[str]) -> dict[str, Department]:
    """Departments (with their region) for the given USCCs; unknown codes are simply absent."""
    return {d.uscc: d for d in Department.objects.select_related("region").filter(uscc__in=set(usccs))}


def regions_by_code(codes: Iterable[str]) -> dict[str, Region]:
    return {r.code: r for r in Region.objects.filter(code__in=set(codes))}


def service_points_by_name(names: Iterable[str]) -> dict[str, ServicePoint]:
    """Service points by name (active or not); the catalogue refers to halls by name in its files."""
    return {p.name: p for p in ServicePoint.objects.select_related("region").filter(name__in=set(names))}


def service_point_names(ids: Iterable[int]) -> dict[int, str]:
    return dict(ServicePoint.objects.filter(pk__in=set(ids)).values_list("pk", "name"))


# --- for case intake (zhengwu.cases) ----------------------------------------------------------


def person_user_id_for_id_number(id_number: str) -> int | None:
    """The account of the person with this ID number, if they have registered (window intake links
    a walk-in's case to their account so it appears under 我的办件)."""
    return PersonProfile.objects.filter(id_number=id_number).values_list("user_id", flat=True).first()


def company_for_agent(actor: Actor, company_id: int) -> Company | None:
    """A company the actor is an authorised agent of today (None otherwise)."""
    if company_id not in actor.company_ids:
        return None
    return Company.objects.filter(pk=company_id).first()
