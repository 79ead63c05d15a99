"""The columns of the bulk format: one spec drives the JSON keys, the Excel headers and the checks.

A raw value may come from JSON (typed: lists, booleans, numbers) or from an Excel cell (text or
numbers typed by a person), so every coercer accepts both and answers with a Chinese reason.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from zhengwu.core.access.roles import Role

from ..models.choices import (
    Audience,
    Channel,
    CompanyTheme,
    CrossRegionScope,
    FieldType,
    HandlingType,
    ItemType,
    LimitUnit,
    MaterialMedium,
    MaterialSource,
    OnlineDepth,
    PersonTheme,
    PrefillSource,
    ResultType,
    Stage,
)

FORMAT = "zhengwu.catalog/1"
LIST_SPLIT = re.compile(r"[、,，;；\n]+")
OPTIONAL_MARK = "（可选）"


class BadValue(Exception):
    """A raw value that cannot become the column's type; the message is the Chinese reason."""


@dataclass(frozen=True)
class Col:
    key: str
    header: str
    kind: str  # str text int bool enum enums strs date fees json file points
    choices: tuple[tuple[Any, str], ...] = ()  # (code, Chinese label)
    required: bool = False
    max_length: int | None = None
    nullable: bool = False  # int: blank means "not set" rather than 0
    default: Any = None


def _choices(*enums: type[models.Choices]) -> tuple[tuple[Any, str], ...]:
    with translation.override("zh-hans"):
        return tuple((value, str(label)) for enum in enums for value, label in enum.choices)


# Roles a procedure step may be given to: staff roles only.
STEP_ROLES = tuple(r for r in _choices(Role) if r[0] not in {Role.APPLICANT, Role.COMPANY_AGENT, Role.AGENCY})
THEMES = _choices(PersonTheme, CompanyTheme)

