"""Remove invisible, control and private-use characters; fix Latin-script mojibake with ftfy (CJK-safe).

Each fixer below is one kind of edit:

* ``control-char``: C0/C1 control characters and terminal colour codes go (newline and tab
  stay); ``\\r\\n``, ``\\r``, U+2028 and U+2029 become ``\\n``.
  ``"第一段\\r\\n第二\\x07段"`` -> ``"第一段\\n第二段"``
* ``invisible-char``: BOM, zero-width space, soft hyphen, word joiner and stray bidi marks go;
  a zero-width joiner or non-joiner stays where it joins two letters of a script that needs it
  (emoji sequences, Persian, Indic).
  ``"\\ufeff發展\\u200b理念"`` -> ``"發展理念"``
* ``private-use``: private-use code points (GBK user-defined area, icon fonts) go.
  ``"成果\\ue4c6展示"`` -> ``"成果展示"``
* ``latin-mojibake``: UTF-8 read as Latin-1/cp1252 is decoded again by ftfy, with ftfy's
  width folding, quote uncurling, normalisation and HTML unescaping turned off so that
  ``，`` ``“”`` and CJK compatibility ideographs survive.
  ``"café â€“ 咖啡，“好”"`` -> ``"café – 咖啡，“好”"``

NFKC is never applied: it would fold full-width punctuation to ASCII.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator

import ftfy

from ..document import Replacement
from ..step import Repair

# ftfy with every fixer that could touch clean CJK text switched off.
FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,
    remove_terminal_escapes=False,
    fix_c1_controls=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    uncurl_quotes=False,
    fix_line_breaks=False,
    remove_control_chars=False,
    normalization=None,
    explain=False,
)

NEWLINES = re.compile(r"\r\n?|[\u2028\u2029]")
# A terminal colour code goes whole (`\x1b[31m`), any other control character alone.
CONTROL = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|[\x00-\x08\x0b-\x1f\x7f-\x9f]")
INVISIBLE = re.compile(r"[\ufeff\u200b\u00ad\u2060-\u2064\u180e]")
JOINERS = re.compile(r"[\u200c\u200d]")
BIDI = re.compile(r"[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
RTL_LETTER = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")
PRIVATE_USE = re.compile(r"[\ue000-\uf8ff\U000f0000-\U0010ffff]")
# A first-pass filter for everything above: clean Chinese text never matches it.
SUSPECT = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069"
    r"\ufeff\ue000-\uf8ff\U000f0000-\U0010ffff\r]"
)
# UTF-8 read as Latin-1/cp1252 always shows a lead byte as one of these characters.
LATIN_MOJIBAKE_HINT = re.compile(r"[\x80-\x9f\xc2-\xf4]")
# Either of the two above, in one search: a clean text needs only this one pass.
ANY_HINT = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\xc2-\xf4\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069"
    r"\ufeff\ue000-\uf8ff\U000f0000-\U0010ffff\r]"
)
# Letters that never need a joiner next to them: ASCII, CJK, kana, hangul, full-width forms.
NO_JOINER_SCRIPT = re.compile(r"[\x00-\x7f\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\s]")


class UnicodeHygiene(Repair):
    """Remove invisible, control and private-use characters; fix Latin-script mojibake with ftfy (CJK-safe)."""

    name = "unicode"

    def __init__(self, fix_latin_mojibake: bool = True, remove_private_use: bool = True) -> None:
        self.fix_latin_mojibake = fix_latin_mojibake
        self.remove_private_use = remove_private_use

    def find(self, text: str) -> Iterable[Replacement]:
        if not ANY_HINT.search(text):
            return []
        mojibake = list(self._latin_mojibake(text)) if self.fix_latin_mojibake else []
        if not mojibake and not SUSPECT.search(text):
            return mojibake
        taken = [(r.start, r.end) for r in mojibake]
        reps = list(mojibake)
        for r in self._characters(text):
            if not any(s <= r.start < e for s, e in taken):
                reps.append(r)
        return sorted(reps, key=lambda r: r.start)

    def _characters(self, text: str) -> Iterator[Replacement]:
        """Single-character removals and newline normalisation."""
        yield from (
            Replacement(m.start(), m.end(), "\n", "control-char", "line break to \\n")
            for m in NEWLINES.finditer(text)
        )
        for m in CONTROL.finditer(text):
            if m.group() != "\r":
                yield Replacement(m.start(), m.end(), "", "control-char", f"U+{ord(m.group()[0]):04X}")
        for m in INVISIBLE.finditer(text):
            yield Replacement(m.start(), m.end(), "", "invisible-char", f"U+{ord(m.group()):04X}")
        for m in JOINERS.finditer(text):
            if not _joins_letters(text, m.start()):
                yield Replacement(m.start(), m.end(), "", "invisible-char", f"U+{ord(m.group()):04X}")
        if not RTL_LETTER.search(text):
            for m in BIDI.finditer(text):
                yield Replacement(m.start(), m.end(), "", "invisible-char", f"U+{ord(m.group()):04X}")
        if self.remove_private_use:
            for m in PRIVATE_USE.finditer(text):
                yield Replacement(m.start(), m.end(), "", "private-use", f"U+{ord(m.group()):04X}")

    def _latin_mojibake(self, text: str) -> Iterator[Replacement]:
        """ftfy's encoding fix, run only on lines that show a UTF-8 lead byte read as Latin-1."""
        if not LATIN_MOJIBAKE_HINT.search(text):
            return
        pos = 0
        for line in text.split("\n"):
            if LATIN_MOJIBAKE_HINT.search(line):
                fixed = ftfy.fix_text(line, FTFY_CONFIG)
                if fixed != line:
                    yield from _diff(line, fixed, pos)
            pos += len(line) + 1


def _joins_letters(text: str, i: int) -> bool:
    """True when the joiner at `i` sits between two characters of a script that uses joiners."""
    if i == 0 or i + 1 >= len(text):
        return False
    return not (NO_JOINER_SCRIPT.match(text[i - 1]) or NO_JOINER_SCRIPT.match(text[i + 1]))


def _diff(old: str, new: str, offset: int) -> Iterator[Replacement]:
    """The changed stretches between a line and its ftfy repair, as replacements."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op != "equal":
            yield Replacement(offset + i1, offset + i2, new[j1:j2], "latin-mojibake", "ftfy fix_encoding")
