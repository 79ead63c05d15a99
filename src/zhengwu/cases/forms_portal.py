"""Forms of the applicant portal. The application form is built from the item version's FormFields.

A field spec is anything with the FormField attributes (key, label, field_type, required, choices,
validation, help_text): catalogue FormField rows for one item, MergedField for a bundle. Values are
cleaned to what `form_data` stores as JSON: text, numbers, ISO dates, lists for multiple choices,
booleans. "暂存" checks types only; "提交" also checks required fields (the service checks again).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengwu.core.files.checks import KINDS, allowed_extensions, max_bytes
from zhengwu.org.validators import clean_id_number, clean_mobile, clean_uscc

# catalog FieldType values (the cases app may not import catalog.models).
TEXT, TEXTAREA, NUMBER, DATE = "text", "textarea", "number", "date"
CHOICE, MULTI_CHOICE, BOOLEAN = "choice", "multi_choice", "boolean"
ID_NUMBER, USCC, PHONE, ADDRESS = "id_number", "uscc", "phone", "address"

MAX_TEXT = 200  # the same limits as services.intake (TEXT_LIMITS)
MAX_TEXTAREA = 2000
MAX_ADDRESS = 255
RADIO_MAX_CHOICES = 5  # more choices than this become a drop-down list
YES, NO = "1", "0"


def _spec(spec: Any, name: str, default: Any = None) -> Any:
    if isinstance(spec, Mapping):
        return spec.get(name, default)
    return getattr(spec, name, default)


def _choices(spec: Any) -> list[tuple[str, str]]:
    out = []
    for choice in _spec(spec, "choices") or []:
        if isinstance(choice, Mapping):
            value = str(choice.get("value", choice.get("label", "")))
            label = str(choice.get("label", value))
        else:
            value = label = str(choice)
        out.append((value, label))
    return out


class YesNoField(forms.TypedChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            choices=[(YES, _("是")), (NO, _("否"))],
            coerce=lambda v: v == YES,
            empty_value=None,
            widget=forms.RadioSelect,
            **kwargs,
        )

    def prepare_value(self, value: Any) -> Any:
        if value is True:
            return YES
        if value is False:
            return NO
        return value


class _CheckedCharField(forms.CharField):
    """A CharField whose non-empty value goes through an org validator (ID number, USCC, mobile)."""

    def __init__(self, *, check: Any, **kwargs: Any) -> None:
        self.check = check
        super().__init__(**kwargs)

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        if value:
            try:
                value = self.check(value, field="value")
            except ValidationError as exc:
                messages = (
                    exc.message_dict.get("value", exc.messages)
                    if hasattr(exc, "error_dict")
                    else exc.messages
                )
                raise ValidationError(messages) from None
        return value


def _messages(kind: str, label: str, validation: Mapping[str, Any]) -> dict[str, str]:
    """Messages that name the field (an error summary lists them out of context)."""
    choose = kind in (CHOICE, MULTI_CHOICE, BOOLEAN)
    messages = {
        "required": (_("请选择%(label)s") if choose else _("请填写%(label)s")) % {"label": label},
        "invalid_choice": _("%(label)s请从给定选项中选择") % {"label": label},
        "max_length": _("%(label)s不能超过%%(limit_value)d个字") % {"label": label},
        "min_length": _("%(label)s至少%%(limit_value)d个字") % {"label": label},
    }
    if kind == NUMBER:
        messages.update(
            invalid=_("%(label)s须为数字") % {"label": label},
            min_value=_("%(label)s不能小于%%(limit_value)s") % {"label": label},
            max_value=_("%(label)s不能大于%%(limit_value)s") % {"label": label},
            max_digits=_("%(label)s数值过大") % {"label": label},
            max_whole_digits=_("%(label)s数值过大") % {"label": label},
            max_decimal_places=_("%(label)s小数位数过多") % {"label": label},
        )
    elif kind == DATE:
        messages["invalid"] = _("%(label)s请按“年-月-日”填写，如 2025-09-26") % {"label": label}
    return messages


def _number_field(spec: Any, validation: Mapping[str, Any], common: dict[str, Any]) -> forms.Field:
    field = forms.DecimalField(
        min_value=validation.get("min"),
        max_value=validation.get("max"),
        max_digits=18,
        decimal_places=6,
        **common,
    )
    field.widget.attrs.update({"inputmode": "decimal", "step": "any"})
    return field


def build_field(spec: Any, *, require: bool) -> forms.Field:
    """One Django form field for a FormField spec; `require` applies the spec's required flag."""
    kind = _spec(spec, "field_type", TEXT) or TEXT
    validation: Mapping[str, Any] = _spec(spec, "validation") or {}
    required = bool(_spec(spec, "required", False)) and require
    label = str(_spec(spec, "label", "") or "")
    common: dict[str, Any] = {
        "label": label,
        "required": required,
        "help_text": _spec(spec, "help_text", "") or "",
        "error_messages": _messages(kind, label, validation),
    }
    field: forms.Field
    if kind == TEXTAREA:
        field = forms.CharField(
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=int(validation.get("max_length") or MAX_TEXTAREA),
            min_length=validation.get("min_length"),
            **common,
        )
    elif kind == NUMBER:
        field = _number_field(spec, validation, common)
    elif kind == DATE:
        field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    elif kind == CHOICE:
        choices = _choices(spec)
        if len(choices) <= RADIO_MAX_CHOICES:
            field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
        else:
            field = forms.ChoiceField(choices=[("", _("请选择")), *choices], widget=forms.Select, **common)
    elif kind == MULTI_CHOICE:
        field = forms.MultipleChoiceField(
            choices=_choices(spec), widget=forms.CheckboxSelectMultiple, **common
        )
    elif kind == BOOLEAN:
        field = YesNoField(**common)
    elif kind == ID_NUMBER:
        field = _CheckedCharField(check=clean_id_number, max_length=18, **common)
        field.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
    elif kind == USCC:
        field = _CheckedCharField(check=clean_uscc, max_length=18, **common)
        field.widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})
    elif kind == PHONE:
        field = _CheckedCharField(
            check=clean_mobile, max_length=11, widget=forms.TextInput(attrs={"type": "tel"}), **common
        )
        field.widget.attrs.update({"autocomplete": "tel", "inputmode": "tel"})
    else:  # text, address and anything unknown
        field = forms.CharField(
            max_length=int(validation.get("max_length") or (MAX_ADDRESS if kind == ADDRESS else MAX_TEXT)),
            min_length=validation.get("min_length"),
            **common,
        )
        pattern = validation.get("pattern")
        if pattern:
            field.validators.append(_pattern_validator(str(pattern)))
        if kind == ADDRESS:
            field.widget.attrs["autocomplete"] = "street-address"
    if validation.get("pattern") and kind in (TEXTAREA,):
        field.validators.append(_pattern_validator(str(validation["pattern"])))
    return field


