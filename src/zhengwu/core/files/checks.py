"""What an upload must be: allowed extension, within the size limit, and content that matches.

The extension is what the applicant claims; the content is sniffed (filetype, zip structure) and
must agree. A mismatch is refused with a message that tells the applicant what to do.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

DEFAULT_ALLOWED = ("pdf", "jpg", "png", "ofd", "docx", "xlsx")
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
ALIASES = {"jpeg": "jpg"}

# Canonical extension -> (label shown to people, MIME type stored and served).
KINDS: dict[str, tuple[str, str]] = {
    "pdf": ("PDF", "application/pdf"),
    "jpg": ("JPG", "image/jpeg"),
    "png": ("PNG", "image/png"),
    "gif": ("GIF", "image/gif"),
    "ofd": ("OFD", "application/ofd"),
    "docx": ("DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ("PPTX", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "zip": ("ZIP", "application/zip"),
}
ZIP_BASED = {"ofd", "docx", "xlsx", "pptx"}

# Programs in disguise: ELF, PE ("MZ"), Mach-O (both byte orders, fat binaries), scripts with a shebang.
EXECUTABLE_MAGIC = (
    b"\x7fELF",
    b"MZ",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)

SNIFF_BYTES = 8192
_UNSAFE_CHARS = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


@dataclass(frozen=True)
class CheckedUpload:
    name: str  # sanitised original name
    extension: str  # canonical, e.g. "jpg" for "photo.JPEG"
    content_type: str
    size: int
    sha256: str


def allowed_extensions() -> list[str]:
    configured = getattr(settings, "FILES_ALLOWED_TYPES", DEFAULT_ALLOWED)
    return [ALIASES.get(e.strip().lower().lstrip("."), e.strip().lower().lstrip(".")) for e in configured]


def max_bytes() -> int:
    return int(getattr(settings, "FILES_MAX_BYTES", DEFAULT_MAX_BYTES))


def sanitize_name(raw: str | None) -> str:
    """The last path component only, without control or reserved characters or leading dots."""
    name = unicodedata.normalize("NFC", raw or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE_CHARS.sub("_", name).strip().lstrip(".").strip()
    if len(name) > 200:
        stem, ext = os.path.splitext(name)
        name = stem[: 200 - len(ext)] + ext
    return name or "file"


def extension_of(name: str) -> str:
    ext = os.path.splitext(name)[1].lower().lstrip(".")
    return ALIASES.get(ext, ext)


def _fail(message: str) -> ValidationError:
    return ValidationError({"file": [message]})


def _zip_kind(stream: IO[bytes]) -> str | None:
    """Which zip-based format this is, judged from the archive's directory (nothing is extracted)."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    lowered = {n.lower() for n in names}
    if "ofd.xml" in lowered:
        return "ofd"
    if "[content_types].xml" in lowered:
        for prefix, kind in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
            if any(n.startswith(prefix) for n in lowered):
                return kind
    return "zip"


def sniff(stream: IO[bytes], head: bytes) -> str | None:
    """The canonical extension the content really has, or None when unknown."""
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(stream)
    kind = filetype.guess(head)
    if kind is None:
        return None
    return ALIASES.get(kind.extension, kind.extension)


def _hash_and_size(upload: UploadedFile, limit: int) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    upload.seek(0)
    for chunk in upload.chunks():
        size += len(chunk)
        if size > limit:
            break  # no need to read the rest of an oversized file
        digest.update(chunk)
    return digest.hexdigest(), size


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".rstrip("0").rstrip(".")


def check_upload(upload: UploadedFile | None) -> CheckedUpload:
    """Validate an upload; raises ValidationError({"file": [message]}) in Chinese."""
    if upload is None:
        raise _fail(_("请选择要上传的文件。"))
    name = sanitize_name(upload.name)
    allowed = allowed_extensions()
    ext = extension_of(name)
    allowed_labels = "、".join(KINDS.get(e, (e.upper(), ""))[0] for e in allowed)
    if not ext:
        raise _fail(
            _("文件“%(name)s”没有扩展名，只能上传：%(allowed)s。") % {"name": name, "allowed": allowed_labels}
        )
    if ext not in allowed:
        raise _fail(
            _("不支持“.%(ext)s”格式的文件“%(name)s”，只能上传：%(allowed)s。")
            % {"ext": ext, "name": name, "allowed": allowed_labels}
        )

    limit = max_bytes()
    sha256, size = _hash_and_size(upload, limit)
    if size == 0:
        raise _fail(_("文件“%(name)s”是空文件，请重新选择。") % {"name": name})
    if size > limit:
        raise _fail(
            _("文件“%(name)s”太大，单个文件不能超过 %(limit)s MB。")
            % {"name": name, "limit": _megabytes(limit)}
        )

    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    label = KINDS.get(ext, (ext.upper(), ""))[0]
    if head.startswith(EXECUTABLE_MAGIC):
        raise _fail(
            _("文件“%(name)s”是可执行程序，不是 %(label)s 文件，不能上传。") % {"name": name, "label": label}
        )
    actual = sniff(upload, head)
    upload.seek(0)
    if actual != ext:
        if actual in KINDS:
            raise _fail(
                _(
                    "文件“%(name)s”的内容是 %(actual)s 文件，与扩展名“.%(ext)s”不符。"
                    "请上传真实的 %(label)s 文件，或改正扩展名后重新上传。"
                )
                % {"name": name, "actual": KINDS[actual][0], "ext": ext, "label": label}
            )
        raise _fail(
            _("文件“%(name)s”的内容不是 %(label)s 文件，请上传真实的 %(label)s。")
            % {"name": name, "label": label}
        )
    content_type = KINDS.get(ext, (label, "application/octet-stream"))[1]
    return CheckedUpload(name=name, extension=ext, content_type=content_type, size=size, sha256=sha256)
