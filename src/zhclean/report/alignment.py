"""Rebuild a document's original text from its output record and line it up with the cleaned text.

An output record keeps the cleaned `text` and every change: `edits` (`offset` in the input, `before`,
`after`) and `removed` lines (`offset`, `line`). Undoing the changes from the last step to the first
gives the input back, so the report needs no copy of the input:

>>> rec = {"text": "调研。", "edits": [
...     {"step": "ruby", "kind": "ruby", "before": "(diào)", "after": "", "offset": 1},
...     {"step": "script", "kind": "t2s", "before": "調", "after": "调", "offset": 0}]}
>>> align(rec).original
'調(diào)研。'

Offsets are in the input, so an edit made inside the output of an earlier edit points at the start of
that earlier edit; such an edit is found by looking for its `after` text inside the earlier output.
A removed line is recorded without the line break it took (the one after it, or, for the last lines
of a text, the one before it, with `offset` at the line itself): the break is guessed from the text
around it, and where later-undone edits then do not fit, the other ways are tried. `exact` is False
when some `after` text is still not where the record says (e.g. redacted personal data, whose `before`
is not the input text).
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any


@dataclass
class Change:
    """One recorded edit or line removal, in the order the pipeline made it."""

    step: str
    kind: str
    reason: str
    before: str
    after: str
    offset: int
    removal: bool = False
    line: str = ""  # a removal's line as recorded (without the line break it may have taken)
    guess: bool = True  # a removal whose line break is guessed from the text around it
    back: int = 0  # a removal that started this far before its recorded offset
    pos: int = 0  # start in the text the step saw (estimated, then settled by `align`)
    window: int = 0  # how far past `pos` the start may really be
    shift: int = 0  # where in its window a deletion (nothing to look for) is put back


@dataclass
class Hunk:
    """A span that differs: original[orig_start:orig_end] became text[text_start:text_end]."""

    orig_start: int
    orig_end: int
    text_start: int
    text_end: int
    changes: list[int] = field(default_factory=list)


@dataclass
class Alignment:
    """The original and cleaned text of one document, the changes, and the spans where they differ."""

    original: str
    text: str
    changes: list[Change]
    hunks: list[Hunk]
    exact: bool


@lru_cache(maxsize=1)
def default_step_order() -> dict[str, int]:
    """Rank of each step name in the bundled default pipeline (the order changes were made in)."""
    from ..pipeline import load_config

    return {t.get("name", ""): i for i, t in enumerate(load_config().get("step", []))}


def _changes(record: dict[str, Any]) -> list[list[Change]]:
    """The record's edits and removals as groups, one per `apply` call, in pipeline order."""
    items: list[Change] = [
        Change(
            e.get("step", ""), e.get("kind", ""), e.get("reason", ""), e["before"], e["after"], e["offset"]
        )
        for e in record.get("edits") or []
    ]
    items += [
        Change(
            r.get("step", ""),
            r.get("kind", ""),
            r.get("reason", ""),
            r["line"] + "\n",
            "",
            r["offset"],
            True,
            r["line"],
        )
        for r in record.get("removed") or []
    ]
    order = default_step_order()
    first_seen: dict[str, int] = {}
    for c in items:
        first_seen.setdefault(c.step, len(first_seen))
    items.sort(key=lambda c: (order.get(c.step, len(order)), first_seen[c.step], c.offset))
    groups: list[list[Change]] = []
    for c in items:
        last = groups[-1][-1] if groups else None
        if last is None or last.step != c.step or c.offset < last.offset + len(last.before):
            groups.append([])
        groups[-1].append(c)
    return groups


