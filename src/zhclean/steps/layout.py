"""Strip indentation and blank lines; split paragraphs the page collapsed into one line.

The output has one paragraph per line, no blank lines and no leading or trailing spaces on any
line. Lines are joined by single newlines: the text neither starts nor ends with a newline.

Each fixer below is one kind of edit:

* ``indent``: leading spaces, tabs, U+3000 and NBSP go.
  ``"\\u3000\\u3000生物醫藥是戰略性新興產業。"`` -> ``"生物醫藥是戰略性新興產業。"``
* ``trailing-space``: spaces at a line end go.
  ``"黃偉/文 吳勝/攝 \\n"`` -> ``"黃偉/文 吳勝/攝\\n"``
* ``blank-lines``: empty or whitespace-only lines go.
  ``"第一段。\\n\\n\\n第二段。"`` -> ``"第一段。\\n第二段。"``
* ``paragraph-split``: a space right after a sentence end (``。！？``, or one of them followed by a
  closing quote) and before a Chinese character or an opening quote was a paragraph break.
  ``"……為全市高質量發展作出新的更大貢獻。市委書記姜冬冬主持會議并講話。 會前，與會市領導圍繞
  醫藥高新區提出的重大事項進行了現場調研。"`` becomes two lines, split after ``講話。``.
  It is not split when a piece would be shorter than ``min_paragraph`` (20) characters (verse lines,
  terse manual sentences), nor when the line also has a space after ``，；、：``, between Chinese
  and Latin letters or digits (``Debian 套件``) or between two hanzi: there the spaces are the
  writer's style or the holes of dropped words, not lost line breaks.
  A headline like ``"集思廣益繪藍圖 實幹爭先開新局"`` has no sentence end and is never split.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator

from ..document import Replacement
from ..step import Repair

SPACE = " \t\u3000\u00a0\u2000-\u200a\u202f\u205f"
# The characters of SPACE and a newline: what a text that needs this step may start or end with.
EDGE_CHARS = frozenset("\n \t\u3000\u00a0\u202f\u205f" + "".join(map(chr, range(0x2000, 0x200B))))
# Spaces at a line start: the first space must not follow a character other than a newline (written
# space first, so that the search skips to candidate characters quickly, like `^[{SPACE}]+` multiline).
LEADING = re.compile(rf"[{SPACE}](?<![^\n][{SPACE}])[{SPACE}]*")
# Spaces after a non-space at a line end (the look-behind follows the first space so that the search
# can skip to candidate characters quickly; it matches what `(?<=[^\s])[{SPACE}]+$` matches).
TRAILING = re.compile(rf"[{SPACE}](?<=[^\s][{SPACE}])[{SPACE}]*$", re.MULTILINE)
# Runs of blank lines: removed together with the line break before them (or after, at the start).
BLANK_START = re.compile(rf"(?:[{SPACE}]*\n)+")
BLANK_RUN = re.compile(rf"\n(?:[{SPACE}]*\n)*[{SPACE}]*(?=\n|\Z)")
# Inside the text, every blank line, indentation or trailing space shows as a newline next to a space or
# another newline (the ends of the text are checked apart). The newline comes first so that the search
# skips to newlines at C speed.
EDGE_HINT = re.compile(rf"\n(?:[\n{SPACE}]|(?<=[{SPACE}]\n))")
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
OPENING = "“‘「『《〈【〔"
CLOSING_QUOTE = "”’」』"
# A sentence end, a space, then the start of a new Chinese sentence. ASCII `!?` count after a
# Chinese character (the punctuation step runs later and makes them full-width).
# (The sentence end is one character class first, so that the search skips to candidates quickly.)
PARAGRAPH_BREAK = re.compile(
    rf"[。！？!?](?:(?<=[。！？])|(?<=[{HAN}][!?]))[{CLOSING_QUOTE}]?(?P<space>[ \u3000\u00a0]+)(?=[{HAN}{OPENING}])"
)

# A space after a comma-like mark inside Chinese text means the writer spaces after punctuation,
# so a space after `。` on that line is style, not a lost paragraph break.
# The same holds for a space between Chinese and Latin letters or digits ("Debian 套件") or between two
# hanzi (a word dropped by the extractor: "由 参数指定").
SPACED_STYLE = re.compile(
    rf"[，；、：][ \u3000]|(?<=[{HAN}])[,;:] (?=[{HAN}])|[{HAN}] [{HAN}A-Za-z0-9]|[A-Za-z0-9] [{HAN}]"
)


def _has_edges(text: str) -> bool:
    """Whether `text` may have a blank line, indentation or a trailing space (False proves it has none)."""
    return not EDGE_CHARS.isdisjoint(text[:1] + text[-1:]) or EDGE_HINT.search(text) is not None


class Layout(Repair):
    """Strip indentation and blank lines; split paragraphs the page collapsed into one line."""

    name = "layout"

    def __init__(self, split_paragraphs: bool = True, min_paragraph: int = 20) -> None:
        self.split_paragraphs = split_paragraphs
        self.min_paragraph = min_paragraph

    def find(self, text: str) -> Iterable[Replacement]:
        reps = self._blank_lines_and_edges(text) if _has_edges(text) else []
        if self.split_paragraphs:
            reps.extend(self._paragraph_splits(text))
        return sorted(reps, key=lambda r: r.start)

    def _blank_lines_and_edges(self, text: str) -> list[Replacement]:
        """Blank-line runs, then the indentation and trailing spaces that are not inside one of them."""
        reps = list(self._blank_lines(text))
        covered_starts = [r.start for r in reps]
        for r in self._line_edges(text):
            # blank-line runs are sorted and disjoint: only the last one starting at or before r can hold it
            i = bisect.bisect_right(covered_starts, r.start) - 1
            if i < 0 or r.end > reps[i].end:
                reps.append(r)
        return reps

    def _blank_lines(self, text: str) -> Iterator[Replacement]:
        first = BLANK_START.match(text)
        for m in ([first] if first else []) + list(BLANK_RUN.finditer(text, first.end() if first else 0)):
            start, end = m.span()
            if start < end:
                yield Replacement(start, end, "", "blank-lines", f"{m.group().count(chr(10))} line breaks")

    def _line_edges(self, text: str) -> Iterator[Replacement]:
        for m in LEADING.finditer(text):
            yield Replacement(m.start(), m.end(), "", "indent", "leading space")
        for m in TRAILING.finditer(text):
            yield Replacement(m.start(), m.end(), "", "trailing-space", "space at line end")

    def _paragraph_splits(self, text: str) -> Iterator[Replacement]:
        """Splits in the lines that have a sentence end before a space (no match crosses a line break)."""
        line_end = -1
        for hit in PARAGRAPH_BREAK.finditer(text):
            if hit.start() < line_end:
                continue  # a line already done
            line_start = text.rfind("\n", 0, hit.start()) + 1
            line_end = text.find("\n", hit.start())
            line_end = len(text) if line_end < 0 else line_end
            line = text[line_start:line_end]
            if not SPACED_STYLE.search(line):
                for start, end in self._breaks(line):
                    yield Replacement(
                        line_start + start, line_start + end, "\n", "paragraph-split", "sentence end, space"
                    )

    def _breaks(self, line: str) -> list[tuple[int, int]]:
        """Spans of the spaces to split at: pieces shorter than `min_paragraph` are not split off."""
        spans = [m.span("space") for m in PARAGRAPH_BREAK.finditer(line)]
        kept: list[tuple[int, int]] = []
        for k, (start, end) in enumerate(spans):
            piece_start = kept[-1][1] if kept else 0
            piece_end = spans[k + 1][0] if k + 1 < len(spans) else len(line)
            if start - piece_start >= self.min_paragraph and piece_end - end >= self.min_paragraph:
                kept.append((start, end))
        return kept
