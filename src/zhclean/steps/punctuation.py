"""ASCII `, : ; ( ) ! ?` in Chinese text become full-width `，：；（）！？`.

Pages that went through NFKC (or a similar full-width fold) carry ASCII punctuation inside Chinese
sentences. One fixer, edit kind ``punctuation``, puts the full-width forms back where the text
around is Chinese, and leaves ASCII where it belongs.

A text counts as folded when it has more ASCII commas or semicolons squeezed between two hanzi
(``日,省``) than full-width ``，；：（）！？``. Only a folded text gets the full repair below; in any
other text the ASCII marks were the writer's choice (``分區 (見下方)``), and only a comma or
semicolon between two hanzi becomes full-width. ``assume_folded=True`` treats every text as
folded (for short snippets known to come from a folding pipeline). In a folded text:

* ``, : ;`` become full-width when the nearest real character on either side (skipping spaces,
  curly quotes, brackets and other ASCII punctuation) is Chinese, except between two digits
  (``1,000``, ``09:27:00``, ``3:1``). One space between the mark and Chinese text goes with it.
  ``"9月6日,省委書記"`` -> ``"9月6日，省委書記"``; ``"郵箱:ntrb@163.com"`` -> ``"郵箱：ntrb@163.com"``;
  ``"來源: 南通發布"`` -> ``"來源：南通發布"``
* ``( )`` convert as a pair when the bracketed text holds a Chinese character (and does not start
  or end with a space), when Chinese text comes right before the ``(`` (no space between) and the
  brackets are not empty, or when the pair opens a line and Chinese follows it (``(1)加強``).
  Following mainland usage (GB/T 15834), Latin text bracketed inside Chinese gets full-width
  brackets too: ``"國內生產總值(GDP)"`` -> ``"國內生產總值（GDP）"``; ``"科技(江蘇)有限公司"`` ->
  ``"科技（江蘇）有限公司"``. ``f(x)``, ``參見 ls(1)`` and ``e.g. (see below)`` stay.
* ``!`` becomes ``！`` after Chinese text. ``?`` is also the decoder's substitute for a broken
  character, so it becomes ``？`` only after Chinese text when it ends the line or a sentence
  (space, closing quote or CJK punctuation follows), or when a question word from
  ``data/question_words.txt`` is in the clause: ``"你去嗎?我不去"`` -> ``"你去嗎？我不去"``,
  while ``"取得?成效"`` stays.

Nothing changes inside URLs, e-mail addresses and emoticons (``:-)``), nor on lines that look like
program code. ``"Hello, world (see below)"`` has no Chinese neighbour and stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources

from ..document import Replacement
from ..step import Repair

FULL_WIDTH = {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK = re.compile(rf"[{HAN}\u3001-\u303f\u3040-\u30ff\uff01-\uff60\u2014\u2026]")
HAN_CHAR = re.compile(rf"[{HAN}]")
# Skipped when looking for the character that decides a punctuation mark's context.
TRANSPARENT = set(" \t\u3000\u00a0“”‘’()（）[]【】,:;!?")
# After `?`: signs that the question mark ends a sentence.
SENTENCE_AFTER = re.compile(r"[\s”’」』》）)\u3001-\u3011\uff01-\uff0f\uff1a-\uff1f]|$")
CLAUSE_END = re.compile(r"[。！？，；：,;!?\n]")
ASCII_PUNCT = re.compile(r"[,:;!?()]")
ASCII_MARKS = ",:;!?()"
BRACKETS = re.compile(r"[()（）]")
# The signature of a full-width fold: a comma or semicolon squeezed between two hanzi. One pattern for
# each mark: a literal first character is what the regex engine skips to fastest.
FOLD_EVIDENCE = [re.compile(rf"{mark}(?<=[{HAN}]{mark})(?=[{HAN}])") for mark in ",;"]
FULL_WIDTH_MARKS = "，；：（）！？"
URL = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://|www\.)[!-~]+")
EMOTICON = re.compile(rf"[:;]-?[()DPp](?![A-Za-z0-9{HAN}])")
EMAIL = re.compile(r"[A-Za-z0-9_.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
CODE_LINE = re.compile(
    r"[{}]|==|!=|=>|->|&&|\|\||[A-Za-z_][A-Za-z0-9_]*\s*[-+*/%]?=(?!=)|[A-Za-z_][A-Za-z0-9_]*\([\"']"
    r"|\);\s*$|^\s*(?:\$ |>>> |#include|import |def |return )"
)
# Finds the strings one of which every CODE_LINE match holds. CODE_LINE is searched after URLs and e-mail
# addresses become a space; that space joins no two characters, so the line held one of CODE_HINTS before
# too (the hints that end in a space in CODE_LINE are listed without it).
CODE_HINTS = re.compile(
    "|".join(map(re.escape, """{ } = -> && || (" (' ); $ >>> #include import def return""".split()))
)


