"""A small public catalogue: items from several demo departments, one bundle, all indexed."""

from __future__ import annotations

from typing import Any

import pytest

from zhengwu.catalog.models import Bundle, BundleItem, MaterialRequirement
from zhengwu.catalog.models.choices import Audience, CompanyTheme, ItemType, PersonTheme
from zhengwu.catalog.search_index import catalog_reindex
from zhengwu.catalog.tests.factories import department, make_item

# (name, department, basic code, type, themes, extra material)
ITEMS = [
    (
        "食品经营许可",
        "示范市市场监督管理局",
        "000101001000",
        ItemType.LICENSING,
        [CompanyTheme.OPERATION],
        "食品安全管理制度",
    ),
    (
        "企业设立登记",
        "示范市市场监督管理局",
        "000101002000",
        ItemType.CONFIRMATION,
        [CompanyTheme.OPENING],
        "公司章程",
    ),
    (
        "残疾人证办理",
        "示范市残疾人联合会",
        "000201001000",
        ItemType.PUBLIC_SERVICE,
        [PersonTheme.DISABILITY],
        "二寸照片",
    ),
    (
        "建设工程规划许可",
        "示范市自然资源局",
        "000301001000",
        ItemType.LICENSING,
        [CompanyTheme.INVESTMENT],
        "建设工程设计方案",
    ),
    (
        "建设工程施工许可",
        "示范市住房和城乡建设局",
        "000401001000",
        ItemType.LICENSING,
        [CompanyTheme.INVESTMENT],
        "施工合同",
    ),
    (
        "户外广告设施设置审批",
        "示范市城市管理和综合执法局",
        "000501001000",
        ItemType.LICENSING,
        [CompanyTheme.ADVERTISING],
        "设计效果图",
    ),
    (
        "公共场所卫生许可",
        "示范市卫生健康委员会",
        "000601001000",
        ItemType.LICENSING,
        [CompanyTheme.OPERATION],
        "卫生检测报告",
    ),
    (
        "政府信息公开申请",
        "示范市人民政府办公室",
        "000701001000",
        ItemType.PUBLIC_SERVICE,
        [PersonTheme.INFORMATION],
        "申请表",
    ),
]


CONDITIONS = {
    "食品经营许可": "有与经营的食品品种、数量相适应的经营场所和设备，有食品安全管理人员和管理制度。",
    "企业设立登记": "有符合规定的企业名称、住所、注册资本和公司章程，股东符合法律规定。",
    "残疾人证办理": "本市户籍，经指定医疗机构评定为残疾的人员。",
    "建设工程规划许可": "已取得土地使用权，建设工程设计方案符合控制性详细规划。",
    "建设工程施工许可": "已办理建设工程规划许可证，施工图设计文件审查合格，已确定施工企业。",
    "户外广告设施设置审批": "设置位置符合户外广告设施设置规划，设施结构安全。",
    "公共场所卫生许可": "经营场所布局合理，卫生设施齐全，从业人员持有有效健康合格证明。",
    "政府信息公开申请": "公民、法人或者其他组织需要获取行政机关的政府信息。",
}


def build_catalog() -> dict[str, Any]:
    items = {}
    for name, dept_name, code, item_type, themes, extra in ITEMS:
        item = make_item(
            name=name,
            dept=department(dept_name),
            basic_code=code,
            item_type=item_type,
            themes=list(themes),
            conditions=CONDITIONS[name],
        )
        MaterialRequirement.objects.create(version=item.current_version, order=3, name=extra, copies=1)
        items[name] = item
    market = department("示范市市场监督管理局")
    bundle = Bundle.objects.create(
        code="kaiban-canyin",
        name="开办餐饮店",
        region=market.region,
        lead_department=market,
        audience=Audience.COMPANY,
        themes=[CompanyTheme.OPENING],
        description="开饭店要办的食品经营许可、户外招牌设置一次办好。",
        promised_limit=10,
        is_published=True,
    )
    BundleItem.objects.create(bundle=bundle, item=items["食品经营许可"], order=1)
    BundleItem.objects.create(bundle=bundle, item=items["户外广告设施设置审批"], order=2, optional=True)
    catalog_reindex()
    return {"items": items, "bundle": bundle}


@pytest.fixture
def catalog(demo_org) -> dict[str, Any]:
    return build_catalog()
