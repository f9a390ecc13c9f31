"""The phases of a dedup run as pure functions over one partition or one group, shared by every engine.

1. sketch: per document, the exact key, the MinHash signature of its normalised text and the keys of
   its paragraphs (`arrays.sketch_block`; `sketch` gives them as one `Sketch` per document).
2. group by exact key -> `exact_members`; group by LSH band key -> `clusters.star_pairs` candidates,
   kept when their estimated Jaccard reaches the threshold.
3. `clusters.resolve` (union-find over the pairs) and `removals`: what each removed document's reject says.
4. `finish` per partition writes each document to the output or the rejects, in input order.

`arrays` runs 2-3 with NumPy in one process; `zhclean.engines.dask_engine` with shuffles on a cluster.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import paragraphs
from .clusters import Pos, reject_fields
from .config import DedupConfig


@dataclass
class Sketch:
    """What dedup needs to know about one document."""

    pos: Pos
    key: bytes
    signature: np.ndarray | None  # None for an empty text (never a near duplicate)
    paragraphs: frozenset[bytes] = frozenset()  # keys of its lines long enough to count


def text_of(record: dict[str, Any]) -> str:
    """The text dedup compares (an absent or non-string text counts as empty)."""
    text = record.get("text")
    return text if isinstance(text, str) else ""


def sketch(items: list[tuple[Pos, dict[str, Any]]], cfg: DedupConfig) -> list[Sketch]:
    """Phase 1 for one partition: exact key, signature and paragraph keys of each (position, record)."""
    from .arrays import sketch_block

    return sketch_block(items, cfg).sketches()


def exact_members(positions: Iterable[Pos]) -> list[tuple[Pos, Pos]]:
    """(duplicate, earliest copy) for one group of documents with equal exact keys."""
    ordered = sorted(positions)
    return [(p, ordered[0]) for p in ordered[1:]]


def paragraph_keys(record: dict[str, Any], cfg: DedupConfig) -> list[bytes | None]:
    return paragraphs.paragraph_keys(text_of(record), cfg.paragraph_min_chars, cfg.fold_script)


def removals(
    verdicts: dict[Pos, tuple[Pos, int, str]],
    exact_rep: dict[Pos, Pos],
    sims: dict[tuple[Pos, Pos], float],
    kept_ids: dict[Pos, Any],
) -> dict[Pos, dict[str, Any]]:
    """Position of each removed document -> its reject fields (reason, cluster, kept id, similarity)."""
    return {
        pos: reject_fields(v, kept_ids[v[0]], sims.get((exact_rep.get(pos, pos), v[0])))
        for pos, v in verdicts.items()
    }


def paragraph_hit(s: Sketch, repeated: dict[bytes, tuple[int, Pos]]) -> bool:
    """Whether a document holds a repeated paragraph whose first copy is elsewhere."""
    return any(k in repeated and repeated[k][1] != s.pos for k in s.paragraphs)


def finish(
    items: list[tuple[Pos, Any]],
    removed: dict[Pos, dict[str, Any]],
    repeated: dict[bytes, tuple[int, Pos]],
    cfg: DedupConfig,
    hits: set[Pos] | dict[Pos, list[tuple[int, int]]] | None = None,
) -> tuple[list[dict[str, Any]], list[Any]]:
    """Last phase for one partition: (output records, reject records), both in input order.

    An item that is not a dict (an unreadable input line) is passed through to the rejects as it is.
    `hits`, when known, are the positions that hold a repeated paragraph (the others are not re-read), or
    those positions with the (line number, documents) of each repeated line (no text is re-read).
    """
    out: list[dict[str, Any]] = []
    rejects: list[Any] = []
    for pos, record in items:
        if not isinstance(record, dict):
            rejects.append(record)
        elif pos in removed:
            rejects.append({"id": record.get("id"), **removed[pos], "record": record})
        else:
            if isinstance(hits, dict):
                if pos in hits and cfg.paragraphs != "off":
                    record = paragraphs.apply_hits(record, hits[pos], cfg.paragraphs)
            elif repeated and cfg.paragraphs != "off" and (hits is None or pos in hits):
                record = paragraphs.apply(record, pos, paragraph_keys(record, cfg), repeated, cfg.paragraphs)
            out.append(record)
    return out, rejects