@lru_cache(maxsize=1)
def question_words() -> tuple[str, ...]:
    """Words that make a clause a question (from data/question_words.txt)."""
    text = resources.files("zhclean").joinpath("data/question_words.txt").read_text(encoding="utf-8")
    return tuple(w for line in text.splitlines() if (w := line.split("#", 1)[0].strip()))


class Punctuation(Repair):
    """ASCII `, : ; ( ) ! ?` in Chinese text become full-width `，：；（）！？`."""

    name = "punctuation"

    def __init__(self, question_marks: bool = True, assume_folded: bool = False) -> None:
        self.question_marks = question_marks
        self.assume_folded = assume_folded

    def find(self, text: str) -> Iterable[Replacement]:
        if not any(c in text for c in ASCII_MARKS):  # `in` is far faster than a regex search
            return []
        folds = _fold_evidence(text)
        if not self.assume_folded and (not folds or len(folds) <= sum(map(text.count, FULL_WIDTH_MARKS))):
            # Not a folded text: its ASCII marks were chosen; only `，` typos between two hanzi go.
            return [
                Replacement(i, i + 1, FULL_WIDTH[text[i]], "punctuation", "between two hanzi") for i in folds
            ]
        reps: list[Replacement] = []
        pos = 0
        for line in text.split("\n"):
            if ASCII_PUNCT.search(line) and CJK.search(line) and not _looks_like_code(line):
                reps.extend(_replacement(line, pos, i, why) for i, why in self._line(line))
            pos += len(line) + 1
        return reps

    def _line(self, line: str) -> list[tuple[int, str]]:
        """Positions in one line whose ASCII mark should become full-width, with the reason."""
        protected = _protected(line)
        found = dict(_bracket_pairs(line, protected)) if "(" in line or ")" in line else {}
        for m in ASCII_PUNCT.finditer(line):
            i = m.start()
            if i in protected or i in found or m.group() in "()":
                continue
            why = self._single(line, i)
            if why:
                found[i] = why
        return sorted(found.items())

    def _single(self, line: str, i: int) -> str | None:
        c = line[i]
        before, after = line[i - 1 : i], line[i + 1 : i + 2]
        if c in ",:;" and before.isdigit() and after.isdigit():
            return None
        if (c == ":" and after in ("/", "\\")) or (c == "!" and after == "="):
            return None
        if c in ",:;":
            if _is_cjk(_neighbour(line, i, -1)):
                return "Chinese before"
            return "Chinese after" if _is_cjk(_neighbour(line, i, 1)) else None
        start, end = i, i + 1  # the run of `!` and `?` this mark belongs to
        while start > 0 and line[start - 1] in "!?":
            start -= 1
        while end < len(line) and line[end] in "!?":
            end += 1
        if not _is_cjk(_neighbour(line, start, -1)):
            return None
        if "?" not in line[start:end]:
            return "after Chinese"
        return self._question(line, start, end)

    def _question(self, line: str, i: int, end: int) -> str | None:
        if not self.question_marks:
            return None
        if SENTENCE_AFTER.match(line, end):
            return "question mark ends a Chinese sentence"
        clause_start = max((m.end() for m in CLAUSE_END.finditer(line, 0, i)), default=0)
        if any(w in line[clause_start:i] for w in question_words()):
            return "question word before it"
        return None


