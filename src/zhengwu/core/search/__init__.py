"""Chinese full-text search: one `segment()` shared by indexing and querying.

The index itself lives in `services` (writes) and `selectors` (`search_documents`); both engines
(SQLite FTS5, PostgreSQL tsvector) see text that was already cut into words here, so they only have
to split on spaces and the two give the same matches.
"""

from __future__ import annotations

import re
import unicodedata

import rjieba

# Runs of letters and digits. Underscores and every punctuation mark split a token, so a token
# never contains a character that either engine's own tokenizer would split on again.
_WORD = re.compile(r"[^\W_]+")


def segment(text: str) -> list[str]:
    """Cut text into search words (jieba search mode), lowercased, without punctuation or spaces.

    Search mode also yields the shorter words inside long ones, so "食品经营许可证" gives
    食品, 经营, 许可, 许可证; order follows the text, repeats are kept (they weigh in ranking).
    """
    if not text:
        return []
    # NFKC folds full-width Latin and digits (ＡＢＣ１２３) into their ASCII forms.
    normalized = unicodedata.normalize("NFKC", text).lower()
    tokens: list[str] = []
    for piece in rjieba.cut_for_search(normalized):
        tokens.extend(_WORD.findall(piece))
    return tokens
