"""The Document that flows through the pipeline, and the records of what changed in it."""

from __future__ import annotations

import bisect
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
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

    def __init__(self, old_starts: list[int], old_ends: list[int], sizes: list[int]) -> None:
        """One map from the replaced spans (ascending, disjoint) and the lengths of their new texts."""
        self.old_starts = old_starts
        self.old_ends = old_ends
        self.sizes = sizes

    @cached_property
    def new_starts_and_ends(self) -> tuple[list[int], list[int]]:
        """Where each replacement's new text starts and ends in the text after the step.

        Built on first use only: the maps of the last steps are seldom asked for a position.
        """
        # the shift of each replacement's start: the length change of all replacements before it
        changes = [n - (e - s) for n, s, e in zip(self.sizes, self.old_starts, self.old_ends, strict=True)]
        shifts = accumulate(changes, initial=0)  # one more than needed: zip stops at the starts' end
        new_starts = [s + d for s, d in zip(self.old_starts, shifts, strict=False)]
        new_ends = [s + n for s, n in zip(new_starts, self.sizes, strict=True)]
        return new_starts, new_ends

    def back(self, pos: int) -> int:
        """The position before the step of position `pos` after it."""
        old_starts, old_ends = self.old_starts, self.old_ends
        new_starts, new_ends = self.new_starts_and_ends
        i = bisect.bisect_right(new_starts, pos) - 1
        if i < 0:
            return pos
        if pos < new_ends[i]:
            return old_starts[i]
        return old_ends[i] + (pos - new_ends[i])

    def back_sorted(self, positions: list[int]) -> list[int]:
        """`back` of each of `positions` (ascending).

        Positions are taken a group at a time: those after the same replacement all shift by the same
        amount, so the Python-level work is per replacement that has positions after it, not per position.
        """
        old_starts, old_ends = self.old_starts, self.old_ends
        new_starts, new_ends = self.new_starts_and_ends
        n, total = len(new_starts), len(positions)
        out: list[int] = []
        k = 0
        while k < total:
            i = bisect.bisect_right(new_starts, positions[k]) - 1
            if i < 0:  # before the first replacement: unchanged
                group_end = bisect.bisect_left(positions, new_starts[0], k)
                out += positions[k:group_end]
                k = group_end
                continue
            group_end = bisect.bisect_left(positions, new_starts[i + 1], k) if i + 1 < n else total
            inside = bisect.bisect_left(positions, new_ends[i], k, group_end)
            out += [old_starts[i]] * (inside - k)  # inside the replacement's new text
            shift = old_ends[i] - new_ends[i]
            out += [p + shift for p in positions[inside:group_end]] if shift else positions[inside:group_end]
            k = group_end
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
        last = 0
        kept: list[Replacement] = []
        for r in reps:
            start, end = r[0], r[1]
            if start < last or end < start or end > size:
                raise ValueError(f"{step}: overlapping or out-of-range replacement {r}")
            if text[start:end] != r[2]:  # a replacement that changes nothing is dropped
                kept.append(r)
                last = end
        if not kept:
            return
        starts = [r[0] for r in kept]
        offsets = self.input_offsets(starts)
        out: list[str] = []
        last = 0
        for (start, end, new, kind, reason, line_removal), offset in zip(kept, offsets, strict=True):
            before = text[start:end]
            if line_removal:
                self.removed.append(Removal(step, kind, before.strip("\n"), reason, offset))
            else:
                self.edits.append(Edit(step, kind, before, new, offset, reason))
            out += (text[last:start], new)
            last = end
        out.append(text[last:])
        self.text = "".join(out)
        self._maps.append(_OffsetMap(starts, [r[1] for r in kept], [len(r[2]) for r in kept]))

    def apply_runs(self, step: str, kind: str, new_text: str, starts: list[int], ends: list[int]) -> None:
        """Make `new_text`, as long as the text, the text; record each changed run [start, end) as an edit.

        What `apply` does with one Replacement per run, without building them (a conversion changes many
        short runs). The runs must be ascending and disjoint, and hold every character that changes.
        """
        text = self.text
        if len(new_text) != len(text):
            raise ValueError(f"{step}: apply_runs needs a text of the same length")
        if not starts:
            return
        offsets = self.input_offsets(starts)
        self.edits += [
            Edit(step, kind, text[s:e], new_text[s:e], offset)
            for s, e, offset in zip(starts, ends, offsets, strict=True)
        ]
        self.text = new_text
        self._maps.append(_OffsetMap(starts, ends, [e - s for s, e in zip(starts, ends, strict=True)]))

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
