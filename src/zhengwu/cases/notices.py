"""Notices to the applicant (core.notify): inbox for online applicants, SMS to the applicant's phone.

    notify_applicant(case, "cases.accepted")                 # number, item, dates filled in
    notify_applicant(case, "cases.rejected", reason="…")     # extra placeholders as keywords

Every template gets `number`, `item`, `query_code`, `name` and the case dates as text
(`acceptance_due`, `promised_due`, `accepted_on`, `delivery_due`, `deficiency_due`, empty when unset).
Messages are written in the caller's transaction; SMS leave only after it commits.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from zhengwu.core.notify.services import notify_send
from zhengwu.core.notify.templates import register_template

from .models import Case

register_template(
    "cases.received",
    subject=_("申请已收到"),
    body=_(
        "【政务服务】您申请的“{item}”已收件，办件编号{number}，查询码{query_code}。我们将在{acceptance_due}前作出是否受理的决定。"
    ),
)
register_template(
    "cases.accepted",
    subject=_("申请已受理"),
    body=_(
        "【政务服务】您申请的“{item}”（办件编号{number}）已于{accepted_on}受理，承诺于{promised_due}前办结。"
    ),
)
register_template(
    "cases.rejected",
    subject=_("申请不予受理"),
    body=_("【政务服务】您申请的“{item}”（办件编号{number}）不予受理，请登录查看不予受理决定书。"),
)
register_template(
    "cases.supplement",
    subject=_("请补正申请材料"),
    body=_(
        "【政务服务】您申请的“{item}”（办件编号{number}）需补正材料：{materials}。请登录查看补正材料告知书并一次性补齐。"
    ),
)
register_template(
    "cases.deficiency",
    subject=_("申请已容缺受理"),
    body=_(
        "【政务服务】您申请的“{item}”（办件编号{number}）已容缺受理，请于{deficiency_due}前补齐：{materials}。逾期未补齐将终止办理。"
    ),
)
register_template(
    "cases.suspended",
    subject=_("办件进入特别程序"),
    body=_("【政务服务】您申请的“{item}”（办件编号{number}）进入特别程序，特别程序时间不计入办理时限。"),
)
register_template(
    "cases.extended",
    subject=_("办理期限已延长"),
    body=_(
        "【政务服务】您申请的“{item}”（办件编号{number}）办理期限延长至{promised_due}，请登录查看延期告知书。"
    ),
)
register_template(
    "cases.decided",
    subject=_("审批决定已作出"),
    body=_("【政务服务】您申请的“{item}”（办件编号{number}）已作出审批决定，请登录查看。"),
)
register_template(
    "cases.delivered",
    subject=_("办理结果已送达"),
    body=_("【政务服务】您申请的“{item}”（办件编号{number}）办理结果已送达。"),
)
register_template(
    "cases.terminated",
    subject=_("办件已终止办理"),
    body=_("【政务服务】您申请的“{item}”（办件编号{number}）已终止办理，请登录查看终止办理告知书。"),
)

TEMPLATES = (
    "cases.received",
    "cases.accepted",
    "cases.rejected",
    "cases.supplement",
    "cases.deficiency",
    "cases.suspended",
    "cases.extended",
    "cases.decided",
    "cases.delivered",
    "cases.terminated",
)


def case_context(case: Case) -> dict[str, Any]:
    def day(value: Any) -> str:
        return f"{value.year}年{value.month}月{value.day}日" if value else ""

    return {
        "number": case.number,
        "item": case.item_name,
        "query_code": case.query_code,
        "name": case.applicant_name,
        "acceptance_due": day(case.acceptance_due),
        "accepted_on": day(case.accepted_on),
        "promised_due": day(case.promised_due),
        "delivery_due": day(case.delivery_due),
        "deficiency_due": day(case.deficiency_due),
        "materials": "",
    }


def notify_applicant(case: Case, template: str, **context: Any) -> None:
    """Inbox for the applicant's account (online applicants), SMS to the applicant's phone."""
    channels = tuple(
        c for c, present in (("inbox", case.applicant_user_id), ("sms", case.applicant_phone)) if present
    )
    if not channels:
        return
    notify_send(
        template=template,
        context={**case_context(case), **context},
        user_id=case.applicant_user_id,
        phone=case.applicant_phone or None,
        channels=channels,
    )
