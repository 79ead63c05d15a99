"""Mainland mobile numbers: the applicant's login name."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PHONE_RE = re.compile(r"1[3-9]\d{9}")


def normalise_phone(value: str) -> str:
    """Strip what people (and identity providers) add around a number: spaces, dashes, +86."""
    digits = re.sub(r"[\s\-()]", "", value or "")
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    return digits


def is_phone(value: str) -> bool:
    return bool(PHONE_RE.fullmatch(value or ""))


def validate_phone(value: str) -> str:
    phone = normalise_phone(value)
    if not is_phone(phone):
        raise ValidationError({"phone": _("手机号格式不正确，请输入 11 位手机号码。")})
    return phone


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) == 11 else phone
