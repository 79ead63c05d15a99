"""Reads of the catalogue for the statistics app: how far each item in use can be handled online.

三率一数 (DOMAIN §5) needs, per item: fully online (网上办理深度 四级 全程网办) or not, and the number
of visits to the service hall it needs (到办事现场次数). Scoped like the catalogue's staff pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhengwu.core.access.actor import Actor

from ..models import ServiceItem
from ..models.choices import OnlineDepth, VersionStatus

ITEM_SCOPE = {
    "region_field": "region__code",
    "department_field": "department_id",
    "line_field": "department__line",
}


@dataclass(frozen=True)
class ItemLevel:
    region_code: str
    department_id: int
    department_line: str
    department_name: str
    code: str
    name: str
    full_online: bool
    visits: int


def item_service_levels(actor: Actor) -> list[ItemLevel]:
    """Items in use (effective current version) the actor may see, one query."""
    rows = (
        ServiceItem.objects.filter(actor.scope_q(**ITEM_SCOPE))
        .filter(is_active=True, current_version__status=VersionStatus.EFFECTIVE)
        .order_by("region__code", "department_id", "implementation_code")
        .values_list(
            "region__code",
            "department_id",
            "department__line",
            "department__name",
            "implementation_code",
            "current_version__name",
            "current_version__online_depth",
            "current_version__visits",
        )
    )
    return [
        ItemLevel(region, dept, line or "", dname, code, name, depth == OnlineDepth.FULL_ONLINE, visits)
        for region, dept, line, dname, code, name, depth, visits in rows
    ]
