"""The 办事指南 pages: browse, lists, guide, print view, bundle, search, announcements."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhengwu.catalog.models import ItemVersion, MaterialRequirement, ProcedureStep
from zhengwu.catalog.models.choices import ChangeKind, VersionStatus
from zhengwu.catalog.tests.factories import department, make_item, staff_user


def item_url(item) -> str:
    return reverse("catalog:item", kwargs={"code": item.implementation_code})


def test_browse_home_lists_themes_departments_levels_types_and_bundles(client, catalog):
    page = client.get(reverse("catalog:index")).content.decode()
    for text in (
        "个人办事主题",
        "生育收养",
        "法人办事主题",
        "开办设立",
        "示范市市场监督管理局",
        "区（县）级",
        "行政许可",
        "开办餐饮店",
    ):
        assert text in page
    assert 'action="/services/search/"' in page


def test_item_list_filters_by_department_theme_type_and_level(client, catalog):
    market = department("示范市市场监督管理局")
    page = client.get(reverse("catalog:items"), {"department": market.pk}).content.decode()
    assert "食品经营许可" in page and "企业设立登记" in page and "残疾人证办理" not in page
    page = client.get(reverse("catalog:items"), {"theme": "disability"}).content.decode()
    assert "残疾人证办理" in page and "食品经营许可" not in page
    page = client.get(reverse("catalog:items"), {"type": "public_service"}).content.decode()
    assert "政府信息公开申请" in page and "食品经营许可" not in page
    assert "食品经营许可" in client.get(reverse("catalog:items"), {"level": "city"}).content.decode()
    assert "共 0 个事项" in client.get(reverse("catalog:items"), {"level": "town"}).content.decode()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"theme": "mars"}, "没有这个主题"),
        ({"type": "x"}, "没有这个事项类型"),
        ({"level": "galaxy"}, "层级只能是"),
        ({"department": "abc"}, "部门编号应为数字"),
        ({"page": "0"}, "页码应为正整数"),
        ({"page": "x"}, "页码应为正整数"),
    ],
)
def test_bad_filters_are_a_400_with_a_chinese_message(client, catalog, params, message):
    response = client.get(reverse("catalog:items"), params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_item_list_query_count_does_not_grow_with_the_page(client, catalog, django_assert_max_num_queries):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("catalog:items")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    dept = department("示范市民政局")
    for n in range(15):
        make_item(name=f"测试事项{n}", dept=dept, basic_code=f"0099{n:08d}")
    assert count() == few


def test_item_guide_shows_every_public_element(client, catalog):
    item = catalog["items"]["食品经营许可"]
    version = item.current_version
    # Published versions are immutable through save(); set up the fixture row directly.
    ItemVersion.objects.filter(pk=version.pk).update(
        fees=[{"name": "证书工本费", "amount": "10.00", "unit": "元/本", "basis": "粤价〔2020〕1号"}],
        charges_fee=True,
        visits=1,
        visits_reason="需要现场核验经营场所",
        limit_note="现场核查时间不计入。",
    )
    sample = uuid.uuid4()
    MaterialRequirement.objects.filter(version=version, name="营业执照").update(
        sample_file_id=sample, notes="加盖公章"
    )
    page = client.get(item_url(item)).content.decode()
    for text in (
        "食品经营许可",
        "基本信息",
        "行政许可",
        "示范市市场监督管理局",
        "市级",
        "承诺件",
        "通办范围",
        "受理条件",
        "有与经营的食品品种",
        "申请材料",
        "营业执照",
        "原件 1 份",
        "可容缺",
        "加盖公章",
        "办理流程",
        "受理",
        "审查",
        "送达",
        "法定办结时限",
        "20 工作日",
        "承诺办结时限",
        "比法定时限压缩 50%",
        "现场核查时间不计入",
        "证书工本费",
        "粤价〔2020〕1号",
        "需要现场核验经营场所",
        "网上办理深度",
        "网上办理、窗口办理",
        "咨询电话",
        'href="tel:075783300001"',
        "监督投诉电话",
        'href="tel:12345"',
        "审批结果",
        "食品经营许可证",
        "设定依据",
        "食品安全法",
        "开办餐饮店",
    ):
        assert text in page, text
    assert reverse("files:download", kwargs={"file_id": sample}) in page
    # Nothing that does not exist yet is offered.
    assert "在线办理" not in page and "即将开通" not in page


def test_item_guide_lists_its_service_points(client, catalog):
    from zhengwu.org.selectors import service_points_for_portal

    points = service_points_for_portal()[:2]
    item = catalog["items"]["残疾人证办理"]
    ItemVersion.objects.filter(pk=item.current_version_id).update(
        service_point_ids=[points[1]["id"], points[0]["id"]]
    )
    page = client.get(item_url(item)).content.decode()
    assert page.index(points[1]["name"]) < page.index(points[0]["name"])
    assert points[0]["address"] in page


def test_item_guide_query_count_is_constant(client, catalog):
    item = catalog["items"]["食品经营许可"]

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(item_url(item)).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    version = item.current_version
    for n in range(10):
        MaterialRequirement.objects.create(version=version, order=10 + n, name=f"材料{n}", copies=1)
        ProcedureStep.objects.create(
            version=version, order=10 + n, name=f"环节{n}", stage="review", role="reviewer", limit=1
        )
    assert count() == few
    assert few <= 8


def test_print_view_is_a4_without_site_chrome(client, catalog):
    page = client.get(item_url(catalog["items"]["食品经营许可"]), {"print": "1"}).content.decode()
    assert "size: A4" in page
    assert '<nav class="main-nav"' not in page
    assert "申请材料" in page


def test_unknown_or_unpublished_item_is_404(client, catalog):
    assert client.get(reverse("catalog:item", kwargs={"code": "X" * 31})).status_code == 404
    assert client.get("/services/items/not-a-code!/").status_code == 404
    draft = make_item(
        name="草稿事项",
        dept=department("示范市民政局"),
        basic_code="000888001000",
        status=VersionStatus.DRAFT,
    )
    assert client.get(item_url(draft)).status_code == 404


def test_bundle_guide_merges_materials_and_forms(client, catalog):
    bundle = catalog["bundle"]
    page = client.get(reverse("catalog:bundle", kwargs={"code": bundle.code})).content.decode()
    assert "开办餐饮店" in page and "示范市城市管理和综合执法局" in page
    # Both items ask for 营业执照 and 经营场所使用证明: each appears once in the merged list.
    materials = page[page.index("一套材料") :]
    assert materials.count(">营业执照</td>") == 1
    assert "食品经营许可、户外广告设施设置审批" in materials
    assert "食品安全管理制度" in materials and "设计效果图" in materials
    assert "申请人名称" in page  # the merged form
    assert "10 个工作日" in page and "视为同意" in page
    assert client.get(reverse("catalog:bundle", kwargs={"code": "nope"})).status_code == 404


def test_search_page_highlights_and_ranks(client, catalog):
    page = client.get(reverse("catalog:search"), {"q": "开饭店"}).content.decode()
    assert "<mark>食品经营</mark>许可" in page
    assert "开办<mark>餐饮</mark>店" in page and "result-bundle" in page


def test_search_page_escapes_the_query(client, catalog):
    page = client.get(reverse("catalog:search"), {"q": "<script>alert(1)</script>"}).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_search_without_results_offers_help(client, catalog):
    page = client.get(reverse("catalog:search"), {"q": "火星移民签证"}).content.decode()
    assert "没有找到" in page and 'href="tel:' in page and reverse("catalog:index") in page


def test_search_rejects_an_overlong_query(client, catalog):
    response = client.get(reverse("catalog:search"), {"q": "字" * 101})
    assert response.status_code == 400
    assert "搜索词不能超过" in response.content.decode()


def test_search_json(client, catalog):
    data = client.get(reverse("catalog:search_json"), {"q": "残疾证"}).json()
    assert data["results"][0]["title"] == "残疾人证办理"
    assert data["results"][0]["url"].startswith("/services/items/")
    assert client.get(reverse("catalog:search_json"), {"q": "x", "page": "-1"}).status_code == 400


def test_announcement_page_shows_the_changes(client, catalog):
    item = catalog["items"]["食品经营许可"]
    current = item.current_version
    ItemVersion.objects.create(
        item=item,
        number=2,
        status=VersionStatus.ANNOUNCED,
        change_kind=ChangeKind.ADJUST,
        change_reason="压缩时限",
        name=current.name,
        legal_basis=current.legal_basis,
        conditions=current.conditions,
        statutory_limit=20,
        promised_limit=5,
        consultation_phone=current.consultation_phone,
        supervision_phone="12345",
        result_name=current.result_name,
        result_type=current.result_type,
        channels=current.channels,
        created_by=staff_user(),
        announce_from="2026-03-02",
        announce_until="2026-03-06",
        effective_on="2026-03-09",
    )
    page = client.get(reverse("catalog:announcements")).content.decode()
    assert "食品经营许可" in page and "调整" in page and "压缩时限" in page
    assert "2026年3月6日" in page and "2026年3月9日" in page
    assert "承诺办结时限" in page  # the diff row
    # The guide keeps showing the version in force.
    assert "10 工作日" in client.get(item_url(item)).content.decode()


def test_guides_lead_to_the_online_application(client, catalog, settings):
    item = catalog["items"]["食品经营许可"]
    apply_item = reverse("cases_portal:apply_item", args=[item.pk])
    assert f'href="{apply_item}"' in client.get(item_url(item)).content.decode()
    bundle = catalog["bundle"]
    page = client.get(reverse("catalog:bundle", kwargs={"code": bundle.code})).content.decode()
    assert f'href="{reverse("cases_portal:apply_bundle", args=[bundle.pk])}"' in page
    # An item handled only at the window has no online application.
    ItemVersion.objects.filter(pk=item.current_version.pk).update(channels=["window"])
    assert "在线申请" not in client.get(item_url(item)).content.decode()
    # Without an application app configured the guides still render, without the button.
    settings.CATALOG_APPLY_URLS = {}
    page = client.get(reverse("catalog:bundle", kwargs={"code": bundle.code})).content.decode()
    assert "在线申请" not in page
