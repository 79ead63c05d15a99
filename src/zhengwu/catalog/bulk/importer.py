"""Import of a whole catalogue (JSON or Excel): every row checked, then all written or nothing.

A bulk import is how an existing catalogue migrates in, so imported versions become effective at
once (no review round): audited as one action carrying the file's sha256. An item whose
implementation code already exists in the region gets a new version superseding the current one.
Writes go in batches, a fixed number of queries per batch whatever the batch's size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengwu.core.access.actor import Actor
from zhengwu.core.access.roles import Role
from zhengwu.core.audit.services import audit_record

from ..models import (
    Bundle,
    BundleItem,
    FormField,
    ItemVersion,
    MaterialRequirement,
    ProcedureStep,
    ServiceItem,
)
from ..models.choices import ChangeKind, VersionStatus
from .checks import Plan, Typed, check
from .columns import ITEM_COLUMNS, VERSION_COLUMNS
from .sql import insert_rows, update_rows
from .tables import FlatData, ImportIssue, flatten

BATCH = 1000
_ITEM_FIELDS = [c.key for c in ITEM_COLUMNS if c.key not in {"department_uscc", "region_code"}]
_VERSION_FIELDS = [
    c.key for c in VERSION_COLUMNS if c.key not in {"service_points", "result_sample_file", "effective_on"}
]


@dataclass
class ImportReport:
    sha256: str = ""
    dry_run: bool = False
    items_created: int = 0
    items_updated: int = 0
    versions: int = 0
    materials: int = 0
    form_fields: int = 0
    steps: int = 0
    bundles_created: int = 0
    bundles_updated: int = 0
    errors: list[ImportIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if isinstance(v, int) and not isinstance(v, bool)}


def can_import(actor: Actor | None) -> bool:
    # The whole catalogue of a city: the reform office (hall managers) or a system administrator.
    return actor is not None and actor.user_id is not None and actor.has_role(Role.HALL_MANAGER)


def catalog_import(
    *,
    actor: Actor,
    data: FlatData | dict[str, Any],
    dry_run: bool = False,
    update: bool = True,
    effective_on: dt.date | None = None,
    reindex: bool = True,
) -> ImportReport:
    """Check every row of `data` (the JSON format as a dict, or tables read from a file) and write it.

    Returns a report; when `report.errors` is not empty nothing was written. `update=False` refuses
    rows whose implementation code already exists in the region instead of superseding them.
    """
    if not can_import(actor):
        raise PermissionDenied(_("只有系统管理员或审改办人员可以批量导入事项目录"))
    flat = data if isinstance(data, FlatData) else flatten(data)
    plan = check(flat, update=update)
    report = ImportReport(sha256=flat.sha256, dry_run=dry_run, errors=plan.issues)
    if plan.issues or dry_run:
        _count_planned(plan, report)
        return report
    day = effective_on or flat.effective_on or timezone.localdate()
    with transaction.atomic():
        for batch in _batches(plan.items):
            _write_items(batch, plan, report, actor=actor, day=day)
        _write_bundles(plan, report)
        audit_record(
            actor=actor,
            action="catalog.import",
            obj_type="catalog.import",
            obj_id=flat.sha256[:64] or "-",
            summary=_("批量导入事项目录：新增事项 %(new)s 个，更新 %(updated)s 个，一件事 %(bundles)s 个")
            % {
                "new": report.items_created,
                "updated": report.items_updated,
                "bundles": report.bundles_created + report.bundles_updated,
            },
            extra={"sha256": flat.sha256, "effective_on": day.isoformat(), **report.counts()},
        )
    if reindex:
        _reindex()
    return report


def _reindex() -> None:
    try:
        from ..search_index import catalog_reindex
    except ImportError:  # the portal's search index is optional for the importer
        return
    catalog_reindex()


def _count_planned(plan: Plan, report: ImportReport) -> None:
    for t in plan.items:
        if (t.data["_region"].pk, t.data["implementation_code"]) in plan.existing:
            report.items_updated += 1
        else:
            report.items_created += 1
    report.versions = len(plan.items)
    report.materials = sum(len(v) for v in plan.parts["materials"].values())
    report.form_fields = sum(len(v) for v in plan.parts["form_fields"].values())
    report.steps = sum(len(v) for v in plan.parts["steps"].values())
    for t in plan.bundles:
        if t.data["code"] in plan.existing_bundles:
            report.bundles_updated += 1
        else:
            report.bundles_created += 1


def _batches(rows: list[Typed]) -> Iterator[list[Typed]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def _write_items(batch: list[Typed], plan: Plan, report: ImportReport, *, actor: Actor, day: dt.date) -> None:
    now = timezone.now()
    assert actor.user_id is not None  # can_import() refuses anonymous actors
    new_items, old_items, pairs = [], [], []
    for t in batch:
        d = t.data
        item = plan.existing.get((d["_region"].pk, d["implementation_code"]))
        if item is None:
            item = ServiceItem(department=d["_department"], region=d["_region"])
            new_items.append(item)
        else:
            old_items.append(item)
        for key in _ITEM_FIELDS:
            setattr(item, key, d[key])
        pairs.append((item, d))
    ServiceItem.objects.bulk_create(new_items)
    numbers: dict[int, int] = {}
    if old_items:
        old_ids = [i.pk for i in old_items]
        numbers = dict(
            ItemVersion.objects.filter(item_id__in=old_ids)
            .values("item_id")
            .annotate(top=Max("number"))
            .values_list("item_id", "top")
        )
        ItemVersion.objects.filter(item_id__in=old_ids, status=VersionStatus.EFFECTIVE).update(
            status=VersionStatus.SUPERSEDED, superseded_on=day, updated_at=now
        )
    reason = _("批量导入（文件 SHA-256：%(sha)s）") % {"sha": report.sha256 or "-"}
    versions = []
    for item, d in pairs:
        version = ItemVersion(
            item=item,
            number=numbers.get(item.pk, 0) + 1,
            status=VersionStatus.EFFECTIVE,
            change_kind=ChangeKind.ADJUST if item.pk in numbers else ChangeKind.ADD,
            change_reason=reason,
            service_point_ids=[plan.points[n].pk for n in d["service_points"]],
            result_sample_file_id=d["result_sample_file"],
            effective_on=d["effective_on"] or day,
            created_by_id=actor.user_id,
            **{key: d[key] for key in _VERSION_FIELDS},
        )
        version.name = d["name"]
        versions.append(version)
    ItemVersion.objects.bulk_create(versions)
    for (item, _d), version in zip(pairs, versions, strict=True):
        item.current_version = version
        item.is_active = True
        item.updated_at = now
    if old_items:
        update_rows(ServiceItem, old_items, _ITEM_FIELDS)
    # One UPDATE with a subquery instead of a CASE per row: the new effective version of each item.
    ServiceItem.objects.filter(pk__in=[item.pk for item, _d in pairs]).update(
        current_version=Subquery(
            ItemVersion.objects.filter(item=OuterRef("pk"), status=VersionStatus.EFFECTIVE)
            .order_by("-number")
            .values("pk")[:1]
        ),
        is_active=True,
        updated_at=now,
    )
    _write_parts(pairs, versions, plan, report)
    report.items_created += len(new_items)
    report.items_updated += len(old_items)
    report.versions += len(versions)


def _write_parts(
    pairs: list[tuple[ServiceItem, dict]], versions: list[ItemVersion], plan: Plan, report: ImportReport
) -> None:
    materials, fields, steps = [], [], []
    for (_item, d), version in zip(pairs, versions, strict=True):
        code = d["implementation_code"]
        for t in plan.parts["materials"].get(code, []):
            m = t.data
            materials.append(
                dict(
                    version_id=version.pk,
                    order=m["order"],
                    name=m["name"],
                    source=m["source"],
                    license_type_code=m["license_type_code"],
                    originals=m["originals"],
                    copies=m["copies"],
                    medium=m["medium"],
                    required=m["required"],
                    deferrable=m["deferrable"],
                    is_form=m["is_form"],
                    blank_form_file_id=m["blank_form_file"],
                    sample_file_id=m["sample_file"],
                    notes=m["notes"],
                )
            )
        for t in plan.parts["form_fields"].get(code, []):
            f = t.data
            fields.append(
                dict(
                    version_id=version.pk,
                    order=f["order"],
                    key=f["key"],
                    label=f["label"],
                    field_type=f["field_type"],
                    required=f["required"],
                    choices=f["choices"],
                    validation=f["validation"] or {},
                    help_text=f["help_text"],
                    prefill=f["prefill"],
                )
            )
        for t in plan.parts["steps"].get(code, []):
            s = t.data
            steps.append(
                dict(
                    version_id=version.pk,
                    order=s["order"],
                    name=s["name"],
                    stage=s["stage"],
                    role=s["role"],
                    limit=s["limit"],
                    description=s["description"],
                )
            )
    insert_rows(MaterialRequirement, materials)
    insert_rows(FormField, fields)
    insert_rows(ProcedureStep, steps)
    report.materials += len(materials)
    report.form_fields += len(fields)
    report.steps += len(steps)


_BUNDLE_FIELDS = [
    "name",
    "audience",
    "themes",
    "aliases",
    "description",
    "promised_limit",
    "deemed_consent",
    "is_published",
]


def _write_bundles(plan: Plan, report: ImportReport) -> None:
    if not plan.bundles:
        return
    codes = {m["implementation_code"] for t in plan.bundles for m in t.data["items"]}
    # Items as they are now, including the ones this import just created.
    by_code: dict[str, list[ServiceItem]] = {}
    for item in ServiceItem.objects.filter(implementation_code__in=codes).only(
        "pk", "region_id", "implementation_code"
    ):
        by_code.setdefault(item.implementation_code, []).append(item)
    new: list[Bundle] = []
    old: list[Bundle] = []
    for t in plan.bundles:
        d = t.data
        bundle = plan.existing_bundles.get(d["code"]) or Bundle(code=d["code"])
        (old if bundle.pk else new).append(bundle)
        bundle.region, bundle.lead_department = d["_region"], d["_lead"]
        for key in _BUNDLE_FIELDS:
            setattr(bundle, key, d[key])
    Bundle.objects.bulk_create(new)
    if old:
        Bundle.objects.bulk_update(old, ["region", "lead_department", *_BUNDLE_FIELDS])
        BundleItem.objects.filter(bundle__in=old).delete()
    saved = {b.code: b for b in [*new, *old]}
    members = []
    for t in plan.bundles:
        target = saved[t.data["code"]]
        for order, member in enumerate(t.data["items"], start=1):
            candidates = by_code[member["implementation_code"]]
            # The same code may exist in several regions: prefer the bundle's own region.
            item = next((i for i in candidates if i.region_id == target.region.pk), candidates[0])
            members.append(BundleItem(bundle=target, item=item, order=order, optional=member["optional"]))
    BundleItem.objects.bulk_create(members)
    report.bundles_created += len(new)
    report.bundles_updated += len(old)
