"""Forms of the catalogue's workbench pages: they parse input only; the services hold every rule.

A service's ValidationError comes back onto the form with `apply_errors`, so its Chinese message
shows next to the field it names and the rest of the input stays on the page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import fields_for_model
from django.utils.translation import gettext_lazy as _

from zhengwu.core.access.roles import STAFF_ROLES, Role

from .models import FormField, ItemVersion, MaterialRequirement, ProcedureStep, ServiceItem
from .models.choices import (
    Audience,
    Channel,
    CompanyTheme,
    ItemType,
    PersonTheme,
    ReviewVerdict,
    VersionStatus,
)

_SPLIT = re.compile(r"[\n\r,，、;；]+")


def split_words(text: str) -> list[str]:
    """ "开饭店，开餐馆" → ["开饭店", "开餐馆"]: staff type lists the way they would on paper."""
    return [w.strip() for w in _SPLIT.split(text or "") if w.strip()]


def set_choices(form: forms.BaseForm, name: str, choices: Any) -> None:
    form.fields[name].choices = choices  # type: ignore[attr-defined]


THEME_CHOICES = [
    (_("个人主题"), list(PersonTheme.choices)),
    (_("法人主题"), list(CompanyTheme.choices)),
]


def apply_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's errors on the fields they name; anything else on the form as a whole."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for name, errors in error.message_dict.items():
        target = name if name in form.fields else None
        for message in errors:
            if target is None and name not in ("__all__", "non_field_errors"):
                label = _field_label(name)
                message = f"{label}：{message}" if label else message
            form.add_error(target, message)


def _field_label(name: str) -> str:
    for model in (ItemVersion, ServiceItem):
        try:
            return str(getattr(model._meta.get_field(name), "verbose_name", ""))
        except Exception:  # noqa: S112 - not a model field: show the message without a label
            continue
    return ""


def apply_formset_errors(
    formset: forms.BaseFormSet, error: ValidationError, rows: Sequence[forms.Form]
) -> None:
    """Route a *_set service's errors to rows: keys like "materials.2.name", "2.name" or "name"."""
    if not hasattr(error, "error_dict"):
        formset._non_form_errors = formset.error_class(error.messages)  # type: ignore[attr-defined]
        return
    loose: list[str] = []
    for key, messages in error.message_dict.items():
        parts = [p for p in re.split(r"[.\[\]]+", key) if p]
        index = next((int(p) for p in parts if p.isdigit()), None)
        field_name = parts[-1] if parts and not parts[-1].isdigit() else None
        if index is not None and index < len(rows):
            form = rows[index]
            for message in messages:
                form.add_error(field_name if field_name in form.fields else None, message)
        else:
            loose.extend(messages)
    if loose:
        formset._non_form_errors = formset.error_class(loose)  # type: ignore[attr-defined]


# --- items ----------------------------------------------------------------------------------


