"""The statistics tables as CSV and Excel (openpyxl), and the monthly bulletin as a PDF (reportlab).

Every export is built from a scoped Report, so it holds exactly what the page shows the actor.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _

from .labels import number, percent
from .selectors import Bulletin, Figures, Report


def columns() -> list[tuple[str, Callable[[Figures], Any]]]:
    """(heading, value) of every figure column, in the order of the pages' tables."""
    return [
        (_("收件数"), lambda f: f.received),
        (_("受理数"), lambda f: f.accepted),
        (_("办结数"), lambda f: f.completed),
        (_("按时办结率"), lambda f: f.on_time_rate),
        (_("提前办结率"), lambda f: f.early_rate),
        (_("平均办理用时（工作日）"), lambda f: f.average_workdays),
        (_("网上全流程办理率"), lambda f: f.full_online_rate),
        (_("上网办理率"), lambda f: f.online_apply_rate),
        (_("网上办结率"), lambda f: f.online_complete_rate),
        (_("零跑动事项数"), lambda f: f.items_zero_visits),
        (_("事项数"), lambda f: f.items),
    ]


RATE_COLUMNS = {3, 4, 6, 7, 8}


def level_heading(level: str) -> str:
    return {"region": _("区划"), "department": _("部门"), "item": _("事项")}[level]


def _table(report: Report) -> tuple[list[str], list[list[Any]]]:
    cols = columns()
    head = [_("代码"), level_heading(report.place.level), *[c[0] for c in cols]]
    body = [[str(r.key), r.name, *[fn(r.figures) for _h, fn in cols]] for r in report.rows]
    body.append(["", _("合计"), *[fn(report.totals) for _h, fn in cols]])
    return head, body


def _title(report: Report) -> str:
    where = report.place.title
    return f"{where + ' · ' if where else ''}{_('政务服务统计')} · {report.period.label}"


def as_csv(report: Report) -> bytes:
    """UTF-8 with a BOM (Excel on Windows opens it as Chinese text); rates as percentages."""
    head, body = _table(report)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_title(report)])
    writer.writerow(head)
    for row in body:
        writer.writerow(
            [
                percent(v)
                if i - 2 in RATE_COLUMNS
                else ("" if v is None else number(v) if isinstance(v, float) else v)
                for i, v in enumerate(row)
            ]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    head, body = _table(report)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("统计")
    sheet.append([_title(report)])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(head)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in body:
        sheet.append(row)
    for col in RATE_COLUMNS:
        letter = sheet.cell(row=2, column=col + 3).column_letter
        for cell in sheet[letter][2:]:
            cell.number_format = "0.0%"
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 30
    sheet.freeze_panes = "C3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bulletin_pdf(data: Bulletin, *, scope_name: str) -> bytes:
    """月度通报 on A4: the month's figures against the month before, departments ranked, laggards named."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen import canvas

    from zhengwu.core.pdf import cjk_font

    font = cjk_font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    pdf.setTitle(f"{scope_name}{data.period.label}{_('政务服务月度通报')}")
    width, height = A4
    left, right = 20 * mm, width - 20 * mm
    y = height - 25 * mm

    def line(
        text: str, *, size: float = 11, x: float = left, bold_red: bool = False, center: bool = False
    ) -> None:
        nonlocal y
        if y < 25 * mm:
            pdf.showPage()
            y = height - 25 * mm
        pdf.setFont(font, size)
        pdf.setFillColorRGB(0.75, 0.1, 0.1) if bold_red else pdf.setFillColorRGB(0, 0, 0)
        if center:
            x = (width - stringWidth(text, font, size)) / 2
        pdf.drawString(x, y, text)
        y -= size * 1.7

    line(f"{scope_name}{_('政务服务月度通报')}", size=20, bold_red=True, center=True)
    line(data.period.label, size=13, center=True)
    y -= 4 * mm
    pdf.setStrokeColorRGB(0.75, 0.1, 0.1)
    pdf.line(left, y + 10, right, y + 10)
    t, p = data.totals, data.previous_totals
    line(_("一、总体情况"), size=14)
    for label, now, before in (
        (_("收件"), t.received, p.received),
        (_("受理"), t.accepted, p.accepted),
        (_("办结"), t.completed, p.completed),
    ):
        line(
            _("%(label)s %(now)d 件（上期 %(before)d 件）") % {"label": label, "now": now, "before": before},
            x=left + 8 * mm,
        )
    for label, now_rate, before_rate in (
        (_("按时办结率"), t.on_time_rate, p.on_time_rate),
        (_("提前办结率"), t.early_rate, p.early_rate),
        (_("上网办理率"), t.online_apply_rate, p.online_apply_rate),
        (_("网上办结率"), t.online_complete_rate, p.online_complete_rate),
        (_("网上全流程办理率"), t.full_online_rate, p.full_online_rate),
    ):
        line(
            _("%(label)s %(now)s（上期 %(before)s）")
            % {"label": label, "now": percent(now_rate), "before": percent(before_rate)},
            x=left + 8 * mm,
        )
    line(
        _("平均办理用时 %(days)s 个工作日；零跑动事项 %(zero)d 项（共 %(items)d 项）")
        % {"days": number(t.average_workdays), "zero": t.items_zero_visits, "items": t.items},
        x=left + 8 * mm,
    )
    y -= 3 * mm
    line(_("二、各部门按时办结情况"), size=14)
    cols = [left, left + 95 * mm, left + 120 * mm, left + 145 * mm]
    pdf.setFont(font, 10)
    for x, text in zip(cols, (_("部门"), _("办结数"), _("按时办结率"), _("提前办结率")), strict=True):
        pdf.drawString(x, y, text)
    y -= 16
    for row in data.departments:
        if y < 25 * mm:
            pdf.showPage()
            y = height - 25 * mm
        pdf.setFont(font, 10)
        f = row.figures
        for x, text in zip(
            cols,
            (row.name[:30], str(f.completed), percent(f.on_time_rate), percent(f.early_rate)),
            strict=True,
        ):
            pdf.drawString(x, y, text)
        y -= 15
    if not data.departments:
        line(_("本期无办结件。"), x=left + 8 * mm)
    y -= 3 * mm
    line(_("三、需要关注的部门"), size=14)
    if data.lagging:
        for row in data.lagging:
            line(
                _("%(name)s：按时办结率 %(rate)s，低于总体水平。")
                % {"name": row.name, "rate": percent(row.figures.on_time_rate)},
                x=left + 8 * mm,
            )
    else:
        line(_("各部门按时办结率均不低于总体水平。"), x=left + 8 * mm)
    pdf.showPage()
    pdf.save()
    return out.getvalue()
