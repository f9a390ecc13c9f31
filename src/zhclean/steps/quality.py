"""Record quality signals in `meta` (share of Chinese, length, repetition, garble)."""

from __future__ import annotations

from ..document import Document


class Quality:
    """Record quality signals in `meta` (share of Chinese, length, repetition, garble). (not yet implemented: passes the document through.)"""

    name = "quality"

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, doc: Document) -> None:
        return None
