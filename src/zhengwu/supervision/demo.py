"""Demo data of supervision: the default light threshold and card rules (DOMAIN §5), and one
external system (东城区审批系统) with a published demo secret. Idempotent."""

from __future__ import annotations

from django.db import transaction

from .models import CardRule, ExchangeSystem, LightThreshold
from .models.config import DEFAULT_YELLOW_WORKDAYS, DEFAULT_YELLOWS_FOR_RED

DEMO_SYSTEM_CODE = "dc-approval"
DEMO_KEY_ID = "zx_demo_dongcheng"
DEMO_SECRET = "demo-secret-dongcheng-2026"  # noqa: S105 - published demo credential (docs/api/exchange.md)
DONGCHENG = "449902000000"


def seed_rules() -> int:
    n = 0
    if not LightThreshold.objects.filter(region_code="").exists():
        LightThreshold.objects.create(region_code="", yellow_workdays=DEFAULT_YELLOW_WORKDAYS)
        n += 1
    defaults = [
        ("办件超期亮黄牌", CardRule.Kind.OVERDUE_CASE, 1),
        ("季度累计黄牌亮红牌", CardRule.Kind.YELLOW_COUNT, DEFAULT_YELLOWS_FOR_RED),
    ]
    for name, kind, threshold in defaults:
        if not CardRule.objects.filter(kind=kind).exists():
            CardRule.objects.create(name=name, kind=kind, threshold=threshold, period=CardRule.Period.QUARTER)
            n += 1
    return n


def seed_supervision_demo() -> dict[str, int]:
    with transaction.atomic():
        rules = seed_rules()
        systems = 0
        if not ExchangeSystem.objects.filter(code=DEMO_SYSTEM_CODE).exists():
            ExchangeSystem.objects.create(
                code=DEMO_SYSTEM_CODE,
                name="东城区行政审批系统",
                key_id=DEMO_KEY_ID,
                secret=DEMO_SECRET,
                region_codes=[DONGCHENG],
            )
            systems = 1
    return {"supervision_rules": rules, "exchange_systems": systems}
