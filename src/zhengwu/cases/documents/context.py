"""The template context of a case document: plain values only (an administrator writes the templates,
so no model object — and no way to reach a password hash or another table — is ever exposed).

The keys are documented in documents/defaults.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from zhengwu.core.audit.masking import mask_id_number
from zhengwu.core.calendar.days import local_day

from ..models import AcceptanceMode, Case, DocumentKind, ExtensionStatus, MaterialState, TerminationReason
from .defaults import REMEDY

REVIEW_DAYS = 60  # 行政复议法: 60 days from knowing of the decision
LITIGATION_MONTHS = 6  # 行政诉讼法: 6 months


def chinese_date(value: dt.date | dt.datetime | None) -> str:
    """2025-09-26 -> "2025年9月26日" (an instant is taken as its Beijing day); None -> ""."""
    if value is None:
        return ""
    day = local_day(value) if isinstance(value, dt.datetime) else value
    return f"{day.year}年{day.month}月{day.day}日"


def progress_path(case: Case) -> str:
    try:
        path = reverse("cases_portal:progress")
    except NoReverseMatch:
        path = "/cases/progress/"
    return f"{path}?{urlencode({'number': case.number, 'code': case.query_code})}"


def public_base_url() -> str:
    """settings.PUBLIC_BASE_URL, else the first CSRF trusted origin, else "" (a site-relative link)."""
    base = str(getattr(settings, "PUBLIC_BASE_URL", "") or "")
    if not base:
        origins = list(getattr(settings, "CSRF_TRUSTED_ORIGINS", []) or [])
        base = str(origins[0]) if origins else ""
    return base.rstrip("/")


def progress_url(case: Case) -> str:
    """The public progress page of the case, absolute when the site's address is configured."""
    return public_base_url() + progress_path(case)


def _reason_text(value: Any) -> str:
    if isinstance(value, Mapping):
        for key in ("label", "text", "reason", "name", "code"):
            if value.get(key):
                return str(value[key])
        return ""
    return str(value)


def _formatted(value: Any) -> Any:
    if isinstance(value, dt.date):
        return chinese_date(value)
    return value


def base_context(case: Case, *, document_number: str, issued_on: dt.date) -> dict[str, Any]:
    department = case.department
    return {
        "department": department.name,
        "department_short": department.short_name or department.name,
        "case_number": case.number,
        "document_number": document_number,
        "query_code": case.query_code,
        "applicant_name": case.applicant_name,
        "applicant_id": mask_id_number(case.applicant_id_number),
        "applicant_kind": case.get_applicant_kind_display(),
        "contact_name": case.contact_name,
        "item_name": case.item_name,
        "item_code": case.implementation_code,
        "channel": case.get_channel_display(),
        "issued_on": chinese_date(issued_on),
        "submitted_on": chinese_date(case.submitted_at),
        "accepted_on": chinese_date(case.accepted_on or case.accepted_at),
        "acceptance_due": chinese_date(case.acceptance_due),
        "promised_due": chinese_date(case.promised_due),
        "statutory_due": chinese_date(case.statutory_due),
        "delivery_due": chinese_date(case.delivery_due),
        "deficiency_due": chinese_date(case.deficiency_due),
        "decided_on": chinese_date(case.decided_at),
        "acceptance_mode": case.acceptance_mode,
        "acceptance_mode_label": case.get_acceptance_mode_display() if case.acceptance_mode else "",
        "materials": [{"name": m.name, "state": m.get_state_display()} for m in case.materials.all()],
        "progress_url": progress_url(case),
        "review_days": REVIEW_DAYS,
        "litigation_months": LITIGATION_MONTHS,
        "remedy": base_context_remedy(),
    }


def kind_context(case: Case, kind: str, extra: Mapping[str, Any]) -> dict[str, Any]:
    """What the kind needs, read from the case and its latest related rows (the caller may override)."""
    ctx: dict[str, Any] = {}
    if kind == DocumentKind.REJECTION:
        reasons = extra.get("reasons", case.rejection_reasons) or []
        if isinstance(reasons, str):
            reasons = [reasons]
        ctx["reasons"] = [t for t in (_reason_text(r) for r in reasons) if t]
        ctx["reason_text"] = extra.get("text", case.decision_reason)
        ctx["legal_basis"] = extra.get("legal_basis", case.decision_legal_basis)
    elif kind == DocumentKind.SUPPLEMENT:
        request = case.supplement_requests.order_by("-round", "-pk").first()
        names = {m.pk: m.name for m in case.materials.all()}
        items = []
        for item in (request.items if request else []) or []:
            name = item.get("name") or names.get(item.get("material_id"), "")
            items.append({"name": name, "reason": item.get("reason", "")})
        ctx["supplement_items"] = items
        ctx["supplement_note"] = request.note if request else ""
        ctx["supplement_round"] = request.round if request else 0
        ctx["supplement_late"] = bool(request and request.late)
    elif kind == DocumentKind.DEFICIENCY:
        given = extra.get("deferred")
        rows: list[tuple[str, dt.date | None]]
        if isinstance(given, Mapping):  # {material_id: date}, as case_accept_with_deficiency takes it
            names = {m.pk: m.name for m in case.materials.all()}
            rows = [(names.get(int(k), str(k)), v) for k, v in given.items()]
        else:
            rows = [
                (m.name, m.deferred_until)
                for m in case.materials.all()
                if m.state == MaterialState.DEFERRED or (m.deferred_until and m.supplied_at is None)
            ]
        ctx["deferred"] = [{"name": name, "until": chinese_date(until)} for name, until in rows]
        due = case.deficiency_due or max((until for _, until in rows if until), default=None)
        ctx["deficiency_due"] = chinese_date(due)
        ctx["commitment_signed"] = bool(extra.get("commitment_signed", True))
    elif kind == DocumentKind.SUSPENSION:
        suspension = case.suspensions.filter(ended_at__isnull=True).order_by("-started_at").first()
        suspension = suspension or case.suspensions.order_by("-started_at").first()
        ctx["suspension_kind"] = suspension.get_kind_display() if suspension else ""
        ctx["suspension_reason"] = suspension.reason if suspension else ""
        ctx["expected_workdays"] = suspension.expected_workdays if suspension else ""
        ctx["suspension_started_on"] = chinese_date(suspension.started_on) if suspension else ""
    elif kind == DocumentKind.EXTENSION:
        extension = case.extensions.filter(status=ExtensionStatus.APPROVED).order_by("-requested_at").first()
        extension = extension or case.extensions.order_by("-requested_at").first()
        ctx["extension_reason"] = extension.reason if extension else ""
        ctx["extension_workdays"] = extension.workdays if extension else 10
        ctx["new_due"] = chinese_date(case.promised_due)
    elif kind in (DocumentKind.GRANT, DocumentKind.DENIAL):
        ctx["decision_reason"] = case.decision_reason
        ctx["legal_basis"] = case.decision_legal_basis
    elif kind == DocumentKind.TERMINATION:
        code = str(extra.get("reason") or case.termination_reason or "")
        labels = dict(TerminationReason.choices)
        ctx["termination_reason"] = str(labels.get(code, code))
        ctx["termination_text"] = extra.get("text", "")
    elif kind == DocumentKind.ACCEPTANCE:
        mode = str(extra.get("mode") or case.acceptance_mode or "")
        ctx["acceptance_mode"] = mode
        ctx["acceptance_mode_label"] = str(dict(AcceptanceMode.choices).get(mode, ""))
    return ctx