class ItemCreateForm(forms.Form):
    department_id = forms.TypedChoiceField(label=_("实施主体"), coerce=int)
    item_type = forms.ChoiceField(label=_("事项类型"), choices=ItemType.choices)
    name = forms.CharField(label=_("事项名称"), max_length=200)
    basic_code = forms.CharField(
        label=_("基本编码"), max_length=12, help_text=_("12 位大写字母或数字，例如 000101001000")
    )
    implementation_code = forms.CharField(
        label=_("实施编码"),
        max_length=40,
        help_text=_("部门统一社会信用代码（18 位）+ 基本编码（12 位）+ 1 至 3 位数字序号，共 31 至 33 位"),
    )
    audience = forms.ChoiceField(label=_("服务对象"), choices=Audience.choices, initial=Audience.BOTH)
    themes = forms.MultipleChoiceField(
        label=_("主题"), choices=THEME_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    aliases = forms.CharField(
        label=_("别名/俗称"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("群众常用的说法，用逗号或顿号分隔，例如：开饭店、开餐馆"),
    )

    def __init__(self, *args: Any, departments: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "department_id", [(d.pk, f"{d.name}（{d.uscc}）") for d in departments])

    def clean_basic_code(self) -> str:
        return self.cleaned_data["basic_code"].strip().upper()

    def clean_implementation_code(self) -> str:
        return self.cleaned_data["implementation_code"].strip().upper()

    def clean_aliases(self) -> list[str]:
        return split_words(self.cleaned_data.get("aliases", ""))


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(choices=[("adjust", _("调整")), ("cancel", _("取消"))], widget=forms.HiddenInput)
    reason = forms.CharField(label=_("变更理由"), widget=forms.Textarea(attrs={"rows": 3}))


# --- the version's own elements -------------------------------------------------------------

SECTIONS: list[tuple[str, Any, tuple[str, ...]]] = [
    ("basic", _("基本信息"), ("name", "change_reason", "legal_basis", "conditions", "handling_type")),
    (
        "limits",
        _("办理时限"),
        ("statutory_limit", "statutory_unit", "promised_limit", "promised_unit", "limit_note"),
    ),
    ("fees", _("收费"), ("charges_fee",)),
    (
        "channels",
        _("办理渠道与地点"),
        (
            "visits",
            "visits_reason",
            "online_depth",
            "channels",
            "service_point_ids",
            "service_hours_note",
            "consultation_phone",
            "supervision_phone",
            "cross_region_scope",
        ),
    ),
    ("result", _("审批结果"), ("result_name", "result_type", "result_sample", "license_type_code")),
    (
        "other",
        _("其他"),
        (
            "needs_intermediary",
            "intermediary_services",
            "allows_deficiency",
            "allows_commitment",
            "valid_from",
            "valid_until",
            "requested_effective_on",
        ),
    ),
]
MODEL_FIELDS = [
    n
    for _key, _label, names in SECTIONS
    for n in names
    if n not in ("channels", "service_point_ids", "result_sample")
]
if not any(f.name == "requested_effective_on" for f in ItemVersion._meta.concrete_fields):
    MODEL_FIELDS.remove("requested_effective_on")
TEXTAREAS = {
    "legal_basis",
    "conditions",
    "limit_note",
    "visits_reason",
    "service_hours_note",
    "change_reason",
    "intermediary_services",
}


class VersionForm(forms.Form):
    """Every element of an ItemVersion except its parts, grouped by SECTIONS for the template."""

    channels = forms.MultipleChoiceField(
        label=_("办理渠道"), choices=Channel.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    service_point_ids = forms.TypedMultipleChoiceField(
        label=_("办理地点"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )
    result_sample = forms.FileField(
        label=_("上传审批结果样本"), required=False, help_text=_("PDF、JPG、PNG、OFD 或 DOCX，最大 20 MB")
    )
    result_sample_file_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    remove_result_sample = forms.BooleanField(label=_("删除已上传的样本"), required=False)

    def __init__(self, *args: Any, service_points: Iterable[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        generated = fields_for_model(ItemVersion, fields=MODEL_FIELDS)
        for name, field in generated.items():
            if name in TEXTAREAS:
                field.widget = forms.Textarea(attrs={"rows": 3})
            if isinstance(field, forms.DateField):
                field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            if isinstance(field, forms.IntegerField):
                field.widget.attrs.setdefault("inputmode", "numeric")
            self.fields[name] = field
        self.fields["name"].required = True
        set_choices(self, "service_point_ids", list(service_points))
        self.order_fields([n for _key, _label, names in SECTIONS for n in names])
        self.sample_id = (
            self.initial.get("result_sample_file_id")
            if not self.is_bound
            else self.data.get("result_sample_file_id")
        )

    def sections(self) -> list[dict[str, Any]]:
        return [
            {"key": key, "label": label, "fields": [self[n] for n in names if n in self.fields]}
            for key, label, names in SECTIONS
        ]

    def version_fields(self) -> dict[str, Any]:
        data = {n: self.cleaned_data.get(n) for n in MODEL_FIELDS}
        data["channels"] = list(self.cleaned_data.get("channels") or [])
        data["service_point_ids"] = list(self.cleaned_data.get("service_point_ids") or [])
        for name in ("statutory_limit", "promised_limit"):
            data[name] = self.cleaned_data.get(name)
        for name, value in list(data.items()):
            if value is None and isinstance(self.fields[name], forms.CharField):
                data[name] = ""
        sample = self.cleaned_data.get("result_sample_file_id")
        data["result_sample_file_id"] = None if self.cleaned_data.get("remove_result_sample") else sample
        return data


def version_initial(version: ItemVersion) -> dict[str, Any]:
    initial = {n: getattr(version, n) for n in MODEL_FIELDS}
    initial["channels"] = list(version.channels or [])
    initial["service_point_ids"] = list(version.service_point_ids or [])
    initial["result_sample_file_id"] = version.result_sample_file_id
    return initial


class FeeForm(forms.Form):
    name = forms.CharField(label=_("收费项目"), max_length=100)
    amount = forms.DecimalField(
        label=_("金额（元）"), max_digits=12, decimal_places=2, min_value=Decimal("0")
    )
    unit = forms.CharField(label=_("计费单位"), max_length=20, required=False, initial="元/件")
    basis = forms.CharField(label=_("收费依据"), max_length=500, required=False)

    def as_dict(self) -> dict[str, str]:
        cd = self.cleaned_data
        return {
            "name": cd["name"],
            "amount": f"{cd['amount']:.2f}",
            "unit": cd.get("unit", ""),
            "basis": cd.get("basis", ""),
        }


FeeFormSet = forms.formset_factory(FeeForm, extra=1, can_delete=True)


# --- the parts: materials, form fields, steps -----------------------------------------------


def _model_fields(model: Any, names: Sequence[str]) -> dict[str, forms.Field]:
    return dict(fields_for_model(model, fields=list(names)))


class PartForm(forms.Form):
    """A row of a parts formset; blank extra rows are ignored (empty_permitted)."""

    model: Any = None
    names: tuple[str, ...] = ()
    order = forms.IntegerField(label=_("序号"), min_value=0, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in _model_fields(self.model, self.names).items():
            self.fields[name] = field
        self.order_fields(["order", *self.names])

    def row(self) -> dict[str, Any]:
        return {n: self.cleaned_data.get(n) for n in self.names}


class MaterialForm(PartForm):
    model = MaterialRequirement
    names = (
        "name",
        "source",
        "license_type_code",
        "originals",
        "copies",
        "medium",
        "required",
        "deferrable",
        "is_form",
        "notes",
    )
    blank_form_file_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    sample_file_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    blank_form = forms.FileField(label=_("上传空白表格"), required=False)
    sample = forms.FileField(label=_("上传示例样表"), required=False)
    remove_blank_form = forms.BooleanField(label=_("删除空白表格"), required=False)
    remove_sample = forms.BooleanField(label=_("删除示例样表"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["notes"].widget = forms.Textarea(attrs={"rows": 2})

    def row(self) -> dict[str, Any]:
        data = super().row()
        cd = self.cleaned_data
        data["blank_form_file_id"] = None if cd.get("remove_blank_form") else cd.get("blank_form_file_id")
        data["sample_file_id"] = None if cd.get("remove_sample") else cd.get("sample_file_id")
        return data


class FormFieldForm(PartForm):
    model = FormField
    names = ("key", "label", "field_type", "required", "help_text", "prefill")
    choices_text = forms.CharField(
        label=_("选项"), required=False, help_text=_("单选、多选字段的选项，用逗号或顿号分隔")
    )
    min_length = forms.IntegerField(label=_("最少字数"), min_value=0, required=False)
    max_length = forms.IntegerField(label=_("最多字数"), min_value=1, required=False)
    pattern = forms.CharField(label=_("格式（正则表达式）"), max_length=200, required=False)

    def row(self) -> dict[str, Any]:
        data = super().row()
        cd = self.cleaned_data
        data["choices"] = split_words(cd.get("choices_text", ""))
        validation = {
            k: cd[k] for k in ("min_length", "max_length", "pattern") if cd.get(k) not in (None, "")
        }
        data["validation"] = validation
        return data


def form_field_initial(field: FormField) -> dict[str, Any]:
    rule = field.validation or {}
    return {
        "order": field.order,
        **{n: getattr(field, n) for n in FormFieldForm.names},
        "choices_text": "、".join(field.choices or []),
        "min_length": rule.get("min_length"),
        "max_length": rule.get("max_length"),
        "pattern": rule.get("pattern", ""),
    }


STEP_ROLE_CHOICES = [(r.value, r.label) for r in Role if r in STAFF_ROLES]


class StepForm(PartForm):
    model = ProcedureStep
    names = ("name", "stage", "role", "limit", "description")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"] = forms.ChoiceField(label=_("办理角色"), choices=STEP_ROLE_CHOICES)
        self.fields["description"].widget = forms.Textarea(attrs={"rows": 2})
        self.order_fields(["order", *self.names])


MaterialFormSet = forms.formset_factory(MaterialForm, extra=1, can_delete=True)
FormFieldFormSet = forms.formset_factory(FormFieldForm, extra=1, can_delete=True)
StepFormSet = forms.formset_factory(StepForm, extra=1, can_delete=True)


def part_initial(rows: Iterable[Any], names: Sequence[str]) -> list[dict[str, Any]]:
    return [{"order": r.order, **{n: getattr(r, n) for n in names}} for r in rows]


def material_initial(rows: Iterable[MaterialRequirement]) -> list[dict[str, Any]]:
    return [
        {
            **part_initial([r], MaterialForm.names)[0],
            "blank_form_file_id": r.blank_form_file_id,
            "sample_file_id": r.sample_file_id,
        }
        for r in rows
    ]


def kept_rows(formset: forms.BaseFormSet) -> list[Any]:
    """The filled, not deleted rows of a valid formset, in the order their 序号 asks for."""
    rows = [
        f for f in formset.forms if f.has_changed() and f.cleaned_data and not f.cleaned_data.get("DELETE")
    ]
    # Rows without a 序号 keep their place on the page.
    positions = {id(f): i for i, f in enumerate(rows)}
    return sorted(
        rows,
        key=lambda f: (
            f.cleaned_data.get("order")
            if f.cleaned_data.get("order") is not None
            else 10_000 + positions[id(f)],
            positions[id(f)],
        ),
    )


# --- review ---------------------------------------------------------------------------------

REVIEW_ASPECTS = (("standard", _("规范性")), ("legal", _("合法性")), ("reasonable", _("合理性")))


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("总体意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    announce_days = forms.IntegerField(
        label=_("公示期（工作日）"),
        min_value=1,
        max_value=60,
        initial=5,
        help_text=_("审核通过后在门户公示的工作日数"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        for key, label in REVIEW_ASPECTS:
            fields[f"{key}_verdict"] = forms.ChoiceField(
                label=_("%(aspect)s结论") % {"aspect": label},
                choices=ReviewVerdict.choices,
                widget=forms.RadioSelect,
                initial=ReviewVerdict.PASS,
            )
            fields[f"{key}_comment"] = forms.CharField(
                label=_("%(aspect)s意见") % {"aspect": label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self.fields = {**fields, **self.fields}

    def clean(self) -> dict[str, Any]:
        cd = super().clean() or {}
        action = self.data.get("action")
        verdicts = [cd.get(f"{key}_verdict") for key, _label in REVIEW_ASPECTS]
        if action == "approve" and ReviewVerdict.FAIL in verdicts:
            raise ValidationError(_("有审核项不通过时不能“审核通过”，请选择“退回修改”。"))
        if action == "return" and None not in verdicts and ReviewVerdict.FAIL not in verdicts:
            raise ValidationError(_("退回修改时，请至少将一项审核意见选为“不通过”并写明理由。"))
        if action not in ("approve", "return"):
            raise ValidationError(_("请选择“审核通过”或“退回修改”。"))
        return cd

    def aspects(self) -> list[dict[str, Any]]:
        return [
            {"key": key, "label": label, "verdict": self[f"{key}_verdict"], "comment": self[f"{key}_comment"]}
            for key, label in REVIEW_ASPECTS
        ]

    def decisions(self) -> dict[str, dict[str, str]]:
        cd = self.cleaned_data
        return {
            key: {"verdict": cd[f"{key}_verdict"], "comment": cd.get(f"{key}_comment", "")}
            for key, _label in REVIEW_ASPECTS
        }


# --- bundles --------------------------------------------------------------------------------


class BundleForm(forms.Form):
    name = forms.CharField(label=_("一件事名称"), max_length=100)
    code = forms.SlugField(
        label=_("编码"),
        max_length=64,
        help_text=_("小写字母、数字和连字符，例如 open-restaurant；创建后不能修改"),
    )
    region_code = forms.ChoiceField(label=_("区划"))
    lead_department_id = forms.TypedChoiceField(label=_("牵头部门"), coerce=int)
    audience = forms.ChoiceField(label=_("服务对象"), choices=Audience.choices, initial=Audience.BOTH)
    themes = forms.MultipleChoiceField(
        label=_("主题"), choices=THEME_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    aliases = forms.CharField(label=_("别名/俗称"), required=False, help_text=_("用逗号或顿号分隔"))
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    promised_limit = forms.IntegerField(label=_("承诺办结时限（工作日）"), min_value=0, required=False)
    deemed_consent = forms.BooleanField(
        label=_("超时默认同意"),
        required=False,
        initial=True,
        help_text=_("并联办理中部门逾期未提出意见的，视为同意，并记录在该部门名下"),
    )
    item_ids = forms.TypedMultipleChoiceField(
        label=_("包含事项"), coerce=int, widget=forms.CheckboxSelectMultiple, help_text=_("至少两个事项")
    )
    optional_item_ids = forms.TypedMultipleChoiceField(
        label=_("其中可选的事项"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("申请人可以不选的事项，例如企业开办中的刻制印章"),
    )

    def __init__(
        self,
        *args: Any,
        departments: Iterable[Any] = (),
        regions: Iterable[Any] = (),
        items: Iterable[tuple[int, str]] = (),
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "lead_department_id", [(d.pk, d.name) for d in departments])
        set_choices(self, "region_code", [(r.code, r.name) for r in regions])
        set_choices(self, "item_ids", list(items))
        set_choices(self, "optional_item_ids", list(items))
        if editing:
            # Identity of a published bundle: its code is in links, its region and lead are fixed.
            for name in ("code", "region_code", "lead_department_id"):
                self.fields[name].disabled = True
                self.fields[name].required = False

    def clean_aliases(self) -> list[str]:
        return split_words(self.cleaned_data.get("aliases", ""))


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回理由"), widget=forms.Textarea(attrs={"rows": 2}))


# --- list filters ---------------------------------------------------------------------------


class ItemFilterForm(forms.Form):
    department = forms.TypedChoiceField(label=_("部门"), coerce=int, required=False, empty_value=None)
    item_type = forms.ChoiceField(
        label=_("事项类型"), required=False, choices=[("", _("全部类型")), *ItemType.choices]
    )
    status = forms.ChoiceField(
        label=_("版本状态"), required=False, choices=[("", _("全部状态")), *VersionStatus.choices]
    )
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)

    def __init__(self, *args: Any, departments: Iterable[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "department", [("", _("全部部门")), *((d.pk, d.name) for d in departments)])
