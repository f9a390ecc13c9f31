"""Where each of a set of unique integer keys is: a hash table built and probed with NumPy, whole arrays at once.

`np.searchsorted` over the character model's 400,000 sorted bigram keys costs ~20 cache misses per
lookup; this table (linear probing, at most a quarter full) costs one or two. A batch of fewer than
SMALL keys costs more in NumPy calls than in lookups: when the keys are sorted, it is searched for.

    >>> index = KeyIndex(np.array([5, 17, 2**40]))
    >>> index.find(np.array([17, 6, 2**40, 5])).tolist()
    [1, -1, 2, 0]
"""

from __future__ import annotations

import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: multiply, keep the top bits
SMALL = 2048  # fewer keys than this are found by binary search (if the index's keys are sorted)


class KeyIndex:
    """The position of each key in the array it was built from, or -1 for keys not in it."""

    def __init__(self, keys: np.ndarray) -> None:
        self._keys = np.asarray(keys, dtype=np.int64)
        self._sorted = bool(np.all(self._keys[1:] > self._keys[:-1]))
        self._bits = max(4, int(len(self._keys)).bit_length() + 2)  # 2^bits slots: at most a quarter full
        self._mask = (1 << self._bits) - 1
        self._slots = np.full(1 << self._bits, -1, dtype=np.int32)  # position of the key in each slot
        pending = np.arange(len(self._keys))
        slot = self._home(self._keys)
        while len(pending):
            # every pending key writes itself into its slot if that is free; one writer per slot wins
            free = self._slots[slot] < 0
            self._slots[slot[free]] = pending[free]
            placed = self._slots[slot] == pending
            pending, slot = pending[~placed], (slot[~placed] + 1) & self._mask

    def _home(self, keys: np.ndarray) -> np.ndarray:
        """The first slot each key is looked for in."""
        with np.errstate(over="ignore"):
            return ((keys.astype(np.uint64) * _GOLDEN) >> np.uint64(64 - self._bits)).astype(np.int64)

    def find(self, keys: np.ndarray) -> np.ndarray:
        """For each key, its position in the keys the index was built from, or -1."""
        keys = np.asarray(keys, dtype=np.int64)
        if self._sorted and len(keys) < SMALL and len(self._keys):
            pos = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
            return np.where(self._keys[pos] == keys, pos, -1)
        out = np.full(len(keys), -1, dtype=np.int64)
        todo = np.arange(len(keys) if len(self._keys) else 0)
        slot = self._home(keys)
        while len(todo):
            where = self._slots[slot]
            hit = (where >= 0) & (self._keys[where] == keys[todo])
            out[todo[hit]] = where[hit]
            go = (where >= 0) & ~hit  # an occupied slot with another key: look in the next one
            todo, slot = todo[go], (slot[go] + 1) & self._mask
        return out
