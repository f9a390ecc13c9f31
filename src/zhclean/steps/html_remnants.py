"""Remove HTML tags, orphan tag fragments like `/p>`, and unescape entities.

Each fixer below is one kind of edit:

* ``html-tag``: whole tags of known HTML elements, comments, ``<!DOCTYPE>`` and ``<script>``/``<style>``
  blocks go. A run of tags with a block element (``p``, ``br``, ``div``, ``li``...) between two pieces of
  text on one line becomes a line break; otherwise the run is removed.
  ``"會議召開。<br/>會議指出"`` -> ``"會議召開。\\n會議指出"``;
  ``"<span class=\\"x\\">南通</span>發布"`` -> ``"南通發布"``
* ``html-fragment``: pieces of tags whose ``<`` or ``>`` was lost: ``/p>`` (not after a letter or digit),
  ``br/>``, ``<p`` or ``</span`` at a line end, ``class="x">`` at a line start; ``nbsp;`` without its
  ``&`` becomes a space.
  ``"確保取得實效。/p>"`` -> ``"確保取得實效。"``
* ``html-entity``: character references are decoded with ``html.unescape``; ``&nbsp;`` becomes a plain
  space, and double escapes like ``&amp;nbsp;`` are decoded in one go.
  ``"中&#x6587;&nbsp;&amp;"`` -> ``"中文 &"``

Only names from ``data/html_tags.txt`` count as tags, so ``a < b > c``, ``->``, ``<人民日報>`` and
``x<y`` stay as they are.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources

from ..document import Replacement
from ..step import Repair


@lru_cache(maxsize=1)
def tag_names() -> dict[str, bool]:
    """Known HTML element names -> whether the element is block-level (from data/html_tags.txt)."""
    text = resources.files("zhclean").joinpath("data/html_tags.txt").read_text(encoding="utf-8")
    names: dict[str, bool] = {}
    for line in text.splitlines():
        parts = line.split("#", 1)[0].split()
        if parts:
            names[parts[0].lower()] = "block" in parts[1:]
    return names


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    names = "|".join(re.escape(n) for n in sorted(tag_names(), key=len, reverse=True))
    value = r"""(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+)"""
    with_value = rf"[A-Za-z_:][\w:.-]*\s*=\s*{value}"
    any_attr = rf"[A-Za-z_:][\w:.-]*(?:\s*=\s*{value})?"
    # A tag's attributes must include one `name=value`, so `a<b and c>d` is not a tag.
    attrs = rf"(?:(?:\s+{any_attr})*\s+{with_value}(?:\s+{any_attr})*)?"
    tag = rf"</(?:{names})\s*>|<(?:{names}){attrs}\s*/?>"
    attr_value = r"""(?:"[^"<>\n]*"|'[^'<>\n]*')"""
    pattern = re.compile(
        r"(?P<block><(script|style)\b[^>]*>.*?</\2\s*>)"
        r"|(?P<comment><!--.*?-->|<!DOCTYPE[^<>]*>)"
        rf"|(?P<tags>(?:{tag})(?:[ \t]*(?:{tag}))*)"
        rf"|(?P<close>(?<![<A-Za-z0-9/])/(?:{names})[ \t]*>)"
        r"|(?P<void>(?<![<A-Za-z0-9])(?:br|hr)[ \t]*/>)"
        rf"|(?P<open></?(?:{names})(?:[ \t]+{with_value}[^<>\n]*)?[ \t]*$)"
        rf"|(?P<attr>^(?:[ \t]*[A-Za-z][\w:-]*[ \t]*=[ \t]*{attr_value})+[ \t]*/?>)"
        r"|(?P<entity>&(?:amp;)*(?:#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};"
        r"|nbsp(?![A-Za-z0-9;])))"
        r"|(?P<nbsp>(?<![&A-Za-z0-9])nbsp;)",
        re.IGNORECASE | re.MULTILINE | re.DOTALL,
    )
    return pattern, re.compile(rf"<(/?)({names})(?=[\s/>])", re.IGNORECASE)


