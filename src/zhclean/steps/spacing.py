"""Remove a space that splits a Chinese word: `發 展` -> `發展`."""

from __future__ import annotations

from ..document import Document


class CjkSpacing:
    """Remove a space that splits a Chinese word: `發 展` -> `發展`. (not yet implemented: passes the document through.)"""

    name = "spacing"

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, doc: Document) -> None:
        return None
