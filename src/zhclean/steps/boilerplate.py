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
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from ..document import Document, Replacement
from ..furniture import load_counts, site_of
from ..pipeline import ConfigError
from .metadata import LineForms, apply_removals, is_metadata_line, is_prose, line_removals, without_overlaps

if sys.version_info >= (3, 11):
    from re import _parser as sre_parse  # the `re` module's own parser, to read needles from patterns

    import tomllib
else:  # pragma: no cover
    import sre_parse

    import tomli as tomllib

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")  # runs: counted by length, faster than by character
_SENTENCE_END = re.compile(r"[。！？!?；;]")
_LATIN_WORD = re.compile(r"[^\W\d_\u3400-\u9fff\uf900-\ufaff]+|\d+")
_OTHER = re.compile(r"[^\w\s]+")
_CLAUSE_END = re.compile(r"(?<![\d.])[.:：,，、]$")
_FIELD = re.compile(r"[，：]")  # `联系人：张三，电话…` is a field or a clause, not a menu item
_QUOTES = re.compile(r"[“”「」『』\"]")
_QUOTES_OR_END = re.compile(r"[“”「」『』\"。！？!?；;]")  # _QUOTES or _SENTENCE_END
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
    position of the line) and `floating` (the others). `needles` are strings one of which every
    line the vocabulary matches contains (None when the patterns do not tell).
    """

    kind: str
    pattern: re.Pattern[str]
    max_chars: int
    inside_chars: int
    anchored: re.Pattern[str] | None = None
    floating: re.Pattern[str] | None = None
    needles: frozenset[str] | None = None

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


def needles(pattern: str) -> frozenset[str] | None:
    """Literal strings one of which every match of `pattern` contains, or None when there are none
    to tell (`icp\\s*[备证]` -> {"icp"}, `(字号|字体)\\s*:` -> {"字号", "字体"}, `\\d+` -> None).

    Read from the parsed pattern: a match holds the text of each item of the pattern's top-level
    sequence, so the strings of any one item will do (the longest are chosen), and a run of items
    that each match one of a few fixed strings gives their concatenations."""
    tree = sre_parse.parse(pattern)
    return None if tree.state.flags & re.IGNORECASE else _needles(list(tree))


def _needles(items: list) -> frozenset[str] | None:
    """`needles` of a parsed sequence."""
    options: list[frozenset[str] | None] = []
    run: frozenset[str] = frozenset([""])
    for op, av in items:
        fixed = _fixed((op, av))
        if fixed is not None and len(run) * len(fixed) <= _MAX_FIXED:
            run = frozenset(a + b for a in run for b in fixed)
            continue
        options.append(run)
        run = fixed if fixed is not None else frozenset([""])
        name = getattr(op, "name", "")
        if name == "SUBPATTERN" and not av[1] & re.IGNORECASE:
            options.append(_needles(list(av[3])))
        elif name == "BRANCH":
            branches = [_needles(list(b)) for b in av[1]]
            options.append(None if None in branches else frozenset().union(*branches))
        elif name in ("MAX_REPEAT", "MIN_REPEAT") and av[0] >= 1:
            options.append(_needles(list(av[2])))
    options.append(run)
    usable = [o for o in options if o and "" not in o]
    return min(usable, key=lambda o: (-min(map(len, o)), len(o)), default=None)


_MAX_FIXED = 64


def _fixed(item: tuple) -> frozenset[str] | None:
    """The few strings that one parsed item can match (`[备证]` -> {"备", "证"}; `^` -> {""}), or None."""
    op, av = item
    name = getattr(op, "name", "")
    if name == "LITERAL":
        return frozenset(chr(av))
    if name in ("AT", "ASSERT", "ASSERT_NOT"):
        return frozenset([""])  # zero width: adds nothing to the text of a match
    if name == "IN" and all(getattr(o, "name", "") == "LITERAL" for o, _ in av):
        return frozenset(chr(c) for _, c in av)
    if name == "MAX_REPEAT" and av[:2] == (0, 1):
        inner = _fixed_sequence(list(av[2]))
        return None if inner is None else inner | {""}
    if name == "SUBPATTERN" and not av[1] & re.IGNORECASE:
        return _fixed_sequence(list(av[3]))
    if name == "BRANCH":
        branches = [_fixed_sequence(list(b)) for b in av[1]]
        return None if None in branches else frozenset().union(*branches)
    return None


def _fixed_sequence(items: list) -> frozenset[str] | None:
    """The few strings a parsed sequence can match, or None."""
    out = frozenset([""])
    for item in items:
        fixed = _fixed(item)
        if fixed is None or len(out) * len(fixed) > _MAX_FIXED:
            return None
        out = frozenset(a + b for a in out for b in fixed)
    return out


def _cue(rules: tuple[Rule, ...]) -> re.Pattern[str] | None:
    """A pattern that finds a needle of every rule in a line (None when a rule has no needles)."""
    if any(rule.needles is None for rule in rules):
        return None
    every = set().union(*(rule.needles for rule in rules))
    every = {n for n in every if not any(m in n and m != n for m in every)}  # `qq` finds `qq空间` too
    return re.compile("|".join(map(re.escape, sorted(every)))) if every else None


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
        found = [needles(p) for p in patterns]
        rules.append(
            Rule(
                table["kind"],
                re.compile("|".join(f"(?:{p})" for p in patterns)),
                table["max_chars"],
                table.get("inside_chars", 0),
                _alternation([p for p in patterns if _is_anchored(p)]),
                _alternation([p for p in patterns if not _is_anchored(p)]),
                None if None in found else frozenset().union(*found),
            )
        )
    return tuple(rules)


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
            return lines[j].rstrip().endswith((":", "：")) and _count(_HAN, lines[j]) >= 4
    return False


def weight(text: str) -> int:
    """Length of a line in Chinese characters, a Latin word or a number counting as two."""
    return _count(_HAN, text) + 2 * len(_LATIN_WORD.findall(text)) + _count(_OTHER, text)


def _count(runs: re.Pattern[str], text: str) -> int:
    """Number of characters in the matches of `runs`."""
    return sum(map(len, runs.findall(text)))


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
    lines: list[str], claims: Callable[[int], bool], prose: Callable[[int], bool]
) -> tuple[int, int] | None:
    """First and last index of the page's body paragraphs (`prose(i)`).

    Every prose line counts, except prose that furniture vocabulary claims (`claims(i)`) *and*
    that sits in a block of claimed or blank lines with at least one claimed line that is not
    prose (a reprint notice among copyright and ICP lines). So an article about copyright law
    keeps its paragraphs. Lines are looked at from both ends until a paragraph is found: the
    lines between the first and the last paragraph do not change the span."""

    def in_furniture(i: int) -> bool:
        """Prose line `i` is claimed, in a block with a claimed line that is not prose."""
        if not claims(i):
            return False
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(lines) and (not lines[j].strip() or claims(j)):
                if lines[j].strip() and not prose(j):
                    return True
                j += step
        return False

    first = next((i for i in range(len(lines)) if prose(i) and not in_furniture(i)), None)
    if first is None:
        return None
    last = next(i for i in range(len(lines) - 1, first - 1, -1) if prose(i) and not in_furniture(i))
    return first, last


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
        self.longest = max((rule.max_chars for rule in self.rules), default=0)
        self.reach = {
            inside: max((r.inside_chars if inside else r.max_chars for r in self.rules), default=0)
            for inside in (False, True)
        }
        self.cue = _cue(self.rules)
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
        forms = LineForms(lines)
        found: dict[int, bool] = {}

        def prose(i: int) -> bool:
            """Line `i` is a paragraph: prose, not a menu item."""
            if i not in found:
                found[i] = is_prose(lines[i]) and not is_short_item(lines[i], self.short_chars)
            return found[i]

        # One conversion for every line whose form may be read: not the lines between the first
        # and the last paragraph that end a sentence (inside the body, no vocabulary makes them
        # furniture), but the first of them, whose form the metadata step reads (a date).
        first = next((i for i in range(len(lines)) if prose(i)), len(lines))
        last = next((i for i in range(len(lines) - 1, first, -1) if prose(i)), first)
        between = [i for i in range(first + 1, last) if _SENTENCE_END.search(lines[i])]
        skipped = set(between[1:])
        forms.fetch(i for i in range(len(lines)) if i not in skipped)
        outside: dict[int, str | None] = {}

        def claims(i: int) -> bool:
            """Line `i` is one that vocabulary would remove at the page's edge."""
            if i not in outside:
                text = lines[i].strip()
                outside[i] = (
                    None if not text or _QUOTES.search(text) else self._kind(forms, i, len(text), False)
                )
            return outside[i] is not None

        span = body_span(lines, claims, prose)
        interior = {i for i in between if span and span[0] <= i <= span[1]}
        # a paragraph inside the body that ends a sentence is body (unless repeated across the site)
        labels = [
            None if i in interior and self.counts is None else self._line_label(i, line, forms, span, site)
            for i, line in enumerate(lines)
        ]
        _keep_lone_contact_lines(lines, labels)
        headings = self._mark_repeats(lines, forms, span, labels, interior)
        self._mark_runs(lines, forms, span, labels, headings)
        return labels

    def _kind(self, forms: LineForms, i: int, length: int, inside: bool) -> str | None:
        """The kind of the first rule whose vocabulary occurs in line `i` (its matching form) and
        whose length limit (at the page's edge or inside) allows a line of `length` characters."""
        if length > self.reach[inside]:
            return None  # longer than any rule may remove: no need to convert the line
        form = forms[i]
        if not 0 < len(form) <= self.longest or (self.cue and not self.cue.search(form)):
            return None  # no rule's vocabulary can occur without one of its needles
        for rule in self.rules:
            if length <= (rule.inside_chars if inside else rule.max_chars) and rule.search(form):
                return rule.kind
        return None

    def _line_label(
        self, i: int, line: str, forms: LineForms, span: tuple[int, int] | None, site: str
    ) -> tuple[str, str] | None:
        text = line.strip()
        if not text:
            return None
        if is_fragment(text):
            return ("fragment", "stray separators")
        inside = span is None or span[0] <= i <= span[1]
        kind = None
        if not (_QUOTES_OR_END if inside else _QUOTES).search(text):  # no quote, inside no sentence end
            kind = self._kind(forms, i, len(text), inside)
            if kind and is_metadata_line(forms[i]):
                kind = None  # metadata lines are the metadata step's
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
        forms: LineForms,
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
        if last > span[1] and labels[last] is None:
            if (
                (len(text) <= 4 and not _SENTENCE_END.search(text))
                or ((_SECTION.match(text) or _CHAPTER.search(text)) and is_short_item(text, self.short_chars))
            ) and not is_metadata_line(forms[last]):
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
        forms: LineForms,
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
        forms: LineForms,
        span: tuple[int, int] | None,
        labels: list[tuple[str, str] | None],
        interior: set[int],
    ) -> set[int]:
        """Above the body, a line that repeats a line of the body (a table of contents, a header
        repeating the title) is navigation; returns the repeated lines, which are headings.

        Only lines up to the body's end can be repeated (a line repeated further down is not a
        heading). The `interior` paragraphs end a sentence and keep a `。!?;` in their form: when no
        line above the body has one, none repeats them, and they are not converted."""
        if span is None:
            return set()
        candidates = [i for i in range(span[0]) if labels[i] is None and forms[i]]
        if not candidates:
            return set()
        skip = interior if not any(c in forms[i] for i in candidates for c in "。!?;") else set()
        forms.fetch(sorted(interior - skip))
        headings: set[int] = set()
        later: dict[str, int] = {}
        following = -1  # the next non-blank line
        for i in range(span[1], -1, -1):
            if i in skip:
                following = i
                continue
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
