"""Text and PDF: render an administrator's template safely, then lay it out on A4 with reportlab.

The PDF uses the STSong-Light CID font (built into reportlab, no system font needed), a red
department header, the title and document number, the body, a QR code to the public progress page
(also a link annotation) and the seal area (circle + "（印章）", department name and date) at the
bottom right.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.template import Context, Engine, Library, TemplateSyntaxError

from zhengwu.core.pdf import CJK_FONT, cjk_font

from .defaults import default_for

logger = logging.getLogger("zhengwu.cases.documents")

FONT = CJK_FONT

# Tags an administrator's text has no use for: they read files or dump the interpreter's state.
_FORBIDDEN_TAGS = frozenset({"debug", "include", "extends", "block"})


def _engine() -> Engine:
    """Plain text out (no HTML escaping); built-in tags and filters minus _FORBIDDEN_TAGS, plus
    i18n/l10n; no template directories, so nothing can be loaded from disk."""
    engine = Engine(
        autoescape=False,
        libraries={"i18n": "django.templatetags.i18n", "l10n": "django.templatetags.l10n"},
    )
    safe: list[Library] = []
    for library in engine.template_builtins:
        copy = Library()
        copy.tags = {k: v for k, v in library.tags.items() if k not in _FORBIDDEN_TAGS}
        copy.filters = dict(library.filters)
        safe.append(copy)
    engine.template_builtins = safe
    return engine


_ENGINE = _engine()


class TemplateProblem(Exception):
    """An administrator's template that does not parse or does not render."""


def check_template(body: str, context: Mapping[str, Any]) -> str:
    """Parse and render `body`; raise TemplateProblem with a readable message on failure."""
    try:
        template = _ENGINE.from_string(body)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(f"模板语法错误：{exc}") from exc
    try:
        return template.render(Context(dict(context), autoescape=False))
    except Exception as exc:  # a filter or tag failing at render time
        raise TemplateProblem(f"模板渲染失败：{type(exc).__name__}: {exc}") from exc


@dataclass(frozen=True)
class RenderedText:
    title: str
    body: str
    used_default: bool


def render_text(kind: str, *, title: str, body: str, context: Mapping[str, Any]) -> RenderedText:
    """The edited body, or the shipped default (with a logged error) when the edit is broken."""
    try:
        return RenderedText(
            title=title or default_for(kind).title, body=check_template(body, context), used_default=False
        )
    except TemplateProblem as exc:
        logger.error("case document template %s is broken, default used: %s", kind, exc)
    default = default_for(kind)
    return RenderedText(
        title=title or default.title, body=check_template(default.body, context), used_default=True
    )


_TOKEN = re.compile(r"[A-Za-z0-9*〔〕]+|.", re.S)


