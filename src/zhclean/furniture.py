"""Corpus-level furniture: lines that repeat across many documents of one site.

A first pass (`zhclean furniture INPUT... -o counts.npz`) hashes the *matching form* of every
line (simplified, NFKC-folded, lower-cased) together with the document's site, and counts in how
many documents each hash occurs; only 8-byte hashes are held in memory, in sorted numpy arrays
merged chunk by chunk, so millions of documents fit on one machine. The cleaning pass loads the
counts (`[[step]] name = "boilerplate"`, `repeated_lines = "counts.npz"`, `min_docs = 5`) and
drops lines seen in at least `min_docs` documents, as cc_net dropped repeated paragraphs.

>>> match_form("關注人民網，傳播正能量")
'关注人民网,传播正能量'
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from array import array
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s.json")


@lru_cache(maxsize=200_000)
def match_form(line: str) -> str:
    """The form of a line used for matching vocabulary and hashing: simplified, NFKC, lower case."""
    form = unicodedata.normalize("NFKC", _t2s().convert(line)).lower()
    return _SPACES.sub(" ", form).strip()


def to_simplified(text: str) -> str:
    """Simplified form of `text` (OpenCC t2s), punctuation untouched: for values stored in `meta`."""
    return _t2s().convert(text)


def site_of(record: dict) -> str:
    """The site a document comes from: its `site` field, else the host of its `url` field, else ''."""
    site = record.get("site") or ""
    if not site and record.get("url"):
        site = urlsplit(str(record["url"])).hostname or ""
    return str(site).lower().removeprefix("www.")


def line_hash(form: str, site: str = "") -> int:
    """8-byte hash of a line's matching form within a site."""
    digest = hashlib.blake2b(f"{site}\t{form}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def doc_hashes(text: str, site: str = "") -> set[int]:
    """The distinct line hashes of one document (blank lines skipped)."""
    return {line_hash(match_form(line), site) for line in text.split("\n") if line.strip()}


class LineCounter:
    """Counts, per line hash, the number of documents it occurs in; memory holds hashes only."""

    def __init__(self, chunk: int = 5_000_000) -> None:
        self.chunk = chunk
        self.docs = 0
        self._buffer = array("Q")  # 8 bytes a hash until the next merge
        self.hashes = np.zeros(0, dtype=np.uint64)
        self.counts = np.zeros(0, dtype=np.uint32)

    def add(self, text: str, site: str = "") -> None:
        """Count the lines of one document."""
        self.docs += 1
        self._buffer.extend(doc_hashes(text, site))
        if len(self._buffer) >= self.chunk:
            self.flush()

    def flush(self) -> None:
        if not self._buffer:
            return
        new, new_counts = np.unique(np.frombuffer(self._buffer, dtype=np.uint64), return_counts=True)
        self._buffer = array("Q")
        both = np.concatenate([self.hashes, new])
        weights = np.concatenate([self.counts, new_counts.astype(np.uint32)])
        order = np.argsort(both, kind="stable")
        both, weights = both[order], weights[order]
        starts = np.flatnonzero(np.r_[True, both[1:] != both[:-1]])
        self.hashes = both[starts]
        self.counts = np.add.reduceat(weights, starts).astype(np.uint32)

    def save(self, path: str | Path, min_docs: int = 2) -> int:
        """Write hashes seen in at least `min_docs` documents; returns how many were written."""
        self.flush()
        keep = self.counts >= min_docs
        with open(path, "wb") as f:
            np.savez(f, hashes=self.hashes[keep], counts=self.counts[keep], docs=np.array([self.docs]))
        return int(keep.sum())


class LineCounts:
    """Loaded document counts of line hashes: `counts.docs_with(line, site)`."""

    def __init__(self, hashes: np.ndarray, counts: np.ndarray, docs: int = 0) -> None:
        self.hashes = hashes
        self.counts = counts
        self.docs = docs

    @classmethod
    def load(cls, path: str | Path) -> LineCounts:
        with np.load(path) as data:
            return cls(data["hashes"], data["counts"], int(data["docs"][0]))

    def docs_with(self, line: str, site: str = "") -> int:
        """In how many counted documents of `site` this line occurs (0 if never or once)."""
        h = np.uint64(line_hash(match_form(line), site))
        i = int(np.searchsorted(self.hashes, h))
        if i < len(self.hashes) and self.hashes[i] == h:
            return int(self.counts[i])
        return 0


@lru_cache(maxsize=4)
def load_counts(path: str) -> LineCounts:
    """Load a counts file once per process."""
    return LineCounts.load(path)


def count_lines(records: Iterable[dict], chunk: int = 5_000_000) -> LineCounter:
    """Count line hashes over records with a `text` field (and `url` or `site` when known)."""
    counter = LineCounter(chunk)
    for record in records:
        counter.add(str(record.get("text") or ""), site_of(record))
    return counter
