"""Dedup a corpus that fits in one process: every phase run in memory on compact arrays.

>>> kept, rejects = dedup_records([{"id": "a", "text": "同一篇文章。"}, {"id": "b", "text": "同一篇文章"}])
>>> [r["id"] for r in kept], [(r["id"], r["reason"], r["kept"]) for r in rejects]
(['a'], [('b', 'duplicate-exact', 'a')])
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np

from . import arrays
from .clusters import Pos, resolve, similarity_pairs
from .config import DedupConfig
from .keys import similarity
from .phases import finish, removals


def decide(
    block: arrays.Block, cfg: DedupConfig
) -> tuple[dict[Pos, dict], dict[bytes, tuple[int, Pos]], arrays.LineHits]:
    """(removed position -> reject fields, repeated paragraphs, the lines repeating one, by position)."""
    exact_rep, edges = arrays.find_duplicates(block, cfg)
    verdicts = resolve(exact_rep, sorted(edges))
    sims = {}
    for a, b in similarity_pairs(exact_rep, verdicts):
        sims[(a, b)] = edges[(a, b)] if (a, b) in edges else similarity(block.sigs[a], block.sigs[b])
    removed = removals(verdicts, exact_rep, sims, {v[0]: block.ids[v[0]] for v in verdicts.values()})
    repeated: dict[bytes, tuple[int, int]] = {}
    hits = arrays.LineHits([], np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64))
    if cfg.paragraphs != "off":
        repeated, hits = arrays.repeated_paragraphs(block, set(verdicts), cfg)
    at = block.positions
    return (
        {at[g]: fields for g, fields in removed.items()},
        {k: (n, at[first]) for k, (n, first) in repeated.items()},
        hits,
    )


def dedup_items(items: list[tuple[Pos, dict[str, Any]]], cfg: DedupConfig) -> tuple[list[dict], list[dict]]:
    """Dedup (position, record) pairs; returns (kept records, reject records), both in input order."""
    removed, repeated, hits = decide(arrays.sketch_block(items, cfg), cfg)
    return finish(items, removed, repeated, cfg, {hits.docs[i]: hits.of(i) for i in range(len(hits.docs))})


def dedup_records(
    records: Iterable[dict[str, Any]], cfg: DedupConfig | None = None
) -> tuple[list[dict], list[dict]]:
    """Dedup records (dicts with `id` and `text`), keeping the earliest of each cluster."""
    return dedup_items(list(enumerate(records)), cfg or DedupConfig())
