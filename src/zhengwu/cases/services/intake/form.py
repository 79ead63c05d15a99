"""The application form: field-type checks of FormField values (catalog FieldType)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zhengwu.catalog.selectors import for_cases as catalog
from zhengwu.org.validators import clean_id_number, clean_mobile, clean_uscc

from .access import TEXT_LIMITS

# --- the form -------------------------------------------------------------------------------


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _clean_text(field: Any, value: Any) -> str:
    text = str(value).strip()
    rules = field.validation or {}
    limit = int(rules.get("max_length") or TEXT_LIMITS.get(field.field_type, 200))
    if len(text) > limit:
        raise ValidationError(_("%(label)s不能超过%(n)d个字") % {"label": field.label, "n": limit})
    minimum = rules.get("min_length")
    if minimum and len(text) < int(minimum):
        raise ValidationError(_("%(label)s至少%(n)d个字") % {"label": field.label, "n": int(minimum)})
    pattern = rules.get("pattern")
    if pattern and not re.fullmatch(str(pattern), text):
        raise ValidationError(_("%(label)s格式不正确") % {"label": field.label})
    return text


def _clean_number(field: Any, value: Any) -> int | float:
    if isinstance(value, bool):
        raise ValidationError(_("%(label)s须为数字") % {"label": field.label})
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        raise ValidationError(_("%(label)s须为数字") % {"label": field.label}) from None
    if not number.is_finite():
        raise ValidationError(_("%(label)s须为数字") % {"label": field.label})
    rules = field.validation or {}
    if rules.get("min") is not None and number < Decimal(str(rules["min"])):
        raise ValidationError(_("%(label)s不能小于%(n)s") % {"label": field.label, "n": rules["min"]})
    if rules.get("max") is not None and number > Decimal(str(rules["max"])):
        raise ValidationError(_("%(label)s不能大于%(n)s") % {"label": field.label, "n": rules["max"]})
    return int(number) if number == number.to_integral_value() else float(number)


def _clean_date(field: Any, value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value).strip()).isoformat()
    except ValueError:
        raise ValidationError(
            _("%(label)s请按“年-月-日”填写，如 2025-09-26") % {"label": field.label}
        ) from None


def _clean_choice(field: Any, value: Any) -> str:
    text = str(value).strip()
    if text not in [str(c) for c in field.choices or []]:
        raise ValidationError(_("%(label)s请从给定选项中选择") % {"label": field.label})
    return text


def _clean_multi_choice(field: Any, value: Any) -> list[str]:
    values = value if isinstance(value, list | tuple) else [v for v in str(value).split(",") if v.strip()]
    return [_clean_choice(field, v) for v in values]


TRUE_WORDS = {"true", "1", "on", "yes", "是"}
FALSE_WORDS = {"false", "0", "off", "no", "否"}


def _clean_boolean(field: Any, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValidationError(_("%(label)s请选择“是”或“否”") % {"label": field.label})


def _clean_with(validator: Any) -> Any:
    def clean(field: Any, value: Any) -> str:
        try:
            return str(validator(str(value), field=field.key))
        except ValidationError as exc:
            raise ValidationError(f"{field.label}：{exc.messages[0]}") from None

    return clean


CLEANERS: dict[str, Any] = {
    catalog.FieldType.TEXT: _clean_text,
    catalog.FieldType.TEXTAREA: _clean_text,
    catalog.FieldType.ADDRESS: _clean_text,
    catalog.FieldType.NUMBER: _clean_number,
    catalog.FieldType.DATE: _clean_date,
    catalog.FieldType.CHOICE: _clean_choice,
    catalog.FieldType.MULTI_CHOICE: _clean_multi_choice,
    catalog.FieldType.BOOLEAN: _clean_boolean,
    catalog.FieldType.ID_NUMBER: _clean_with(clean_id_number),
    catalog.FieldType.USCC: _clean_with(clean_uscc),
    catalog.FieldType.PHONE: _clean_with(clean_mobile),
}


def clean_form_data(
    fields: Iterable[Any], data: Mapping[str, Any] | None, *, check_required: bool
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """(cleaned values of the version's fields, errors by field key). Unknown keys are dropped."""
    data = data or {}
    cleaned: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field in fields:
        value = data.get(field.key)
        if is_empty(value):
            if check_required and field.required:
                errors[field.key] = [_("请填写%(label)s") % {"label": field.label}]
            continue
        try:
            cleaned[field.key] = CLEANERS.get(field.field_type, _clean_text)(field, value)
        except ValidationError as exc:
            errors[field.key] = exc.messages
    return cleaned, errors
