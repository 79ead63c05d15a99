"""The catalogue as an Excel workbook: sheets 事项, 材料, 表单字段, 办理环节, 一件事 (Chinese headers,
Chinese labels for enumerations, 是/否 for flags) and 说明 (format marker and dates)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from .columns import FORMAT, SHEETS, Col, display
from .tables import FileRefused, FlatData, ImportIssue, Row, flatten

META_SHEET = "说明"
META_FORMAT = "格式"
META_EXPORTED = "导出时间"
META_EFFECTIVE = "生效日期"
# Excel refuses cells longer than this; longer text would be silently cut, so it is refused instead.
CELL_MAX = 32767


def write_workbook(data: dict[str, Any]) -> bytes:
    """The nested JSON export as an .xlsx file (write-only mode: memory stays flat for big catalogues)."""
    flat = flatten(data)
    book = Workbook(write_only=True)
    for table, (title, columns) in SHEETS.items():
        sheet = book.create_sheet(title)
        sheet.append([c.header for c in columns])
        for row in getattr(flat, table):
            sheet.append([_cell(c, row.values.get(c.key)) for c in columns])
    meta = book.create_sheet(META_SHEET)
    meta.append([META_FORMAT, FORMAT])
    meta.append([META_EXPORTED, data.get("exported_at", "")])
    if data.get("effective_on"):
        meta.append([META_EFFECTIVE, str(data["effective_on"])])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(col: Col, value: Any) -> Any:
    shown = display(col, value)
    if isinstance(shown, str) and len(shown) > CELL_MAX:
        raise ValueError(f"{col.header}: text longer than an Excel cell")
    return shown


def _header_map(
    sheet_title: str, header: tuple[Any, ...], columns: tuple[Col, ...], flat: FlatData
) -> dict[int, Col]:
    by_header = {c.header: c for c in columns}
    mapping = {}
    for index, text in enumerate(header):
        col = by_header.get(str(text).strip()) if text is not None else None
        if col is not None:
            mapping[index] = col
    present = {c.key for c in mapping.values()}
    for col in columns:
        if col.required and col.key not in present:
            flat.issues.append(ImportIssue(sheet_title, 1, col.header, _("缺少此列")))
    return mapping


def read_workbook(content: bytes, *, sha256: str = "") -> FlatData:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise FileRefused(_("无法读取 Excel 工作簿：文件已损坏或不是 xlsx 格式")) from exc
    flat = FlatData(sha256=sha256)
    try:
        if META_SHEET in book.sheetnames:
            _read_meta(book[META_SHEET], flat)
        if SHEETS["items"][0] not in book.sheetnames:
            raise FileRefused(_("工作簿中没有“%(sheet)s”工作表") % {"sheet": SHEETS["items"][0]})
        for table, (title, columns) in SHEETS.items():
            if title not in book.sheetnames:
                continue
            rows = book[title].iter_rows(values_only=True)
            header = next(rows, None)
            if header is None:
                continue
            mapping = _header_map(title, header, columns, flat)
            target: list[Row] = getattr(flat, table)
            for number, cells in enumerate(rows, start=2):
                if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                    continue
                values = {col.key: cells[i] for i, col in mapping.items() if i < len(cells)}
                target.append(Row(title, number, values))
    finally:
        book.close()
    return flat


def _read_meta(sheet: Any, flat: FlatData) -> None:
    for cells in sheet.iter_rows(values_only=True):
        if len(cells) < 2:
            continue
        key, value = cells[0], cells[1]
        if key == META_FORMAT and value != FORMAT:
            raise FileRefused(_("文件格式标识应为“%(format)s”") % {"format": FORMAT})
        if key == META_EFFECTIVE and value:
            try:
                flat.effective_on = (
                    value.date() if isinstance(value, dt.datetime) else dt.date.fromisoformat(str(value))
                )
            except ValueError:
                flat.issues.append(
                    ImportIssue(META_SHEET, 0, META_EFFECTIVE, _("生效日期格式应为 2026-01-05"))
                )
