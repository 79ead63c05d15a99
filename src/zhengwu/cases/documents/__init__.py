"""The official documents of a case (收件凭证, 受理通知书, … 准予/不予许可决定书) as PDF files.

    from zhengwu.cases.documents import document_issue
    document_issue(case=case, kind=DocumentKind.ACCEPTANCE, actor=actor)

Texts: DocumentTemplate rows (admin), defaults in documents/defaults.py (the context is documented there).
"""

from .services import document_issue, template_for

__all__ = ["document_issue", "template_for"]
