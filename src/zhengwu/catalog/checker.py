"""The guide-quality checker: every DOMAIN §4 rule as a named check (errors block submission).

`check_version(version)` runs every rule on one version; `check_catalogue()` runs them on the whole
catalogue in a constant number of queries and groups the failing versions by department.
Rules are plain functions registered with @rule; each yields (message, field) pairs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengwu.core.calendar import local_day

from .models import ItemVersion, MaterialRequirement, ProcedureStep
from .models.choices import Channel, ItemType, OnlineDepth, ResultType, Stage, VersionStatus
from .validation import promised_exceeds_statutory

ERROR = "error"
WARNING = "warning"
# Words that make a material list vague (the seeds' most common complaint).
VAGUE_WORDS = ("其他材料", "相关材料", "等材料", "其他相关")
REQUIRED_LICENSING_STAGES = (Stage.ACCEPT, Stage.REVIEW, Stage.DECIDE, Stage.COMPLETE, Stage.DELIVER)


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # "error" | "warning"
    message: str
    field: str = ""

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    title: Any  # lazy Chinese title, for the docs and the report legend
    fn: Callable[[ItemVersion, dt.date], Iterator[tuple[str, str]]]


RULES: list[Rule] = []


def rule(code: str, severity: str, title: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        RULES.append(Rule(code, severity, title, fn))
        return fn

    return register


# --- errors --------------------------------------------------------------------------------


@rule("vague_material", ERROR, gettext_lazy("材料名称含糊（其他材料、相关材料……）"))
def _vague_material(v: ItemVersion, today: dt.date) -> Iterator[tuple[str, str]]:
    for m in v.materials.all():
        if any(word in m.name for word in VAGUE_WORDS):
            yield _("材料“%(name)s”名称含糊，请逐项列明具体材料。") % {"name": m.name}, "materials"


@rule("no_time_limit", ERROR, gettext_lazy("未设定办结时限"))
def _no_time_limit(v: ItemVersion, today: dt.date) -> Iterator[tuple[str, str]]:
    if v.statutory_limit is None:
        yield _("未填写法定办结时限。"), "statutory_limit"
    if v.promised_limit is None:
        yield _("未填写承诺办结时限。"), "promised_limit"


@rule("no_legal_basis", ERROR, gettext_lazy("未列明设定依据"))
def _no_legal_basis(v: ItemVersion, today: dt.date) -> Iterator[tuple[str, str]]:
    if not v.legal_basis.strip():
        yield _("未填写设定依据（法律法规名称及条款）。"), "legal_basis"


@rule("no_supervision_phone", ERROR, gettext_lazy("未公布监督投诉电话"))
def _no_supervision_phone(v: ItemVersion, today: dt.date) -> Iterator[tuple[str, str]]:
    if not v.supervision_phone.strip():
        yield _("未填写监督投诉电话。"), "supervision_phone"


@rule("form_without_blank_or_sample", ERROR, gettext_lazy("申请表格缺少空白表格或示例样表"))
def _form_files(v: ItemVersion, today: dt.date) -> Iterator[tuple[str, str]]:
    for m in v.materials.all():
        if not m.is_form:
            continue
        missing = []
        if not m.blank_form_file_id:
            missing.append(_("空白表格"))
        if not m.sample_file_id:
            missing.append(_("示例样表"))
        if missing:
            yield (
                _("表格“%(name)s”缺少%(what)s。") % {"name": m.name, "what": "和".join(missing)},
                "materials",
            )


@rule("fee_without_basis", ERROR, gettext_lazy("收费缺少收费依据"))
def _fee_without_basis(v: ItemVersion, today: dt.date) -> Iterator[tuple[str, str]]:
    if v.charges_fee and not v.fees:
        yield _("已勾选收费，但未列出收费项目和收费依据。"), "fees"
    for fee in v.fees or []:
        if isinstance(fee, dict) and not str(fee.get("basis", "")).strip():
            yield _("收费项目“%(name)s”未列明收费依据。") % {"name": fee.get("name", "")}, "fees"


@rule("visits_without_reason", ERROR, gettext_lazy("需到现场办理但未说明原因"))
def _visits_without_reason(v: ItemVersion, today: dt.date) -> Iterator[tuple[str, str]]:
    if v.visits > 0 and not v.visits_reason.strip():
        yield _("需到现场%(n)d次，但未说明必须现场办理的原因。") % {"n": v.visits}, "visits_reason"


@rule("licensing_missing_stages", ERROR, gettext_lazy("行政许可事项缺少受理、审查、决定、办结、送达环节"))
def _licensing_stages(v: ItemVersion, today: dt.date) -> Iterator[tuple[str, str]]:
    if v.item.item_type != ItemType.LICENSING:
        return
    present = {s.stage for s in v.steps.all()}
    missing = [Stage(s).label for s in REQUIRED_LICENSING_STAGES if s not in present]
    if missing:
        yield _("行政许可事项缺少以下环节：%(s)s。") % {"s": "、".join(str(m) for m in missing)}, "steps"


@rule("promised_exceeds_statutory", ERROR, gettext_lazy("承诺时限长于法定时限"))
def _promised_exceeds(v: ItemVersion, today: dt.date) -> Iterator[tuple[str, str]]:
    if promised_exceeds_statutory(v.promised_limit, v.promised_unit, v.statutory_limit, v.statutory_unit):
        yield _("承诺办结时限不能长于法定办结时限。"), "promised_limit"


@rule("intermediary_unnamed", ERROR, gettext_lazy("需要中介服务但未列明"))
def _intermediary_unnamed(v: ItemVersion, today: dt.date) -> Iterator[tuple[str, str]]:
    if v.needs_intermediary and not v.intermediary_services.strip():
        yield _("需要中介服务，但未列明中介服务事项名称。"), "intermediary_services"


# --- warnings ------------------------------------------------------------------------------


@rule("no_consultation_phone", WARNING, gettext_lazy("未公布咨询电话"))
def _no_consultation_phone(v: ItemVersion, today: dt.date) -> Iterator[tuple[str, str]]:
    if not v.consultation_phone.strip():
        yield _("未填写咨询电话。"), "consultation_phone"


@rule("no_materials", WARNING, gettext_lazy("未列出申请材料"))
def _no_materials(v: ItemVersion, today: dt.date) -> Iterator[tuple[str, str]]:
    if not v.materials.all():
        yield _("未列出任何申请材料，请确认确实无需材料。"), "materials"


@rule("full_online_without_online_channel", WARNING, gettext_lazy("全程网办但未开通网上渠道"))
def _online_channel(v: ItemVersion, today: dt.date) -> Iterator[tuple[str, str]]:
    if v.online_depth == OnlineDepth.FULL_ONLINE and Channel.ONLINE not in (v.channels or []):
        yield _("网上办理深度为四级（全程网办），但办理渠道未包含网上办理。"), "channels"


@rule("license_without_type_code", WARNING, gettext_lazy("证照类结果缺少电子证照类型代码"))
def _license_type(v: ItemVersion, today: dt.date) -> Iterator[tuple[str, str]]:
    if v.result_type == ResultType.LICENSE and not v.license_type_code.strip():
        yield _("审批结果为证照，但未填写电子证照类型代码。"), "license_type_code"


@rule("window_without_service_point", WARNING, gettext_lazy("窗口办理但未指定办理地点"))
def _window_point(v: ItemVersion, today: dt.date) -> Iterator[tuple[str, str]]:
    if Channel.WINDOW in (v.channels or []) and not v.service_point_ids:
        yield _("办理渠道包含窗口办理，但未指定办理地点。"), "service_point_ids"


@rule("deficiency_without_deferrable", WARNING, gettext_lazy("可容缺受理但无可容缺材料"))
def _deficiency(v: ItemVersion, today: dt.date) -> Iterator[tuple[str, str]]:
    if v.allows_deficiency and not any(m.deferrable for m in v.materials.all()):
        yield _("事项可容缺受理，但没有材料标记为可容缺。"), "materials"


@rule("validity_expired", WARNING, gettext_lazy("有效期已过"))
def _expired(v: ItemVersion, today: dt.date) -> Iterator[tuple[str, str]]:
    if v.valid_until and v.valid_until < today:
        yield _("有效期止（%(d)s）已过。") % {"d": v.valid_until.isoformat()}, "valid_until"


# --- running -------------------------------------------------------------------------------


def check_version(version: ItemVersion, *, today: dt.date | None = None) -> list[Finding]:
    """Every finding for one version, errors first, in rule order."""
    day = today or local_day(timezone.now())
    findings = [
        Finding(code=r.code, severity=r.severity, message=str(message), field=field)
        for r in RULES
        for message, field in r.fn(version, day)
    ]
    return sorted(findings, key=lambda f: f.severity != ERROR)


CATALOGUE_STATUSES = (
    VersionStatus.DRAFT,
    VersionStatus.SUBMITTED,
    VersionStatus.RETURNED,
    VersionStatus.REVIEWED,
    VersionStatus.ANNOUNCED,
    VersionStatus.EFFECTIVE,
)


def catalogue_queryset() -> QuerySet[ItemVersion]:
    """Every version that is in force or on its way: what the public sees or soon will."""
    return ItemVersion.objects.filter(status__in=CATALOGUE_STATUSES)


def check_catalogue(
    queryset: QuerySet[ItemVersion] | None = None, *, today: dt.date | None = None
) -> dict[str, Any]:
    """Findings grouped by department: {"checked", "errors", "warnings", "versions_failing",
    "departments": [{"department_id", "department_name", "errors", "warnings", "versions": [...]}]}.

    Only versions with findings are listed. Three queries whatever the size of the catalogue.
    """
    day = today or local_day(timezone.now())
    qs = (catalogue_queryset() if queryset is None else queryset).select_related("item__department")
    qs = qs.prefetch_related(
        Prefetch("materials", queryset=MaterialRequirement.objects.order_by("order", "id")),
        Prefetch("steps", queryset=ProcedureStep.objects.order_by("order", "id")),
    ).order_by("item__department__name", "item__name", "number")
    departments: dict[int, dict[str, Any]] = {}
    totals = {"checked": 0, "errors": 0, "warnings": 0, "versions_failing": 0}
    for version in qs:
        totals["checked"] += 1
        findings = check_version(version, today=day)
        if not findings:
            continue
        errors = sum(1 for f in findings if f.severity == ERROR)
        warnings = len(findings) - errors
        totals["errors"] += errors
        totals["warnings"] += warnings
        totals["versions_failing"] += 1 if errors else 0
        dept = version.item.department
        group = departments.setdefault(
            dept.pk,
            {
                "department_id": dept.pk,
                "department_name": dept.name,
                "errors": 0,
                "warnings": 0,
                "versions": [],
            },
        )
        group["errors"] += errors
        group["warnings"] += warnings
        group["versions"].append(
            {
                "version_id": version.pk,
                "item_id": version.item_id,
                "item_name": version.item.name,
                "implementation_code": version.item.implementation_code,
                "number": version.number,
                "status": version.status,
                "status_label": str(version.get_status_display()),
                "errors": errors,
                "warnings": warnings,
                "findings": findings,
            }
        )
    return {**totals, "departments": list(departments.values())}
