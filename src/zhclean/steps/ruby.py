"""Remove flattened ruby pinyin: `調(diào)研` -> `調研`.

Pages that annotate characters with HTML ruby (``<ruby>調<rt>diào</rt></ruby>``) lose the markup when the
text is extracted, leaving a pinyin syllable in brackets after each annotated character (family F1).

A bracketed unit ``X(py)`` (ASCII or full-width brackets, in any mix) is removed only when ``py`` is one
lower-case pinyin syllable that pypinyin gives as a reading of the Han character ``X`` just before it.
Every reading of ``X`` counts (pages use one fixed reading, even where it is wrong in context, as in
``長(zhǎng)三角``). Forms accepted:

* tone marks: ``調(diào)``, ``綠(lǜ)``; the breve look-alikes ``ă ĕ ĭ ŏ ŭ`` and the GB2312 letters ``ɑ ɡ``
  count as ``ǎ ě ǐ ǒ ǔ`` and ``a g``;
* tone numbers: ``調(diao4)``, ``綠(lv4)``, ``綠(lü4)``, ``綠(lu:4)``, neutral ``的(de5)`` or ``的(de0)``;
* no tone at all (``的(de)``, ``調(diao)``): only when the same document also shows at least
  ``MIN_TONED`` toned ruby units, because a bare Latin syllable in brackets is too often a real word.

Anything else stays: ``(江蘇)``, ``（GDP）``, ``(2022)``, ``(AI)``, ``(Python)``, ``人工智能(AI)``,
``電腦(computer)``, several syllables like ``北京(běijīng)``, and units after a non-Han character.
Damaged units without an opening bracket (``奮勇?tīng)``) belong to the ``gbk_damage`` step.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from pypinyin import Style, pinyin

from ..document import Document, Replacement
from ..step import Repair

# One Han character, an opening bracket, one candidate syllable (Latin lower-case letters, tone marks,
# ü, the `u:` spelling, an optional tone digit) and a closing bracket. The match starts at the bracket
# (the character is in a look-behind), so that the search skips to brackets quickly.
_UNIT = re.compile(
    r"[(（](?<=(?P<char>[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f])[(（])"
    r"(?P<py>[a-zü\u00e0-\u01dc\u0251\u0261\u0300-\u036f:]{1,8}[0-5]?)[)）]"
)
_TONE_MARKS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_LOOKALIKES = str.maketrans({"ă": "ǎ", "ĕ": "ě", "ĭ": "ǐ", "ŏ": "ǒ", "ŭ": "ǔ", "ɑ": "a", "ɡ": "g"})
_HAS_MARK = re.compile(f"[{_TONE_MARKS}]")

MIN_TONED = 2


@lru_cache(maxsize=8192)
def readings(char: str) -> tuple[frozenset[str], frozenset[str]]:
    """The pypinyin readings of `char`: (tone-marked forms, tone-numbered forms with `v` for ü)."""
    marked = pinyin(char, style=Style.TONE, heteronym=True)[0]
    numbered = pinyin(char, style=Style.TONE3, heteronym=True, neutral_tone_with_five=True)[0]
    return frozenset(marked), frozenset(numbered)


def _normalise(py: str) -> str:
    return unicodedata.normalize("NFC", py).translate(_LOOKALIKES)


def classify(char: str, py: str) -> str | None:
    """How `py` reads `char`: "toned" (tone mark or number), "toneless", or None if it is no reading."""
    py = _normalise(py)
    marked, numbered = readings(char)
    if _HAS_MARK.search(py):
        return "toned" if py in marked else None
    plain = py.replace("u:", "v").replace("ü", "v")
    if plain[-1].isdigit():
        plain = plain[:-1] + "5" if plain[-1] == "0" else plain
        return "toned" if plain in numbered else None
    if plain.isalpha() and plain.isascii() and any(r.rstrip("012345") == plain for r in numbered):
        return "toneless"
    return None


class RubyPinyin(Repair):
    """Remove flattened ruby pinyin after the character it reads.

    >>> print(RubyPinyin().fix("調(diào)研時(shí)強(qiáng)調(diào)"))
    調研時強調
    >>> print(RubyPinyin().fix("人工智能(AI)與長(zhǎng)三角（江蘇）"))
    人工智能(AI)與長三角（江蘇）
    """

    name = "ruby"

    def __init__(self, min_toned: int = MIN_TONED) -> None:
        self.min_toned = min_toned

    def find(self, text: str) -> Iterable[Replacement]:
        if "(" not in text and "（" not in text:
            return []
        toned: list[re.Match[str]] = []
        toneless: list[re.Match[str]] = []
        for m in _UNIT.finditer(text):
            kind = classify(m["char"], m["py"])
            if kind == "toned":
                toned.append(m)
            elif kind == "toneless":
                toneless.append(m)
        units = toned + (toneless if len(toned) >= self.min_toned else [])
        return [
            Replacement(m.start(), m.end(), "", "ruby", f"pinyin of {m['char']}")
            for m in sorted(units, key=lambda m: m.start())
        ]

    def __call__(self, doc: Document) -> None:
        replacements = list(self.find(doc.text))
        doc.apply(self.name, replacements)
        if replacements:
            doc.meta["ruby_units"] = len(replacements)
