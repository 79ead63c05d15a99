"""Field-level validation of catalogue data (DOMAIN §4). Raises django ValidationError({field: [msg]}).

Save-time checks refuse data that is wrong (a malformed code, a negative fee, a promised limit longer
than the statutory one); rules about completeness (a missing fee basis, a missing visit reason …) are
guide-checker findings instead, so a draft can be saved half-finished and is only blocked on submit.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from .models.choices import Channel, CompanyTheme, LimitUnit, PersonTheme

BASIC_CODE_RE = re.compile(r"^[0-9A-Z]{12}$")
USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")
SUFFIX_RE = re.compile(r"^[0-9]{1,3}$")
# Fixed lines with area code and optional extension, mobiles, short service numbers (12345) and 400/800.
PHONE_RE = re.compile(r"^(0\d{2,3}-?\d{7,8}(-\d{1,6})?|1[3-9]\d{9}|\d{5,6}|[48]00-?\d{3}-?\d{4}|\d{7,8})$")
PHONE_SPLIT_RE = re.compile(r"[，,、/；;\s]+")


def validate_codes(*, department_uscc: str, basic_code: str, implementation_code: str) -> None:
    """Basic code = 12 uppercase alphanumerics; implementation code = the department's 18-char USCC +
    the basic code + a 1–3 digit suffix (31–33 characters). Uniqueness is checked by the services."""
    errors: dict[str, list[str]] = {}
    basic_ok = bool(BASIC_CODE_RE.match(basic_code or ""))
    if not basic_ok:
        errors["basic_code"] = [
            _("基本编码应为12位大写字母或数字，当前为“%(code)s”。") % {"code": basic_code}
        ]
    code = implementation_code or ""
    impl_errors: list[str] = []
    if not 31 <= len(code) <= 33:
        impl_errors.append(_("实施编码应为31至33位，当前为%(n)d位。") % {"n": len(code)})
    if not department_uscc or not code.startswith(department_uscc):
        impl_errors.append(
            _("实施编码应以实施部门的统一社会信用代码“%(uscc)s”开头。") % {"uscc": department_uscc}
        )
    elif basic_ok and code[18:30] != basic_code:
        impl_errors.append(_("实施编码第19至30位应为基本编码“%(code)s”。") % {"code": basic_code})
    elif len(code) >= 31 and not SUFFIX_RE.match(code[30:]):
        impl_errors.append(_("实施编码末尾应为1至3位数字。"))
    if impl_errors:
        errors["implementation_code"] = impl_errors
    if errors:
        raise ValidationError(errors)


def phone_errors(value: str) -> list[str]:
    """Every number in a phone field must look like a phone number; several may be separated by 、/，."""
    bad = [p for p in PHONE_SPLIT_RE.split(value.strip()) if p and not PHONE_RE.match(p)]
    return [_("电话号码“%(phone)s”格式不正确。") % {"phone": p} for p in bad]


# Rough conversion to working days, used only to compare a promised limit with a statutory limit
# given in another unit: 5 working days per 7 natural days, 24 hours per natural day.
_TO_WORKDAYS = {
    LimitUnit.WORKDAYS: Fraction(1),
    LimitUnit.NATURAL_DAYS: Fraction(5, 7),
    LimitUnit.HOURS: Fraction(5, 7 * 24),
}


def approx_workdays(amount: int, unit: str) -> Fraction:
    return amount * _TO_WORKDAYS.get(
        LimitUnit(unit) if unit in LimitUnit.values else LimitUnit.WORKDAYS, Fraction(1)
    )


def promised_exceeds_statutory(
    promised: int | None, promised_unit: str, statutory: int | None, statutory_unit: str
) -> bool:
    if promised is None or statutory is None:
        return False
    if promised_unit == statutory_unit:
        return promised > statutory
    return approx_workdays(promised, promised_unit) > approx_workdays(statutory, statutory_unit)


def normalize_fees(fees: Any) -> list[dict[str, str]]:
    """[{"name", "amount", "unit", "basis"}]: names required, amounts non-negative decimals."""
    if fees in (None, ""):
        return []
    if not isinstance(fees, list):
        raise ValidationError({"fees": [_("收费项目应为列表。")]})
    out: list[dict[str, str]] = []
    errors: list[str] = []
    for i, fee in enumerate(fees, start=1):
        if not isinstance(fee, Mapping):
            errors.append(_("第%(i)d项收费格式不正确。") % {"i": i})
            continue
        name = str(fee.get("name", "")).strip()
        if not name:
            errors.append(_("第%(i)d项收费缺少收费项目名称。") % {"i": i})
        try:
            amount = Decimal(str(fee.get("amount", "0")).strip() or "0")
        except InvalidOperation:
            errors.append(_("第%(i)d项收费金额“%(v)s”不是数字。") % {"i": i, "v": fee.get("amount")})
            continue
        if not amount.is_finite():
            errors.append(_("第%(i)d项收费金额不是数字。") % {"i": i})
            continue
        if amount < 0:
            errors.append(_("第%(i)d项收费金额不能为负数。") % {"i": i})
            continue
        out.append(
            {
                "name": name,
                "amount": str(amount.quantize(Decimal("0.01"))),
                "unit": str(fee.get("unit", "")).strip(),
                "basis": str(fee.get("basis", "")).strip(),
            }
        )
    if errors:
        raise ValidationError({"fees": errors})
    return out


def validate_choice_list(field: str, values: Any, allowed: Iterable[str], label: str) -> list[str]:
    if values in (None, ""):
        return []
    if not isinstance(values, (list, tuple)):
        raise ValidationError({field: [_("%(label)s应为列表。") % {"label": label}]})
    allowed_set = set(allowed)
    bad = [str(v) for v in values if v not in allowed_set]
    if bad:
        raise ValidationError(
            {field: [_("%(label)s含有无效的值：%(bad)s。") % {"label": label, "bad": "、".join(bad)}]}
        )
    return list(dict.fromkeys(str(v) for v in values))  # de-duplicated, order kept


def validate_channels(values: Any) -> list[str]:
    return validate_choice_list("channels", values, Channel.values, _("办理渠道"))


def validate_themes(values: Any) -> list[str]:
    return validate_choice_list("themes", values, [*PersonTheme.values, *CompanyTheme.values], _("主题"))


def validate_aliases(values: Any) -> list[str]:
    if values in (None, ""):
        return []
    if not isinstance(values, (list, tuple)) or not all(isinstance(v, str) for v in values):
        raise ValidationError({"aliases": [_("别名应为文字列表。")]})
    cleaned = [v.strip() for v in values if v.strip()]
    if any(len(v) > 50 for v in cleaned):
        raise ValidationError({"aliases": [_("每个别名不超过50个字。")]})
    return list(dict.fromkeys(cleaned))


def validate_int_list(field: str, values: Any, label: str) -> list[int]:
    if values in (None, ""):
        return []
    if not isinstance(values, (list, tuple)):
        raise ValidationError({field: [_("%(label)s应为列表。") % {"label": label}]})
    try:
        return list(dict.fromkeys(int(v) for v in values))
    except (TypeError, ValueError):
        raise ValidationError({field: [_("%(label)s含有无效的值。") % {"label": label}]}) from None


def validate_file_id(value: Any, field: str, label: str) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))
    except ValueError:
        raise ValidationError({field: [_("%(label)s的文件标识无效。") % {"label": label}]}) from None


def merge_errors(errors: dict[str, list[str]], exc: ValidationError, prefix: str = "") -> None:
    """Fold a ValidationError into `errors`, optionally prefixing each message (e.g. "第2项材料：")."""
    if hasattr(exc, "error_dict"):
        for field, msgs in exc.message_dict.items():
            key = field if field != NON_FIELD_ERRORS else NON_FIELD_ERRORS
            errors.setdefault(key, []).extend(f"{prefix}{m}" for m in msgs)
    else:
        errors.setdefault(NON_FIELD_ERRORS, []).extend(f"{prefix}{m}" for m in exc.messages)


def raise_if(errors: Mapping[str, Sequence[str]]) -> None:
    if any(errors.values()):
        raise ValidationError({k: list(v) for k, v in errors.items() if v})
