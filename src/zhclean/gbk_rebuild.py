"""Rebuild the GBK bytes behind byte-level mojibake and re-decode them in phase.

Two shapes of damage (tests/data/seeds/DEFECTS.md, F2 and F3), both read off the decoded text:

* a straddle chain `?py)?py)...` right after an intact character A: each `?` is one byte b that lost its
  partner to an inserted `(`, and `py` is the reading of the pair (previous byte, b). So the bytes can be
  walked: b1 is a trail under A's last byte with reading py1, b2 a trail under b1 with reading py2, ...
  (`trails_by_reading`). With an even number of units the text is back in phase; with an odd one the
  last byte is the lead of a character whose trail starts an out-of-phase run.
* an out-of-phase run: after a byte that lost its partner, the decoder pairs each trail byte with the next
  lead byte until an ASCII byte re-synchronises it: `顯著成就?!笆逦濉比匀皇峭ㄖ菥C合`. `read_runs` turns the
  run back into its bytes (NFKC-folded ASCII back to full-width GBK), `split_pairs` re-pairs them in phase.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from pypinyin import Style, pinyin

from .gbk import char_bytes, pair_char, real_char

TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
COMMON_SYMBOLS = "，。、；：？！“”‘’（）《》〈〉【】—…·"
UNIT = re.compile(rf"\?([a-zü{TONE_MARKS}]{{1,7}})\)")
RUBY_AT = re.compile(rf"\(([a-zü{TONE_MARKS}]{{1,7}})\)")


def is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff"


@lru_cache(maxsize=32768)
def readings(ch: str) -> frozenset[str]:
    """All pypinyin readings of a character, with tone marks and without."""
    if not is_han(ch):
        return frozenset()
    toned = pinyin(ch, heteronym=True)[0]
    plain = pinyin(ch, style=Style.NORMAL, heteronym=True)[0]
    return frozenset(toned) | frozenset(plain)


@lru_cache(maxsize=256)
def trails_by_reading(lead: int) -> dict[str, tuple[int, ...]]:
    """For one lead byte: reading -> trail bytes whose character has that reading.

    Characters whose default reading it is come first and alone: ruby sites print the default reading.
    """
    default: dict[str, list[int]] = {}
    other: dict[str, list[int]] = {}
    for trail in range(0x40, 0xFF):
        ch = real_char(lead, trail)
        if ch is None or not is_han(ch):
            continue
        first = default_readings(ch)
        for py in readings(ch):
            (default if py in first else other).setdefault(py, []).append(trail)
    return {py: tuple(default.get(py) or ts) for py, ts in {**other, **default}.items()}


@lru_cache(maxsize=32768)
def default_readings(ch: str) -> frozenset[str]:
    """The default pypinyin reading of a character, with tone marks and without."""
    return frozenset((pinyin(ch)[0][0], pinyin(ch, style=Style.NORMAL)[0][0]))


def visible_char(lead: int, trail: int) -> str | None:
    """The character of a pair if it is a plausible guess: a hanzi or common Chinese punctuation."""
    ch = real_char(lead, trail)
    return ch if ch is not None and (is_han(ch) or ch in COMMON_SYMBOLS) else None


def split_pairs(data: bytes) -> list[tuple[str, int, int]] | None:
    """Decode bytes strictly in phase into (char, lead, trail) (trail -1 for ASCII); None if invalid."""
    out = []
    i = 0
    while i < len(data):
        if data[i] < 0x80:
            out.append((chr(data[i]), data[i], -1))
            i += 1
            continue
        ch = real_char(data[i], data[i + 1]) if i + 1 < len(data) else None
        if ch is None:
            return None
        out.append((ch, data[i], data[i + 1]))
        i += 2
    return out


def pairs_to_text(data: bytes) -> str | None:
    """Decode bytes strictly in phase (ASCII single, others pairs); None if a pair is invalid or private."""
    chars = split_pairs(data)
    return None if chars is None else "".join(c for c, _, _ in chars)


@dataclass
class Run:
    """An out-of-phase run text[start:end]: its bytes as decoded, and how it ended."""

    start: int
    end: int
    data: bytes
    eaten: bool  # True: ended by a `?` (lead byte + an unknown eaten byte); False: by an ASCII byte


def folded_bytes(ch: str) -> bytes | None:
    """GBK bytes a run character had before NFKC: ASCII `!`..`~` -> full-width, space -> U+3000."""
    o = ord(ch)
    if o == 0x20:
        return char_bytes("\u3000")
    if 0x21 <= o <= 0x7E:
        return char_bytes(chr(o + 0xFEE0))
    data = char_bytes(ch)
    return data if data is not None and len(data) == 2 else None


@lru_cache(maxsize=1)
def nfkc_images() -> dict[str, bytes]:
    """Multi-character NFKC images of GBK symbols (`⒁` -> `(14)`, `…` -> `...`) -> their GBK bytes."""
    out: dict[str, bytes] = {}
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            ch = real_char(lead, trail)
            if ch is not None and ch < "\u4e00":
                image = unicodedata.normalize("NFKC", ch)
                if len(image) > 1:
                    out.setdefault(image, bytes((lead, trail)))
    return out


def _image_at(text: str, i: int) -> tuple[bytes, int] | None:
    images = nfkc_images()
    for size in (4, 3, 2):
        data = images.get(text[i : i + size])
        if data is not None:
            return data, size
    return None


def read_runs(text: str, start: int, limit: int = 4000) -> list[Run]:
    """The possible out-of-phase runs from `start`, shortest first, each up to a byte that can re-synchronise.

    An ASCII letter in a run is either the trail byte that ended it or an NFKC-folded full-width letter
    (`。` is A1 A3, so out of phase A3 + the next lead byte is often a full-width letter): both are kept.
    """
    runs: list[Run] = []
    buf = bytearray()
    i = start
    while i < len(text) and i - start < limit:
        ch = text[i]
        o = ord(ch)
        if ch == "(" and i > start and (m := RUBY_AT.match(text, i)) and m.group(1) in readings(text[i - 1]):
            return runs  # an intact ruby unit: its ASCII bytes would have ended any run before it
        if o < 0x80 and (image := _image_at(text, i)) is not None:
            buf += image[0]
            i += image[1]
            continue
        if ch == "?":
            return [*runs, Run(start, i + 1, bytes(buf), True)]
        if ch == "€":  # a lone 0x80 byte is one character: back in phase
            return [*runs, Run(start, i + 1, bytes(buf) + b"\x80", False)]
        if 0x40 <= o <= 0x7E:  # an ASCII trail byte read as a character: back in phase, or full-width
            runs.append(Run(start, i + 1, bytes(buf) + bytes((o,)), False))
        data = folded_bytes(ch) if o >= 0x20 else None
        if data is None:
            return runs
        buf += data
        i += 1
        if data[1] < 0x80:  # the pair's trail is an ASCII byte: it ends the run
            if (m := RUBY_AT.match(text, i)) and m.group(1) in readings(ch):
                return runs  # ...unless the character carries its own ruby: then it was read in phase
            return [*runs, Run(start, i, bytes(buf), False)]
    return runs


def first_candidates(run: Run) -> list[int]:
    """Lead bytes that make a real character with the run's first byte."""
    if not run.data:
        return []
    return [b for b in range(0x81, 0xFF) if visible_char(b, run.data[0])]


@lru_cache(maxsize=1)
def private_pairs() -> tuple[tuple[int, int], ...]:
    """All pairs (u1, u2) that decode to private use (and were deleted), u2 also a possible lead byte.

    That is the user-defined area plus the unassigned pairs CP936 maps to private use.
    """
    return tuple((a, b) for a in range(0x81, 0xFF) for b in range(0x81, 0xFF) if is_private(pair_char(a, b)))


def is_private(ch: str | None) -> bool:
    return ch is not None and "\ue000" <= ch <= "\uf8ff"


@lru_cache(maxsize=4096)
def gap_fillers(left: int, right: int) -> tuple[tuple[str, str], ...]:
    """Characters (left, u1) + (u2, right) around a deleted private-use pair (u1, u2)."""
    out = []
    for u1, u2 in private_pairs():
        a = visible_char(left, u1)
        if a is None:
            continue
        b = visible_char(u2, right)
        if b is not None:
            out.append((a, b))
    return tuple(out)
