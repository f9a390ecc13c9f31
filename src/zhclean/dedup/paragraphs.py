"""Paragraphs (lines) repeated across the corpus: count them, then flag or remove the repeats.

A paragraph counts when its normalised form has at least `min_chars` characters; it is "repeated"
when it occurs in at least `min_docs` documents. The earliest document keeps its copy; with
`action = "remove"` the others lose theirs (recorded in `removed`), with `"flag"` they only get
`meta["repeated_paragraphs"]` (line numbers and document counts).
"""

from __future__ import annotations

import hashlib
from typing import Any

from .keys import fold, strip

ACTIONS = ("off", "flag", "remove")


def line_norms(folded: str) -> list[str]:
    """Each line of an already folded text (`keys.fold`) without whitespace, punctuation and symbols."""
    return [strip(line) for line in folded.split("\n")]


def norm_keys(norms: list[str], min_chars: int) -> list[bytes | None]:
    """One key per normalised line; None for lines too short to count."""
    return [
        hashlib.blake2b(norm.encode(), digest_size=8).digest() if len(norm) >= min_chars else None
        for norm in norms
    ]


def line_keys(folded: str, min_chars: int) -> list[bytes | None]:
    """One key per line of an already folded text (`keys.fold`); None for lines too short to count."""
    return norm_keys(line_norms(folded), min_chars)


def paragraph_keys(text: str, min_chars: int, fold_script: bool = False) -> list[bytes | None]:
    """One key per line of `text` (None for lines too short to count)."""
    return line_keys(fold(text, fold_script), min_chars)


def apply(
    record: dict[str, Any],
    pos: Any,
    keys: list[bytes | None],
    repeated: dict[bytes, tuple[int, Any]],
    action: str,
) -> dict[str, Any]:
    """The record with its repeated paragraphs flagged or removed; `repeated`: key -> (docs, first pos)."""
    hits = [(i, repeated[k][0]) for i, k in enumerate(keys) if k in repeated and repeated[k][1] != pos]
    return apply_hits(record, hits, action)


def apply_hits(record: dict[str, Any], hits: list[tuple[int, int]], action: str) -> dict[str, Any]:
    """The record with the lines `hits` (line number, documents holding it) flagged or removed."""
    if not hits:
        return record
    record = dict(record)
    meta = dict(record.get("meta") or {})
    if action == "flag":
        meta["repeated_paragraphs"] = [{"line": i + 1, "docs": n} for i, n in hits]
        record["meta"] = meta
        return record
    lines = record["text"].split("\n")
    drop = dict(hits)
    removed = list(record.get("removed") or [])
    for i, n in hits:
        removed.append(
            {
                "step": "dedup",
                "kind": "repeated-paragraph",
                "line": lines[i],
                "reason": f"paragraph also in {n - 1} other documents",
                "offset": None,
            }
        )
    record["text"] = "\n".join(line for i, line in enumerate(lines) if i not in drop)
    record["removed"] = removed
    return record
