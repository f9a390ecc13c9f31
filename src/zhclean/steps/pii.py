"""Redact personal data: phone numbers, e-mail, ID, QQ and bank card numbers."""

from __future__ import annotations

from ..document import Document


class Pii:
    """Redact personal data: phone numbers, e-mail, ID, QQ and bank card numbers. (not yet implemented: passes the document through.)"""

    name = "pii"

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, doc: Document) -> None:
        return None
