# ruff: noqa: E501 (the texts are paragraphs: one line each, as the PDF wraps them)
"""The shipped text of every case document: used when no DocumentTemplate row exists for the kind,
when an administrator restores the default (admin action "恢复默认文本"), and as the fallback when
an edited body fails to render.

Bodies are Django template syntax rendered as plain text (no HTML escaping; the tags debug, include,
extends and block are refused). A blank line starts a new paragraph; a line starting with "- " is a
list item (with a bullet, none when it starts with "1."). The context (documents/context.py builds
it, every value a plain string, number, list or dict — never a model object):

Every kind
    department          department name                         示范市市场监督管理局
    department_short    short name (or the name)                示范市市场监管局
    case_number         办件编号
    document_number     文书编号                                 示范市市场监管局受〔2025〕0001号
    query_code          查询码
    applicant_name      申请人
    applicant_id        证件号码, masked                         4401**********1234
    applicant_kind      自然人 / 法人或其他组织
    contact_name        经办人 (may be empty)
    item_name           事项名称
    item_code           实施编码
    channel             申请渠道 label
    issued_on           文书日期                                 2025年9月26日
    submitted_on, accepted_on, acceptance_due, promised_due, statutory_due, delivery_due,
    deficiency_due, decided_on
                        dates in Chinese format, "" when not set
    acceptance_mode     normal / deficiency / commitment / immediate ("" before acceptance)
    acceptance_mode_label  一般受理 / 容缺受理 / 告知承诺 / 即办
    materials           [{"name", "state"}] every material of the case
    progress_url        the public progress page (also in the QR code)
    review_days         60     行政复议 within … days
    litigation_months   6      行政诉讼 within … months
    remedy              the standard sentence on 行政复议 / 行政诉讼 (rejection / denial)
    remedy_note         context["remedy"] when it is not a full statement of both remedies, else ""

Per kind
    rejection     reasons (list of str), reason_text, legal_basis
    supplement    supplement_items [{"name", "reason"}], supplement_note, supplement_round, supplement_late
    deficiency    deferred [{"name", "until"}], commitment_signed (bool)
    suspension    suspension_kind, suspension_reason, expected_workdays, suspension_started_on
    extension     extension_reason, extension_workdays, new_due
    grant/denial  decision_reason, legal_basis
    termination   termination_reason, termination_text

A caller's `context=` (document_issue) is merged over these keys; dates given there are formatted.
Keys read rather than copied: reasons (str or {"label"/"text"}), deferred ({material_id: date} or
the materials' own dates), commitment_signed, remedy (see above), reason (termination code), mode
(acceptance mode code).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..models import DocumentKind


@dataclass(frozen=True)
class DefaultTemplate:
    title: str
    body: str


RECEIPT = """\
{{ applicant_name }}（证件号码：{{ applicant_id }}）：

本机关已于{{ submitted_on }}收到您申请办理“{{ item_name }}”事项的申请材料，办件编号为{{ case_number }}，查询码为{{ query_code }}。

本机关将在{{ acceptance_due }}前作出是否受理的决定。收到的材料如下：
{% for m in materials %}
- {{ m.name }}（{{ m.state }}）{% endfor %}

本凭证仅证明本机关已收到上述材料，不表示申请已被受理。您可以扫描右下方二维码或凭办件编号和查询码查询办理进度。"""

ACCEPTANCE = """\
{{ applicant_name }}（证件号码：{{ applicant_id }}）：

您于{{ submitted_on }}提出的“{{ item_name }}”申请（办件编号：{{ case_number }}），申请事项属于本机关职权范围，申请材料齐全、符合法定形式，根据《中华人民共和国行政许可法》第三十二条的规定，本机关决定予以受理，受理日期为{{ accepted_on }}。

{% if acceptance_mode == "commitment" %}本申请按告知承诺方式办理。您已书面承诺符合许可条件并对承诺的真实性负责；承诺不实的，本机关将依法撤销许可并记录在案。

{% endif %}本机关将在{{ promised_due }}前作出决定（承诺办结期限），法定办结期限为{{ statutory_due }}。依法需要听证、招标、拍卖、检验、检测、检疫、鉴定和专家评审的，所需时间不计算在上述期限内，本机关将另行书面告知。

您可以凭办件编号和查询码{{ query_code }}查询办理进度。"""

REJECTION = """\
{{ applicant_name }}（证件号码：{{ applicant_id }}）：

您于{{ submitted_on }}提出的“{{ item_name }}”申请（办件编号：{{ case_number }}），经审查，本机关决定不予受理。理由如下：
{% for r in reasons %}
- {{ r }}{% endfor %}
{% if reason_text %}
{{ reason_text }}
{% endif %}
法律依据：{{ legal_basis }}

{{ remedy }}{% if remedy_note %}{{ remedy_note }}{% endif %}"""

SUPPLEMENT = """\
{{ applicant_name }}（证件号码：{{ applicant_id }}）：

您于{{ submitted_on }}提出的“{{ item_name }}”申请（办件编号：{{ case_number }}），经审查，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条的规定，现一次性告知您需要补正的全部内容如下：
{% for s in supplement_items %}
- {{ forloop.counter }}. {{ s.name }}：{{ s.reason }}{% endfor %}
{% if supplement_note %}
说明：{{ supplement_note }}
{% endif %}
请您补正上述全部材料后一并提交，补正材料齐全后本机关将重新审查。{% if supplement_late %}本告知书逾期发出，您的申请自收到申请材料之日（{{ submitted_on }}）起即为受理。{% endif %}"""

DEFICIENCY = """\
{{ applicant_name }}（证件号码：{{ applicant_id }}）：

