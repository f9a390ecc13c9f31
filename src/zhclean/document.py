"""The Document that flows through the pipeline, and the records of what changed in it."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Replacement:
    """One change a step wants: text[start:end] becomes `new` (offsets in the text the step saw)."""

    start: int
    end: int
    new: str
    kind: str
    reason: str = ""
    line_removal: bool = False


@dataclass
class Edit:
    """A recorded repair: which step, what kind, the text before and after, and its offset in the input."""

    step: str
    kind: str
    before: str
    after: str
    offset: int
    reason: str = ""


@dataclass
class Removal:
    """A recorded removal of a whole line: the line, why it went, and its offset in the input."""

    step: str
    kind: str
    line: str
    reason: str
    offset: int


class _OffsetMap:
    """Maps positions in the text after one step back to positions in the text before it."""

    def __init__(self, replacements: list[Replacement]) -> None:
        self.new_starts: list[int] = []
        self.new_ends: list[int] = []
        self.old_starts: list[int] = []
        self.old_ends: list[int] = []
        delta = 0
        for r in replacements:
            start = r.start + delta
            self.new_starts.append(start)
            self.new_ends.append(start + len(r.new))
            self.old_starts.append(r.start)
            self.old_ends.append(r.end)
            delta += len(r.new) - (r.end - r.start)

    def back(self, pos: int) -> int:
        i = bisect.bisect_right(self.new_starts, pos) - 1
        if i < 0:
            return pos
        if pos < self.new_ends[i]:
            return self.old_starts[i]
        return self.old_ends[i] + (pos - self.new_ends[i])


@dataclass
class Document:
    """A text with its id, metadata, and the full record of what the pipeline did to it."""

    text: str
    id: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    edits: list[Edit] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    _maps: list[_OffsetMap] = field(default_factory=list, repr=False)

    def input_offset(self, pos: int) -> int:
        """Position in the original input of position `pos` in the current text."""
        for m in reversed(self._maps):
            pos = m.back(pos)
        return pos

    def apply(self, step: str, replacements: Iterable[Replacement]) -> None:
        """Apply non-overlapping replacements to the text and record each as an edit or removal."""
        reps = sorted(replacements, key=lambda r: (r.start, r.end))
        if not reps:
            return
        text = self.text
        out: list[str] = []
        last = 0
        kept: list[Replacement] = []
        for r in reps:
            if r.start < last or r.end < r.start or r.end > len(text):
                raise ValueError(f"{step}: overlapping or out-of-range replacement {r}")
            if text[r.start : r.end] == r.new:
                continue
            out.append(text[last : r.start])
            out.append(r.new)
            last = r.end
            kept.append(r)
            before = text[r.start : r.end]
            offset = self.input_offset(r.start)
            if r.line_removal:
                self.removed.append(Removal(step, r.kind, before.strip("\n"), r.reason, offset))
            else:
                self.edits.append(Edit(step, r.kind, before, r.new, offset, r.reason))
        if not kept:
            return
        out.append(text[last:])
        self.text = "".join(out)
        self._maps.append(_OffsetMap(kept))

    def apply_and_return(self, step: str, replacements: Iterable[Replacement]) -> str:
        """Apply replacements and return the new text (for pure str -> str use)."""
        self.apply(step, replacements)
        return self.text

    def flag(self, kind: str, start: int, end: int, **info: Any) -> None:
        """Record a span of the current text that a step noticed but did not (or could not) fix."""
        self.flags.append(
            {"kind": kind, "offset": self.input_offset(start), "length": end - start, **info}
        )

    def to_record(self) -> dict[str, Any]:
        """The JSON-ready output record of this document."""
        record: dict[str, Any] = dict(self.extra)
        record.update(
            {
                "id": self.id,
                "text": self.text,
                "meta": self.meta,
                "edits": [asdict(e) for e in self.edits],
                "removed": [asdict(r) for r in self.removed],
                "flags": self.flags,
            }
        )
        return record
