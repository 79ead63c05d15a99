from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import AuditFilters

CHANNELS = [
    ("", _("全部渠道")),
    ("web", _("网页")),
    ("api", _("接口")),
    ("window", _("窗口")),
    ("worker", _("后台任务")),
    ("exchange", _("数据交换")),
    ("system", _("系统")),
]


_DATE = {"type": "date"}


class AuditFilterForm(forms.Form):
    date_from = forms.DateField(label=_("开始日期"), required=False, widget=forms.DateInput(attrs=_DATE))
    date_to = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput(attrs=_DATE))
    actor = forms.CharField(label=_("操作人"), required=False, max_length=128, help_text=_("姓名或账号编号"))
    action = forms.CharField(
        label=_("操作"), required=False, max_length=64, help_text=_("如 org. 或 pii.read")
    )
    obj_type = forms.CharField(label=_("对象类型"), required=False, max_length=64)
    obj_id = forms.CharField(label=_("对象编号"), required=False, max_length=64)
    channel = forms.ChoiceField(label=_("渠道"), required=False, choices=CHANNELS)
    pii_only = forms.BooleanField(label=_("只看个人信息查看记录"), required=False)

    def clean(self) -> dict:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data

    def filters(self) -> AuditFilters:
        data = self.cleaned_data
        return AuditFilters(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            actor=data.get("actor") or "",
            action=data.get("action") or "",
            obj_type=data.get("obj_type") or "",
            obj_id=data.get("obj_id") or "",
            channel=data.get("channel") or "",
            pii_only=bool(data.get("pii_only")),
        )
