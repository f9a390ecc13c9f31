"""Exact totals over all records of a run: documents, rejects, edits and characters per repair kind."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


def script_of(meta: dict[str, Any]) -> str:
    """The script a record's `meta["script"]` names (a string, or a dict naming it), or "unknown"."""
    value = meta.get("script")
    if isinstance(value, dict):
        value = next((value[k] for k in ("detected", "source", "script", "name") if k in value), None)
    return str(value) if value not in (None, "") else "unknown"


def quality_signals(meta: dict[str, Any]) -> dict[str, float]:
    """The numeric signals in `meta["quality"]` (booleans count as 0 or 1)."""
    quality = meta.get("quality")
    if not isinstance(quality, dict):
        return {}
    return {k: float(v) for k, v in quality.items() if isinstance(v, (int, float))}


def reject_reason(record: dict[str, Any]) -> str:
    """Why a document was rejected: its `reason` or `reasons`, or the same keys under `meta`."""
    for source in (record, record.get("meta") or {}):
        for key in ("reason", "reasons", "reject_reason", "reject"):
            value = source.get(key)
            if isinstance(value, (list, tuple)):
                return ", ".join(map(str, value)) or "unknown"
            if value:
                return str(value)
    return "unknown"


@dataclass
class KindTotal:
    """What one kind of change did over the whole run."""

    step: str
    kind: str
    count: int = 0
    chars_before: int = 0
    chars_after: int = 0
    lines: bool = False


@dataclass
class Totals:
    """Exact counts over every record, and the values the charts are drawn from."""

    docs_out: int = 0
    docs_rejected: int | None = None
    chars_in: int = 0
    chars_out: int = 0
    exact: int = 0
    rejected_by_reason: Counter = field(default_factory=Counter)
    kinds: dict[tuple[str, str, bool], KindTotal] = field(default_factory=dict)
    flags: Counter = field(default_factory=Counter)
    scripts: Counter = field(default_factory=Counter)
    quality: dict[str, list[float]] = field(default_factory=dict)
    len_before: list[int] = field(default_factory=list)
    len_after: list[int] = field(default_factory=list)

    @property
    def docs_in(self) -> int | None:
        return None if self.docs_rejected is None else self.docs_out + self.docs_rejected

    def add(self, record: dict[str, Any], original_length: int, exact: bool) -> None:
        """Count one output record whose original text (`exact`: rebuilt exactly) had `original_length` characters."""
        meta = record.get("meta") or {}
        self.docs_out += 1
        self.exact += exact
        self.chars_in += original_length
        self.chars_out += len(record.get("text") or "")
        self.len_before.append(original_length)
        self.len_after.append(len(record.get("text") or ""))
        for e in record.get("edits") or []:
            self._count(e.get("step", ""), e.get("kind", ""), False, e.get("before", ""), e.get("after", ""))
        for r in record.get("removed") or []:
            self._count(r.get("step", ""), r.get("kind", ""), True, r.get("line", "") + "\n", "")
        for f in record.get("flags") or []:
            self.flags[str(f.get("kind", ""))] += 1
        self.scripts[script_of(meta)] += 1
        for key, value in quality_signals(meta).items():
            self.quality.setdefault(key, []).append(value)

    def reject(self, record: dict[str, Any]) -> None:
        self.docs_rejected = (self.docs_rejected or 0) + 1
        self.rejected_by_reason[reject_reason(record)] += 1

    def _count(self, step: str, kind: str, lines: bool, before: str, after: str) -> None:
        total = self.kinds.get((step, kind, lines))
        if total is None:
            total = self.kinds[(step, kind, lines)] = KindTotal(step, kind, lines=lines)
        total.count += 1
        total.chars_before += len(before)
        total.chars_after += len(after)
