"""Administrator-edited texts: used when present, checked on save, and never the cause of a 500."""

from __future__ import annotations

import logging

import pytest

from zhengwu.cases.documents import document_issue
from zhengwu.cases.documents.context import sample_context
from zhengwu.cases.documents.defaults import DEFAULTS
from zhengwu.cases.documents.rendering import PdfContent, TemplateProblem, check_template, render_pdf, wrap
from zhengwu.cases.documents.services import template_restore_default, templates_seed
from zhengwu.cases.models import Case, DocumentKind, DocumentTemplate
from zhengwu.core.access.actor import Actor

from .conftest import flat, pdf_text, stored_bytes
from .test_documents import ISSUED


def _text(case: Case, clerk: Actor, kind: str = DocumentKind.ACCEPTANCE) -> str:
    document = document_issue(case=case, kind=kind, actor=clerk, at=ISSUED)
    return flat(pdf_text(stored_bytes(document)))


def test_an_edited_template_is_used(case: Case, clerk: Actor) -> None:
    DocumentTemplate.objects.create(
        kind=DocumentKind.ACCEPTANCE,
        title="受理通知书（试行）",
        body="{{ applicant_name }}：\n\n经复核，贵方申请的{{ item_name }}已于{{ accepted_on }}受理，"
        "请留意短信。",
    )
    text = _text(case, clerk)
    assert "受理通知书（试行）" in text
    assert "经复核，贵方申请的" in text and "请留意短信" in text
    assert "予以受理" not in text  # the default wording is not used
    assert case.documents.get().title == "受理通知书（试行）"


@pytest.mark.parametrize(
    "body",
    [
        "{% if %}坏模板",  # syntax error
        "{% for a, b, c in materials %}{{ a }}{% endfor %}",  # fails only while rendering
        "{% include 'secrets.txt' %}",  # a forbidden tag
    ],
)
def test_a_broken_template_falls_back_to_the_default_with_a_logged_error(
    case: Case, clerk: Actor, body: str, caplog: pytest.LogCaptureFixture
) -> None:
    DocumentTemplate.objects.create(kind=DocumentKind.ACCEPTANCE, title="受理通知书", body=body)
    with caplog.at_level(logging.ERROR, logger="zhengwu.cases.documents"):
        text = _text(case, clerk)
    assert "予以受理" in text and case.number in text
    assert any("acceptance" in r.getMessage() and r.levelno == logging.ERROR for r in caplog.records)


def test_templates_are_plain_text_and_cannot_reach_models(case: Case, clerk: Actor) -> None:
    DocumentTemplate.objects.create(
        kind=DocumentKind.RECEIPT,
        title="收件凭证",
        body="{{ applicant_name }}<b>&</b>[{{ case.applicant_user.password }}][{% debug %}]",
    )
    text = _text(case, clerk, DocumentKind.RECEIPT)
    assert "不表示申请已被受理" in text  # {% debug %} is refused, so the default text is used
    DocumentTemplate.objects.filter(kind=DocumentKind.RECEIPT).update(
        body="{{ applicant_name }}<b>&</b>[{{ case.applicant_user.password }}]"
    )
    text = _text(case, clerk, DocumentKind.RECEIPT)
    assert "林示范<b>&</b>[]" in text  # not HTML-escaped; no model object in the context


@pytest.mark.parametrize("kind", DocumentKind.values)
def test_every_default_renders_with_the_sample_context(kind: str) -> None:
    rendered = check_template(DEFAULTS[kind].body, sample_context(kind))
    assert "林示范" in rendered and "{{" not in rendered and "{%" not in rendered


def test_check_template_names_the_problem() -> None:
    with pytest.raises(TemplateProblem, match="模板语法错误"):
        check_template("{% for %}", {})
    with pytest.raises(TemplateProblem, match="模板渲染失败"):
        check_template("{% widthratio 1 2 'x' %}", {})


def test_restore_default_and_seed(demo_org: None, clerk: Actor) -> None:
    DocumentTemplate.objects.create(kind=DocumentKind.GRANT, title="改过的", body="改过的正文")
    assert templates_seed(actor=clerk) == len(DocumentKind.values) - 1
    assert DocumentTemplate.objects.get(kind=DocumentKind.GRANT).body == "改过的正文"  # seeding keeps edits
    row = template_restore_default(actor=clerk, kind=DocumentKind.GRANT)
    assert (row.title, row.body) == (DEFAULTS[DocumentKind.GRANT].title, DEFAULTS[DocumentKind.GRANT].body)
    assert templates_seed(actor=clerk) == 0


def test_wrap_keeps_numbers_whole_and_punctuation_off_the_line_start() -> None:
    lines = wrap("办件编号：" + "1" * 40 + "，" + "测试" * 60, size=12, width=300)
    assert any("1" * 40 in line for line, _ in lines)
    assert all(not line.startswith(("，", "。")) for line, _ in lines)
    assert "".join(line for line, _ in lines) == "办件编号：" + "1" * 40 + "，" + "测试" * 60


def test_a_long_body_flows_onto_more_pages() -> None:
    body = "\n".join(f"- 第{i}项材料：需要补正的理由写在这里，理由可能很长很长很长。" for i in range(1, 80))
    content = render_pdf(
        PdfContent(
            department="示范市市场监督管理局",
            title="补正材料告知书",
            document_number="示范市市场监管局补〔2025〕0001号",
            case_number="X20250926",
            item_name="食品经营许可",
            applicant="林示范（4401**********1234）",
            body=body,
            issued_on="2025年9月26日",
            qr_url="/cases/progress/?number=X&code=Y",
            query_code="Y",
        )
    )
    text = pdf_text(content)
    assert text.count("\f") >= 2  # page breaks
    assert "第79项材料" in text and "（印章）" in text


def test_characters_the_font_cannot_print_become_a_box_not_a_wrong_character() -> None:
    content = render_pdf(
        PdfContent(
            department="示范市市场监督管理局",
            title="受理通知书",
            document_number="示范市市场监管局受〔2025〕0001号",
            case_number="X20250926",
            item_name="食品经营许可",
            applicant="\U0002000b先生（4401**********1234）",
            body="\U0002000b先生：\x00\n\n正文😀结束\t。",
            issued_on="2025年9月26日",
            qr_url="/cases/progress/?number=X&code=Y",
            query_code="Y",
        )
    )
    text = flat(pdf_text(content))
    assert "□先生：" in text and "正文□结束" in text
