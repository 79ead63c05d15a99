"""Field checks with messages a clerk understands. Each returns the cleaned value or raises
ValidationError keyed by the field name, so the API answers 400 naming the field."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric, uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength

from zhengwu.core.access.regions import LEVEL_DIGITS, LEVEL_NAMES, region_prefix

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Area code 3-4 digits starting with 0, 7-8 digit number, optional extension: 0757-12345678-801.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
# Service short numbers such as 12345, 12315, 12369, 95598.
SHORT_RE = re.compile(r"^\d{5}$")
LINE_RE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


def _error(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def clean_uscc(value: str, field: str = "uscc") -> str:
    value = (value or "").strip().upper().replace(" ", "")
    if not value:
        raise _error(field, _("请填写统一社会信用代码"))
    try:
        return uscc.validate(value)
    except InvalidLength:
        raise _error(field, _("统一社会信用代码应为18位")) from None
    except InvalidChecksum:
        raise _error(field, _("统一社会信用代码校验位错误")) from None
    except (InvalidFormat, InvalidComponent):
        raise _error(
            field, _("统一社会信用代码格式错误：前8位为数字，其余为数字或大写字母（不含I、O、Z、S、V）")
        ) from None


def clean_id_number(value: str, field: str = "id_number", today: datetime.date | None = None) -> str:
    """Resident ID (GB 11643): 18 characters, real birth date not in the future, known area, checksum."""
    value = (value or "").strip().upper().replace(" ", "")
    if not value:
        raise _error(field, _("请填写身份证号码"))
    if len(value) != 18:
        raise _error(field, _("身份证号码应为18位"))
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        raise _error(field, _("身份证号码格式错误：前17位为数字，最后一位为数字或X"))
    try:
        birth = ric.get_birth_date(value)
    except InvalidComponent:
        raise _error(field, _("身份证号码中的出生日期无效（第7至14位）")) from None
    if birth > (today or timezone.localdate()) or birth.year < 1900:
        raise _error(field, _("身份证号码中的出生日期无效（第7至14位）"))
    if value[-1] != ric.calc_check_digit(value):
        raise _error(field, _("身份证号码校验位错误"))
    try:
        ric.get_birth_place(value)
    except (InvalidComponent, KeyError):  # KeyError: stdnum knows the province but not the county
        raise _error(field, _("身份证号码中的地区码无效（前6位）")) from None
    return value


def clean_mobile(value: str, field: str = "phone") -> str:
    value = (value or "").strip().replace(" ", "")
    if not MOBILE_RE.match(value):
        raise _error(field, _("请填写11位手机号码"))
    return value


def clean_service_phone(value: str, field: str, required: bool = False) -> str:
    """Department and hall phones: mobile, landline with area code, or a 5-digit service number."""
    value = (value or "").strip().replace(" ", "")
    if not value:
        if required:
            raise _error(field, _("请填写电话号码"))
        return ""
    if MOBILE_RE.match(value) or LANDLINE_RE.match(value) or SHORT_RE.match(value):
        return value
    raise _error(field, _("电话号码格式错误：手机号、带区号的固定电话（如0757-12345678）或12345类短号"))


def clean_region_code(value: str, field: str = "code") -> tuple[str, str]:
    """Returns (code, level). The level follows from the trailing zeros."""
    value = (value or "").strip()
    if len(value) != 12 or not value.isdigit():
        raise _error(field, _("区划代码应为12位数字"))
    prefix = region_prefix(value)
    if prefix.strip("0") == "" or value[:2] == "00":
        raise _error(field, _("区划代码无效：省级代码不能为00"))
    level = LEVEL_NAMES[LEVEL_DIGITS.index(len(prefix))]
    return value, level


def clean_line(value: str, field: str = "line") -> str:
    value = (value or "").strip()
    if value and not LINE_RE.match(value):
        raise _error(field, _("条线代码只能包含小写字母、数字和下划线，并以字母开头，如 market"))
    return value


def clean_required(value: str, field: str, label: str, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        raise _error(field, _("请填写%(label)s") % {"label": label})
    if len(value) > max_length:
        raise _error(field, _("%(label)s不能超过%(n)d个字") % {"label": label, "n": max_length})
    return value