def _pattern_validator(pattern: str) -> Any:
    try:
        compiled = re.compile(pattern)
    except re.error:
        return lambda value: None

    def check(value: Any) -> None:
        if value and not compiled.fullmatch(str(value)):
            raise ValidationError(_("格式不正确，请按填写说明填写。"))

    return check


def to_json(value: Any) -> Any:
    """A cleaned value as form_data stores it."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return value


class ApplicationForm(forms.Form):
    """The application form of a draft. `require=False` (暂存) checks only the value types."""

    submit_token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args: Any, specs: Iterable[Any], require: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.specs = list(specs)
        self.keys: list[str] = []
        for spec in self.specs:
            key = str(_spec(spec, "key"))
            field = build_field(spec, require=require)
            # Shown as required (label mark, aria-required) even while 暂存 does not enforce it.
            shown = bool(_spec(spec, "required", False))
            field.show_required = shown  # type: ignore[attr-defined]
            if shown and not isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                field.widget.attrs["aria-required"] = "true"
            self.fields[key] = field
            self.keys.append(key)

    def form_values(self) -> dict[str, Any]:
        """The cleaned, valid values (all fields, or the valid subset when the form has errors)."""
        data = getattr(self, "cleaned_data", {}) or {}
        return {key: to_json(data[key]) for key in self.keys if key in data and key not in self.errors}

    @property
    def visible_application_fields(self) -> list[forms.BoundField]:
        return [self[key] for key in self.keys]


def apply_service_errors(
    form: forms.Form, errors: Mapping[str, list[str]], *, material_keys: Iterable[str] = ()
) -> dict[str, list[str]]:
    """Put a service's field errors on the form; return those for materials and the rest (non-field)."""
    leftover: dict[str, list[str]] = {}
    materials = set(material_keys)
    for key, messages in errors.items():
        if key in form.fields and key != "submit_token":
            for message in messages:
                form.add_error(key, message)
        elif key in materials:
            leftover.setdefault(key, []).extend(messages)
        else:
            leftover.setdefault("__all__", []).extend(messages)
    return leftover


