"""Masking of personal data for lists. Showing the full value is a PII read: call audit_pii_read."""

from __future__ import annotations

MASK = "*"


def mask_id_number(value: str | None) -> str:
    """'440104199003071234' -> '4401**********1234' (region of issue and last four kept)."""
    if not value:
        return ""
    value = value.strip()
    if len(value) <= 8:
        return MASK * len(value)
    return value[:4] + MASK * (len(value) - 8) + value[-4:]


def mask_phone(value: str | None) -> str:
    """'13812345678' -> '138****5678'; short or landline numbers keep only the last four."""
    if not value:
        return ""
    value = value.strip()
    if len(value) == 11:
        return value[:3] + MASK * 4 + value[-4:]
    if len(value) <= 4:
        return MASK * len(value)
    return MASK * (len(value) - 4) + value[-4:]


# Keep the address down to the district or county (else the city); the street, number and flat go.
_DISTRICT_MARKERS = ("区", "县", "旗")
_CITY_MARKERS = ("市", "州", "盟")


def _cut_after(value: str, markers: tuple[str, ...]) -> int:
    positions = [value.find(m) for m in markers if value.find(m) != -1]
    return min(positions) + 1 if positions else 0


def mask_address(value: str | None) -> str:
    """'广东省佛山市禅城区祖庙街道人民路12号' -> '广东省佛山市禅城区******'."""
    if not value:
        return ""
    value = value.strip()
    cut = _cut_after(value, _DISTRICT_MARKERS) or _cut_after(value, _CITY_MARKERS) or len(value) // 3
    if cut >= len(value):
        cut = len(value) // 3
    return value[:cut] + MASK * 6
