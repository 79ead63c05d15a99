"""Forms of the workbench case pages. They parse input only; the case services hold every rule.

A service's ValidationError comes back onto the form with `apply_errors`, so its Chinese message
shows next to the field it names and the rest of the input stays on the page. Every action form
carries the case `revision` the page showed, so a stale page gets a conflict, never an overwrite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from zhengwu.org.validators import clean_id_number, clean_mobile, clean_uscc

from .models import (
    ApplicantKind,
    CaseMaterial,
    Decision,
    DeliveryMethod,
    MaterialState,
    Opinion,
    SuspensionKind,
)


def apply_errors(form: forms.BaseForm, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's errors on the fields they name ("form_data.x" and "x" alike), else on the form."""
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    aliases = aliases or {}
    for name, messages in error.message_dict.items():
        key = aliases.get(name, name)
        if key not in form.fields and "." in key:
            key = key.rsplit(".", 1)[-1]
        if key == "__material__":
            continue  # shown next to its material by the page
        target = key if key in form.fields else None
        for message in messages:
            if target is None and name not in ("__all__", "non_field_errors"):
                form.add_error(None, message)
            else:
                form.add_error(target, message)


class RevisionForm(forms.Form):
    """The case revision the page showed (hidden); every action form extends it."""

    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


# --- the window: item, applicant, form, materials -------------------------------------------


