"""Repair byte-level GBK damage: ruby straddle units (`奮勇?tīng)?zhēng)先`) and one-byte desync runs."""

from __future__ import annotations

from ..document import Document


class GbkDamageRepair:
    """Repair byte-level GBK damage: ruby straddle units (`奮勇?tīng)?zhēng)先`) and one-byte desync runs. (not yet implemented: passes the document through.)"""

    name = "gbk_damage"

    def __init__(self, **options: object) -> None:
        self.options = options

    def __call__(self, doc: Document) -> None:
        return None
