"""New items, change drafts and the draft editor: field errors by name, uploads, the checker panel."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from zhengwu.catalog.forms import FeeFormSet, VersionForm, version_initial
from zhengwu.catalog.models import ItemVersion, ServiceItem
from zhengwu.catalog.models.choices import ChangeKind, VersionStatus

from ..factories import department
from .conftest import form_data

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def start_change(client, item, reason="依据新修订的条例调整承诺时限") -> ItemVersion:
    response = client.post(
        reverse("catalog_staff:item_change", args=[item.pk]),
        {"adjust-kind": "adjust", "adjust-reason": reason},
    )
    assert response.status_code == 302, response.content.decode()
    return item.versions.get(status=VersionStatus.DRAFT)


def elements(version: ItemVersion, **changes) -> dict:
    data = form_data(VersionForm(initial=version_initial(version)))
    data.update(form_data(FeeFormSet(initial=list(version.fees or []), prefix="fees")))
    data.update({k: str(v) for k, v in changes.items()})
    return data


def test_new_item_with_a_bad_code_shows_the_field_errors(drafter_client):
    dept = department()
    response = drafter_client.post(
        reverse("catalog_staff:item_create"),
        {
            "department_id": dept.pk,
            "item_type": "licensing",
            "name": "小餐饮登记",
            "basic_code": "abc",
            "implementation_code": "12345",
            "audience": "both",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "基本编码" in body and "基本编码应为12位大写字母或数字" in body
    assert "实施编码" in body and "实施编码应为31至33位" in body
    assert not ServiceItem.objects.filter(name="小餐饮登记").exists()
    # The rest of the input stays on the page.
    assert 'value="小餐饮登记"' in body


def test_new_item_creates_a_draft_and_opens_the_editor(drafter_client):
    dept = department()
    response = drafter_client.post(
        reverse("catalog_staff:item_create"),
        {
            "department_id": dept.pk,
            "item_type": "licensing",
            "name": "小餐饮登记",
            "basic_code": "000101009000",
            "implementation_code": f"{dept.uscc}0001010090001",
            "audience": "company",
            "aliases": "开小吃店、开小饭馆",
        },
    )
    assert response.status_code == 302
    item = ServiceItem.objects.get(name="小餐饮登记")
    assert item.aliases == ["开小吃店", "开小饭馆"]
    version = item.versions.get()
    assert response["Location"] == reverse("catalog_staff:draft", args=[version.pk])
    page = drafter_client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    # The checker panel lists what is still missing, with the element's name.
    assert "设定依据" in body and "未填写设定依据" in body
    assert page.context["check"]["errors"]


def test_promised_limit_longer_than_statutory_is_refused_by_field(drafter_client, item):
    version = start_change(drafter_client, item)
    url = reverse("catalog_staff:draft", args=[version.pk])
    response = drafter_client.post(url, elements(version, promised_limit=30, name="食品经营许可（新）"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "承诺办结时限" in body and "承诺办结时限不能长于法定办结时限" in body
    version.refresh_from_db()
    assert version.promised_limit == 10 and version.name == "食品经营许可"  # nothing half-saved
    assert 'value="食品经营许可（新）"' in body  # the input is kept


def test_saving_elements_and_fees(drafter_client, item):
    version = start_change(drafter_client, item)
    url = reverse("catalog_staff:draft", args=[version.pk])
    data = elements(version, promised_limit=5, charges_fee="on")
    data.update({"fees-0-name": "工本费", "fees-0-amount": "-1", "fees-0-unit": "元/件"})
    response = drafter_client.post(url, data)
    assert response.status_code == 400  # a negative fee
    assert "金额（元）" in response.content.decode()
    data["fees-0-amount"] = "10"
    response = drafter_client.post(url, data)
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.promised_limit == 5
    assert version.fees == [{"name": "工本费", "amount": "10.00", "unit": "元/件", "basis": ""}]
    # A fee without basis is a checker error shown on the page after the save.
    body = drafter_client.get(url).content.decode()
    assert "未列明收费依据" in body


def test_materials_formset_with_uploads(drafter_client, item):
    version = start_change(drafter_client, item)
    url = reverse("catalog_staff:draft_materials", args=[version.pk])
    page = drafter_client.get(url)
    assert page.status_code == 200
    data = form_data(page.context["formset"])
    data.update(
        {
            "materials-2-name": "食品经营许可申请书",
            "materials-2-source": "applicant",
            "materials-2-originals": "1",
            "materials-2-copies": "0",
            "materials-2-medium": "either",
            "materials-2-required": "on",
            "materials-2-is_form": "on",
            "materials-2-blank_form": SimpleUploadedFile("申请书.pdf", PDF, "application/pdf"),
            # Claims to be a PDF but is a program: refused, with its message next to the field.
            "materials-2-sample": SimpleUploadedFile(
                "样表.pdf", b"MZ\x90\x00" + b"\x00" * 64, "application/pdf"
            ),
        }
    )
    response = drafter_client.post(url, data)
    assert response.status_code == 400
    formset = response.context["formset"]
    assert formset.forms[2].errors["sample"]
    assert "sample" not in formset.forms[0].errors
    # The accepted blank form is kept (its id rides along) and so is the typed name.
    assert formset.forms[2]["blank_form_file_id"].value()
    assert formset.forms[2]["name"].value() == "食品经营许可申请书"
    assert version.materials.count() == 2
    # Post again with a good sample: all three rows saved, the blank form not uploaded twice.
    data = {k: v for k, v in data.items() if not k.endswith("-sample") and not k.endswith("-blank_form")}
    data["materials-2-blank_form_file_id"] = str(formset.forms[2]["blank_form_file_id"].value())
    data["materials-2-sample"] = SimpleUploadedFile("样表.pdf", PDF, "application/pdf")
    response = drafter_client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    rows = list(version.materials.order_by("order"))
    assert [m.name for m in rows] == ["营业执照", "经营场所使用证明", "食品经营许可申请书"]
    assert rows[2].blank_form_file_id and rows[2].sample_file_id


def test_vague_material_is_listed_by_the_checker(drafter_client, item):
    version = start_change(drafter_client, item)
    url = reverse("catalog_staff:draft_materials", args=[version.pk])
    data = form_data(drafter_client.get(url).context["formset"])
    data["materials-1-name"] = "其他相关材料"
    assert drafter_client.post(url, data).status_code == 302
    body = drafter_client.get(url).content.decode()
    assert "名称含糊" in body


def test_deleting_a_step_and_the_licensing_stage_rule(drafter_client, item):
    version = start_change(drafter_client, item)
    url = reverse("catalog_staff:draft_steps", args=[version.pk])
    data = form_data(drafter_client.get(url).context["formset"])
    data["steps-4-DELETE"] = "on"  # 送达
    assert drafter_client.post(url, data).status_code == 302
    assert list(version.steps.values_list("name", flat=True)) == ["受理", "审查", "决定", "办结"]
    response = drafter_client.post(reverse("catalog_staff:draft_submit", args=[version.pk]))
    assert response.status_code == 400
    assert "缺少以下环节：送达" in response.content.decode()
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_form_fields_editor(drafter_client, item):
    version = start_change(drafter_client, item)
    url = reverse("catalog_staff:draft_fields", args=[version.pk])
    data = form_data(drafter_client.get(url).context["formset"])
    data.update(
        {
            "fields-1-key": "shop_type",
            "fields-1-label": "经营类型",
            "fields-1-field_type": "choice",
            "fields-1-required": "on",
            "fields-1-choices_text": "餐饮服务、食品销售",
            "fields-1-max_length": "20",
        }
    )
    assert drafter_client.post(url, data).status_code == 302
    field = version.form_fields.get(key="shop_type")
    assert field.choices == ["餐饮服务", "食品销售"] and field.validation == {"max_length": 20}
    data["fields-1-choices_text"] = ""
    response = drafter_client.post(url, data)
    assert response.status_code == 400
    assert "单选或多选字段须列出选项" in response.content.decode()


def test_checks_partial_for_htmx_and_plain_page(drafter_client, item):
    version = start_change(drafter_client, item)
    url = reverse("catalog_staff:draft_checks", args=[version.pk])
    partial = drafter_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert partial.lstrip().startswith("<section") and "<html" not in partial
    assert "<html" in drafter_client.get(url).content.decode()


def test_published_version_is_shown_read_only_and_cannot_be_posted(drafter_client, item):
    url = reverse("catalog_staff:draft", args=[item.current_version_id])
    page = drafter_client.get(url)
    assert page.status_code == 200 and not page.context["editable"]
    response = drafter_client.post(url, {"name": "改名"})
    assert response.status_code == 302
    item.current_version.refresh_from_db()
    assert item.current_version.name == "食品经营许可"


def test_withdraw_needs_a_reason(drafter_client, item):
    version = start_change(drafter_client, item)
    url = reverse("catalog_staff:draft_withdraw", args=[version.pk])
    response = drafter_client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "撤回理由" in response.content.decode()
    assert drafter_client.post(url, {"reason": "重复起草"}).status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.WITHDRAWN


def test_cancel_request_creates_a_cancel_draft(drafter_client, item):
    response = drafter_client.post(
        reverse("catalog_staff:item_change", args=[item.pk]),
        {"cancel-kind": "cancel", "cancel-reason": "职能划转"},
    )
    assert response.status_code == 302
    assert item.versions.get(status=VersionStatus.DRAFT).change_kind == ChangeKind.CANCEL


def test_change_without_reason_is_refused(drafter_client, item):
    response = drafter_client.post(
        reverse("catalog_staff:item_change", args=[item.pk]), {"adjust-kind": "adjust", "adjust-reason": ""}
    )
    assert response.status_code == 400
    assert "变更理由" in response.content.decode()
    assert item.versions.count() == 1


def test_item_detail_lists_every_version(drafter_client, item):
    start_change(drafter_client, item)
    page = drafter_client.get(reverse("catalog_staff:item", args=[item.pk]))
    body = page.content.decode()
    assert "第 1 版" in body and "第 2 版" in body and "李审查" in body
