"""Repair whole-text wrong-codec mojibake (UTF-8 read as GBK, GBK read as Latin-1, Big5/GBK swaps)."""

from __future__ import annotations

from ..document import Document


class WrongCodecRepair:
    """Repair whole-text wrong-codec mojibake (UTF-8 read as GBK, GBK read as Latin-1, Big5/GBK swaps). (not yet implemented: passes the document through.)"""

    name = "codec"

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, doc: Document) -> None:
        return None