ITEM_COLUMNS: tuple[Col, ...] = (
    Col("department_uscc", "实施主体统一社会信用代码", "str", required=True, max_length=18),
    Col("region_code", "实施区划代码", "str", max_length=12),
    Col("item_type", "事项类型", "enum", _choices(ItemType), required=True),
    Col("name", "事项名称", "str", required=True, max_length=200),
    Col("basic_code", "基本编码", "str", required=True, max_length=12),
    Col("implementation_code", "实施编码", "str", required=True, max_length=40),
    Col("audience", "服务对象", "enum", _choices(Audience), default=Audience.BOTH),
    Col("themes", "主题", "enums", THEMES, default=()),
    Col("aliases", "别名/俗称", "strs", default=()),
)
VERSION_COLUMNS: tuple[Col, ...] = (
    Col("legal_basis", "设定依据", "text"),
    Col("conditions", "受理条件", "text"),
    Col("handling_type", "办件类型", "enum", _choices(HandlingType), default=HandlingType.PROMISED),
    Col("statutory_limit", "法定办结时限", "int", nullable=True),
    Col("statutory_unit", "法定时限单位", "enum", _choices(LimitUnit), default=LimitUnit.WORKDAYS),
    Col("promised_limit", "承诺办结时限", "int", nullable=True),
    Col("promised_unit", "承诺时限单位", "enum", _choices(LimitUnit), default=LimitUnit.WORKDAYS),
    Col("limit_note", "时限说明", "text"),
    Col("charges_fee", "是否收费", "bool", default=False),
    Col("fees", "收费项目", "fees", default=()),
    Col("visits", "到办事现场次数", "int", default=0),
    Col("visits_reason", "必须现场办理原因", "text"),
    Col("online_depth", "网上办理深度", "enum", _choices(OnlineDepth), default=OnlineDepth.FULL_ONLINE),
    Col("channels", "办理渠道", "enums", _choices(Channel), default=()),
    Col("service_points", "办理地点", "points", default=()),
    Col("service_hours_note", "办理时间说明", "text"),
    Col("consultation_phone", "咨询电话", "str", max_length=40),
    Col("supervision_phone", "监督投诉电话", "str", max_length=40),
    Col("result_name", "审批结果名称", "str", max_length=200),
    Col("result_type", "审批结果类型", "enum", _choices(ResultType), default=""),
    Col("result_sample_file", "审批结果样本", "file"),
    Col("license_type_code", "电子证照类型代码", "str", max_length=21),
    Col("needs_intermediary", "是否需要中介服务", "bool", default=False),
    Col("intermediary_services", "中介服务名称", "text"),
    Col("allows_deficiency", "可容缺受理", "bool", default=False),
    Col("allows_commitment", "可告知承诺", "bool", default=False),
    Col("cross_region_scope", "通办范围", "enum", _choices(CrossRegionScope), default=CrossRegionScope.NONE),
    Col("valid_from", "有效期起", "date"),
    Col("valid_until", "有效期止", "date"),
    Col("effective_on", "生效日期", "date"),
)
ITEM_REF = Col("implementation_code", "实施编码", "str", required=True, max_length=40)
MATERIAL_COLUMNS: tuple[Col, ...] = (
    ITEM_REF,
    Col("order", "序号", "int", default=0),
    Col("name", "材料名称", "str", required=True, max_length=200),
    Col("source", "来源渠道", "enum", _choices(MaterialSource), default=MaterialSource.APPLICANT),
    Col("license_type_code", "可复用证照类型", "str", max_length=21),
    Col("originals", "原件份数", "int", default=0),
    Col("copies", "复印件份数", "int", default=0),
    Col("medium", "介质", "enum", _choices(MaterialMedium), default=MaterialMedium.EITHER),
    Col("required", "必要", "bool", default=True),
    Col("deferrable", "可容缺", "bool", default=False),
    Col("is_form", "申请人填写的表格", "bool", default=False),
    Col("blank_form_file", "空白表格", "file"),
    Col("sample_file", "示例样表", "file"),
    Col("notes", "填报须知", "text"),
)
FIELD_COLUMNS: tuple[Col, ...] = (
    ITEM_REF,
    Col("order", "序号", "int", default=0),
    Col("key", "字段标识", "str", required=True, max_length=64),
    Col("label", "字段名称", "str", required=True, max_length=100),
    Col("field_type", "字段类型", "enum", _choices(FieldType), default=FieldType.TEXT),
    Col("required", "必填", "bool", default=True),
    Col("choices", "选项", "strs", default=()),
    Col("validation", "校验规则", "json", default=None),
    Col("help_text", "填写说明", "str", max_length=255),
    Col("prefill", "预填来源", "enum", _choices(PrefillSource), default=""),
)
STEP_COLUMNS: tuple[Col, ...] = (
    ITEM_REF,
    Col("order", "序号", "int", default=0),
    Col("name", "环节名称", "str", required=True, max_length=64),
    Col("stage", "监察环节", "enum", _choices(Stage), required=True),
    Col("role", "办理角色", "enum", STEP_ROLES, required=True),
    Col("limit", "环节时限（工作日）", "int", default=0),
    Col("description", "办理标准", "text"),
)
BUNDLE_COLUMNS: tuple[Col, ...] = (
    Col("code", "编码", "str", required=True, max_length=64),
    Col("name", "名称", "str", required=True, max_length=100),
    Col("region_code", "区划代码", "str", required=True, max_length=12),
    Col("lead_department_uscc", "牵头部门统一社会信用代码", "str", required=True, max_length=18),
    Col("audience", "服务对象", "enum", _choices(Audience), default=Audience.BOTH),
    Col("themes", "主题", "enums", THEMES, default=()),
    Col("aliases", "别名/俗称", "strs", default=()),
    Col("description", "说明", "text"),
    Col("promised_limit", "承诺办结时限（工作日）", "int", nullable=True),
    Col("deemed_consent", "超时默认同意", "bool", default=True),
    Col("is_published", "已发布", "bool", default=False),
    Col("items", "包含事项", "members", default=()),
)

