"""Detect the document's script and convert to simplified or traditional with OpenCC.

Detection (families F4, F14) counts, over the document's Han characters, those that OpenCC ``t2s``
changes (traditional-only: 發 國 這) and those that ``s2t`` changes (simplified-only: 发 国 这), one
character at a time. ``doc.meta["hant_share"]`` is traditional-only / (traditional-only +
simplified-only), and ``doc.meta["script"]`` is ``hant`` when that share is at least ``HANT_SHARE``,
``hans`` when it is at most ``1 - HANT_SHARE``, ``mixed`` in between, and ``unknown`` when the text has
no convertible character. Pages converted by a site's s2t keep a few simplified one-to-many characters
(并 干 后 于 里), hence a share threshold and not "all characters".

Conversion, by ``target``:

* ``keep``: nothing changes.
* ``hans``: a ``hant`` or ``mixed`` document goes through OpenCC ``t2s.json`` (phrase-aware, and it keeps
  regional vocabulary: 資訊 -> 资讯, not 信息), then through ``data/hans_phrases.txt`` for what t2s
  misses: 著 becomes 着 except in zhù words. ``著力`` -> ``着力``, ``執著`` -> ``执着``, ``隨著`` -> ``随着``,
  but ``著作``, ``著名``, ``顯著`` -> ``显著`` keep 著.
* ``hant``: a ``hans`` or ``mixed`` document goes through OpenCC ``s2t.json``.

Only the characters of the other script change, so a mostly simplified document with one traditional
paragraph (mixed corpora) gets that paragraph converted; a document with no character of the other script
is left alone. Each changed run of characters is one edit of
kind ``script`` (``發展`` -> ``发展``).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from functools import lru_cache
from importlib import resources

import numpy as np
import opencc

from ..document import Document, Replacement
from ..pipeline import ConfigError

TARGETS = ("keep", "hans", "hant")
HANT_SHARE = 0.8


@lru_cache(maxsize=4)
def converter(config: str) -> opencc.OpenCC:
    """A cached OpenCC converter for a bundled configuration such as ``t2s.json``."""
    return opencc.OpenCC(config)


@lru_cache(maxsize=1)
def hans_phrases() -> tuple[dict[str, str], re.Pattern[str], str]:
    """The post-t2s phrase table (data/hans_phrases.txt), a longest-first pattern over its keys, and the
    characters that every key holds (a text with none of them has no phrase to fix)."""
    text = resources.files("zhclean").joinpath("data/hans_phrases.txt").read_text(encoding="utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if parts:
            table[parts[0]] = parts[-1]
    keys = sorted(table, key=len, reverse=True)
    common = set(keys[0]).intersection(*keys[1:]) if keys else set()
    return table, re.compile("|".join(map(re.escape, keys))), "".join(sorted(common))


# The Han characters counted: CJK unified ideographs, extension A, compatibility, extensions B-G.
_HAN_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
TRADITIONAL_ONLY, SIMPLIFIED_ONLY = 1, 2


@lru_cache(maxsize=1)
def sides_table() -> np.ndarray:
    """For every code point, a bit set: TRADITIONAL_ONLY when t2s changes it, SIMPLIFIED_ONLY when s2t does.

    Only Han characters get bits. Each is converted alone, so its side never depends on its neighbours.
    """
    chars = [chr(c) for lo, hi in _HAN_RANGES for c in range(lo, hi + 1)]
    joined = "\n".join(chars)
    as_hans = converter("t2s.json").convert(joined).split("\n")
    as_hant = converter("s2t.json").convert(joined).split("\n")
    table = np.zeros(0x110000, dtype=np.uint8)
    table[[ord(c) for c, s in zip(chars, as_hans, strict=True) if s != c]] |= TRADITIONAL_ONLY
    table[[ord(c) for c, t in zip(chars, as_hant, strict=True) if t != c]] |= SIMPLIFIED_ONLY
    return table


def detect(text: str) -> tuple[str, float | None]:
    """The script of `text` (hans, hant, mixed, unknown) and its share of traditional-only characters.

    >>> detect("穩中求進")
    ('hant', 1.0)
    >>> detect("稳中求进")
    ('hans', 0.0)
    """
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    counts = np.bincount(sides_table()[codes], minlength=4).tolist()  # by bit set: 0, 1, 2 or 1|2
    hant, hans = counts[1] + counts[3], counts[2] + counts[3]
    if hant + hans == 0:  # only Han characters have a side, so this also covers text without Han
        return "unknown", None
    share = hant / (hant + hans)
    if share >= HANT_SHARE:
        return "hant", share
    if share <= 1 - HANT_SHARE:
        return "hans", share
    return "mixed", share


def to_hans(text: str) -> str:
    """Mainland simplified: OpenCC t2s, then the phrase fixes of data/hans_phrases.txt.

    >>> to_hans("著力推動顯著成就，執著追求")
    '着力推动显著成就，执着追求'
    """
    table, pattern, common = hans_phrases()
    text = converter("t2s.json").convert(text)
    if common and not any(c in text for c in common):
        return text  # a quick `in` proves that no phrase matches
    return pattern.sub(lambda m: table[m.group()], text)


def to_hant(text: str) -> str:
    """Traditional: OpenCC s2t."""
    return converter("s2t.json").convert(text)


def changed_runs(old: str, new: str) -> list[Replacement]:
    """Replacements turning `old` into `new`, one per changed run of characters.

    OpenCC conversion nearly always keeps the length; then runs are found by comparing position by
    position. Otherwise lines of equal length are compared the same way and the others aligned by difflib.
    """
    if len(old) == len(new):
        return _runs(old, new, 0)
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    if len(old_lines) != len(new_lines):
        return list(_aligned(old, new, 0))
    found: list[Replacement] = []
    offset = 0
    for a, b in zip(old_lines, new_lines, strict=True):
        found += _runs(a, b, offset) if len(a) == len(b) else _aligned(a, b, offset)
        offset += len(a)
    return found


def changed_spans(old: str, new: str) -> tuple[list[int], list[int]]:
    """Starts and ends of the runs of characters in which `old` and `new` (of equal length) differ."""
    if old == new:
        return [], []
    a = np.frombuffer(old.encode("utf-32-le"), dtype=np.uint32)
    b = np.frombuffer(new.encode("utf-32-le"), dtype=np.uint32)
    changed = np.zeros(len(a) + 2, dtype=bool)  # a False on each side: every run has a start and an end
    np.not_equal(a, b, out=changed[1:-1])
    bounds = np.flatnonzero(changed[1:] != changed[:-1]).tolist()  # start, end, start, end...
    return bounds[::2], bounds[1::2]


def _runs(old: str, new: str, offset: int) -> list[Replacement]:
    return [
        Replacement(offset + start, offset + end, new[start:end], "script")
        for start, end in zip(*changed_spans(old, new), strict=True)
    ]


def _aligned(old: str, new: str, offset: int) -> Iterator[Replacement]:
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            yield Replacement(offset + i1, offset + i2, new[j1:j2], "script")


class Script:
    """Record the document's script in `meta`; convert it to `target` (keep, hans or hant) with OpenCC.

    >>> doc = Document("會議強調，要堅持穩字當頭")
    >>> Script(target="hans")(doc)
    >>> doc.text, doc.meta["script"]
    ('会议强调，要坚持稳字当头', 'hant')
    """

    name = "script"

    def __init__(self, target: str = "keep") -> None:
        if target not in TARGETS:
            raise ConfigError(f"script target must be one of {', '.join(TARGETS)}, not {target!r}")
        self.target = target

    def __call__(self, doc: Document) -> None:
        script, share = detect(doc.text)
        doc.meta["script"] = script
        if share is not None:
            doc.meta["hant_share"] = round(share, 4)
        if self.target == "keep" or share is None:
            return
        if (self.target == "hans" and share == 0.0) or (self.target == "hant" and share == 1.0):
            return
        convert = to_hans if self.target == "hans" else to_hant
        text = doc.text
        new = convert(text)
        if len(new) == len(text):  # nearly always: record the changed runs without Replacement objects
            doc.apply_runs(self.name, "script", new, *changed_spans(text, new))
        else:
            doc.apply(self.name, changed_runs(text, new))