def _fold_evidence(text: str) -> list[int]:
    """Positions of the commas and semicolons squeezed between two hanzi (`日,省`), in order."""
    return sorted(m.start() for pattern in FOLD_EVIDENCE for m in pattern.finditer(text))


def _protected(line: str) -> set[int]:
    """Positions inside URLs, e-mail addresses and emoticons (a URL's trailing punctuation is not part of it)."""
    spans: set[int] = set()
    for pattern in _possible(line):
        for m in pattern.finditer(line):
            end = m.end()
            while end > m.start() and line[end - 1] in ",.;:!?)]'\"":
                end -= 1
            spans.update(range(m.start(), end))
    return spans


def _possible(line: str) -> list[re.Pattern[str]]:
    """Those of URL, EMAIL and EMOTICON that can match in `line`: each needs a string that `in` finds fast."""
    found = []
    if "://" in line or "www." in line:
        found.append(URL)
    if "@" in line:
        found.append(EMAIL)
    if ":" in line or ";" in line:
        found.append(EMOTICON)
    return found


def _replacement(line: str, pos: int, i: int, why: str) -> Replacement:
    """The full-width mark for line[i]; one ASCII space between it and Chinese text goes with it."""
    start, end = i, i + 1
    if line[i] == "(" and line[i - 1 : i] == " " and HAN_CHAR.match(line[i - 2 : i - 1]):
        start -= 1
    elif line[i] != "(" and line[i + 1 : i + 2] == " " and HAN_CHAR.match(line[i + 2 : i + 3]):
        end += 1
    return Replacement(pos + start, pos + end, FULL_WIDTH[line[i]], "punctuation", why)


def _looks_like_code(line: str) -> bool:
    """True for a line of program code (URLs and e-mail addresses aside)."""
    if not CODE_HINTS.search(line):
        return False
    if "://" in line or "www." in line:
        line = URL.sub(" ", line)
    if "@" in line:
        line = EMAIL.sub(" ", line)
    return CODE_LINE.search(line) is not None


def _bracket_pairs(line: str, protected: set[int]) -> Iterator[tuple[int, str]]:
    """Positions of ASCII brackets in pairs that belong to Chinese text."""
    stack: list[int] = []
    for m in BRACKETS.finditer(line):
        i = m.start()
        if i in protected:
            continue
        if m.group() in "(（":
            stack.append(i)
        elif stack:
            start = stack.pop()
            why = _pair_reason(line, start, i)
            if why:
                yield from ((p, why) for p in (start, i) if line[p] in "()")


def _pair_reason(line: str, start: int, end: int) -> str | None:
    inner = line[start + 1 : end]
    if "（" in (line[start], line[end]) or "）" in (line[start], line[end]):
        return "matches a full-width bracket"
    if any(q in inner for q in "\"'`") or inner != inner.strip():
        return None
    if HAN_CHAR.search(inner):
        return "Chinese inside the brackets"
    if (
        inner.strip()
        and line[start - 1 : start] not in ("", " ", "\t")
        and _is_cjk(_neighbour(line, start, -1))
    ):
        return "brackets right after Chinese text"
    if not line[:start].strip() and HAN_CHAR.match(line, end + 1):
        return "numbering before Chinese text"
    return None


def _neighbour(line: str, i: int, step: int) -> str:
    """The nearest character from position i in direction step that is not space, quote or bracket."""
    j = i + step
    while 0 <= j < len(line) and line[j] in TRANSPARENT:
        j += step
    return line[j] if 0 <= j < len(line) else ""


def _is_cjk(c: str) -> bool:
    return bool(c) and CJK.match(c) is not None
