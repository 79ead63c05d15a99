"""The flat tables every import goes through, whatever the file: one row per item, material, form
field, step and bundle, each remembering where it came from (sheet and row) for error reports.

JSON rows are numbered 1, 2, … in the order they appear in the file (materials counted across all
items, as they would be in the Excel sheet); Excel rows keep their sheet row number (data from 2).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .columns import FORMAT, SHEETS


@dataclass
class Row:
    sheet: str
    row: int
    values: dict[str, Any]


@dataclass(frozen=True)
class ImportIssue:
    sheet: str
    row: int
    field: str  # the column header (Chinese), as the person sees it in the file
    message: str

    def __str__(self) -> str:
        where = (
            _("%(sheet)s 第 %(row)s 行") % {"sheet": self.sheet, "row": self.row} if self.row else self.sheet
        )
        return f"{where}【{self.field}】{self.message}" if self.field else f"{where}：{self.message}"


@dataclass
class FlatData:
    items: list[Row] = field(default_factory=list)
    materials: list[Row] = field(default_factory=list)
    form_fields: list[Row] = field(default_factory=list)
    steps: list[Row] = field(default_factory=list)
    bundles: list[Row] = field(default_factory=list)
    effective_on: dt.date | None = None
    sha256: str = ""
    issues: list[ImportIssue] = field(default_factory=list)  # structural problems found while reading


class FileRefused(Exception):
    """The file as a whole cannot be read (not JSON, not Excel, wrong format marker)."""


def sheet_name(table: str) -> str:
    return SHEETS[table][0]


def flatten(data: Any, *, sha256: str = "") -> FlatData:
    """The nested JSON format as flat tables."""
    if not isinstance(data, dict):
        raise FileRefused(_("文件内容应为 JSON 对象"))
    if data.get("format") != FORMAT:
        raise FileRefused(_("文件格式标识应为“%(format)s”") % {"format": FORMAT})
    flat = FlatData(sha256=sha256)
    if data.get("effective_on"):
        try:
            flat.effective_on = dt.date.fromisoformat(str(data["effective_on"]))
        except ValueError:
            flat.issues.append(ImportIssue(_("文件"), 0, "effective_on", _("生效日期格式应为 2026-01-05")))
    items = data.get("items") or []
    bundles = data.get("bundles") or []
    if not isinstance(items, list) or not isinstance(bundles, list):
        raise FileRefused(_("items 和 bundles 应为列表"))
    counters = {"materials": 0, "form_fields": 0, "steps": 0}
    for index, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            flat.issues.append(ImportIssue(sheet_name("items"), index, "", _("每个事项应为 JSON 对象")))
            continue
        raw_version = item.get("version")
        version: dict[str, Any] = raw_version if isinstance(raw_version, dict) else {}
        values = {k: v for k, v in item.items() if k not in {"version", "versions"}}
        values.update({k: v for k, v in version.items() if k not in counters})
        values["name"] = version.get("name") or item.get("name")
        flat.items.append(Row(sheet_name("items"), index, values))
        code = item.get("implementation_code")
        for table in counters:
            parts = version.get(table) or []
            for part in parts if isinstance(parts, list) else [None]:
                counters[table] += 1
                if not isinstance(part, dict):
                    flat.issues.append(ImportIssue(sheet_name(table), counters[table], "", _("格式不正确")))
                    continue
                getattr(flat, table).append(
                    Row(sheet_name(table), counters[table], {**part, "implementation_code": code})
                )
    for index, bundle in enumerate(bundles, start=1):
        if not isinstance(bundle, dict):
            flat.issues.append(ImportIssue(sheet_name("bundles"), index, "", _("每个一件事应为 JSON 对象")))
            continue
        flat.bundles.append(Row(sheet_name("bundles"), index, dict(bundle)))
    return flat


def read_file(content: bytes, filename: str = "") -> FlatData:
    """JSON or Excel, told apart by the content (an xlsx is a zip archive)."""
    sha256 = hashlib.sha256(content).hexdigest()
    if content[:4] == b"PK\x03\x04":
        from .xlsx import read_workbook

        return read_workbook(content, sha256=sha256)
    if filename.lower().endswith(".xlsx"):
        raise FileRefused(_("文件扩展名是 xlsx，但内容不是 Excel 工作簿"))
    try:
        data = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FileRefused(_("文件既不是 Excel 工作簿，也不是有效的 JSON")) from exc
    return flatten(data, sha256=sha256)
