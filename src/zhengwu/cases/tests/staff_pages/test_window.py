"""窗口: the queue of new cases for the clerk's windows, and 接件 for a walk-in (item, applicant,
form and scans, submit)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhengwu.cases.models import Case, CaseStatus
from zhengwu.core.audit.models import AuditEntry
from zhengwu.org.demo import org_uscc, resident_id

from ..factories import at, make_item_for_cases, pdf_upload
from .helpers import body, new_case

pytestmark = pytest.mark.django_db
QUEUE = "/workbench/cases/window/"
WALK_IN_ID = resident_id("11010519491231002")  # a valid test ID number (checksum computed)


# --- the queue ----------------------------------------------------------------------------


def test_queue_green_channel_first_then_oldest(clerk, item):
    old = new_case(item=item, submitted_at=at(dt.date(2025, 9, 24), 9))
    new = new_case(item=item, submitted_at=at(dt.date(2025, 9, 26), 9))
    green = new_case(item=item, submitted_at=at(dt.date(2025, 9, 26), 11), green_channel=True)
    response = clerk.get(QUEUE)
    assert [r.case.pk for r in response.context["rows"]] == [green.pk, old.pk, new.pk]
    page = body(response)
    assert "绿色通道" in page and "受理期限" in page
    row = response.context["rows"][1]
    assert row.acceptance.due == old.acceptance_due and row.acceptance.left is not None


def test_queue_shows_only_cases_the_windows_cover(demo_org):
    """`chief` sits only at B01, the market bureau's own window (registration and licensing)."""
    from zhengwu.catalog.tests.factories import department

    from .helpers import client_for

    mine = new_case(item=make_item_for_cases())  # market licensing → B01 (market, 经营许可类)
    housing = new_case(
        item=make_item_for_cases(name="燃气经营许可", dept=department("示范市住房和城乡建设局"))
    )
    district = new_case(
        item=make_item_for_cases(name="食品经营许可（东城）", dept=department("示范市东城区市场监督管理局"))
    )
    not_submitted = new_case(item=make_item_for_cases(name="另一事项"), status=CaseStatus.ACCEPTED)
    numbers = {r.case.number for r in client_for("chief").get(QUEUE).context["rows"]}
    assert mine.number in numbers
    assert housing.number not in numbers  # another department's item
    assert district.number not in numbers  # another hall's region
    assert not_submitted.number not in numbers


def test_general_window_receives_every_department_of_its_category(demo_org):
    """A01 注册登记类 is a general window: registration items of any department in its hall's region."""
    from zhengwu.catalog.tests.factories import department

    from .helpers import client_for

    health = make_item_for_cases(
        name="医疗机构执业登记", dept=department("示范市卫生健康委员会"), item_type="confirmation"
    )
    case = new_case(item=health)
    assert case.window_category == "registration"
    assert case.number in {r.case.number for r in client_for("clerk").get(QUEUE).context["rows"]}


def test_queue_tabs_and_other_roles(clerk, reviewer, item):
    waiting = new_case(item=item, status=CaseStatus.SUPPLEMENT)
    assert waiting.number in body(clerk.get(QUEUE, {"tab": "supplement"}))
    assert clerk.get(QUEUE, {"tab": "drafts"}).status_code == 200
    assert reviewer.get(QUEUE).status_code == 404  # not a window clerk


def test_queue_query_count_is_constant(clerk, item):
    def count(size: int) -> int:
        clerk.get(QUEUE, {"size": size})
        with CaptureQueriesContext(connection) as ctx:
            response = clerk.get(QUEUE, {"size": size})
        assert len(response.context["rows"]) == size
        return len(ctx.captured_queries)

    for _ in range(5):
        new_case(item=item)
    small = count(5)
    for _ in range(45):
        new_case(item=item)
    assert count(50) == small


# --- 接件 ---------------------------------------------------------------------------------


def test_item_search_lists_what_the_window_covers(clerk, item):
    url = reverse("cases_staff:intake")
    windows = clerk.get(url).context["form"].fields["window"].choices
    a01 = next(pk for pk, label in windows if "A01" in label)
    b01 = next(pk for pk, label in windows if "B01" in label)
    assert item.name in body(clerk.get(url, {"window": b01}))
    assert item.name in body(clerk.get(url, {"window": b01, "q": "食品"}))
    assert item.name in body(clerk.get(url, {"window": b01, "q": item.implementation_code[:20]}))
    assert item.name not in body(clerk.get(url, {"window": b01, "q": "不存在的事项"}))
    # A01 (registration) does not receive this licensing item.
    assert item.name not in body(clerk.get(url, {"window": a01}))
    # The last window chosen is remembered.
    assert clerk.get(url).context["window"].id == a01


def applicant_data(**overrides):
    data = {
        "kind": "person",
        "id_number": WALK_IN_ID,
        "name": "王来办",
        "phone": "13912345678",
        "address": "示范市东城区人民路1号",
        "contact_name": "",
    }
    data.update(overrides)
    return data


def _b01(clerk) -> int:
    windows = clerk.get(reverse("cases_staff:intake")).context["form"].fields["window"].choices
    return next(pk for pk, label in windows if "B01" in label)