class _Step:
    """Forward position map through one group of changes (positions of the group estimated)."""

    def __init__(self, group: list[Change]) -> None:
        self.starts = [c.pos for c in group]
        self.ends: list[int] = []  # end of each change in the text before the group
        self.new_starts: list[int] = []  # start of its output in the text after the group
        self.new_ends: list[int] = []
        self.windows: list[int] = []  # where in that output a position inside the change may be
        total = 0
        for c in group:
            self.ends.append(c.pos + len(c.before))
            self.new_starts.append(c.pos + total)
            self.new_ends.append(c.pos + total + len(c.after))
            self.windows.append(c.window + len(c.after))
            total += len(c.after) - len(c.before)

    def point(self, p: int, i: int) -> tuple[int, int]:
        """Where position `p` went, given the last change `i` that starts at or before it."""
        if i < 0:
            return p, 0
        if p == self.starts[i] or p < self.ends[i]:
            return self.new_starts[i], self.windows[i]
        return p - self.ends[i] + self.new_ends[i], 0

    def sweep(self, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Map (position, window) pairs sorted by position through this group."""
        out = []
        i, n, starts = -1, len(self.starts), self.starts
        for p, w in spans:
            while i + 1 < n and starts[i + 1] <= p:
                i += 1
            lo, w1 = self.point(p, i)
            if w:
                hi, w2 = self.point(p + w, bisect.bisect_right(starts, p + w) - 1)
                w1 = max(w1, hi + w2 - lo)
            out.append((lo, w1))
        return out


def _estimate(groups: list[list[Change]]) -> None:
    """Give each change an estimated start (and window) in the text its step saw."""
    done: list[_Step] = []
    for group in groups:
        spans = [(c.offset, 0) for c in group]  # a group is sorted by offset
        for step in done:
            spans = step.sweep(spans)
        for c, (p, w) in zip(group, spans, strict=True):
            c.pos, c.window = p, w
        done.append(_Step(group))


def _guess_removal(line: str, text: str, q: int, last: bool) -> tuple[str, int]:
    """The removed line with the line break it most likely took, and how far before `q` it started.

    Steps record a line that took the break before it at the line itself (one past the break).
    """
    if q > len(text):
        return "\n" + line, q - len(text)
    if last and q == len(text) and (q == 0 or text[q - 1] != "\n"):
        return ("\n" if q else "") + line, 0  # the last line, and the text had no final break
    if q == 0 or text[q - 1] == "\n":
        return line + "\n", 0
    return "\n" + line, 0


def _undo(group: list[Change], text: str) -> tuple[str, int]:
    """The text before `group` was applied, given the text after it, and how many changes did not fit."""
    pieces: list[str] = []
    last = 0
    misses = 0
    delta = 0
    for j, c in enumerate(group):
        q = c.pos + delta + (0 if c.after else min(c.shift, c.window))
        if c.removal:
            misses += q > len(text) + 1
            if c.guess:
                c.before, c.back = _guess_removal(c.line, text, q, j == len(group) - 1)
            q -= c.back
        if c.after:
            found = text.find(c.after, q, q + c.window + len(c.after))
            if found < 0:
                misses += 1
            else:
                q = found
        if q < last or q + len(c.after) > len(text):
            misses += 1
            q = max(last, min(q, len(text) - len(c.after)))
        pieces.append(text[last:q])
        pieces.append(c.before)
        last = q + len(c.after)
        c.pos = q - delta
        delta += len(c.after) - len(c.before)
    pieces.append(text[last:])
    return "".join(pieces), misses


def _replay(original: str, groups: list[list[Change]]) -> list[int]:
    """Apply the groups again; each final character's origin: input index, or -(change number + 1)."""
    origins = list(range(len(original)))
    number = 0
    for group in groups:
        out: list[int] = []
        last = 0
        for c in group:
            out.extend(origins[last : c.pos])
            out.extend([-(number + 1)] * len(c.after))
            last = c.pos + len(c.before)
            number += 1
        out.extend(origins[last:])
        origins = out
    return origins


def _hunks(origins: list[int], n_orig: int, n_text: int) -> list[Hunk]:
    hunks: list[Hunk] = []
    prev_o = prev_t = -1
    for t, o in enumerate(origins):
        if o < 0:
            continue
        if o != prev_o + 1 or t != prev_t + 1:
            hunks.append(Hunk(prev_o + 1, o, prev_t + 1, t))
        prev_o, prev_t = o, t
    if prev_o + 1 < n_orig or prev_t + 1 < n_text:
        hunks.append(Hunk(prev_o + 1, n_orig, prev_t + 1, n_text))
    return hunks


def _attach(hunks: list[Hunk], origins: list[int], groups: list[list[Change]]) -> None:
    """List in each hunk the changes that made it."""
    text_starts = [h.text_start for h in hunks]
    orig_starts = [h.orig_start for h in hunks]
    owner: dict[int, set[int]] = {}
    for t, o in enumerate(origins):
        if o < 0:
            owner.setdefault(-o - 1, set()).add(bisect.bisect_right(text_starts, t) - 1)
    number = 0
    for group in groups:
        for c in group:
            if c.before:  # it took something from the input: the hunk around its input offset
                i = bisect.bisect_right(orig_starts, c.offset) - 1
                if i >= 0:
                    owner.setdefault(number, set()).add(i)
            number += 1
    for number, idx in owner.items():
        for i in idx:
            if 0 <= i < len(hunks) and number not in hunks[i].changes:
                hunks[i].changes.append(number)
    for h in hunks:
        h.changes.sort()


def align(record: dict[str, Any]) -> Alignment:
    """Rebuild the original text of `record` and find the spans where it differs from the cleaned text."""
    text = record.get("text") or ""
    groups = _changes(record)
    changes = [c for g in groups for c in g]
    original, misses = _rebuild(text, groups)
    if misses:
        original, misses = _settle_removals(text, groups, changes, misses)
    if misses:
        original, misses = _settle_deletions(text, groups, changes, misses)
    origins = _replay(original, groups)
    exact = misses == 0 and len(origins) == len(text)
    hunks = _hunks(origins, len(original), len(text))
    _attach(hunks, origins, groups)
    return Alignment(original, text, changes, hunks, exact)


def _settle_removals(
    text: str, groups: list[list[Change]], changes: list[Change], misses: int
) -> tuple[str, int]:
    """Where the guessed line breaks of removed lines leave changes that do not fit, try the other ways."""
    original = text
    for c in (c for c in changes if c.removal):
        tries = [(c.line, 0), (c.line + "\n", 0), ("\n" + c.line, 1), ("\n" + c.line, 0)]
        scores = []
        for c.before, c.back in tries:
            c.guess = False
            scores.append(_rebuild(text, groups)[1])
        if min(scores) < misses:
            c.before, c.back = tries[scores.index(min(scores))]
        else:
            c.guess = True
        original, misses = _rebuild(text, groups)
        if not misses:
            break
    return original, misses


def _settle_deletions(
    text: str, groups: list[list[Change]], changes: list[Change], misses: int
) -> tuple[str, int]:
    """Put a deletion made inside the output of an earlier change at the place in it that fits."""
    original = text
    for c in (c for c in changes if not c.after and c.window):
        for shift in range(1, c.window + 1):
            c.shift = shift
            if _rebuild(text, groups)[1] < misses:
                break
        else:
            c.shift = 0
        original, misses = _rebuild(text, groups)
        if not misses:
            break
    return original, misses


def _rebuild(text: str, groups: list[list[Change]]) -> tuple[str, int]:
    """Undo every group from the last; the text rebuilt and how many changes did not fit."""
    for group in groups:
        for c in group:
            if c.removal and c.guess:
                c.before, c.back = c.line + "\n", 0
    _estimate(groups)
    misses = 0
    for group in reversed(groups):
        text, m = _undo(group, text)
        misses += m
    return text, misses
