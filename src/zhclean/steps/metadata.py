"""Move title, date, source and author lines and inline bylines from the body into `meta`."""

from __future__ import annotations

from ..document import Document


class Metadata:
    """Move title, date, source and author lines and inline bylines from the body into `meta`. (not yet implemented: passes the document through.)"""

    name = "metadata"

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, doc: Document) -> None:
        return None
