"""Small real files of every allowed type, made in memory."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf_bytes(text: str = "Zhengwu") -> bytes:
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    page = canvas.Canvas(buf)
    page.drawString(72, 720, text)
    page.save()
    return buf.getvalue()


def image_bytes(fmt: str) -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buf, format=fmt)
    return buf.getvalue()


def xlsx_bytes() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "事项"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def zip_bytes(entries: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in entries.items():
            archive.writestr(name, text)
    return buf.getvalue()


def docx_bytes() -> bytes:
    return zip_bytes(
        {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"/>',
            "_rels/.rels": "<Relationships/>",
            "word/document.xml": "<w:document/>",
        }
    )


def ofd_bytes() -> bytes:
    return zip_bytes({"OFD.xml": "<ofd:OFD/>", "Doc_0/Document.xml": "<ofd:Document/>"})


ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120
PE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)