def build_context(
    case: Case,
    kind: str,
    *,
    document_number: str,
    issued_on: dt.date,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    extra = dict(extra or {})
    ctx = base_context(case, document_number=document_number, issued_on=issued_on)
    ctx.update(kind_context(case, kind, extra))
    # kind_context already read these. The remedy sentence (复议 and 诉讼) always stays: a caller's
    # remedy that states both replaces it, anything else (e.g. the review body) follows as remedy_note.
    normalised = {"reasons", "deferred", "commitment_signed", "remedy", "reason", "mode"}
    ctx.update({key: _formatted(value) for key, value in extra.items() if key not in normalised})
    given = str(extra.get("remedy") or "").strip()
    if "复议" in given and "诉讼" in given:  # a complete statement of both remedies replaces ours
        ctx["remedy"], ctx["remedy_note"] = given, ""
    else:
        ctx["remedy_note"] = given
    return ctx


def base_context_remedy() -> str:
    return REMEDY.format(review_days=REVIEW_DAYS, litigation_months=LITIGATION_MONTHS)


def sample_context(kind: str) -> dict[str, Any]:
    """Every key with a made-up value: the admin validates and previews templates with it."""
    ctx: dict[str, Any] = {
        "department": "示范市市场监督管理局",
        "department_short": "示范市市场监管局",
        "case_number": "11449900MB0000000X40001000101000120250926" + "0001",
        "document_number": "示范市市场监管局受〔2025〕0001号",
        "query_code": "AB23CD",
        "applicant_name": "林示范",
        "applicant_id": mask_id_number("440106199001011234"),
        "applicant_kind": "自然人",
        "contact_name": "",
        "item_name": "食品经营许可",
        "item_code": "11449900MB0000000X400010001010001",
        "channel": "网上申请",
        "issued_on": "2025年9月26日",
        "submitted_on": "2025年9月26日",
        "accepted_on": "2025年9月26日",
        "acceptance_due": "2025年10月13日",
        "promised_due": "2025年10月24日",
        "statutory_due": "2025年11月7日",
        "delivery_due": "2025年11月4日",
        "deficiency_due": "2025年10月17日",
        "decided_on": "2025年10月10日",
        "acceptance_mode": "normal",
        "acceptance_mode_label": "一般受理",
        "materials": [
            {"name": "营业执照", "state": "已提交"},
            {"name": "经营场所使用证明", "state": "已提交"},
        ],
        "progress_url": public_base_url() + "/cases/progress/?number=…&code=AB23CD",
        "review_days": REVIEW_DAYS,
        "litigation_months": LITIGATION_MONTHS,
        "remedy": base_context_remedy(),
        "remedy_note": "",
        # every kind's keys, so a template may use any of them
        "reasons": ["申请事项不属于本机关职权范围"],
        "reason_text": "",
        "legal_basis": "《中华人民共和国行政许可法》第三十二条",
        "supplement_items": [{"name": "经营场所使用证明", "reason": "租赁合同已过期，请提供有效期内的合同"}],
        "supplement_note": "",
        "supplement_round": 1,
        "supplement_late": False,
        "deferred": [{"name": "经营场所使用证明", "until": "2025年10月17日"}],
        "commitment_signed": True,
        "suspension_kind": "现场核查",
        "suspension_reason": "需对经营场所进行现场核查",
        "expected_workdays": 5,
        "suspension_started_on": "2025年9月29日",
        "extension_reason": "需要征求相关部门意见",
        "extension_workdays": 10,
        "new_due": "2025年11月7日",
        "decision_reason": "申请符合法定条件、标准",
        "termination_reason": "容缺材料逾期未补齐",
        "termination_text": "",
    }
    if kind == DocumentKind.DENIAL:
        ctx["decision_reason"] = "经营场所与食品经营品种不相适应"
    return ctx
