"""Validation of every row of an import before anything is written.

The result is a Plan: typed rows plus the org objects and existing items they refer to. Lookups are
done once per table for the whole file (chunked `IN` queries), never once per row.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhengwu.core.files.models import StoredFile
from zhengwu.org.selectors import departments_by_uscc, regions_by_code, service_points_by_name

from ..models import Bundle, ServiceItem
from ..models.choices import FieldType
from ..validation import phone_errors, promised_exceeds_statutory, validate_codes
from .columns import SHEETS, SLUG, BadValue, Col, _text, coerce
from .tables import FlatData, ImportIssue, Row

LOOKUP_CHUNK = 2000


@dataclass
class Typed:
    row: Row
    data: dict[str, Any]
    bad: set[str] = field(default_factory=set)  # columns whose value was refused (now None)

    def ok(self, *keys: str) -> bool:
        return not self.bad.intersection(keys)


@dataclass
class Plan:
    items: list[Typed] = field(default_factory=list)
    parts: dict[str, dict[str, list[Typed]]] = field(default_factory=dict)  # table -> code -> rows
    bundles: list[Typed] = field(default_factory=list)
    departments: dict[str, Any] = field(default_factory=dict)
    regions: dict[str, Any] = field(default_factory=dict)
    points: dict[str, Any] = field(default_factory=dict)
    existing: dict[tuple[int, str], ServiceItem] = field(default_factory=dict)  # (region id, code)
    existing_bundles: dict[str, Bundle] = field(default_factory=dict)
    db_items_by_code: dict[str, list[ServiceItem]] = field(default_factory=dict)
    issues: list[ImportIssue] = field(default_factory=list)


def _chunked(values: Iterable[Any], fetch: Callable[[list[Any]], Iterable[Any]]) -> list[Any]:
    ordered = list(dict.fromkeys(v for v in values if v))
    out: list[Any] = []
    for start in range(0, len(ordered), LOOKUP_CHUNK):
        out.extend(fetch(ordered[start : start + LOOKUP_CHUNK]))
    return out


class _Checker:
    def __init__(self, flat: FlatData, *, update: bool) -> None:
        self.flat = flat
        self.update = update
        self.plan = Plan(issues=list(flat.issues))
        self.files: set[uuid.UUID] = set()
        self._seen: dict[tuple[int, str], int] = {}  # (region id, code) -> row where first seen

    def issue(self, row: Row, col: Col | str, message: str) -> None:
        header = col.header if isinstance(col, Col) else col
        self.plan.issues.append(ImportIssue(row.sheet, row.row, header, message))

    def typed(self, table: str, rows: list[Row]) -> list[Typed]:
        columns = SHEETS[table][1]
        result = []
        for row in rows:
            t = Typed(row, {})
            for col in columns:
                try:
                    t.data[col.key] = coerce(col, row.values.get(col.key))
                except BadValue as exc:
                    self.issue(row, col, str(exc))
                    t.data[col.key] = None
                    t.bad.add(col.key)
            # Rows with refused cells still go through the cross-field checks below (on the cells that
            # were fine), so one pass reports every problem; they never reach the plan.
            result.append(t)
        return result

    def run(self) -> Plan:
        plan = self.plan
        items = self.typed("items", self.flat.items)
        parts = {t: self.typed(t, getattr(self.flat, t)) for t in ("materials", "form_fields", "steps")}
        bundles = self.typed("bundles", self.flat.bundles)
        self._lookups(items, parts, bundles)
        plan.items = [t for t in items if self._item(t)]
        # A part that refers to an item whose own row failed is not reported again: the item row says why.
        in_file = {_text(r.values.get("implementation_code")) for r in self.flat.items}
        for table, rows in parts.items():
            grouped: dict[str, list[Typed]] = defaultdict(list)
            for t in rows:
                if self._part(table, t, in_file):
                    grouped[t.data["implementation_code"]].append(t)
            plan.parts[table] = grouped
        self._field_keys(plan.parts["form_fields"])
        plan.bundles = [t for t in bundles if self._bundle(t, in_file)]
        self._duplicates(plan.bundles, "code", SHEETS["bundles"][1][0])
        return plan

    def _lookups(self, items: list[Typed], parts: dict[str, list[Typed]], bundles: list[Typed]) -> None:
        plan = self.plan
        plan.departments = departments_by_uscc(
            [t.data["department_uscc"] for t in items] + [t.data["lead_department_uscc"] for t in bundles]
        )
        plan.regions = regions_by_code(
            [t.data["region_code"] for t in items if t.data["region_code"]]
            + [t.data["region_code"] for t in bundles]
            + [d.region.code for d in plan.departments.values()]
        )
        plan.points = service_points_by_name(n for t in items for n in t.data["service_points"])
        file_ids = [t.data["result_sample_file"] for t in items] + [
            t.data[k] for t in parts["materials"] for k in ("blank_form_file", "sample_file")
        ]
        self.files = set(
            _chunked(file_ids, lambda ids: StoredFile.objects.filter(pk__in=ids).values_list("pk", flat=True))
        )
        codes = [t.data["implementation_code"] for t in items] + [
            m["implementation_code"] for t in bundles for m in t.data["items"] or []
        ]
        found = _chunked(
            codes,
            lambda chunk: ServiceItem.objects.filter(implementation_code__in=chunk).select_related("region"),
        )
        for item in found:
            plan.existing[(item.region_id, item.implementation_code)] = item
            plan.db_items_by_code.setdefault(item.implementation_code, []).append(item)
        plan.existing_bundles = {
            b.code: b for b in Bundle.objects.filter(code__in=[t.data["code"] for t in bundles])
        }

    def _item(self, t: Typed) -> bool:
        d, row, cols = t.data, t.row, {c.key: c for c in SHEETS["items"][1]}
        before = len(self.plan.issues)
        department = self.plan.departments.get(d["department_uscc"])
        if department is None and t.ok("department_uscc"):
            self.issue(
                row,
                cols["department_uscc"],
                _("找不到统一社会信用代码为“%(uscc)s”的部门") % {"uscc": d["department_uscc"]},
            )
        region_code = d["region_code"] or (department.region.code if department else "")
        region = self.plan.regions.get(region_code)
        if region is None and region_code:
            self.issue(row, cols["region_code"], _("找不到区划代码“%(code)s”") % {"code": region_code})
        try:
            if not t.ok("department_uscc", "basic_code", "implementation_code"):
                raise ValidationError({})
            validate_codes(
                department_uscc=d["department_uscc"],
                basic_code=d["basic_code"],
                implementation_code=d["implementation_code"],
            )
        except ValidationError as exc:
            for key, messages in exc.message_dict.items():
                for message in messages:
                    self.issue(row, cols.get(key, cols["implementation_code"]), message)
        limits = ("promised_limit", "promised_unit", "statutory_limit", "statutory_unit")
        if t.ok(*limits) and promised_exceeds_statutory(
            d["promised_limit"], d["promised_unit"], d["statutory_limit"], d["statutory_unit"]
        ):
            self.issue(row, cols["promised_limit"], _("承诺办结时限不能长于法定办结时限"))
        for key in ("consultation_phone", "supervision_phone"):
            for message in phone_errors(d[key]) if d[key] else []:
                self.issue(row, cols[key], message)
        if (
            t.ok("valid_from", "valid_until")
            and d["valid_from"]
            and d["valid_until"]
            and d["valid_from"] > d["valid_until"]
        ):
            self.issue(row, cols["valid_until"], _("有效期止不能早于有效期起"))
        missing = [n for n in d["service_points"] if n not in self.plan.points]
        if missing:
            self.issue(
                row, cols["service_points"], _("找不到办理地点：%(names)s") % {"names": "、".join(missing)}
            )
        if d["result_sample_file"] and d["result_sample_file"] not in self.files:
            self.issue(
                row,
                cols["result_sample_file"],
                _("找不到编号为 %(id)s 的文件") % {"id": d["result_sample_file"]},
            )
        if region is not None and t.ok("implementation_code"):
            region_key = (region.pk, d["implementation_code"])
            if region_key in self._seen:
                self.issue(
                    row,
                    cols["implementation_code"],
                    _("实施编码在本文件中重复（第 %(row)s 行已有）") % {"row": self._seen[region_key]},
                )
            self._seen[region_key] = row.row
            if not self.update and region_key in self.plan.existing:
                self.issue(
                    row, cols["implementation_code"], _("该区划已有此实施编码的事项，且本次导入不允许更新")
                )
            d["_region"] = region
        d["_department"] = department
        return len(self.plan.issues) == before and not t.bad

    def _part(self, table: str, t: Typed, in_file: set[str]) -> bool:
        d, row, cols = t.data, t.row, {c.key: c for c in SHEETS[table][1]}
        if t.ok("implementation_code") and d["implementation_code"] not in in_file:
            self.issue(
                row,
                cols["implementation_code"],
                _("本文件的“事项”中没有实施编码“%(code)s”") % {"code": d["implementation_code"]},
            )
            return False
        ok = True
        if table == "materials":
            for key in ("blank_form_file", "sample_file"):
                if d[key] and d[key] not in self.files:
                    self.issue(row, cols[key], _("找不到编号为 %(id)s 的文件") % {"id": d[key]})
                    ok = False
            if (
                t.ok("source", "license_type_code")
                and d["source"] == "license"
                and not d["license_type_code"]
            ):
                self.issue(row, cols["license_type_code"], _("来源为可复用电子证照时应填写证照类型"))
                ok = False
        if table == "form_fields":
            if t.ok("key") and not SLUG.match(d["key"]):
                self.issue(row, cols["key"], _("字段标识只能包含字母、数字、下划线和连字符"))
                ok = False
            if (
                t.ok("field_type", "choices")
                and d["field_type"] in (FieldType.CHOICE, FieldType.MULTI_CHOICE)
                and not d["choices"]
            ):
                self.issue(row, cols["choices"], _("单选或多选字段应填写选项"))
                ok = False
        return ok and not t.bad

    def _field_keys(self, grouped: dict[str, list[Typed]]) -> None:
        col = next(c for c in SHEETS["form_fields"][1] if c.key == "key")
        for rows in grouped.values():
            seen: set[str] = set()
            for t in rows:
                if t.data["key"] in seen:
                    self.issue(t.row, col, _("同一事项的字段标识“%(key)s”重复") % {"key": t.data["key"]})
                seen.add(t.data["key"])

    def _bundle(self, t: Typed, in_file: set[str]) -> bool:
        d, row, cols = t.data, t.row, {c.key: c for c in SHEETS["bundles"][1]}
        before = len(self.plan.issues)
        if t.ok("code") and not SLUG.match(d["code"]):
            self.issue(row, cols["code"], _("编码只能包含字母、数字、下划线和连字符"))
        region = self.plan.regions.get(d["region_code"])
        if region is None and t.ok("region_code"):
            self.issue(row, cols["region_code"], _("找不到区划代码“%(code)s”") % {"code": d["region_code"]})
        lead = self.plan.departments.get(d["lead_department_uscc"])
        if lead is None and t.ok("lead_department_uscc"):
            self.issue(
                row,
                cols["lead_department_uscc"],
                _("找不到统一社会信用代码为“%(uscc)s”的部门") % {"uscc": d["lead_department_uscc"]},
            )
        if not d["items"] and t.ok("items"):
            self.issue(row, cols["items"], _("一件事至少应包含一个事项"))
        for member in d["items"] or []:
            code = member["implementation_code"]
            if code not in in_file and code not in self.plan.db_items_by_code:
                self.issue(row, cols["items"], _("找不到实施编码为“%(code)s”的事项") % {"code": code})
        codes = [m["implementation_code"] for m in d["items"] or []]
        if len(set(codes)) != len(codes):
            self.issue(row, cols["items"], _("包含的事项有重复"))
        d["_region"], d["_lead"] = region, lead
        return len(self.plan.issues) == before and not t.bad

    def _duplicates(self, rows: list[Typed], key: str, col: Col) -> None:
        seen: set[Any] = set()
        for t in rows:
            if t.data[key] in seen:
                self.issue(t.row, col, _("“%(value)s”在本文件中重复") % {"value": t.data[key]})
            seen.add(t.data[key])


SHEET_ORDER = {title: n for n, (title, _columns) in enumerate(SHEETS.values())}


def check(flat: FlatData, *, update: bool = True) -> Plan:
    """Every row checked; `plan.issues` lists each problem in file order (empty when all is well)."""
    plan = _Checker(flat, update=update).run()
    plan.issues.sort(key=lambda i: (SHEET_ORDER.get(i.sheet, -1), i.row))
    return plan
