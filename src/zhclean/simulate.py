"""Reproduce the seed pages' byte-level damage on any clean text (see tests/data/seeds/DEFECTS.md, section 1).

The mechanism, one function per stage, each usable alone:

* `s2t(text)`: character-by-character simplified -> traditional (a plain 1:1 table, as on the seed site).
* `ruby_keys(text, share, rng)`: a page dictionary: the characters s2t changed, in a random rank,
  cut to `share` of them (the seed pages annotate 15-48 % of their converted characters).
* `ruby_bytes(data, keys)`: PHP `str_replace($keys, $keys_with_pinyin, $gbk)` on GBK bytes: for each key in
  order, every byte occurrence of the key (also across character boundaries) gets `(pinyin)` appended.
* `php_cp936_decode(data)`: PHP 8 mbstring CP936 (a lead byte with a bad trail -> one `?` eating both).
* `drop_private_use(text)`: the user-defined area pairs (decoded to private use) are deleted.
* `desync_bytes(data, rng, count)`: insert a stray invalid-trail byte after random lead bytes, so the
  decoder runs one byte out of phase until an ASCII byte re-synchronises it (family F3).
* `nfkc(text)`: full-width punctuation and U+3000 fold to ASCII.
* `lost_chars(page, data)`: how many characters of the page lost a byte in decoding (only guessable).
* `strip_ruby(text)`: remove intact `X(py)` units (a minimal ruby step, to compare a repair with `source`).
* `damage(text, ...)`: the whole chain on one text; returns a `Damage` with the damaged text and counts.

    >>> from zhclean.simulate import ruby_bytes, php_cp936_decode
    >>> php_cp936_decode(ruby_bytes("奮勇爭先".encode("gbk"), ["爭", "聽"]))
    '奮勇?tīng)?zhēng)先'

Typical benchmark use::

    rng = random.Random(1)
    d = damage(clean_simplified_text, rng=rng, share=0.5, desyncs=1)
    d.text      # what the page looks like after the site's pipeline (ruby units, `?py)` units, runs)
    d.source    # the traditional text it was made from (what a perfect repair + ruby removal gives)
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import opencc
from pypinyin import pinyin

from .gbk import is_lead, pair_char, php_cp936_decode

__all__ = [
    "Damage",
    "damage",
    "desync_bytes",
    "drop_private_use",
    "lost_chars",
    "nfkc",
    "php_cp936_decode",
    "reading",
    "ruby_bytes",
    "ruby_keys",
    "s2t",
    "strip_ruby",
    "strip_tags",
]

_PUA = re.compile("[\ue000-\uf8ff]")
_TAG = re.compile(r"<[^<>]*>")


@lru_cache(maxsize=1)
def _s2t() -> opencc.OpenCC:
    return opencc.OpenCC("s2t.json")


@lru_cache(maxsize=65536)
def _s2t_char(ch: str) -> str:
    out = _s2t().convert(ch)
    return out if len(out) == 1 else ch


def s2t(text: str) -> str:
    """Simplified -> traditional one character at a time (no phrase context, length preserved)."""
    return "".join(_s2t_char(c) for c in text)


@lru_cache(maxsize=65536)
def reading(ch: str) -> str:
    """The single reading the seed site used: pypinyin's default, with tone marks."""
    return pinyin(ch)[0][0]


def ruby_keys(text: str, share: float = 0.5, rng: random.Random | None = None) -> list[str]:
    """A page dictionary: characters of `text` (traditional) that s2t changed, randomly ranked, cut to `share`."""
    rng = rng or random.Random(0)
    simplified = opencc_t2s()
    chars = sorted({c for c in text if "\u4e00" <= c <= "\u9fff" and simplified(c) != c})
    rng.shuffle(chars)
    return chars[: round(len(chars) * share)]


@lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s.json")


def opencc_t2s():
    """Character-level traditional -> simplified, for picking the characters s2t changed."""
    return _t2s().convert


def ruby_bytes(data: bytes, keys: list[str]) -> bytes:
    """PHP str_replace semantics over GBK bytes: each key, in order, gets `(pinyin)` after every occurrence."""
    for key in keys:
        kb = key.encode("gbk")
        data = data.replace(kb, kb + b"(" + reading(key).encode("gbk") + b")")
    return data


