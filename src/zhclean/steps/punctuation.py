"""ASCII `, : ; ( ) ! ?` in Chinese text become full-width `，：；（）！？`."""

from __future__ import annotations

from ..document import Document


class Punctuation:
    """ASCII `, : ; ( ) ! ?` in Chinese text become full-width `，：；（）！？`. (not yet implemented: passes the document through.)"""

    name = "punctuation"

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, doc: Document) -> None:
        return None
