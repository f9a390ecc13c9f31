"""Corpus dedup: exact copies, MinHash-LSH near copies over character n-grams, and repeated paragraphs.

`dedup_records(records)` runs it in memory; `zhclean dedup` and the Dask engine run the same phases
(`zhclean.dedup.phases`) over partitions. Rejects say what was kept and why:
`{"id", "reason": "duplicate-exact" | "duplicate-near", "cluster", "kept", "similarity", "record"}`.
"""

from .clusters import EXACT, NEAR
from .config import DedupConfig
from .keys import normalise
from .memory import dedup_items, dedup_records

__all__ = ["EXACT", "NEAR", "DedupConfig", "dedup_items", "dedup_records", "normalise"]
