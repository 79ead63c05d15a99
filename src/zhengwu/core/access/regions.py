"""12-digit statistical region codes: the prefix that identifies a region and everything under it."""

from __future__ import annotations

# Significant digits per level: province 2, city 4, district/county 6, town/street 9, village 12.
LEVEL_DIGITS = (2, 4, 6, 9, 12)
LEVEL_NAMES = ("province", "city", "district", "town", "village")


def region_prefix(code: str) -> str:
    """'440600000000' -> '4406'; the prefix every code inside the region starts with."""
    for digits in LEVEL_DIGITS:
        if code[digits:].strip("0") == "":
            return code[:digits]
    return code


def region_level(code: str) -> str:
    return LEVEL_NAMES[LEVEL_DIGITS.index(len(region_prefix(code)))]


def region_contains(outer: str, inner: str) -> bool:
    return inner.startswith(region_prefix(outer))
