"""The Document that flows through the pipeline, and the records of what changed in it."""

from __future__ import annotations

import bisect
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate
from typing import Any, NamedTuple


class Replacement(NamedTuple):
    """One change a step wants: text[start:end] becomes `new` (offsets in the text the step saw).

    Immutable; a named tuple rather than a frozen dataclass because steps make many (one per changed
    run of characters) and a tuple is built about twice as fast."""

    start: int
    end: int
    new: str
    kind: str
    reason: str = ""
    line_removal: bool = False


_START_END = operator.attrgetter("start", "end")


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
        self.old_starts = [r.start for r in replacements]
        self.old_ends = [r.end for r in replacements]
        sizes = [len(r.new) for r in replacements]
        # the shift of each replacement's start: the length change of all replacements before it
        changes = [n - (e - s) for n, s, e in zip(sizes, self.old_starts, self.old_ends, strict=True)]
        shifts = accumulate(changes, initial=0)  # one more than needed: zip stops at the starts' end
        self.new_starts = [s + d for s, d in zip(self.old_starts, shifts, strict=False)]
        self.new_ends = [s + n for s, n in zip(self.new_starts, sizes, strict=True)]

    def back(self, pos: int) -> int:
        i = bisect.bisect_right(self.new_starts, pos) - 1
        if i < 0:
            return pos
        if pos < self.new_ends[i]:
            return self.old_starts[i]
        return self.old_ends[i] + (pos - self.new_ends[i])

    def back_sorted(self, positions: list[int]) -> list[int]:
        """`back` of each of `positions` (ascending), in one merge-like pass."""
        new_starts, new_ends, old_starts, old_ends = (
            self.new_starts,
            self.new_ends,
            self.old_starts,
            self.old_ends,
        )
        n = len(new_starts)
        i = -1
        out = []
        for pos in positions:
            while i + 1 < n and new_starts[i + 1] <= pos:
                i += 1
            if i < 0:
                out.append(pos)
            elif pos < new_ends[i]:
                out.append(old_starts[i])
            else:
                out.append(old_ends[i] + (pos - new_ends[i]))
        return out


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

    def input_offsets(self, positions: list[int]) -> list[int]:
        """`input_offset` of each of `positions`, which must be in ascending order."""
        for m in reversed(self._maps):
            positions = m.back_sorted(positions)
        return positions

    def apply(self, step: str, replacements: Iterable[Replacement]) -> None:
        """Apply non-overlapping replacements to the text and record each as an edit or removal."""
        reps = sorted(replacements, key=_START_END)
        if not reps:
            return
        text = self.text
        size = len(text)
        out: list[str] = []
        last = 0
        kept: list[Replacement] = []
        for r in reps:
            start, end, new = r[:3]
            if start < last or end < start or end > size:
                raise ValueError(f"{step}: overlapping or out-of-range replacement {r}")
            if text[start:end] == new:
                continue
            out.append(text[last:start])
            out.append(new)
            last = end
            kept.append(r)
        if not kept:
            return
        offsets = self.input_offsets([r[0] for r in kept])
        for (start, end, new, kind, reason, line_removal), offset in zip(kept, offsets, strict=True):
            if line_removal:
                self.removed.append(Removal(step, kind, text[start:end].strip("\n"), reason, offset))
            else:
                self.edits.append(Edit(step, kind, text[start:end], new, offset, reason))
        out.append(text[last:])
        self.text = "".join(out)
        self._maps.append(_OffsetMap(kept))

    def apply_and_return(self, step: str, replacements: Iterable[Replacement]) -> str:
        """Apply replacements and return the new text (for pure str -> str use)."""
        self.apply(step, replacements)
        return self.text

    def flag(self, kind: str, start: int, end: int, **info: Any) -> None:
        """Record a span of the current text that a step noticed but did not (or could not) fix."""
        self.flags.append({"kind": kind, "offset": self.input_offset(start), "length": end - start, **info})

    def to_record(self) -> dict[str, Any]:
        """The JSON-ready output record of this document."""
        record: dict[str, Any] = dict(self.extra)
        record.update(
            {
                "id": self.id,
                "text": self.text,
                "meta": self.meta,
                "edits": [
                    {
                        "step": e.step,
                        "kind": e.kind,
                        "before": e.before,
                        "after": e.after,
                        "offset": e.offset,
                        "reason": e.reason,
                    }
                    for e in self.edits
                ],
                "removed": [
                    {"step": r.step, "kind": r.kind, "line": r.line, "reason": r.reason, "offset": r.offset}
                    for r in self.removed
                ],
                "flags": self.flags,
            }
        )
        return record
