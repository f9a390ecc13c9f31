"""Remove HTML tags, orphan tag fragments like `/p>`, and unescape entities."""

from __future__ import annotations

from ..document import Document


class HtmlRemnants:
    """Remove HTML tags, orphan tag fragments like `/p>`, and unescape entities. (not yet implemented: passes the document through.)"""

    name = "html"

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, doc: Document) -> None:
        return None
