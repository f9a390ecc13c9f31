"""What dedup compares: normalised text, its exact key, character n-gram MinHash signatures and LSH bands.

Chinese has no spaces, so shingles are character n-grams of the normalised text (NFKC, case-folded,
whitespace, punctuation and symbols removed, optionally folded to simplified script with OpenCC t2s):

>>> normalise("天氣， 很好！")
'天氣很好'
>>> shingles("天氣很好", 3)
['天氣很', '氣很好']
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

import numpy as np
from rensa import RMinHash

_NOT_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s.json")


def fold(text: str, fold_script: bool = False) -> str:
    """NFKC and case-folded text, converted to simplified script if `fold_script` (newlines kept)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return _t2s().convert(text) if fold_script and text else text


def strip(text: str) -> str:
    """`text` without whitespace, punctuation and symbols."""
    return _NOT_WORD.sub("", text)


def normalise(text: str, fold_script: bool = False) -> str:
    """The text dedup compares: NFKC, case-folded, no whitespace/punctuation, simplified if `fold_script`."""
    return strip(fold(text, fold_script))


def exact_key(norm: str) -> bytes:
    """A 16-byte digest of the normalised text: equal keys mean exact duplicates."""
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=16).digest()


def shingles(norm: str, n: int) -> list[str]:
    """The character n-grams of `norm` (the whole text when it is shorter than n)."""
    if len(norm) <= n:
        return [norm] if norm else []
    return [norm[i : i + n] for i in range(len(norm) - n + 1)]


def signatures(norms: list[str], n: int, num_perm: int, seed: int) -> np.ndarray:
    """MinHash signatures (rensa R-MinHash) of each normalised text, one row per text.

    Each slot keeps the low 16 bits of its 32-bit value: half the memory, and two different slots agree
    by chance once in 65,536, which moves a Jaccard estimate by far less than its sampling error.
    """
    if not norms:
        return np.zeros((0, num_perm), dtype=np.uint16)
    matrix = RMinHash.digest_matrix_from_token_sets(
        [shingles(t, n) for t in norms], num_perm=num_perm, seed=seed
    )
    return np.asarray(matrix.to_rows(), dtype=np.uint32).astype(np.uint16)


def band_keys(signature: np.ndarray, bands: int) -> list[tuple[int, bytes]]:
    """The LSH bucket keys of one signature: (band number, bytes of that band's rows)."""
    rows = len(signature) // bands
    return [(b, signature[b * rows : (b + 1) * rows].tobytes()) for b in range(bands)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures (share of equal slots), rounded to 4 places."""
    return round(float(np.mean(a == b)), 4)