def desync_bytes(data: bytes, rng: random.Random, count: int = 1, stray: bytes = b" ") -> bytes:
    """Insert `stray` after `count` random lead bytes that start a double-byte character (family F3)."""
    starts = []
    i = 0
    while i < len(data):
        if is_lead(data[i]) and i + 1 < len(data):
            starts.append(i)
            i += 2
        else:
            i += 1
    picks = sorted(rng.sample(starts, min(count, len(starts))), reverse=True)
    for i in picks:
        data = data[: i + 1] + stray + data[i + 1 :]
    return data


def drop_private_use(text: str) -> str:
    """Delete private-use characters (what the seed pipeline did with user-defined area pairs)."""
    return _PUA.sub("", text)


def strip_tags(text: str) -> str:
    """Remove complete tags only (a tag whose `<` was eaten stays as a `/p>` fragment)."""
    return _TAG.sub("", text)


_RUBY = re.compile(r"([^\x00-\x7f])\(([^()\s]{1,7})\)")


def strip_ruby(text: str) -> str:
    """Remove intact `X(py)` units whose pinyin is X's reading (a minimal ruby step, for measuring)."""
    return _RUBY.sub(lambda m: m.group(1) if m.group(2) == reading(m.group(1)) else m.group(0), text)


def nfkc(text: str) -> str:
    """NFKC: `，：；！？（）` and U+3000 become ASCII; `、。“”` stay."""
    return unicodedata.normalize("NFKC", text)


@dataclass
class Damage:
    """One simulated page: the damaged `text`, the traditional `source` it came from, and what was done."""

    text: str
    source: str
    keys: list[str]
    desyncs: int
    lost: int = 0  # characters of the page with a byte the decoder lost (without ruby keys only)


def damage(
    text: str,
    rng: random.Random | None = None,
    share: float = 0.5,
    desyncs: int = 0,
    html: bool = True,
    convert: bool = True,
) -> Damage:
    """The seed site's chain on `text` (simplified, or traditional with convert=False), paragraph per line.

    s2t -> (optional `<p>` markup) -> GBK -> ruby over bytes -> `desyncs` stray bytes -> PHP CP936 decode ->
    private use deleted -> complete tags stripped -> NFKC. Characters outside GBK are left out of the page.
    """
    rng = rng or random.Random(0)
    source = s2t(text) if convert else text
    source = source.encode("gbk", errors="ignore").decode("gbk")
    keys = ruby_keys(source, share, rng)
    page = "\n".join(f"<p>{line}</p>" for line in source.split("\n")) if html else source
    data = ruby_bytes(page.encode("gbk"), keys)
    lost = 0
    if desyncs:
        damaged = desync_bytes(data, rng, desyncs)
        lost = 0 if keys else lost_chars(page, damaged)
        data = damaged
    out = drop_private_use(php_cp936_decode(data))
    if html:
        out = strip_tags(out)
    return Damage(nfkc(out), source, keys, desyncs, lost)


def lost_chars(page: str, data: bytes) -> int:
    """Characters of `page` with a byte that `data` (its GBK bytes plus stray bytes) loses when decoded.

    A byte is lost when it ends up in a `?` or in a deleted private-use pair: what the text no longer
    tells, so a repair can only guess it from context.
    """
    owner: list[int] = []  # the page character of each byte of data (-1: a stray byte)
    src = [i for i, ch in enumerate(page) for _ in ch.encode("gbk")]
    j = 0
    own = page.encode("gbk")
    for b in data:
        if j < len(own) and b == own[j]:
            owner.append(src[j])
            j += 1
        else:
            owner.append(-1)
    lost: set[int] = set()
    i = 0
    while i < len(data):
        b = data[i]
        if b < 0x80 or b == 0x80:
            i += 1
            continue
        ch = pair_char(b, data[i + 1]) if b != 0xFF and i + 1 < len(data) else None
        size = 1 if b == 0xFF or i + 1 >= len(data) else 2
        if ch is None or "\ue000" <= ch <= "\uf8ff":
            lost.update(owner[i : i + size])
        i += size
    lost.discard(-1)
    return len(lost)
