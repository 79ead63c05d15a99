"""事项管理 list: scope, filters, checker counts, and a constant number of queries per page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhengwu.catalog.models.choices import ItemType, VersionStatus

from ..factories import make_item

pytestmark = pytest.mark.django_db


def make_items(n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        make_item(name=f"测试事项{i:03d}", basic_code=f"{i:012d}")


def test_list_queries_do_not_grow_with_the_page(drafter_client, django_assert_max_num_queries):
    make_items(10)
    with django_assert_max_num_queries(12) as small:
        response = drafter_client.get(reverse("catalog_staff:items"))
    assert response.status_code == 200
    assert len(response.context["rows"]) == 10
    make_items(50, start=10)
    # Open drafts on some rows load their versions too, still in one batch.
    make_item(name="草稿事项", basic_code="999999999999", status=VersionStatus.DRAFT, legal_basis="")
    with django_assert_max_num_queries(len(small.captured_queries)) as large:
        response = drafter_client.get(reverse("catalog_staff:items"))
    assert len(response.context["rows"]) == 50  # a page of 50 out of 61
    assert len(large.captured_queries) == len(small.captured_queries), [
        q["sql"][:80] for q in large.captured_queries
    ]
    assert "第 1 / 2 页" in response.content.decode()


def test_list_shows_the_open_draft_and_its_checker_errors(drafter_client, demo_org):
    make_item(name="有问题的草稿", status=VersionStatus.DRAFT, legal_basis="", supervision_phone="")
    body = drafter_client.get(reverse("catalog_staff:items")).content.decode()
    assert "有问题的草稿" in body
    assert "草稿" in body
    assert "2 个错误" in body


def test_filters(drafter_client, demo_org):
    make_item(name="食品经营许可")
    make_item(name="广告发布登记", basic_code="000202002000", item_type=ItemType.FILING)
    url = reverse("catalog_staff:items")
    body = drafter_client.get(url, {"item_type": ItemType.FILING}).content.decode()
    assert "广告发布登记" in body and "食品经营许可" not in body
    body = drafter_client.get(url, {"q": "食品"}).content.decode()
    assert "食品经营许可" in body and "广告发布登记" not in body
    body = drafter_client.get(url, {"status": VersionStatus.DRAFT}).content.decode()
    assert "没有符合条件的事项" in body
    # A malformed filter is ignored rather than failing.
    assert drafter_client.get(url, {"department": "abc", "page": "x"}).status_code == 200


def test_reform_office_sees_every_department(reform_client, demo_org):
    from ..factories import department

    make_item(name="食品经营许可")
    make_item(name="建设工程施工许可", dept=department("示范市住房和城乡建设局"), basic_code="000303003000")
    body = reform_client.get(reverse("catalog_staff:items")).content.decode()
    assert "食品经营许可" in body and "建设工程施工许可" in body