def test_bad_id_number_is_a_field_error(clerk, item):
    url = reverse("cases_staff:intake_applicant", args=[item.pk]) + f"?window={_b01(clerk)}"
    response = clerk.post(
        url, applicant_data(id_number=WALK_IN_ID[:-1] + ("0" if WALK_IN_ID[-1] != "0" else "1"))
    )
    assert response.status_code == 400
    assert "身份证号码校验位错误" in body(response)
    response = clerk.post(
        url, applicant_data(kind="company", id_number="91440101MA5ABCDE1X", contact_name="王")
    )
    assert response.status_code == 400 and "统一社会信用代码" in body(response)
    assert not Case.objects.exists()


def test_walk_in_end_to_end(clerk, item):
    window = _b01(clerk)
    url = reverse("cases_staff:intake_applicant", args=[item.pk])
    assert clerk.get(url, {"window": window}).status_code == 200
    response = clerk.post(url, {**applicant_data(green_channel="on"), "window": window})
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.channel, case.window_id, case.status, case.green_channel) == (
        "window",
        window,
        "draft",
        True,
    )
    assert case.applicant_id_number == WALK_IN_ID
    draft_url = reverse("cases_staff:intake_draft", args=[case.pk])
    assert response["Location"] == draft_url
    page = body(clerk.get(draft_url))
    assert "营业执照" in page and "申请人名称" in page

    # Submitting without the scans: every missing material named at once, nothing received.
    response = clerk.post(draft_url, {"f-applicant_name": "王来办", "submit": "1"})
    assert response.status_code == 400
    assert "请上传“营业执照”" in body(response)
    case.refresh_from_db()
    assert case.status == CaseStatus.DRAFT and case.form_data["applicant_name"] == "王来办"

    # Scan each required material, then submit.
    upload_url = reverse("cases_staff:intake_upload", args=[case.pk])
    for material in case.materials.filter(required=True):
        response = clerk.post(
            upload_url, {"material": material.pk, "file": pdf_upload(f"{material.name}.pdf")}
        )
        assert response.status_code == 302
    response = clerk.post(draft_url, {"f-applicant_name": "王来办", "submit": "1", "idempotency_key": "k1"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED and case.number
    assert response["Location"] == reverse("cases_staff:accept", args=[case.pk])
    assert case.number in body(clerk.get(QUEUE))


def test_upload_of_a_wrong_file_type_is_a_400(clerk, item):
    from django.core.files.uploadedfile import SimpleUploadedFile

    window = _b01(clerk)
    clerk.post(
        reverse("cases_staff:intake_applicant", args=[item.pk]), {**applicant_data(), "window": window}
    )
    case = Case.objects.get()
    material = case.materials.first()
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00not really", content_type="application/octet-stream")
    response = clerk.post(
        reverse("cases_staff:intake_upload", args=[case.pk]), {"material": material.pk, "file": bad}
    )
    assert response.status_code == 400
    assert "上传失败" in body(response)
    assert not material.files.exists()


def test_remove_a_scan(clerk, item):
    window = _b01(clerk)
    clerk.post(
        reverse("cases_staff:intake_applicant", args=[item.pk]), {**applicant_data(), "window": window}
    )
    case = Case.objects.get()
    material = case.materials.first()
    clerk.post(
        reverse("cases_staff:intake_upload", args=[case.pk]), {"material": material.pk, "file": pdf_upload()}
    )
    case_file = material.files.get()
    response = clerk.post(reverse("cases_staff:intake_remove_file", args=[case.pk, case_file.pk]))
    assert response.status_code == 302
    case_file.refresh_from_db()
    assert case_file.removed


def test_lookup_finds_an_earlier_applicant_and_audits_it(clerk, item):
    earlier = new_case(item=item)
    url = reverse("cases_staff:lookup")
    data = clerk.get(url, {"id_number": earlier.applicant_id_number}).json()
    assert data["found"] and data["applicant"]["name"] == earlier.applicant_name
    assert AuditEntry.objects.filter(is_pii_read=True, obj_id=str(earlier.pk)).exists()
    assert clerk.get(url, {"id_number": WALK_IN_ID}).json() == {"found": False}
    assert clerk.get(url).status_code == 400


def test_another_clerks_draft_is_404(clerk, dc_clerk, item):
    window = _b01(clerk)
    clerk.post(
        reverse("cases_staff:intake_applicant", args=[item.pk]), {**applicant_data(), "window": window}
    )
    case = Case.objects.get()
    assert dc_clerk.get(reverse("cases_staff:intake_draft", args=[case.pk])).status_code == 404
    assert dc_clerk.get(reverse("cases_staff:intake_applicant", args=[item.pk])).status_code == 404


def test_company_applicant_with_uscc(clerk, item):
    window = _b01(clerk)
    uscc = org_uscc("449900000000", 777)
    response = clerk.post(
        reverse("cases_staff:intake_applicant", args=[item.pk]),
        {
            **applicant_data(kind="company", id_number=uscc, name="示范餐饮有限公司", contact_name="王来办"),
            "window": window,
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.applicant_kind == "company" and case.applicant_id_number == uscc
    assert case.form_data.get("applicant_name") == "示范餐饮有限公司"  # prefilled from company.name