# What every remnant holds: `<`, `>`, `&` or `nbsp;`.
MARKUP_HINT = re.compile(r"[<>&]|nbsp;", re.IGNORECASE)
NBSP_HINT = re.compile(r"nbsp;", re.IGNORECASE)
# Remnants that can span lines: only then is the whole text searched at once.
MULTILINE_HINT = re.compile(r"<!--|<script|<style", re.IGNORECASE)


def _has_markup(text: str) -> bool:
    """Whether MARKUP_HINT matches in `text`, tested with `in` (far faster than a regex search) first."""
    return "<" in text or ">" in text or "&" in text or (";" in text and NBSP_HINT.search(text) is not None)


class HtmlRemnants(Repair):
    """Remove HTML tags, orphan tag fragments like `/p>`, and unescape entities."""

    name = "html"

    def __init__(self, unescape_entities: bool = True) -> None:
        self.unescape_entities = unescape_entities

    def find(self, text: str) -> Iterable[Replacement]:
        if not _has_markup(text):
            return []
        return list(self._find(text))

    def _matches(self, text: str) -> Iterator[re.Match[str]]:
        """Matches of the remnant pattern, searched only in lines that hold `<`, `>` or `&`."""
        pattern = _patterns()[0]
        if "<" in text and MULTILINE_HINT.search(text):
            yield from pattern.finditer(text)
            return
        line_end = -1
        for hint in MARKUP_HINT.finditer(text):
            if hint.start() < line_end:
                continue
            line_start = text.rfind("\n", 0, hint.start()) + 1
            line_end = text.find("\n", hint.start())
            line_end = len(text) if line_end < 0 else line_end
            yield from pattern.finditer(text, line_start, line_end)

    def _find(self, text: str) -> Iterator[Replacement]:
        tag_start = _patterns()[1]
        for m in self._matches(text):
            kind = m.lastgroup
            start, end = m.span()
            if kind == "entity":
                new = _unescape(m.group())
                if new in ("<", ">") and _would_make_a_tag(text, start, end, new):
                    continue  # `&lt;p&gt;` in a text about markup: decoded, the next run would remove it
                if self.unescape_entities and new is not None:
                    yield Replacement(start, end, new, "html-entity", m.group())
            elif kind in ("block", "comment"):
                yield Replacement(start, end, "", "html-tag", kind)
            elif kind == "tags":
                names = tag_names()
                block = any(names[t.group(2).lower()] for t in tag_start.finditer(m.group()))
                new = "\n" if block and _text_on_both_sides(text, start, end) else ""
                yield Replacement(start, end, new, "html-tag", "block tag" if new else "tag")
            elif kind == "nbsp":
                yield Replacement(start, end, " ", "html-fragment", "&nbsp; that lost its &")
            else:
                yield Replacement(start, end, "", "html-fragment", f"orphan tag piece ({kind})")


def _would_make_a_tag(text: str, start: int, end: int, new: str) -> bool:
    """Whether decoding this `&lt;` / `&gt;` would put a tag-like `<p` / `p>` into the text."""
    if new == "<":
        return re.match(r"/?[A-Za-z]", text[end : end + 2]) is not None
    return re.search(r"[A-Za-z0-9\"'/]$", text[max(0, start - 1) : start]) is not None


def _unescape(entity: str) -> str | None:
    """The text an entity stands for, or None when it is unknown or decodes to a control character."""
    core = entity
    while core.lower().startswith("&amp;") and len(core) > 5:
        core = "&" + core[5:]
    if core.lower().rstrip(";") == "&nbsp":
        return " "
    new = html.unescape(core if core.endswith(";") else core + ";")
    if (
        new == core
        or new == core + ";"
        or any(c == "\ufffd" or (ord(c) < 32 and c not in "\t\n") for c in new)
    ):
        return None
    return new


def _text_on_both_sides(text: str, start: int, end: int) -> bool:
    """True when the line holding text[start:end] has non-space text before and after it."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    after = text[end:] if line_end < 0 else text[end:line_end]
    return bool(text[line_start:start].strip()) and bool(after.strip())
