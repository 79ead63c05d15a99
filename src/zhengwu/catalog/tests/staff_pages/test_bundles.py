"""一件事 pages: the hall creates, edits and publishes; department staff only read."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengwu.catalog.models import Bundle

from ..factories import department, make_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_items(demo_org):
    food = make_item(name="食品经营许可")
    health = make_item(
        name="公共场所卫生许可", dept=department("示范市卫生健康委员会"), basic_code="000404004000"
    )
    return food, health


def test_create_edit_publish(reform_client, two_items):
    food, health = two_items
    lead = department()
    data = {
        "name": "开办餐饮店",
        "code": "open-restaurant",
        "region_code": lead.region.code,
        "lead_department_id": lead.pk,
        "audience": "company",
        "aliases": "开饭店",
        "promised_limit": "10",
        "deemed_consent": "on",
        "item_ids": [food.pk],
    }
    response = reform_client.post(reverse("catalog_staff:bundle_create"), data)
    assert response.status_code == 400
    assert "至少包含两个事项" in response.content.decode()
    data["item_ids"] = [food.pk, health.pk]
    response = reform_client.post(reverse("catalog_staff:bundle_create"), data)
    assert response.status_code == 302
    bundle = Bundle.objects.get(code="open-restaurant")
    assert bundle.aliases == ["开饭店"] and bundle.deemed_consent
    url = reverse("catalog_staff:bundle", args=[bundle.pk])
    edit = {**data, "name": "开办餐饮店一件事", "deemed_consent": "", "optional_item_ids": [health.pk]}
    assert reform_client.post(url, edit).status_code == 302
    bundle.refresh_from_db()
    assert (
        bundle.name == "开办餐饮店一件事" and not bundle.deemed_consent and bundle.code == "open-restaurant"
    )
    assert reform_client.post(reverse("catalog_staff:bundle_publish", args=[bundle.pk])).status_code == 302
    bundle.refresh_from_db()
    assert bundle.is_published
    assert "开办餐饮店一件事" in reform_client.get(reverse("catalog_staff:bundles")).content.decode()


def test_department_staff_read_but_cannot_create(drafter_client, two_items):
    assert drafter_client.get(reverse("catalog_staff:bundles")).status_code == 200
    assert drafter_client.get(reverse("catalog_staff:bundle_create")).status_code == 404