SHEETS: dict[str, tuple[str, tuple[Col, ...]]] = {
    # table key -> (sheet name, columns)
    "items": ("事项", ITEM_COLUMNS + VERSION_COLUMNS),
    "materials": ("材料", MATERIAL_COLUMNS),
    "form_fields": ("表单字段", FIELD_COLUMNS),
    "steps": ("办理环节", STEP_COLUMNS),
    "bundles": ("一件事", BUNDLE_COLUMNS),
}
_TEXT_KINDS = frozenset({"str", "text"})
INT_MAX = 32767
TRUE_WORDS = {"是", "true", "1", "y", "yes", "√", "有"}
FALSE_WORDS = {"否", "false", "0", "n", "no", "×", "无"}
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def _text(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "是" if raw else "否"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime | dt.date):
        return raw.isoformat()[:10]
    return str(raw).strip()


def _split(raw: Any) -> list[Any]:
    if raw is None or raw == "":
        return []
    if isinstance(raw, list | tuple):
        return [v for v in raw if v not in (None, "")]
    return [part.strip() for part in LIST_SPLIT.split(_text(raw)) if part.strip()]


def _enum(col: Col, raw: Any) -> Any:
    text = _text(raw)
    for code, label in col.choices:
        if text == str(code) or text == label:
            return code
    shown = "、".join(label for code, label in col.choices if code != "")
    raise BadValue(
        _("“%(value)s”不是有效的%(field)s，可选：%(choices)s")
        % {"value": text, "field": col.header, "choices": shown}
    )


def _int(col: Col, raw: Any) -> int:
    if isinstance(raw, bool):
        raise BadValue(_("%(field)s应为整数") % {"field": col.header})
    try:
        number = Decimal(_text(raw))
    except InvalidOperation as exc:
        raise BadValue(
            _("%(field)s应为整数，而不是“%(value)s”") % {"field": col.header, "value": _text(raw)}
        ) from exc
    if number != number.to_integral_value():
        raise BadValue(_("%(field)s应为整数，而不是“%(value)s”") % {"field": col.header, "value": _text(raw)})
    if number < 0:
        raise BadValue(_("%(field)s不能为负数") % {"field": col.header})
    if number > INT_MAX:
        raise BadValue(_("%(field)s过大") % {"field": col.header})
    return int(number)


