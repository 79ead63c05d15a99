"""Chinese text in reportlab PDFs: the built-in STSong-Light CID font (no system font file needed).

Shared by every app that prints (case documents, the catalogue's demo forms, statistics bulletins).
"""

from __future__ import annotations

CJK_FONT = "STSong-Light"


def cjk_font() -> str:
    """Register the CJK font once per process and return its name."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if CJK_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CJK_FONT))
    return CJK_FONT
