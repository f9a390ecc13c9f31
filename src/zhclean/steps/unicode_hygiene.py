"""Remove invisible, control and private-use characters; fix Latin-script mojibake with ftfy (CJK-safe)."""

from __future__ import annotations

from ..document import Document


class UnicodeHygiene:
    """Remove invisible, control and private-use characters; fix Latin-script mojibake with ftfy (CJK-safe). (not yet implemented: passes the document through.)"""

    name = "unicode"

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, doc: Document) -> None:
        return None
