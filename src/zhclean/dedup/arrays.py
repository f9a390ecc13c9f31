"""Dedup in one process, compactly: phase-1 results as NumPy arrays, groups found by sorting.

A corpus of a million documents takes ~0.35 KB each here (a 256-slot 8-bit signature, a 16-byte exact
key, 8 bytes per counted paragraph), against several KB as Python objects. The decisions are the same
as the Dask engine's (`phases`): documents are numbered in input order, each LSH bucket yields its
earliest member paired with every other member, and so on.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import paragraphs
from .clusters import Pos
from .config import DedupConfig
from .keys import SLOT, exact_key, fold, signatures, similarity_of
from .phases import Sketch, text_of

KEY = np.dtype((np.void, 16))


@dataclass
class Block:
    """Phase-1 results of consecutive documents: positions, exact keys, signatures, paragraph keys."""

    positions: list[Pos]
    keys: np.ndarray  # (n,) 16-byte exact keys
    sigs: np.ndarray  # (n, num_perm) keys.SLOT; rows of empty texts are unused
    has_sig: np.ndarray  # (n,) bool
    para_doc: np.ndarray  # (k,) int64 document index within the block
    para_key: np.ndarray  # (k,) uint64 paragraph keys
    para_line: np.ndarray  # (k,) int64 line number of each paragraph in its document
    ids: list[Any] = field(default_factory=list)

    def sketches(self) -> list[Sketch]:
        """The same results as one Sketch per document (for engines that shuffle documents)."""
        paras: list[set[bytes]] = [set() for _ in self.positions]
        for d, k in zip(self.para_doc.tolist(), self.para_key.tolist(), strict=True):
            paras[d].add(k.to_bytes(8, "little"))
        return [
            Sketch(
                pos, self.keys[i].tobytes(), self.sigs[i] if self.has_sig[i] else None, frozenset(paras[i])
            )
            for i, pos in enumerate(self.positions)
        ]


def sketch_block(items: list[tuple[Pos, dict[str, Any]]], cfg: DedupConfig) -> Block:
    """Phase 1 for (position, record) pairs: one Block."""
    # a text's normalised form is its normalised lines joined (strip deletes the newlines anyway)
    lines = [paragraphs.line_norms(fold(text_of(record), cfg.fold_script)) for _, record in items]
    norms = ["".join(doc_lines) for doc_lines in lines]
    n = len(items)
    sigs = signatures(norms, cfg.ngram, cfg.num_perm, cfg.seed) if cfg.near else np.zeros((n, 0), SLOT)
    keys = np.frombuffer(b"".join(exact_key(t) for t in norms), dtype=KEY) if n else np.zeros(0, KEY)
    para_doc: list[int] = []
    para_key: list[int] = []
    para_line: list[int] = []
    if cfg.paragraphs != "off":
        for i, doc_lines in enumerate(lines):
            for j, k in enumerate(paragraphs.norm_keys(doc_lines, cfg.paragraph_min_chars)):
                if k is not None:
                    para_doc.append(i)
                    para_key.append(int.from_bytes(k, "little"))
                    para_line.append(j)
    return Block(
        positions=[pos for pos, _ in items],
        keys=keys,
        sigs=sigs,
        has_sig=np.array([bool(t) and cfg.near for t in norms], dtype=bool),
        para_doc=np.array(para_doc, dtype=np.int64),
        para_key=np.array(para_key, dtype=np.uint64),
        para_line=np.array(para_line, dtype=np.int64),
        ids=[record.get("id") for _, record in items],
    )


def concat(blocks: list[Block], num_perm: int) -> Block:
    """All blocks as one (documents renumbered in order); empties `blocks` as it goes to save memory."""
    sizes = [len(b.positions) for b in blocks]
    width = blocks[0].sigs.shape[1] if blocks else num_perm  # 0 when near dedup is off
    sigs = np.empty((sum(sizes), width), dtype=SLOT)
    offset = 0
    for b, size in zip(blocks, sizes, strict=True):
        sigs[offset : offset + size] = b.sigs
        b.sigs = sigs[:0]  # let the block's copy go now, not at the end
        offset += size
    starts = np.cumsum([0, *sizes])
    out = Block(
        positions=[p for b in blocks for p in b.positions],
        keys=np.concatenate([b.keys for b in blocks]) if blocks else np.zeros(0, KEY),
        sigs=sigs,
        has_sig=np.concatenate([b.has_sig for b in blocks]) if blocks else np.zeros(0, bool),
        para_doc=np.concatenate([b.para_doc + o for b, o in zip(blocks, starts, strict=False)])
        if blocks
        else np.zeros(0, np.int64),
        para_key=np.concatenate([b.para_key for b in blocks]) if blocks else np.zeros(0, np.uint64),
        para_line=np.concatenate([b.para_line for b in blocks]) if blocks else np.zeros(0, np.int64),
        ids=[i for b in blocks for i in b.ids],
    )
    blocks.clear()
    return out


def star_groups(values: np.ndarray, members: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For equal `values`: (earliest member, other member) pairs, `members` ascending."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    same = np.zeros(len(order), dtype=bool)
    same[1:] = ordered[1:] == ordered[:-1]
    start = np.maximum.accumulate(np.where(same, 0, np.arange(len(order))))
    return members[order[start[same]]], members[order[same]]


def _as_ints(band: np.ndarray) -> np.ndarray:
    """Each row of a contiguous 2-D array as one value: an unsigned integer when the row is 1, 2, 4 or 8
    bytes wide (fast to sort), else raw bytes."""
    width = band.itemsize * band.shape[1]
    kind = np.dtype(f"u{width}") if width in (1, 2, 4, 8) else np.dtype((np.void, width))
    return band.view(kind).ravel()


def find_duplicates(block: Block, cfg: DedupConfig) -> tuple[dict[int, int], dict[tuple[int, int], float]]:
    """(exact duplicate -> earliest copy, verified near pairs -> similarity), documents by number."""
    n = len(block.positions)
    exact_rep: dict[int, int] = {}
    if cfg.exact and n:
        reps, dups = star_groups(block.keys, np.arange(n))
        exact_rep = dict(zip(dups.tolist(), reps.tolist(), strict=True))
    edges: dict[tuple[int, int], float] = {}
    if cfg.near and n:
        mask = block.has_sig.copy()
        mask[list(exact_rep)] = False
        members = np.flatnonzero(mask)
        rows = cfg.num_perm // cfg.bands
        found = [np.zeros(0, dtype=np.int64)]
        for b in range(cfg.bands):
            band = np.ascontiguousarray(block.sigs[members, b * rows : (b + 1) * rows])
            heads, others = star_groups(_as_ints(band), members)
            found.append(heads.astype(np.int64) * n + others)
        pairs = np.unique(np.concatenate(found))  # candidate pairs (a, b) as a * n + b, in order
        firsts, seconds = pairs // n, pairs % n
        for a, b, equal in zip(
            firsts.tolist(), seconds.tolist(), _equal_slots(block.sigs, firsts, seconds), strict=True
        ):
            sim = similarity_of(equal, block.sigs.shape[1])
            if sim >= cfg.threshold:
                edges[(a, b)] = sim
    return exact_rep, edges


def _equal_slots(sigs: np.ndarray, firsts: np.ndarray, seconds: np.ndarray, batch: int = 65536) -> list[int]:
    """For each pair of rows, how many slots of their signatures are equal (in batches, to bound memory)."""
    out: list[int] = []
    for i in range(0, len(firsts), batch):
        out += (sigs[firsts[i : i + batch]] == sigs[seconds[i : i + batch]]).sum(axis=1).tolist()
    return out


@dataclass
class LineHits:
    """The lines that repeat a paragraph first seen in another document, grouped by document.

    `docs` (ascending) are the documents; `lines[starts[i]:starts[i + 1]]` are the line numbers of
    document i and `counts[...]` how many documents hold each of those paragraphs."""

    docs: list[Any]
    starts: np.ndarray
    lines: np.ndarray
    counts: np.ndarray

    def of(self, i: int) -> list[tuple[int, int]]:
        """(line number, documents) of each repeated paragraph of the i-th document."""
        span = slice(self.starts[i], self.starts[i + 1])
        return list(zip(self.lines[span].tolist(), self.counts[span].tolist(), strict=True))

    def between(self, low: Any, high: Any) -> dict[Any, list[tuple[int, int]]]:
        """`of` every document whose position p has low <= p < high."""
        first, last = bisect.bisect_left(self.docs, low), bisect.bisect_left(self.docs, high)
        return {self.docs[i]: self.of(i) for i in range(first, last)}


def repeated_paragraphs(
    block: Block, removed: set[int], cfg: DedupConfig
) -> tuple[dict[bytes, tuple[int, int]], LineHits]:
    """(paragraph key -> (documents, earliest document), lines of later documents repeating one)."""
    keep = np.ones(len(block.positions), dtype=bool)
    keep[list(removed)] = False
    sel = keep[block.para_doc] if len(block.para_doc) else np.zeros(0, bool)
    docs, keys, lines = block.para_doc[sel], block.para_key[sel], block.para_line[sel]
    if not len(keys):
        return {}, LineHits([], np.zeros(1, np.int64), lines, lines)
    order = np.lexsort((lines, docs, keys))
    docs, keys, lines = docs[order], keys[order], lines[order]
    new = np.ones(len(keys), dtype=bool)
    new[1:] = keys[1:] != keys[:-1]
    starts = np.flatnonzero(new)
    other_doc = new.copy()  # the first line of each (paragraph, document)
    other_doc[1:] |= docs[1:] != docs[:-1]
    counts = np.add.reduceat(other_doc.astype(np.int64), starts)
    first = docs[starts]
    wanted = counts >= cfg.paragraph_min_docs
    repeated = {
        int(k).to_bytes(8, "little"): (int(c), int(f))
        for k, c, f in zip(keys[starts][wanted], counts[wanted], first[wanted], strict=True)
    }
    group = np.cumsum(new) - 1
    hit = wanted[group] & (docs != first[group])
    hit_docs, hit_lines, hit_counts = docs[hit], lines[hit], counts[group][hit]
    order = np.lexsort((hit_lines, hit_docs))
    hit_docs, hit_lines, hit_counts = hit_docs[order], hit_lines[order], hit_counts[order]
    bounds = np.flatnonzero(np.concatenate(([True], hit_docs[1:] != hit_docs[:-1], [True])))
    bounds = bounds if len(hit_docs) else bounds[:1]
    positions = [block.positions[g] for g in hit_docs[bounds[:-1]].tolist()]
    return repeated, LineHits(positions, bounds, hit_lines, hit_counts)
