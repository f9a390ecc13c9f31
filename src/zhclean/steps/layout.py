"""Strip indentation and blank lines; split paragraphs the page collapsed into one line."""

from __future__ import annotations

from ..document import Document


class Layout:
    """Strip indentation and blank lines; split paragraphs the page collapsed into one line. (not yet implemented: passes the document through.)"""

    name = "layout"

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, doc: Document) -> None:
        return None