def wrap(text: str, *, size: float, width: float, indent: float = 0.0) -> list[tuple[str, float]]:
    """Lines (text, x offset) that fit `width`. Chinese breaks between any two characters; a run of
    Latin letters and digits (a case number) stays whole when it fits a line; closing punctuation
    never starts a line."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    no_start = "，。、；：？！）》」』”’,.;:?!)"
    lines: list[tuple[str, float]] = []
    current = ""
    offset = indent

    def fits(candidate: str) -> bool:
        return stringWidth(candidate, FONT, size) <= width - offset

    for token in _TOKEN.findall(text):
        if fits(current + token):
            current += token
            continue
        if len(token) > 1 and not fits(token):  # longer than a line: break it by character
            for char in token:
                if current and not fits(current + char):
                    lines.append((current, offset))
                    current, offset = "", 0.0
                current += char
            continue
        if not current:
            current = token
            continue
        if token in no_start and len(current) > 1:  # pull the previous character down with it
            lines.append((current[:-1], offset))
            current = current[-1] + token
        else:
            lines.append((current, offset))
            current = token
        offset = 0.0
    lines.append((current, offset))
    return lines


@dataclass(frozen=True)
class PdfContent:
    department: str
    title: str
    document_number: str
    case_number: str
    item_name: str
    applicant: str  # name and masked ID number
    body: str
    issued_on: str  # already in Chinese format
    qr_url: str
    query_code: str


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_ASTRAL = re.compile(r"[\U00010000-\U0010ffff]")


def printable(text: str) -> str:
    """What the CID font can print: control characters dropped, tabs as spaces, and characters
    beyond the Basic Multilingual Plane (CJK Extension B names, emoji) — which the UCS-2 encoding of
    the font would turn into a wrong character — shown as "□" so a clerk sees something is missing."""
    return _ASTRAL.sub("□", _CONTROL.sub("", text.replace("\t", "    ")))


def render_pdf(content: PdfContent) -> bytes:
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.colors import Color
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    cjk_font()
    content = PdfContent(**{k: printable(v) for k, v in content.__dict__.items()})
    red = Color(0.8, 0.05, 0.05)
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=True)
    pdf.setTitle(f"{content.title} {content.document_number}")
    pdf.setAuthor(content.department)
    pdf.setSubject(content.case_number)
    page_w, page_h = A4
    left, right = 72.0, page_w - 72.0
    body_size, leading = 12.0, 21.0
    footer_top = 230.0  # the QR code and the seal live below this line on the last page

    def header() -> float:
        pdf.setFillColor(red)
        pdf.setFont(FONT, 20)
        pdf.drawCentredString(page_w / 2, page_h - 70, content.department)
        pdf.setStrokeColor(red)
        pdf.setLineWidth(1.5)
        pdf.line(left, page_h - 84, right, page_h - 84)
        pdf.setFillColorRGB(0, 0, 0)
        pdf.setStrokeColorRGB(0, 0, 0)
        pdf.setLineWidth(1)
        pdf.setFont(FONT, 22)
        pdf.drawCentredString(page_w / 2, page_h - 124, content.title)
        pdf.setFont(FONT, 12)
        pdf.drawCentredString(page_w / 2, page_h - 148, content.document_number)
        pdf.setFont(FONT, 10)
        pdf.drawString(left, page_h - 172, f"办件编号：{content.case_number}")
        pdf.drawString(left, page_h - 188, f"事项名称：{content.item_name}")
        pdf.drawString(left, page_h - 204, f"申请人：{content.applicant}")
        return page_h - 232

    def page_number(n: int) -> None:
        pdf.setFont(FONT, 9)
        pdf.drawCentredString(page_w / 2, 36, f"— {n} —")

    page = 1
    y = header()
    paragraphs = content.body.replace("\r\n", "\n").split("\n")
    for index, raw in enumerate(paragraphs):
        text = raw.rstrip()
        if not text.strip():
            y -= leading / 2
            continue
        is_item = text.lstrip().startswith("- ")
        is_salutation = index == 0 or (text.endswith("：") and len(text) < 60 and "：" not in text[:-1])
        if is_item:
            item = text.lstrip()[2:].lstrip()
            marker = "" if re.match(r"\d+[.、]", item) else "● "  # a numbered item needs no bullet
            lines = wrap(marker + item, size=body_size, width=right - left - 24)
            lines = [(line, 24 + (offset if i == 0 else 12)) for i, (line, offset) in enumerate(lines)]
        elif is_salutation:
            lines = wrap(text.strip(), size=body_size, width=right - left)
        else:
            lines = wrap(text.strip(), size=body_size, width=right - left, indent=2 * body_size)
        for line, offset in lines:
            if y < 72:
                page_number(page)
                pdf.showPage()
                page += 1
                y = page_h - 72
            pdf.setFont(FONT, body_size)
            pdf.drawString(left + offset, y, line)
            y -= leading
    if y < footer_top:
        page_number(page)
        pdf.showPage()
        page += 1

    # Seal area, bottom right: a red circle with "（印章）", the department and the date below it.
    seal_x, seal_y, radius = right - 80, 150.0, 46.0
    pdf.setStrokeColor(red)
    pdf.setLineWidth(1.2)
    pdf.circle(seal_x, seal_y, radius, stroke=1, fill=0)
    pdf.setFillColor(red)
    pdf.setFont(FONT, 11)
    pdf.drawCentredString(seal_x, seal_y - 4, "（印章）")
    pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont(FONT, 12)
    pdf.drawRightString(right, seal_y - radius - 22, content.department)
    pdf.drawRightString(right, seal_y - radius - 42, content.issued_on)

    # QR code, bottom left, linking to the public progress page.
    size = 96.0
    widget = QrCodeWidget(content.qr_url)
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    qr_x, qr_y = left, 110.0
    renderPDF.draw(drawing, pdf, qr_x, qr_y)
    pdf.linkURL(content.qr_url, (qr_x, qr_y, qr_x + size, qr_y + size), relative=0, thickness=0)
    pdf.setFont(FONT, 9)
    pdf.drawString(qr_x, qr_y - 14, "扫码查询办理进度")
    pdf.drawString(qr_x, qr_y - 28, f"查询码：{content.query_code}")
    page_number(page)
    pdf.showPage()
    pdf.save()
    return out.getvalue()
