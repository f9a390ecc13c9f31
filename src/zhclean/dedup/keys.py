"""What dedup compares: normalised text, its exact key, character n-gram MinHash signatures and LSH bands.

Chinese has no spaces, so shingles are character n-grams of the normalised text (NFKC, case-folded,
whitespace, punctuation and symbols removed, optionally folded to simplified script with OpenCC t2s):

>>> normalise("天氣， 很好！")
'天氣很好'

`天氣很好` has the shingles `天氣很` and `氣很好`; each is hashed to 64 bits here, with NumPy over a whole
block of texts at once, and rensa turns the hashes into MinHash signatures.
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


@lru_cache(maxsize=1)
def _nfkc_map() -> tuple[re.Pattern[str], dict[str, str]]:
    """A pattern matching each BMP character that NFKC changes, and its NFKC form (`，` -> `,`)."""
    table = {}
    for code in range(0x10000):
        ch = chr(code)
        if not 0xD800 <= code < 0xE000 and (form := unicodedata.normalize("NFKC", ch)) != ch:
            table[ch] = form
    return re.compile("[" + "".join(map(re.escape, table)) + "]"), table


def nfkc(text: str) -> str:
    """`unicodedata.normalize("NFKC", text)`, fast for text that is mostly normalised already.

    Each mapped character is compatibility-equivalent to the one it replaces, so the mapped text has the
    same NFKC form as `text`; when it is normalised already (the usual case), it is that form.
    """
    if unicodedata.is_normalized("NFKC", text):
        return text
    pattern, table = _nfkc_map()
    mapped = pattern.sub(lambda m: table[m.group()], text)
    return mapped if unicodedata.is_normalized("NFKC", mapped) else unicodedata.normalize("NFKC", mapped)


def fold(text: str, fold_script: bool = False) -> str:
    """NFKC and case-folded text, converted to simplified script if `fold_script` (newlines kept)."""
    text = nfkc(text).casefold()
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


SLOT = np.uint8  # the part of each MinHash value kept
_POLY = np.uint64(0x100000001B3)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: spreads polynomial n-gram hashes over all 64 bits."""
    h = (h ^ (h >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    h = (h ^ (h >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return h ^ (h >> np.uint64(31))


def shingle_hashes(norms: list[str], n: int) -> tuple[np.ndarray, np.ndarray]:
    """64-bit hashes of every character n-gram of each text, flat, and the row offsets of each text.

    A non-empty text shorter than n is one shingle (padded with NULs, which normalised text never has).
    """
    padded = [t + "\0" * (n - len(t)) if 0 < len(t) < n else t for t in norms]
    lengths = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
    codes = np.frombuffer("".join(padded).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    counts = np.maximum(lengths - n + 1, 0)
    offsets = np.zeros(len(padded) + 1, dtype=np.uint64)
    np.cumsum(counts, out=offsets[1:])
    if not len(codes) or not counts.any():
        return np.zeros(0, dtype=np.uint64), offsets
    hashes = codes[: len(codes) - n + 1].copy()
    for j in range(1, n):
        hashes = hashes * _POLY + codes[j : len(codes) - n + 1 + j]
    # keep the n-grams that start early enough in their own text
    starts = np.repeat(np.cumsum(lengths) - lengths, counts)
    within = np.arange(len(starts), dtype=np.int64) - np.repeat(offsets[:-1].astype(np.int64), counts)
    return _mix(hashes[starts + within]), offsets


def signatures(norms: list[str], n: int, num_perm: int, seed: int) -> np.ndarray:
    """MinHash signatures (rensa R-MinHash) of each normalised text, one row per text.

    Each slot keeps the low 8 bits of its 32-bit value (b-bit minwise hashing, Li and König 2010): a
    quarter of the memory, and `similarity` corrects for slots that agree by chance (1 in 256).
    """
    if not norms:
        return np.zeros((0, num_perm), dtype=SLOT)
    hashes, offsets = shingle_hashes(norms, n)
    matrix = RMinHash.digest_matrix_from_flat_token_hashes(hashes, offsets, num_perm=num_perm, seed=seed)
    return np.asarray(matrix.to_rows(), dtype=np.uint32).astype(SLOT)


def band_keys(signature: np.ndarray, bands: int) -> list[tuple[int, bytes]]:
    """The LSH bucket keys of one signature: (band number, bytes of that band's rows)."""
    rows = len(signature) // bands
    return [(b, signature[b * rows : (b + 1) * rows].tobytes()) for b in range(bands)]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    """Estimated Jaccard similarity of two signatures, rounded to 4 places (see `similarity_of`)."""
    return similarity_of(int(np.count_nonzero(a == b)), len(a))


def similarity_of(equal: int, slots: int) -> float:
    """Estimated Jaccard similarity of two signatures with `equal` of their `slots` equal, rounded to 4
    places: the share of equal slots without the share expected by chance, `(p - 1/256) / (1 - 1/256)`."""
    chance = 1 / 256
    return round(max(0.0, (equal / slots - chance) / (1 - chance)), 4)
