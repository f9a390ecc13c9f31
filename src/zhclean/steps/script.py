"""Detect the document's script and convert to simplified or traditional with OpenCC."""

from __future__ import annotations

from ..document import Document


class Script:
    """Detect the document's script and convert to simplified or traditional with OpenCC. (not yet implemented: passes the document through.)"""

    name = "script"

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, doc: Document) -> None:
        return None
