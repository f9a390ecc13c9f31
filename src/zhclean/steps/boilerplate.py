"""Remove page furniture lines: navigation, share prompts, copyright, ICP, contact lines."""

from __future__ import annotations

from ..document import Document


class Boilerplate:
    """Remove page furniture lines: navigation, share prompts, copyright, ICP, contact lines. (not yet implemented: passes the document through.)"""

    name = "boilerplate"

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, doc: Document) -> None:
        return None