def _date(col: Col, raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(_text(raw))
    except ValueError as exc:
        raise BadValue(
            _("%(field)s“%(value)s”不是有效日期（格式 2026-01-05）")
            % {"field": col.header, "value": _text(raw)}
        ) from exc


def _fees(col: Col, raw: Any) -> list[dict[str, str]]:
    """Fees: a JSON list of {name, amount, unit, basis}, or lines "名称；金额；单位；依据" in Excel."""
    if isinstance(raw, str):
        rows = []
        for line in raw.splitlines():
            if line.strip():
                parts = [p.strip() for p in re.split(r"[;；|]", line)] + ["", "", ""]
                rows.append({"name": parts[0], "amount": parts[1], "unit": parts[2], "basis": parts[3]})
        raw = rows
    if not isinstance(raw, list | tuple):
        raise BadValue(_("收费项目格式不正确"))
    fees = []
    for fee in raw:
        if not isinstance(fee, dict) or not _text(fee.get("name")):
            raise BadValue(_("每个收费项目都要有名称"))
        try:
            amount = Decimal(_text(fee.get("amount")) or "x")
        except InvalidOperation as exc:
            raise BadValue(_("收费项目“%(name)s”的金额不是数字") % {"name": fee["name"]}) from exc
        if amount < 0:
            raise BadValue(_("收费项目“%(name)s”的金额不能为负数") % {"name": fee["name"]})
        fees.append(
            {
                "name": _text(fee["name"]),
                "amount": f"{amount.quantize(Decimal('0.01'))}",
                "unit": _text(fee.get("unit")),
                "basis": _text(fee.get("basis")),
            }
        )
    return fees


def _json(col: Col, raw: Any) -> dict[str, Any]:
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            raise BadValue(_("%(field)s应为 JSON 对象") % {"field": col.header}) from exc
    if not isinstance(raw, dict):
        raise BadValue(_("%(field)s应为 JSON 对象") % {"field": col.header})
    return raw


def _members(col: Col, raw: Any) -> list[dict[str, Any]]:
    members = []
    for value in _split(raw):
        if isinstance(value, dict):
            members.append(
                {
                    "implementation_code": _text(value.get("implementation_code")),
                    "optional": bool(value.get("optional")),
                }
            )
        else:
            text = _text(value)
            optional = text.endswith(OPTIONAL_MARK)
            members.append(
                {"implementation_code": text.removesuffix(OPTIONAL_MARK).strip(), "optional": optional}
            )
    return members


def coerce(col: Col, raw: Any) -> Any:
    """The typed value of one cell, or BadValue with the Chinese reason."""
    # Fast paths for what most cells are (plain text, typed JSON values); 10,000 items are ~2M cells.
    if type(raw) is str and col.kind in _TEXT_KINDS and raw and raw == raw.strip():
        if col.max_length is None or len(raw) <= col.max_length:
            return raw
    elif (type(raw) is int and col.kind == "int" and 0 <= raw <= INT_MAX) or (
        type(raw) is bool and col.kind == "bool"
    ):
        return raw
    blank = raw is None or (isinstance(raw, str) and not raw.strip()) or raw == [] or raw == {}
    if blank:
        if col.required:
            raise BadValue(_("%(field)s不能为空") % {"field": col.header})
        if col.kind in {"enums", "strs", "points", "fees", "members"}:
            return []
        if col.kind == "json":
            return {}
        if col.kind in {"date", "file"} or (col.kind == "int" and col.nullable):
            return None
        if col.default is not None:
            return col.default
        return ""
    kind = col.kind
    if kind in {"str", "text"}:
        value = _text(raw)
        if col.max_length and len(value) > col.max_length:
            raise BadValue(_("%(field)s不能超过 %(n)s 个字符") % {"field": col.header, "n": col.max_length})
        return value
    if kind == "int":
        return _int(col, raw)
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        word = _text(raw).lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise BadValue(_("%(field)s应填“是”或“否”") % {"field": col.header})
    if kind == "enum":
        return _enum(col, raw)
    if kind == "enums":
        return list(dict.fromkeys(_enum(col, v) for v in _split(raw)))
    if kind in {"strs", "points"}:
        return [_text(v) for v in _split(raw)]
    if kind == "date":
        return _date(col, raw)
    if kind == "fees":
        return _fees(col, raw)
    if kind == "json":
        return _json(col, raw)
    if kind == "file":
        try:
            return uuid.UUID(_text(raw))
        except ValueError as exc:
            raise BadValue(_("%(field)s应为文件编号（UUID）") % {"field": col.header}) from exc
    if kind == "members":
        return _members(col, raw)
    raise AssertionError(kind)


def display(col: Col, value: Any) -> Any:
    """A typed value as a person reads it in Excel (labels, 是/否, one fee per line)."""
    if value is None:
        return ""
    kind = col.kind
    if kind == "bool":
        return "是" if value else "否"
    if kind == "enum":
        return dict(col.choices).get(value, value)
    if kind == "enums":
        labels = dict(col.choices)
        return "、".join(str(labels.get(v, v)) for v in value)
    if kind in {"strs", "points"}:
        return "、".join(value)
    if kind == "fees":
        return "\n".join(
            f"{f['name']}；{f['amount']}；{f.get('unit', '')}；{f.get('basis', '')}" for f in value
        )
    if kind == "json":
        return json.dumps(value, ensure_ascii=False) if value else ""
    if kind == "members":
        return "\n".join(
            m["implementation_code"] + (OPTIONAL_MARK if m.get("optional") else "") for m in value
        )
    if kind in {"date", "file"}:
        return str(value)
    return value