# --- starting an application ----------------------------------------------------------------


class StartForm(forms.Form):
    """Who applies: the person, or one of the companies the agent may act for."""

    applicant = forms.ChoiceField(label=gettext_lazy("申请主体"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, options: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        applicant = self.fields["applicant"]
        assert isinstance(applicant, forms.ChoiceField)
        applicant.choices = options
        if len(options) == 1:
            self.fields["applicant"].initial = options[0][0]

    def applicant_arg(self) -> dict[str, Any] | None:
        """The services' `applicant` argument: None for the person, {"company_id": …} for a company."""
        value = self.cleaned_data["applicant"]
        if value.startswith("company:"):
            return {"company_id": int(value.split(":", 1)[1])}
        return None


class BundleStartForm(StartForm):
    items = forms.MultipleChoiceField(
        label=gettext_lazy("申请的事项"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("必办事项已选中且不能取消；可选事项按需勾选。"),
    )

    def __init__(self, *args: Any, members: list[tuple[str, str, bool]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.required_items = [value for value, _label, optional in members if not optional]
        items = self.fields["items"]
        assert isinstance(items, forms.MultipleChoiceField)
        items.choices = [(value, label) for value, label, _optional in members]
        self.fields["items"].initial = [value for value, _label, _optional in members]

    def clean_items(self) -> list[int]:
        chosen = set(self.cleaned_data.get("items") or []) | set(self.required_items)
        if not chosen:
            raise ValidationError(_("请至少选择一个事项。"))
        return sorted(int(v) for v in chosen)


# --- uploads --------------------------------------------------------------------------------


def upload_accept() -> str:
    """The `accept` attribute of every material upload control (extensions and MIME types)."""
    parts = []
    for ext in allowed_extensions():
        parts.append(f".{ext}")
        if ext == "jpg":
            parts.append(".jpeg")
        if ext in KINDS:
            parts.append(KINDS[ext][1])
    return ",".join(parts)


def upload_types_label() -> str:
    return "、".join(KINDS[e][0] if e in KINDS else e.upper() for e in allowed_extensions())


def upload_limit_label() -> str:
    size = max_bytes()
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):g} MB"
    return f"{size / 1024:g} KB"


def files_for(files: Any, key: str) -> list[UploadedFile]:
    """The uploads posted under one control (several files may be chosen at once)."""
    return [f for f in files.getlist(key) if f is not None and getattr(f, "size", 0) >= 0 and f.name]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("撤回理由（选填）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=500,
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("我已知晓撤回后本申请将终止办理，如需办理须重新申请。"),
        required=True,
        error_messages={"required": gettext_lazy("请勾选确认后再撤回。")},
    )


class ProgressForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("办件编号"),
        max_length=48,
        help_text=gettext_lazy("见收件凭证或短信通知"),
    )
    code = forms.CharField(
        label=gettext_lazy("查询码"),
        max_length=8,
        help_text=gettext_lazy("6 位字母或数字，见收件凭证"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["number"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "inputmode": "text"}
        )
        self.fields["code"].widget.attrs.update(
            {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        )