class ItemSearchForm(forms.Form):
    window = forms.TypedChoiceField(label=_("受理窗口"), coerce=int, required=False)
    q = forms.CharField(label=_("事项名称或编码"), required=False, max_length=60)

    def __init__(self, *args: Any, windows: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["window"].choices = list(windows)  # type: ignore[attr-defined]


class ApplicantForm(forms.Form):
    """Who is at the counter: a person (身份证号码) or an organisation (统一社会信用代码)."""

    kind = forms.ChoiceField(
        label=_("申请人类型"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.PERSON,
        widget=forms.RadioSelect,
    )
    id_number = forms.CharField(
        label=_("证件号码"),
        max_length=20,
        help_text=_("自然人填写18位身份证号码，法人或其他组织填写18位统一社会信用代码。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    name = forms.CharField(label=_("申请人名称"), max_length=128)
    phone = forms.CharField(
        label=_("联系电话"),
        max_length=11,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    address = forms.CharField(label=_("联系地址"), max_length=255, required=False)
    contact_name = forms.CharField(
        label=_("经办人"), max_length=64, required=False, help_text=_("单位申请或他人代办时填写经办人姓名。")
    )
    green_channel = forms.BooleanField(
        label=_("绿色通道（老年人、残疾人、重点项目等优先办理）"), required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        raw = data.get("id_number")
        if raw:
            try:
                if data.get("kind") == ApplicantKind.COMPANY:
                    data["id_number"] = clean_uscc(raw, field="id_number")
                else:
                    data["id_number"] = clean_id_number(raw, field="id_number")
            except ValidationError as exc:
                self.add_error("id_number", exc.message_dict.get("id_number", exc.messages))
        phone = data.get("phone")
        if phone:
            try:
                data["phone"] = clean_mobile(phone, field="phone")
            except ValidationError as exc:
                self.add_error("phone", exc.message_dict.get("phone", exc.messages))
        return data


class LookupForm(forms.Form):
    id_number = forms.CharField(label=_("证件号码"), max_length=20)


class CaseDataForm(forms.Form):
    """The application form, built from the item version's FormFields (the same form as online).

    Required fields are marked but not enforced here: a draft may be saved half filled (暂存);
    case_submit checks required-ness and types and names each field it refuses.
    """

    def __init__(self, *args: Any, form_fields: Iterable[Any] = (), **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "f")
        super().__init__(*args, **kwargs)
        self.specs = list(form_fields)
        for spec in self.specs:
            self.fields[spec.key] = form_field_for(spec)

    def form_data(self) -> dict[str, Any]:
        """The cleaned values as JSON: numbers as numbers when they parse, dates as ISO strings."""
        out: dict[str, Any] = {}
        for spec in self.specs:
            value = self.cleaned_data.get(spec.key)
            if spec.field_type == "number" and isinstance(value, str) and value.strip():
                out[spec.key] = _number(value.strip())
            elif isinstance(value, dt.date):
                out[spec.key] = value.isoformat()
            elif value is None:
                out[spec.key] = ""
            else:
                out[spec.key] = value
        return out


def _number(value: str) -> Any:
    try:
        number = Decimal(value)
    except InvalidOperation:
        return value  # the service names the field and says why
    return int(number) if number == number.to_integral_value() else float(number)


def form_field_for(spec: Any) -> forms.Field:
    """One Django field for a catalog FormField (key, label, field_type, required, choices, help_text)."""
    field = _form_field_for(spec)
    field.zw_required = bool(spec.required)  # type: ignore[attr-defined]  # marked, checked at submit
    return field


def _form_field_for(spec: Any) -> forms.Field:
    label = spec.label
    kind = spec.field_type
    attrs: dict[str, Any] = {"aria-required": "true"} if spec.required else {}
    common: dict[str, Any] = {"label": label, "required": False, "help_text": spec.help_text or ""}
    choices = [(c, c) for c in (spec.choices or [])]
    if kind == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3, **attrs}), **common)
    if kind == "number":
        return forms.CharField(
            max_length=40, widget=forms.TextInput(attrs={"inputmode": "decimal", **attrs}), **common
        )
    if kind == "date":
        return forms.CharField(
            max_length=10, widget=forms.TextInput(attrs={"type": "date", **attrs}), **common
        )
    if kind == "choice":
        return forms.ChoiceField(
            choices=[("", "---------"), *choices], widget=forms.Select(attrs=attrs), **common
        )
    if kind == "multi_choice":
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    if kind == "boolean":
        return forms.BooleanField(**common)
    if kind == "phone":
        return forms.CharField(
            max_length=11,
            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off", **attrs}),
            **common,
        )
    if kind in ("id_number", "uscc"):
        return forms.CharField(
            max_length=18,
            widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", **attrs}),
            **common,
        )
    return forms.CharField(max_length=500, widget=forms.TextInput(attrs=attrs), **common)


class MaterialUploadForm(forms.Form):
    material = forms.IntegerField(widget=forms.HiddenInput)
    file = forms.FileField(label=_("扫描件或照片"))


# --- acceptance ---------------------------------------------------------------------------

CHECK_OK, CHECK_DEFECTIVE = "ok", "defective"


class ChecklistForm(RevisionForm):
    """材料核验: per material ok / defective (with the reason) and, for 容缺, the promised date."""

    commitment_signed = forms.BooleanField(
        label=_("申请人已签署容缺受理承诺书，承诺在约定日期前补齐容缺材料"), required=False
    )
    note = forms.CharField(label=_("补正说明"), required=False, widget=textarea(2), max_length=500)

    def __init__(self, *args: Any, materials: Sequence[CaseMaterial] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.materials = list(materials)
        for m in self.materials:
            initial = CHECK_DEFECTIVE if m.state == MaterialState.DEFECTIVE else CHECK_OK
            if m.state == MaterialState.MISSING and m.required:
                initial = CHECK_DEFECTIVE
            self.fields[f"check_{m.pk}"] = forms.ChoiceField(
                label=m.name,
                choices=[(CHECK_OK, _("符合要求")), (CHECK_DEFECTIVE, _("需补正"))],
                initial=initial,
                widget=forms.RadioSelect,
            )
            self.fields[f"reason_{m.pk}"] = forms.CharField(
                label=_("“%(name)s”的补正原因") % {"name": m.name},
                required=False,
                max_length=255,
                initial=m.check_note or ("" if m.state != MaterialState.MISSING else _("未提交")),
            )
            if m.deferrable:
                self.fields[f"defer_{m.pk}"] = forms.DateField(
                    label=_("“%(name)s”承诺补齐日期") % {"name": m.name},
                    required=False,
                    widget=DateInput(),
                    initial=m.deferred_until,
                )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "material": m,
                "check": self[f"check_{m.pk}"],
                "reason": self[f"reason_{m.pk}"],
                "defer": self[f"defer_{m.pk}"] if f"defer_{m.pk}" in self.fields else None,
            }
            for m in self.materials
        ]

    def checks(self) -> dict[int, bool]:
        """{material id: passed} — the clerk's verdict (case_accept's `checks`)."""
        return {m.pk: self.cleaned_data.get(f"check_{m.pk}") != CHECK_DEFECTIVE for m in self.materials}

    def defective_items(self) -> list[dict[str, Any]]:
        """Every material marked defective, with its reason (一次性告知): reasons are required."""
        items = []
        for m in self.materials:
            if self.cleaned_data.get(f"check_{m.pk}") == CHECK_DEFECTIVE:
                reason = (self.cleaned_data.get(f"reason_{m.pk}") or "").strip()
                if not reason:
                    self.add_error(f"reason_{m.pk}", _("请写明需补正的原因"))
                items.append({"material_id": m.pk, "reason": reason})
        if not items and not self.errors:
            self.add_error(None, _("请至少将一份材料标记为“需补正”并写明原因"))
        return items

    def deferred(self) -> dict[int, dt.date]:
        """Materials marked defective and given a promised date (容缺受理)."""
        out = {}
        for m in self.materials:
            if self.cleaned_data.get(f"check_{m.pk}") != CHECK_DEFECTIVE:
                continue
            day = self.cleaned_data.get(f"defer_{m.pk}")
            if day is None:
                field = f"defer_{m.pk}" if f"defer_{m.pk}" in self.fields else f"check_{m.pk}"
                self.add_error(
                    field,
                    _("请填写承诺补齐日期") if m.deferrable else _("该材料不可容缺，需补正后才能受理"),
                )
                continue
            out[m.pk] = day
        if not out and not self.errors:
            self.add_error(None, _("容缺受理须至少有一份标记为“需补正”的可容缺材料及承诺补齐日期"))
        return out


REJECTION_REASONS = [
    ("not_licensing", _("申请事项依法不需要取得行政许可")),
    ("not_competent", _("申请事项不属于本行政机关职权范围")),
    ("not_qualified", _("申请人不具备申请资格")),
    ("false_materials", _("申请人隐瞒有关情况或者提供虚假材料")),
    ("prohibited", _("申请事项属于法律、法规禁止的范围")),
    ("not_supplemented", _("逾期未按补正告知书补正材料")),
    ("other", _("其他原因（见补充说明）")),
]
DEFAULT_REJECT_BASIS = _("《中华人民共和国行政许可法》第三十二条第一款")
DEFAULT_REMEDY = _(
    "如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起行政诉讼。"
)


class RejectForm(RevisionForm):
    reasons = forms.MultipleChoiceField(
        label=_("不予受理理由"), choices=REJECTION_REASONS, widget=forms.CheckboxSelectMultiple
    )
    text = forms.CharField(label=_("补充说明"), required=False, widget=textarea(), max_length=2000)
    legal_basis = forms.CharField(
        label=_("法律依据"), widget=textarea(2), max_length=1000, initial=DEFAULT_REJECT_BASIS
    )
    remedy = forms.CharField(label=_("救济途径"), widget=textarea(3), max_length=1000, initial=DEFAULT_REMEDY)

    def reason_labels(self) -> list[str]:
        labels = dict(REJECTION_REASONS)
        return [str(labels[r]) for r in self.cleaned_data.get("reasons", [])]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "other" in (data.get("reasons") or []) and not (data.get("text") or "").strip():
            self.add_error("text", _("选择“其他原因”时请填写补充说明"))
        return data


# --- back office ---------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class StepCompleteForm(RevisionForm):
    opinion = forms.ChoiceField(
        label=_("办理意见"),
        choices=[(Opinion.AGREE, _("同意")), (Opinion.DISAGREE, _("不同意"))],
        widget=forms.RadioSelect,
        initial=Opinion.AGREE,
    )
    comment = forms.CharField(
        label=_("意见内容"),
        required=False,
        widget=textarea(),
        max_length=2000,
        initial=_("经审查，符合规定条件。"),
    )
    reason = forms.CharField(
        label=_("不予许可的理由"),
        required=False,
        widget=textarea(2),
        max_length=2000,
        help_text=_("决定环节选择“不同意”时必填，将写入不予许可决定书。"),
    )
    legal_basis = forms.CharField(label=_("法律依据"), required=False, widget=textarea(2), max_length=1000)
    attachments = MultipleFileField(label=_("附件（可多选）"), required=False)


class StepReturnForm(RevisionForm):
    comment = forms.CharField(label=_("退回理由"), widget=textarea(2), max_length=2000)


class TransferForm(RevisionForm):
    to_user = forms.TypedChoiceField(label=_("转交给"), coerce=int)
    comment = forms.CharField(label=_("转交说明"), required=False, widget=textarea(2), max_length=500)

    def __init__(self, *args: Any, colleagues: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_user"].choices = [("", "---------"), *colleagues]  # type: ignore[attr-defined]


class SuspendForm(RevisionForm):
    kind = forms.ChoiceField(label=_("特别程序种类"), choices=SuspensionKind.choices)
    reason = forms.CharField(label=_("理由"), widget=textarea(2), max_length=2000)
    expected_workdays = forms.IntegerField(label=_("预计时长（工作日）"), min_value=1, max_value=365)


class ResumeForm(RevisionForm):
    result = forms.CharField(label=_("特别程序结果"), required=False, widget=textarea(2), max_length=2000)


class ExtensionRequestForm(RevisionForm):
    reason = forms.CharField(label=_("延期理由"), widget=textarea(2), max_length=2000)


class ExtensionDecideForm(RevisionForm):
    extension = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(
        label=_("审批意见"),
        choices=[("1", _("批准延期")), ("0", _("不予批准"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("批示"), required=False, widget=textarea(2), max_length=1000)


class DecideForm(RevisionForm):
    decision = forms.ChoiceField(label=_("审批决定"), choices=Decision.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("理由"), required=False, widget=textarea(2), max_length=2000)
    legal_basis = forms.CharField(label=_("法律依据"), required=False, widget=textarea(2), max_length=1000)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == Decision.DENY:
            if not (data.get("reason") or "").strip():
                self.add_error("reason", _("不予许可须写明理由"))
            if not (data.get("legal_basis") or "").strip():
                self.add_error("legal_basis", _("不予许可须写明法律依据"))
        return data


class CompleteForm(RevisionForm):
    pass


class BundleDeliverForm(forms.Form):
    """送达 / 统一窗口出件 (a bundle's cases are delivered together)."""

    method = forms.ChoiceField(
        label=_("送达方式"),
        choices=DeliveryMethod.choices,
        widget=forms.RadioSelect,
        initial=DeliveryMethod.WINDOW,
    )
    delivered_to = forms.CharField(label=_("签收人"), required=False, max_length=64)
    tracking_number = forms.CharField(label=_("邮件单号"), required=False, max_length=40)
    address = forms.CharField(label=_("邮寄地址"), required=False, max_length=255)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        method = data.get("method")
        if method == DeliveryMethod.WINDOW and not (data.get("delivered_to") or "").strip():
            self.add_error("delivered_to", _("窗口领取须填写签收人"))
        if method == DeliveryMethod.POST and not (data.get("tracking_number") or "").strip():
            self.add_error("tracking_number", _("邮寄送达须填写邮件单号"))
        return data

    def service_kwargs(self) -> dict[str, str]:
        data = self.cleaned_data
        return {
            "method": data["method"],
            "delivered_to": (data.get("delivered_to") or "").strip(),
            "tracking_number": (data.get("tracking_number") or "").strip(),
            "address": (data.get("address") or "").strip(),
        }


class DeliverForm(BundleDeliverForm):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


# --- my tasks -------------------------------------------------------------------------------

SORT_CHOICES = [
    ("due", _("期限由近到远")),
    ("-due", _("期限由远到近")),
    ("received", _("收件由早到晚")),
    ("-received", _("收件由晚到早")),
    ("item", _("按事项名称")),
]
LIGHT_CHOICES = [
    ("", _("全部")),
    ("red", _("红灯（超期）")),
    ("yellow", _("黄灯（预警）")),
    ("green", _("绿灯（正常）")),
]


class TaskFilterForm(forms.Form):
    item = forms.TypedChoiceField(label=_("事项"), coerce=int, required=False, empty_value=None)
    light = forms.ChoiceField(label=_("亮灯"), choices=LIGHT_CHOICES, required=False)
    green = forms.BooleanField(label=_("只看绿色通道"), required=False)
    sort = forms.ChoiceField(label=_("排序"), choices=SORT_CHOICES, required=False, initial="due")

    def __init__(self, *args: Any, items: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", _("全部事项")), *items]  # type: ignore[attr-defined]
