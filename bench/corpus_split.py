"""Which lines of `build/corpus` the character model never sees, kept for measuring what it repairs.

`bench/build_charlm.py` builds the model from the other lines; `bench/mojibake.py` measures repairs and
false edits on these only, so no accuracy figure comes from text the model was built on. A line is held
out by a hash of its mainland-simplified form, so its twin in the other script goes with it (the Debian
handbook and reference ship the same paragraphs in zh_CN and zh_TW).

    >>> held_out("軟體") == held_out("软件")
    True
"""

from __future__ import annotations

import zlib
from functools import lru_cache

import opencc

ONE_IN = 5  # one line in five is held out


@lru_cache(maxsize=1)
def _to_mainland() -> opencc.OpenCC:
    return opencc.OpenCC("tw2sp.json")


def held_out(line: str) -> bool:
    """True for about one line in `ONE_IN`: the same for a paragraph and its twin in the other script."""
    key = _to_mainland().convert(line.strip())
    return zlib.crc32(key.encode("utf-8")) % ONE_IN == 0
