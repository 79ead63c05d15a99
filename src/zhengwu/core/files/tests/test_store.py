from __future__ import annotations

import hashlib
import os

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from zhengwu.core.access.actor import Actor
from zhengwu.core.audit.models import AuditEntry
from zhengwu.core.files.models import StoredFile
from zhengwu.core.files.services import file_store

from .samples import ELF, PE, docx_bytes, image_bytes, ofd_bytes, pdf_bytes, upload, xlsx_bytes, zip_bytes

APPLICANT = Actor(user_id=41, display_name="李四")


def _refused(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as info:
        file_store(actor=APPLICANT, upload=upload(name, content), purpose="material")
    assert list(info.value.message_dict) == ["file"]
    assert not StoredFile.objects.exists() and not AuditEntry.objects.exists()  # nothing half-written
    return info.value.message_dict["file"][0]


@pytest.mark.django_db
def test_real_pdf_is_stored_with_hash_and_audited():
    content = pdf_bytes()
    stored = file_store(actor=APPLICANT, upload=upload("营业执照.pdf", content), purpose="material")
    assert stored.original_name == "营业执照.pdf"
    assert (stored.extension, stored.content_type, stored.size) == ("pdf", "application/pdf", len(content))
    assert stored.sha256 == hashlib.sha256(content).hexdigest()
    assert stored.owner_user_id == 41 and stored.created_by_user_id == 41
    assert stored.storage_name == f"files/{stored.sha256[:2]}/{stored.sha256[2:4]}/{stored.sha256}.pdf"
    with default_storage.open(stored.storage_name, "rb") as fh:
        assert fh.read() == content
    row = AuditEntry.objects.get()
    assert (row.action, row.obj_type, row.obj_id, row.actor_user_id) == (
        "files.store",
        "stored_file",
        str(stored.pk),
        41,
    )
    assert row.extra["sha256"] == stored.sha256


@pytest.mark.django_db
def test_owner_can_differ_from_uploader():
    clerk = Actor(user_id=5, display_name="窗口")
    stored = file_store(
        actor=clerk, upload=upload("a.pdf", pdf_bytes()), purpose="material", owner_user_id=41
    )
    assert (stored.owner_user_id, stored.created_by_user_id) == (41, 5)


@pytest.mark.django_db
@pytest.mark.parametrize("header", [ELF, PE], ids=["elf", "pe"])
def test_renamed_executable_as_pdf_is_refused(header):
    message = _refused("报告.pdf", header)
    assert message == "文件“报告.pdf”是可执行程序，不是 PDF 文件，不能上传。"


@pytest.mark.django_db
def test_text_renamed_pdf_is_refused():
    assert _refused("x.pdf", b"just some text") == "文件“x.pdf”的内容不是 PDF 文件，请上传真实的 PDF。"


@pytest.mark.django_db
def test_png_named_jpg_is_refused_with_a_clear_message():
    message = _refused("photo.jpg", image_bytes("PNG"))
    assert "内容是 PNG 文件" in message and "“.jpg”" in message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "fmt", "ext"), [("p.JPEG", "JPEG", "jpg"), ("p.jpg", "JPEG", "jpg"), ("p.png", "PNG", "png")]
)
def test_images_are_accepted(name, fmt, ext):
    stored = file_store(actor=APPLICANT, upload=upload(name, image_bytes(fmt)), purpose="attachment")
    assert stored.extension == ext and stored.content_type.startswith("image/")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "make", "ext"),
    [("表.xlsx", xlsx_bytes, "xlsx"), ("申请书.docx", docx_bytes, "docx"), ("证照.ofd", ofd_bytes, "ofd")],
)
def test_office_and_ofd_files_are_accepted(name, make, ext):
    stored = file_store(actor=APPLICANT, upload=upload(name, make()), purpose="form_template")
    assert stored.extension == ext


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "make", "expected"),
    [
        ("表.docx", xlsx_bytes, "内容是 XLSX 文件"),
        ("a.docx", lambda: zip_bytes({"readme.txt": "hi"}), "内容是 ZIP 文件"),
        ("a.ofd", lambda: zip_bytes({"Doc_0/Document.xml": "<x/>"}), "内容是 ZIP 文件"),
        ("a.xlsx", lambda: b"PK\x03\x04broken", "内容不是 XLSX 文件"),
        ("a.ofd", docx_bytes, "内容是 DOCX 文件"),
    ],
)
def test_zip_based_mismatches_are_refused(name, make, expected):
    assert expected in _refused(name, make())


@pytest.mark.django_db
def test_oversize_is_refused(settings):
    settings.FILES_MAX_BYTES = 1024 * 1024
    message = _refused("big.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024))
    assert message == "文件“big.pdf”太大，单个文件不能超过 1 MB。"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("setup.exe", "不支持“.exe”格式的文件“setup.exe”，只能上传：PDF、JPG、PNG、OFD、DOCX、XLSX。"),
        ("note.txt", "不支持“.txt”格式的文件“note.txt”"),
        ("README", "文件“README”没有扩展名"),
    ],
)
def test_disallowed_extension_is_refused(name, expected):
    assert expected in _refused(name, b"MZ whatever")


@pytest.mark.django_db
def test_allow_list_is_configurable(settings):
    settings.FILES_ALLOWED_TYPES = ["pdf"]
    assert "只能上传：PDF。" in _refused("p.png", image_bytes("PNG"))


@pytest.mark.django_db
def test_empty_file_is_refused():
    assert _refused("empty.pdf", b"") == "文件“empty.pdf”是空文件，请重新选择。"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\evil.pdf", "evil.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("a\x00b<>:|?.pdf", "a_b_____.pdf"),
    ],
)
def test_names_are_sanitised(raw, clean):
    content = pdf_bytes()
    stored = file_store(actor=APPLICANT, upload=upload("x.pdf", content), purpose="material")
    stored_name = file_store(actor=APPLICANT, upload=_named(raw, content), purpose="material")
    assert stored_name.original_name == clean
    assert stored_name.storage_name == stored.storage_name  # the path comes from the hash, never the name


def _named(name, content):
    item = upload("x.pdf", content)
    item.name = name  # Django's own upload handler would already strip directories; be robust anyway
    return item


@pytest.mark.django_db
def test_identical_content_is_stored_once_but_recorded_per_upload(settings):
    content = pdf_bytes("same")
    a = file_store(actor=APPLICANT, upload=upload("a.pdf", content), purpose="material")
    b = file_store(actor=APPLICANT, upload=upload("b.pdf", content), purpose="attachment")
    assert a.pk != b.pk and a.storage_name == b.storage_name
    folder = os.path.dirname(default_storage.path(a.storage_name))
    assert os.listdir(folder) == [a.storage_name.rsplit("/", 1)[1]]
    assert AuditEntry.objects.filter(action="files.store").count() == 2
