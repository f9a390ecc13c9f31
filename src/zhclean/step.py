"""What a pipeline step is: a callable that changes a Document, and the Repair base for text fixes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from .document import Document, Replacement


class Step(Protocol):
    """A pipeline step: reads and changes one Document in place."""

    name: str

    def __call__(self, doc: Document) -> None: ...


class Repair:
    """A text repair: `find` proposes replacements, `fix` is the pure str -> str form of the same repair."""

    name = "repair"

    def find(self, text: str) -> Iterable[Replacement]:
        raise NotImplementedError

    def fix(self, text: str) -> str:
        """Return `text` with this repair applied (no records kept)."""
        return Document(text).apply_and_return(self.name, self.find(text))

    def __call__(self, doc: Document) -> None:
        doc.apply(self.name, self.find(doc.text))
