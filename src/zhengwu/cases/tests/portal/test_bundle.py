"""一件事一次办 online: one form, one material set (same-named materials uploaded once), one submit."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from zhengwu.cases.models import BundleCase, Case, CaseFile, CaseStatus
from zhengwu.cases.tests.factories import make_item_for_cases, pdf_upload
from zhengwu.catalog.models import Bundle, BundleItem
from zhengwu.catalog.models.choices import FieldType

from .helpers import body

pytestmark = pytest.mark.django_db


@pytest.fixture
def bundle(demo_org: Any) -> Bundle:
    food = make_item_for_cases(
        name="食品经营许可",
        extra_fields=[{"key": "area", "label": "经营面积", "field_type": FieldType.NUMBER}],
    )
    sign = make_item_for_cases(name="户外招牌设置", allows_deficiency=False)
    department = food.department
    bundle = Bundle.objects.create(
        code="kaiban-canyin",
        name="开办餐饮店",
        region=department.region,
        lead_department=department,
        promised_limit=10,
        is_published=True,
    )
    BundleItem.objects.create(bundle=bundle, item=food, order=1)
    BundleItem.objects.create(bundle=bundle, item=sign, order=2, optional=True)
    return bundle


def test_bundle_application_end_to_end(person, bundle):
    start_url = reverse("cases_portal:apply_bundle", args=[bundle.pk])
    html = body(person.get(start_url))
    assert "开办餐饮店" in html and "户外招牌设置" in html
    response = person.post(
        start_url, {"applicant": "person", "items": [str(m.item_id) for m in bundle.members.all()]}
    )
    assert response.status_code == 302
    bundle_case = BundleCase.objects.get()
    assert response["Location"] == reverse("cases_portal:bundle_draft", args=[bundle_case.pk])
    cases = list(bundle_case.cases.order_by("pk"))
    assert len(cases) == 2
    draft_url = response["Location"]
    html = body(person.get(draft_url))
    # the same-named materials of both items share one upload control
    assert html.count(">营业执照") == 1
    controls = re.findall(r'<input type="file" id="(material-\d+)"', html)
    assert len(controls) == 2
    data: dict[str, Any] = {
        "applicant_name": "林示范面馆",
        "area": "60",
        "action": "submit",
        "submit_token": "t",
    }
    for n, control in enumerate(controls):
        data[control] = pdf_upload(f"材料{n}.pdf")
    response = person.post(draft_url, data)
    assert response.status_code == 302, body(response)
    assert response["Location"] == reverse("cases_portal:bundle_receipt", args=[bundle_case.pk])
    bundle_case.refresh_from_db()
    assert bundle_case.number
    for case in bundle_case.cases.all():
        assert case.status == CaseStatus.SUBMITTED and case.number
        assert CaseFile.objects.filter(material__case=case, removed=False).count() == 2
    receipt = body(person.get(response["Location"]))
    assert bundle_case.number in receipt
    for case in bundle_case.cases.all():
        assert case.number in receipt and case.query_code in receipt
    # a second click lands on the receipt again
    again = person.post(draft_url, {"action": "submit"})
    assert again.status_code == 302 and again["Location"].endswith(f"/bundles/{bundle_case.pk}/receipt/")
    assert Case.objects.exclude(status=CaseStatus.DRAFT).count() == 2


def test_bundle_draft_errors_keep_uploads(person, bundle):
    person.post(reverse("cases_portal:apply_bundle", args=[bundle.pk]), {"applicant": "person"})
    bundle_case = BundleCase.objects.get()
    draft_url = reverse("cases_portal:bundle_draft", args=[bundle_case.pk])
    html = body(person.get(draft_url))
    first = re.findall(r'<input type="file" id="(material-\d+)"', html)[0]
    response = person.post(
        draft_url, {"applicant_name": "", "area": "abc", "action": "submit", first: pdf_upload()}
    )
    assert response.status_code == 400
    html = body(response)
    assert 'href="#id_area"' in html and 'href="#id_applicant_name"' in html
    assert CaseFile.objects.filter(material__case__bundle_case=bundle_case, removed=False).count() >= 1
    bundle_case.refresh_from_db()
    assert not bundle_case.number