您于{{ submitted_on }}提出的“{{ item_name }}”申请（办件编号：{{ case_number }}），主要申请材料齐全、符合法定形式，次要材料存在欠缺。根据容缺受理有关规定，本机关决定予以容缺受理，受理日期为{{ accepted_on }}。

您需要后补的材料及补齐日期如下：
{% for d in deferred %}
- {{ d.name }}：请于{{ d.until }}前补齐{% endfor %}

全部容缺材料请于{{ deficiency_due }}前补齐。{% if commitment_signed %}您已签署容缺受理承诺书，承诺在上述期限内补齐材料并对所提交材料的真实性负责。{% endif %}逾期未补齐的，本机关将终止办理，并记录在案。"""

SUSPENSION = """\
{{ applicant_name }}（证件号码：{{ applicant_id }}）：

您申请的“{{ item_name }}”（办件编号：{{ case_number }}），依法需要进行{{ suspension_kind }}，自{{ suspension_started_on }}起进入特别程序。

理由：{{ suspension_reason }}

预计所需时间：{{ expected_workdays }}个工作日。根据《中华人民共和国行政许可法》第四十五条的规定，特别程序所需时间不计算在办理期限内，办理期限在此期间暂停计算，特别程序结束后顺延。"""

EXTENSION = """\
{{ applicant_name }}（证件号码：{{ applicant_id }}）：

您申请的“{{ item_name }}”（办件编号：{{ case_number }}），因{{ extension_reason }}，本机关不能在原定期限内作出决定。经本机关负责人批准，办理期限延长{{ extension_workdays }}个工作日，本机关将在{{ new_due }}前作出决定。

根据《中华人民共和国行政许可法》第四十二条的规定，特此告知。"""

GRANT = """\
{{ applicant_name }}（证件号码：{{ applicant_id }}）：

您于{{ submitted_on }}提出的“{{ item_name }}”申请（办件编号：{{ case_number }}），本机关于{{ accepted_on }}受理。经审查，申请符合法定条件、标准，根据《中华人民共和国行政许可法》第三十八条第一款的规定，本机关决定准予许可。
{% if decision_reason %}
{{ decision_reason }}
{% endif %}{% if legal_basis %}
依据：{{ legal_basis }}
{% endif %}
请按照告知的方式领取许可证件。如对本决定不服，可以在收到本决定书之日起{{ review_days }}日内依法申请行政复议，或者在{{ litigation_months }}个月内依法向人民法院提起行政诉讼。"""

DENIAL = """\
{{ applicant_name }}（证件号码：{{ applicant_id }}）：

您于{{ submitted_on }}提出的“{{ item_name }}”申请（办件编号：{{ case_number }}），本机关于{{ accepted_on }}受理。经审查，本机关决定不予许可。

理由：{{ decision_reason }}

法律依据：{{ legal_basis }}

{{ remedy }}{% if remedy_note %}{{ remedy_note }}{% endif %}"""

TERMINATION = """\
{{ applicant_name }}（证件号码：{{ applicant_id }}）：

您申请的“{{ item_name }}”（办件编号：{{ case_number }}），因{{ termination_reason }}，本机关决定终止办理。
{% if termination_text %}
{{ termination_text }}
{% endif %}
如有疑问，请与本机关联系。"""

REMEDY = (
    "如不服本决定，您可以在收到本决定书之日起{review_days}日内依法申请行政复议，"
    "或者在{litigation_months}个月内依法向人民法院提起行政诉讼。"
)

DEFAULTS: dict[str, DefaultTemplate] = {
    DocumentKind.RECEIPT: DefaultTemplate("收件凭证", RECEIPT),
    DocumentKind.ACCEPTANCE: DefaultTemplate("受理通知书", ACCEPTANCE),
    DocumentKind.REJECTION: DefaultTemplate("不予受理决定书", REJECTION),
    DocumentKind.SUPPLEMENT: DefaultTemplate("补正材料告知书", SUPPLEMENT),
    DocumentKind.DEFICIENCY: DefaultTemplate("容缺受理通知书", DEFICIENCY),
    DocumentKind.SUSPENSION: DefaultTemplate("特别程序告知书", SUSPENSION),
    DocumentKind.EXTENSION: DefaultTemplate("延期告知书", EXTENSION),
    DocumentKind.GRANT: DefaultTemplate("准予许可决定书", GRANT),
    DocumentKind.DENIAL: DefaultTemplate("不予许可决定书", DENIAL),
    DocumentKind.TERMINATION: DefaultTemplate("终止办理告知书", TERMINATION),
}

# The character after the department's short name in the document number: 示范市市场监管局受〔2025〕0001号.
NUMBER_MARK: dict[str, str] = {
    DocumentKind.RECEIPT: "收",
    DocumentKind.ACCEPTANCE: "受",
    DocumentKind.REJECTION: "不受",
    DocumentKind.SUPPLEMENT: "补",
    DocumentKind.DEFICIENCY: "容",
    DocumentKind.SUSPENSION: "特",
    DocumentKind.EXTENSION: "延",
    DocumentKind.GRANT: "许",
    DocumentKind.DENIAL: "不许",
    DocumentKind.TERMINATION: "终",
}

RESULT_KINDS = frozenset({DocumentKind.GRANT, DocumentKind.DENIAL})


def default_for(kind: str) -> DefaultTemplate:
    try:
        return DEFAULTS[kind]
    except KeyError:
        raise ValueError(f"unknown document kind {kind!r}") from None
