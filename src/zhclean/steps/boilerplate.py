"""Remove page furniture lines: navigation, share prompts, copyright, ICP, contact lines.

Each line is classified as body or furniture from its own features (vocabulary of
`data/boilerplate.toml`, length, sentence punctuation, share of Chinese characters, list
markers, stray `|`) and from its position: the page's body runs from the first to the last
prose paragraph, and lines above or below it are judged more freely than lines inside it.
A body paragraph that merely mentions a keyword (an article about copyright law) stays.

    南通日報社 2009-2021 版權所有        -> removed (copyright)
    蘇ICP備08106468-3號                  -> removed (icp)
    • 為你推薦 / • 公益播報 / 熱點推薦 / 武漢  -> removed (navigation: a run of short lines after the body)
    |                                    -> removed (fragment)
    他說：“本書版權所有，翻印必究。”       -> kept (prose)
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..document import Document, Replacement
from ..furniture import load_counts, match_form, site_of
from ..pipeline import ConfigError
from .metadata import apply_removals, is_metadata_line, is_prose, line_removals, without_overlaps

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_LATIN_WORD = re.compile(r"[^\W\d_\u3400-\u9fff\uf900-\ufaff]+|\d+")
_OTHER = re.compile(r"[^\w\s]")
_CLAUSE_END = re.compile(r"(?<![\d.])[.:：,，、]$")
_FIELD = re.compile(r"[，：]")  # `联系人：张三，电话…` is a field or a clause, not a menu item
_QUOTES = re.compile(r"[“”「」『』\"]")
_LIST_MARK = re.compile(r"^\s*([•·▪►▶◆◇■□●○◎★☆※→>\-–—*+]|\d{1,3}[.、)]|\(\d{1,3}\)|\d+(\.\d+)+\.?\s)")
_MENU_KINDS = ("navigation", "related", "share", "advertisement", "fragment")
_PIPES = re.compile(r"\s[|｜/]\s|^[|｜]|[|｜]$")
_SECTION = re.compile(r"^(\d+(\.\d+)*\.\s|第\s*\d+\s*[章节篇]\s|(附录|附錄|表|图|圖|章)\s*[\dA-Z]+\.?\s)")
_CHAPTER = re.compile(r"第\s*[\d一二三四五六七八九十百]+\s*[章节回]")
_SEPARATORS = re.compile(r"^[|｜•·▪●○■□◆◇►▶>»›<«‹/\\\s]+$")


@dataclass(frozen=True)
class Rule:
    """One kind of furniture: its vocabulary and the longest lines it may remove.

    `pattern` is the whole vocabulary. `search` uses it split in two, which finds the same lines
    faster: `anchored` (the patterns that start with `^`, tried at position 0 only, not at every
    position of the line) and `floating` (the others).
    """

    kind: str
    pattern: re.Pattern[str]
    max_chars: int
    inside_chars: int
    anchored: re.Pattern[str] | None = None
    floating: re.Pattern[str] | None = None

    def search(self, form: str) -> bool:
        """True when the vocabulary occurs in `form` (same as `pattern.search(form)`)."""
        return bool(
            (self.anchored and self.anchored.match(form)) or (self.floating and self.floating.search(form))
        )


def _alternation(patterns: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def _is_anchored(pattern: str) -> bool:
    """The pattern starts with `^` and has no `|` outside brackets: it can only match at position 0."""
    if not pattern.startswith("^"):
        return False
    depth, i, in_class = 0, 1, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 1
        elif in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                i += 1
            if pattern[i + 1 : i + 2] == "]":
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return False
        i += 1
    return True


@lru_cache(maxsize=8)
def load_rules(path: str | None = None) -> tuple[Rule, ...]:
    """Read furniture rules from a TOML file (the bundled `data/boilerplate.toml` by default)."""
    if path is None:
        text = resources.files("zhclean").joinpath("data/boilerplate.toml").read_text(encoding="utf-8")
    else:
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            raise ConfigError(f"cannot read boilerplate vocabulary {path}: {e}") from e
    rules = []
    for table in tomllib.loads(text).get("rule", []):
        patterns = table["patterns"]
        rules.append(
            Rule(
                table["kind"],
                re.compile("|".join(f"(?:{p})" for p in patterns)),
                table["max_chars"],
                table.get("inside_chars", 0),
                _alternation([p for p in patterns if _is_anchored(p)]),
                _alternation([p for p in patterns if not _is_anchored(p)]),
            )
        )
    return tuple(rules)


def matching_rules(form: str, rules: tuple[Rule, ...], length: int = 0) -> tuple[Rule, ...]:
    """The rules whose vocabulary occurs in a line's matching form.

    With `length` (the stripped line's), rules that may not remove a line that long are not tried."""
    return tuple(
        rule for rule in rules if length <= max(rule.max_chars, rule.inside_chars) and rule.search(form)
    )


def rule_kind(matched: tuple[Rule, ...], length: int, inside: bool) -> str | None:
    """The kind of the first matching rule whose length limit (at the page's edge or inside) allows the line."""
    for rule in matched:
        if length <= (rule.inside_chars if inside else rule.max_chars):
            return rule.kind
    return None


def is_fragment(line: str) -> bool:
    """A line of stray separators only: `|`, `•`, `>>`, `/`."""
    return bool(_SEPARATORS.match(line))


def is_short_item(line: str, short_chars: int) -> bool:
    """A menu-like line: short, no sentence punctuation, no quotes, not ending like a clause
    (`:` `,` `.`); or a list item, a `|`-separated menu, or a numbered table-of-contents entry
    (`2.5.1. 谁在系统里？`)."""
    text = line.strip()
    if _SECTION.match(text) and len(text) <= 4 * short_chars:
        return True
    if _SENTENCE_END.search(text) or _QUOTES.search(text) or _CLAUSE_END.search(text) or _FIELD.search(text):
        return False
    size = weight(text)
    if size <= short_chars:
        return True
    return size <= 2 * short_chars and bool(_LIST_MARK.match(text) or _PIPES.search(text))


def _introduces_list(lines: list[str], i: int) -> bool:
    """The last non-blank line before line `i` is Chinese text ending with a colon."""
    for j in range(i - 1, -1, -1):
        if lines[j].strip():
            return lines[j].rstrip().endswith((":", "：")) and len(_HAN.findall(lines[j])) >= 4
    return False


def weight(text: str) -> int:
    """Length of a line in Chinese characters, a Latin word or a number counting as two."""
    return len(_HAN.findall(text)) + 2 * len(_LATIN_WORD.findall(text)) + len(_OTHER.findall(text))


def _keep_lone_contact_lines(lines: list[str], labels: list[tuple[str, str] | None]) -> None:
    """A contact line is furniture in a footer block (next to copyright, ICP or other contact
    lines); alone, it is the body's own (`联系人：张三，电话：…` closing a notice)."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    for k, i in enumerate(filled):
        if labels[i] is None or labels[i][0] != "contact":
            continue
        neighbours = [filled[j] for j in (k - 1, k + 1) if 0 <= j < len(filled)]
        if all(labels[j] is None for j in neighbours):
            labels[i] = None


def body_span(
    lines: list[str], matched: list[tuple[Rule, ...]], short_chars: int = 20
) -> tuple[int, int] | None:
    """First and last index of the page's body paragraphs.

    Every prose line counts, except prose that furniture vocabulary claims *and* that sits in a
    block of furniture lines with at least one line that is not prose (a reprint notice among
    copyright and ICP lines). So an article about copyright law keeps its paragraphs."""
    prose = [is_prose(line) and not is_short_item(line, short_chars) for line in lines]
    claimed = [
        bool(line.strip())
        and not _QUOTES.search(line)
        and rule_kind(matched[i], len(line.strip()), False) is not None
        for i, line in enumerate(lines)
    ]
    furniture_prose: set[int] = set()
    block: list[int] = []
    for i in range(len(lines) + 1):
        if i < len(lines) and (claimed[i] or not lines[i].strip()):
            if claimed[i]:
                block.append(i)
            continue
        if any(not prose[j] for j in block):
            furniture_prose.update(j for j in block if prose[j])
        block = []
    anchors = [i for i in range(len(lines)) if prose[i] and i not in furniture_prose]
    return (anchors[0], anchors[-1]) if anchors else None


class Boilerplate:
    """Remove page furniture lines (navigation, share, copyright, ICP, contact, ads, related links, fragments).

    Options: `vocabulary` (a TOML file of rules like `data/boilerplate.toml`), `short_chars` (longest
    menu item, default 20), `min_run` (shortest run of menu-like lines removed above or below the
    body, default 3), `menu_chars` (mean length of menu words in a run without other evidence,
    default 8), `repeated_lines` (a counts file from `zhclean furniture`) and `min_docs` (a line
    seen in at least this many documents of the site is furniture, default 5).
    """

    name = "boilerplate"

    def __init__(
        self,
        vocabulary: str | None = None,
        short_chars: int = 20,
        min_run: int = 3,
        menu_chars: int = 8,
        repeated_lines: str | None = None,
        min_docs: int = 5,
    ) -> None:
        self.rules = load_rules(vocabulary)
        self.short_chars = short_chars
        self.min_run = min_run
        self.menu_chars = menu_chars
        self.min_docs = min_docs
        self.counts = None
        if repeated_lines:
            try:
                self.counts = load_counts(str(repeated_lines))
            except (OSError, ValueError, KeyError) as e:
                raise ConfigError(f"cannot read line counts {repeated_lines}: {e}") from e

    def classify(self, text: str, site: str = "") -> list[tuple[str, str] | None]:
        """Per line of `text`: None for body, or (kind, reason) for furniture."""
        lines = text.split("\n")
        forms = [match_form(line) for line in lines]
        longest = max((rule.max_chars for rule in self.rules), default=0)
        matched = [
            matching_rules(form, self.rules, len(line.strip())) if 0 < len(form) <= longest else ()
            for line, form in zip(lines, forms, strict=True)
        ]
        span = body_span(lines, matched, self.short_chars)
        labels: list[tuple[str, str] | None] = [None] * len(lines)
        for i, line in enumerate(lines):
            labels[i] = self._line_label(i, line, forms[i], matched[i], span, site)
        _keep_lone_contact_lines(lines, labels)
        headings = self._mark_repeats(lines, forms, span, labels)
        self._mark_runs(lines, forms, span, labels, headings)
        return labels

    def _line_label(
        self, i: int, line: str, form: str, matched: tuple[Rule, ...], span: tuple[int, int] | None, site: str
    ) -> tuple[str, str] | None:
        text = line.strip()
        if not text:
            return None
        if is_fragment(text):
            return ("fragment", "stray separators")
        inside = span is None or span[0] <= i <= span[1]
        if _QUOTES.search(text) or (inside and _SENTENCE_END.search(text)) or is_metadata_line(form):
            kind = None  # metadata lines are the metadata step's
        else:
            kind = rule_kind(matched, len(text), inside)
        if kind:
            where = "inside the body" if inside else "outside the body"
            return (kind, f"{kind} vocabulary, {where}")
        # repeated across the site: at the page's edges, or inside when longer than a heading (`提示`)
        if (
            self.counts is not None
            and (not inside or weight(text) > self.short_chars)
            and not (i == 0 and span is not None)
        ):
            seen = self.counts.docs_with(line, site)
            if seen >= self.min_docs:
                return ("repeated", f"line seen in {seen} documents of the site")
        return None

    def _mark_runs(
        self,
        lines: list[str],
        forms: list[str],
        span: tuple[int, int] | None,
        labels: list[tuple[str, str] | None],
        headings: set[int],
    ) -> None:
        """Above and below the body, runs of menu-like lines are navigation (headings break runs).

        A run needs `min_run` lines that are menu words (`menu_chars` long on average) or that show
        a menu (a line already removed as navigation, share or related links, a numbered entry, `|`);
        below the body two such lines do. Lines already removed count in a run. A bulleted list
        of phrases after the last paragraph, or before a copyright footer, stays."""
        if span is None:
            return
        title = next((i for i, line in enumerate(lines) if line.strip() and labels[i] is None), 0)
        above = list(range(title + 1, span[0]))
        below = list(range(span[1] + 1, len(lines)))
        for indexes, is_below in ((above, False), (below, True)):
            for whole in self._runs(lines, forms, labels, headings, indexes):
                if labels[whole[0]] is None and _introduces_list(lines, whole[0]):
                    continue  # `会议提出三点要求：` then its points: body
                # lines before the run's first furniture line must make a menu by themselves
                cut = next((k for k, j in enumerate(whole) if labels[j] is not None), len(whole))
                for run in (whole[:cut], whole[cut:]) if is_below else (whole,):
                    if run and self._is_menu(lines, labels, run, is_below):
                        for j in run:
                            if labels[j] is None:
                                labels[j] = (
                                    "navigation",
                                    f"one of {len(run)} menu-like lines outside the body",
                                )
        last = len(lines) - 1
        while last > span[1] and not lines[last].strip():
            last -= 1
        text = lines[last].strip()
        if last > span[1] and labels[last] is None and not is_metadata_line(forms[last]):
            if (len(text) <= 4 and not _SENTENCE_END.search(text)) or (
                (_SECTION.match(text) or _CHAPTER.search(text)) and is_short_item(text, self.short_chars)
            ):
                labels[last] = ("navigation", "menu-like last line after the body")

    def _is_menu(
        self, lines: list[str], labels: list[tuple[str, str] | None], run: list[int], is_below: bool
    ) -> bool:
        texts = [lines[j].strip() for j in run]
        marked = any(labels[j] is not None and labels[j][0] in _MENU_KINDS for j in run) or any(
            _SECTION.match(t) or _PIPES.search(t) for t in texts
        )
        menu = sum(map(len, texts)) <= self.menu_chars * len(texts)
        return (len(run) >= self.min_run and (marked or menu)) or (is_below and marked and len(run) >= 2)

    def _runs(
        self,
        lines: list[str],
        forms: list[str],
        labels: list[tuple[str, str] | None],
        headings: set[int],
        indexes: list[int],
    ) -> list[list[int]]:
        """Runs of consecutive menu-like or already removed lines among `indexes` (blank lines skipped)."""
        runs, run = [], []
        for i in indexes:
            if not lines[i].strip():
                continue
            item = i not in headings and is_short_item(lines[i], self.short_chars)
            if labels[i] is not None or (item and not is_metadata_line(forms[i])):
                run.append(i)
                continue
            runs.append(run)
            run = []
        runs.append(run)
        return [r for r in runs if r]

    def _mark_repeats(
        self,
        lines: list[str],
        forms: list[str],
        span: tuple[int, int] | None,
        labels: list[tuple[str, str] | None],
    ) -> set[int]:
        """Above the body, a line that repeats a line of the body (a table of contents, a header
        repeating the title) is navigation; returns the repeated lines, which are headings."""
        if span is None:
            return set()
        headings: set[int] = set()
        later: dict[str, int] = {}
        following = -1  # the next non-blank line
        for i in range(len(lines) - 1, -1, -1):
            form = forms[i]
            if not form:
                continue
            copy = later.get(form, -1)
            if labels[i] is None and i < span[0] and (span[0] <= copy <= span[1] or copy == following):
                labels[i] = ("navigation", "repeats a heading further down the page")
                headings.add(copy)
            later[form] = i
            following = i
        return headings

    def find(self, text: str, site: str = "") -> list[Replacement]:
        """Removals of furniture lines (each with its line break)."""
        labels = self.classify(text, site)
        return without_overlaps(
            line_removals(text.split("\n"), {i: lab for i, lab in enumerate(labels) if lab})
        )

    def fix(self, text: str) -> str:
        """`text` with its furniture lines removed."""
        return Document(text).apply_and_return(self.name, self.find(text))

    def __call__(self, doc: Document) -> None:
        apply_removals(doc, self.name, self.find(doc.text, site_of(doc.extra)))
