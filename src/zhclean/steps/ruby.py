"""Remove flattened ruby pinyin: `調(diào)研` -> `調研`."""

from __future__ import annotations

from ..document import Document


class RubyPinyin:
    """Remove flattened ruby pinyin: `調(diào)研` -> `調研`. (not yet implemented: passes the document through.)"""

    name = "ruby"

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, doc: Document) -> None:
        return None
