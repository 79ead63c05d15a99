"""The demo city's catalogue: 45 items and 5 bundles (fixtures/demo_catalog.json, loaded through the
bulk importer), a blank form and a filled sample PDF for every form, and four deliberately flawed
drafts for the guide checker to find. Idempotent: what exists is left alone; a second run costs a
handful of queries.
"""

from __future__ import annotations

import functools
import io
import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from zhengwu.core.access.actor import Actor, actor_for
from zhengwu.core.files.services import file_store
from zhengwu.core.pdf import cjk_font

from .bulk import catalog_import
from .models import Bundle, ItemVersion, MaterialRequirement, ServiceItem
from .models.choices import VersionStatus

FIXTURE = Path(__file__).parent / "fixtures" / "demo_catalog.json"
FLAW_REASON = "演示：待修改的变更草稿（供指南质量检查演示）"
OPEN_STATUSES = (VersionStatus.DRAFT, VersionStatus.SUBMITTED, VersionStatus.RETURNED, VersionStatus.REVIEWED)


@functools.cache
def demo_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data


def seed_catalog_demo() -> dict[str, int]:
    """Create whatever part of the demo catalogue is missing; returns counts of what was created."""
    data = demo_data()
    codes = [i["implementation_code"] for i in data["items"]]
    have_items = set(
        ServiceItem.objects.filter(implementation_code__in=codes).values_list(
            "implementation_code", flat=True
        )
    )
    have_bundles = set(
        Bundle.objects.filter(code__in=[b["code"] for b in data["bundles"]]).values_list("code", flat=True)
    )
    created = {"catalog_items": 0, "catalog_bundles": 0, "catalog_forms": 0, "catalog_flawed_drafts": 0}
    missing = {
        **data,
        "items": [i for i in data["items"] if i["implementation_code"] not in have_items],
        "bundles": [b for b in data["bundles"] if b["code"] not in have_bundles],
    }
    actor = _seed_actor()
    if missing["items"] or missing["bundles"]:
        missing = json.loads(json.dumps(missing))  # the cached fixture stays untouched
        created["catalog_forms"] = _attach_forms(missing["items"])
        report = catalog_import(actor=actor, data=missing, update=False)
        if not report.ok:
            raise RuntimeError("demo catalogue does not import:\n" + "\n".join(str(e) for e in report.errors))
        created["catalog_items"] = report.items_created
        created["catalog_bundles"] = report.bundles_created
    created["catalog_flawed_drafts"] = _flawed_drafts(actor)
    return created


def _seed_actor() -> Actor:
    user = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        raise RuntimeError(
            "seed the organisation first (zhengwu.org.demo.seed_demo): no administrator account"
        )
    return actor_for(user)


def _attach_forms(items: list[dict[str, Any]]) -> int:
    stored: dict[str, tuple[str, str]] = {}
    for item in items:
        for material in item["version"]["materials"]:
            if not material.get("is_form"):
                continue
            name = material["name"]
            if name not in stored:
                blank = _store(form_pdf(name, item["name"], sample=False), name, "catalog_form")
                sample = _store(
                    form_pdf(name, item["name"], sample=True), f"{name}（示例）", "catalog_sample"
                )
                stored[name] = (blank, sample)
            material["blank_form_file"], material["sample_file"] = stored[name]
    return len(stored)


def _store(content: bytes, title: str, purpose: str) -> str:
    upload = SimpleUploadedFile(f"{title}.pdf", content, content_type="application/pdf")
    return str(file_store(actor=None, upload=upload, purpose=purpose).pk)


SAMPLE_VALUES = {
    "申请人（单位）名称": "示范市示范科技有限公司",
    "统一社会信用代码 / 身份证号码": "91449900MA00000011",
    "法定代表人（负责人）": "黄经办",
    "联系电话": "13800000002",
    "地址": "示范市东城区市民大道88号",
    "申请事项": "",
    "申请日期": "2026年1月5日",
}


def form_pdf(form_name: str, item_name: str, *, sample: bool) -> bytes:
    """A one-page A4 form: title, the applicant fields and a signature line; the sample is filled in."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    font = cjk_font()
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=True)  # invariant: the same bytes every run
    pdf.setTitle(form_name + ("（示例样表）" if sample else ""))
    width, height = A4
    pdf.setFont(font, 18)
    pdf.drawCentredString(width / 2, height - 80, form_name)
    if sample:
        pdf.setFont(font, 12)
        pdf.setFillColorRGB(0.8, 0, 0)
        pdf.drawCentredString(width / 2, height - 102, "示例样表（仅供参考，请勿直接提交）")
        pdf.setFillColorRGB(0, 0, 0)
    pdf.setFont(font, 12)
    y = height - 150
    for label, value in SAMPLE_VALUES.items():
        shown = (value or item_name) if sample else ""
        pdf.drawString(72, y, f"{label}：")
        pdf.line(250, y - 3, width - 72, y - 3)
        if shown:
            pdf.drawString(256, y, shown)
        y -= 36
    pdf.drawString(72, y - 10, "本人（单位）承诺所填内容及所附材料真实、有效，如有虚假愿承担法律责任。")
    pdf.drawString(72, y - 60, "申请人（签名/盖章）：" + ("黄经办" if sample else ""))
    pdf.setFont(font, 9)
    pdf.drawString(72, 60, f"示范市政务服务事项“{item_name}”申请表格 · 示范市政务服务数据管理局监制")
    pdf.showPage()
    pdf.save()
    return out.getvalue()


# (item name, department USCC) → the flaw to put into a change draft
FLAWS: list[tuple[str, str, dict[str, Any], str | None]] = [
    ("食品经营许可", "114499000000000018", {}, "其他相关材料"),
    ("公共场所卫生许可", "11449900000000004H", {"supervision_phone": ""}, None),
    ("道路货物运输经营许可", "11449900000000005L", {"visits": 2, "visits_reason": ""}, None),
    (
        "户外广告设施设置审批",
        "11449900000000007T",
        {
            "charges_fee": True,
            "fees": [{"name": "设置审批费", "amount": "200.00", "unit": "元/件", "basis": ""}],
        },
        None,
    ),
]


def _flawed_drafts(actor: Actor) -> int:
    from .services import version_create_draft, version_update

    items = {
        (i.name, i.department.uscc): i
        for i in ServiceItem.objects.filter(name__in=[f[0] for f in FLAWS], is_active=True).select_related(
            "department"
        )
    }
    busy = set(
        ItemVersion.objects.filter(item__in=list(items.values()), status__in=OPEN_STATUSES).values_list(
            "item_id", flat=True
        )
    )
    n = 0
    for name, uscc, fields, vague_material in FLAWS:
        item = items.get((name, uscc))
        if item is None or item.pk in busy:
            continue
        draft = version_create_draft(actor=actor, item_id=item.pk, reason=FLAW_REASON)
        if fields:
            version_update(actor=actor, version_id=draft.pk, **fields)
        if vague_material:
            # A vague material is exactly what the save-time checks let through and the checker catches.
            last = draft.materials.order_by("-order").first()
            MaterialRequirement.objects.create(
                version=draft, order=(last.order if last else 0) + 1, name=vague_material, copies=1
            )
        n += 1
    return n
