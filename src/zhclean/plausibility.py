"""How plausible a string is as Chinese text: a small character bigram model shipped with the package.

    >>> from zhclean.plausibility import default_model
    >>> m = default_model()
    >>> m.score("顯著成就。“十五五”仍然是") > m.score("顯著成就?!笆逦濉比匀皇")
    True

The model (`data/charlm.npz`, built by `bench/build_charlm.py` from jieba's word list and clean Debian
text) is a Witten-Bell interpolated bigram over folded characters: traditional and variant forms are
folded to simplified, ASCII letters to `a`, digits to `0`, whitespace to a space, full-width ASCII to
ASCII. Characters it has never seen get one shared small probability, so rare characters cost more
than common ones but never make a score infinite.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

import numpy as np

from .key_index import KeyIndex

__all__ = ["CharModel", "default_model"]


def fold_char(ch: str, table: dict[str, str]) -> str:
    """The character a model scores `ch` as: `table` folds traditional/variant forms; full-width ASCII is
    folded, every letter becomes `a`, every digit `0`, every space ` ` (the build script uses this too)."""
    if ch in table:
        return table[ch]
    o = ord(ch)
    if 0xFF01 <= o <= 0xFF5E:
        ch = chr(o - 0xFEE0)
        o = ord(ch)
    if ch.isspace():
        return " "
    if o < 128:
        if ch.isalpha():
            return "a"
        if ch.isdigit():
            return "0"
    return ch


class CharModel:
    """A character bigram model: `score` (mean log-probability per char) and `logprob` (total)."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        vocab = str(arrays["vocab"][0])
        self.size = len(vocab)
        self.unk = self.size  # id of any unseen character
        self._index = {c: i for i, c in enumerate(vocab)}
        src, dst = (str(s) for s in arrays["fold"])
        self._fold = dict(zip(src, dst, strict=True))
        self._uni = np.append(arrays["uni_logp"].astype(np.float64), float(arrays["unk_logp"][0]))
        # unseen history: back off fully (log 1 = 0)
        self._alpha = np.append(arrays["alpha"].astype(np.float64), 0.0)
        self._keys = arrays["bi_keys"].astype(np.int64)  # prev * size + cur, ascending
        self._bigrams = KeyIndex(self._keys)  # where each key is
        # where the bigrams after each id start (prev * size + cur ascending), the unseen id included
        self._after = np.searchsorted(self._keys, np.arange(self.size + 2) * self.size)
        self._bi = arrays["bi_logp"].astype(np.float64)
        self._cache: dict[str, int] = {}
        self._bmp = np.full(0x10000, -1, dtype=np.int64)  # ids of BMP code points, -1 until first asked

    @property
    def folds(self) -> dict[str, str]:
        """Traditional and variant characters -> the simplified ones they are scored as."""
        return self._fold

    def _id(self, ch: str) -> int:
        i = self._cache.get(ch)
        if i is None:
            i = self._index.get(fold_char(ch, self._fold), self.unk)
            self._cache[ch] = i
        return i

    def ids(self, text: str) -> np.ndarray:
        """The model's ids of the characters of `text` (unseen characters share one id)."""
        if len(text) >= 64:  # a short text is faster one character at a time than in NumPy calls
            codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
            if codes.max() < 0x10000:
                return self._bmp_ids(codes)
        return np.fromiter((self._id(c) for c in text), dtype=np.int64, count=len(text))

    def _bmp_ids(self, codes: np.ndarray) -> np.ndarray:
        """`ids` of BMP code points, from a table filled as characters are first seen."""
        out = self._bmp[codes]
        if (out < 0).any():
            for code in np.unique(codes[out < 0]).tolist():
                self._bmp[code] = self._id(chr(code))
            out = self._bmp[codes]
        return out

    def char_logprobs(self, text: str) -> np.ndarray:
        """log P(c_i | c_{i-1}) for every character (the first one by its unigram probability)."""
        ids = self.ids(text)
        out = self._uni[ids].copy()
        if len(ids) > 1:
            out[1:] = self.pair_logprobs(ids[:-1], ids[1:])
        return out

    def seen_pairs(self, text: str) -> np.ndarray:
        """For each adjacent pair of characters of `text`: was it seen in the training text?"""
        ids = self.ids(text)
        if len(ids) < 2:
            return np.zeros(0, dtype=bool)
        prev, cur = ids[:-1], ids[1:]
        return (prev < self.unk) & (cur < self.unk) & (self._bigrams.find(prev * self.size + cur) >= 0)

    def unigram(self, ids: np.ndarray) -> np.ndarray:
        """log P(c) for an array of model ids, without context."""
        return self._uni[ids]

    def pair_logprobs(self, prev: np.ndarray, cur: np.ndarray) -> np.ndarray:
        """log P(cur | prev) for arrays of model ids (see `ids`)."""
        backoff = self._alpha[prev] + self._uni[cur]
        pos = self._bigrams.find(prev * self.size + cur)
        hit = (prev < self.unk) & (cur < self.unk) & (pos >= 0)
        return np.where(hit, self._bi[pos], backoff)

    def pair_matrix(self, prev: np.ndarray, cur: np.ndarray) -> np.ndarray:
        """log P(cur_j | prev_i) for every i and j: `pair_logprobs` of all pairs, but only the bigrams seen
        after each prev are looked at (each character has ~36), not every pair."""
        distinct, column = np.unique(cur, return_inverse=True)
        out = self._alpha[prev][:, None] + self._uni[distinct][None, :]
        starts = self._after[prev]
        counts = self._after[prev + 1] - starts
        row = np.repeat(np.arange(len(prev)), counts)
        entry = np.arange(counts.sum()) + np.repeat(starts - (np.cumsum(counts) - counts), counts)
        where = np.full(self.size + 1, -1, dtype=np.int64)  # column of each distinct id
        where[distinct] = np.arange(len(distinct))
        col = where[self._keys[entry] - prev[row] * self.size]
        seen = col >= 0
        out[row[seen], col[seen]] = self._bi[entry[seen]]
        return out[:, column.reshape(-1)]

    def logprob(self, text: str) -> float:
        """Total natural-log probability of `text` (0.0 for the empty string)."""
        if not text:
            return 0.0
        return float(self.char_logprobs(text).sum())

    def score(self, text: str) -> float:
        """Mean log-probability per character: higher means more plausible Chinese (0.0 if empty)."""
        if not text:
            return 0.0
        return self.logprob(text) / len(text)


def load_model(path: str | None = None) -> CharModel:
    """Load a model file written by `bench/build_charlm.py` (the shipped one by default)."""
    source = path or files("zhclean").joinpath("data", "charlm.npz")
    with np.load(str(source)) as data:
        return CharModel({k: data[k] for k in data.files})


@lru_cache(maxsize=1)
def default_model() -> CharModel:
    """The shipped model, loaded once per process."""
    return load_model()
