"""Move title, date, source and author lines and inline bylines from the body into `meta`.

The title is the first line (it stays in the text). Metadata lines above or below the body
(`2022-09-07 09:27:00 來源: 南通發布`, `作者:新華日報·交匯點記者 黃偉/文 吳勝/攝`) and inline
bylines (`通州日報訊 (通訊員施偉辦 記者葛燕)12月13日,…` at the start of the body, `…保障。(吳濤 伊然)`
at its end) are removed and kept in `meta`, in simplified Chinese:

    meta = {"title": ..., "date": "2022-09-07T09:27:00", "source": "南通发布",
            "authors": [{"name": "黄伟", "role": "writer"}, ...], "author": "黄伟 吴胜",
            "date_in_text": "9月6日", "site": "人民网"}

Dates without a year (`6月3日`) and relative ones (`昨天`) at the start of the body go to
`date_in_text`; `site` comes from a footer the boilerplate step removed (`關注人民網,傳播正能量`).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Any

from ..document import Document, Replacement
from ..furniture import match_form, to_simplified

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

_HAN = re.compile(r"[\u3400-\u9fff]")
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")  # counting runs is faster than counting characters
_WORD = re.compile(r"[^\W\d_\u3400-\u9fff]+")
_DATE = re.compile(
    r"(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*(?P<H>\d{1,2})\s*[:时]\s*(?P<M>\d{2})(?:\s*[:分]\s*(?P<S>\d{2}))?)?"
)
_DATE_REST = re.compile(r"星期[一二三四五六日天]|周[一二三四五六日天]|\s")
_TRAILING = re.compile(r"(?:(?<=[。！？!?”\"])|^)\s*\((?P<credits>[^()]{2,40})\)\s*$")
_OPENING = re.compile(r"^\s*(?P<outlet>[\w·]{1,24}?(?:讯|电))\s*\((?P<credits>[^()]{2,80})\)\s*")
# Full-width punctuation replaced by its NFKC form before the NFKC test: same NFKC result (the two
# are compatibility-equivalent), and most Chinese text is then NFKC already, which is cheap to test.
_FOLD = tuple(zip("，：；（）！？\u3000", ",:;()!? ", strict=True))
# The characters whose aligned form (`_aligned_char`) is `(`, and `)` (tests/test_metadata.py checks).
_PARENS = "(\u207d\u208d\ufe35\ufe59\uff08"
_CLOSING_PARENS = ")\u207e\u208e\ufe36\ufe5a\uff09"
_PAREN = re.compile(f"[{_PARENS}]")
_ODD_SPACE = re.compile(r"[^\S \n]")  # white space other than ` ` and line breaks
_BLANKS = re.compile(r"[^\S\n]+")


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, Any]:
    """The bundled `data/metadata.toml`."""
    text = resources.files("zhclean").joinpath("data/metadata.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=1)
def _label_re() -> re.Pattern[str]:
    labels = sorted(vocabulary()["labels"], key=len, reverse=True)
    return re.compile(r"(?<![\w])(?P<label>" + "|".join(map(re.escape, labels)) + r")\s*:\s*")


@lru_cache(maxsize=1)
def _surnames() -> tuple[tuple[str, ...], frozenset[str]]:
    names = vocabulary()["names"]
    return tuple(names["compound"]), frozenset("".join(names["single"].split()))


def is_name(token: str) -> bool:
    """A personal name: 2-4 Chinese characters starting with a family name, or a Latin name."""
    if re.fullmatch(r"[A-Za-z][A-Za-z .\-]{1,30}", token):
        return True
    if not re.fullmatch(r"[\u3400-\u9fff·]{2,5}", token):
        return False
    compound, single = _surnames()
    return token[:2] in compound or (token[0] in single and len(token) <= 4)


@lru_cache(maxsize=1)
def _role_words() -> list[str]:
    return sorted(vocabulary()["roles"], key=len, reverse=True)


def line_forms(text: str) -> list[str]:
    """`match_form` of every line of `text` (same result as `match_form(line)` for each line)."""
    return [form for _, form in _convert(text)]


def _convert(text: str) -> list[tuple[str, str]]:
    """(`to_simplified`, `match_form`) of every line of `text`, computed on the whole text at once.

    Same as converting each line: OpenCC never converts across a line break (no dictionary entry
    holds one), NFKC and lower-casing never act across one (`\n` is a starter that composes with
    nothing, and it ends a word for final sigma), and white space is collapsed and stripped within
    lines only."""
    simplified = to_simplified(text)
    form = simplified
    for wide, narrow in _FOLD:
        form = form.replace(wide, narrow)
    if not unicodedata.is_normalized("NFKC", form):
        form = unicodedata.normalize("NFKC", form)
    form = form.lower()
    if "  " in form or _ODD_SPACE.search(form):
        form = _BLANKS.sub(" ", form)
    if " \n" in form or "\n " in form:
        form = form.replace(" \n", "\n").replace("\n ", "\n")
    return list(zip(simplified.split("\n"), form.strip(" ").split("\n"), strict=True))


# (to_simplified, match_form) of recent lines: the boilerplate step converts a page's lines and
# the metadata step reads them again. Emptied when full (only the current page's lines matter).
_CONVERTED: dict[str, tuple[str, str]] = {}
_CONVERTED_LINES = 20_000


class LineForms:
    """The matching forms of `lines`, each converted on first use (`forms[i]`); `fetch` converts
    many lines with a single OpenCC call, which costs less than a call a line."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def __len__(self) -> int:
        return len(self.lines)

    def __getitem__(self, i: int) -> str:
        return self.pair(i)[1]

    def simplified(self, i: int) -> str:
        """`to_simplified` of line `i`."""
        return self.pair(i)[0]

    def pair(self, i: int) -> tuple[str, str]:
        """(`to_simplified`, `match_form`) of line `i`."""
        pair = _CONVERTED.get(self.lines[i])
        return pair if pair is not None else self.fetch([i])[0]

    def fetch(self, indexes: Iterable[int]) -> list[tuple[str, str]]:
        """Convert the lines at `indexes` not converted yet, all at once; returns their pairs."""
        lines = [self.lines[i] for i in indexes]
        found = {line: _CONVERTED.get(line) for line in lines}
        missing = [line for line, pair in found.items() if pair is None]
        if missing:
            new = dict(zip(missing, _convert("\n".join(missing)), strict=True))
            if len(_CONVERTED) + len(new) > _CONVERTED_LINES:
                _CONVERTED.clear()
            _CONVERTED.update(new)
            found.update(new)
        return [found[line] for line in lines]


@lru_cache(maxsize=65536)
def _aligned(line: str) -> str:
    """Matching form of a line that keeps its length (one character for one), for spans."""
    return line.translate(_ALIGNED)


@lru_cache(maxsize=65536)
def _aligned_char(c: str) -> str:
    out = unicodedata.normalize("NFKC", to_simplified(c)).lower()
    return out if len(out) == 1 else c


class _AlignedChars(dict):
    """A `str.translate` table: code point -> `_aligned_char` of it, filled in on first use."""

    def __missing__(self, code: int) -> str:
        self[code] = _aligned_char(chr(code))
        return self[code]


_ALIGNED = _AlignedChars()


@lru_cache(maxsize=8192)
def is_prose(line: str) -> bool:
    """A body paragraph: enough Chinese (or Latin words) and sentence punctuation or commas; a
    comma-separated list of single words (`English, Català, Deutsch, ...`) is not prose."""
    text = line.strip()
    punct = (
        text.count("。")
        + text.count("，")
        + text.count(",")
        + text.count("！")
        + text.count("？")
        + text.count("；")
        + text.count(";")
    )
    if punct >= 1 and len(text) >= 12:
        han = sum(map(len, _HAN_RUN.findall(text)))
        if han >= 12 and han >= 0.3 * len(text):
            return True
    if len(text) < 80 or punct + text.count(".") < 2:
        return False
    words = len(_WORD.findall(text))
    return words >= 10 and punct <= words / 3


def parse_date(form: str) -> str | None:
    """ISO 8601 form of the first full date (with year) and optional time in a line."""
    m = _DATE.search(form)
    if not m:
        return None
    y, mo, d = int(m["y"]), int(m["m"]), int(m["d"])
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    iso = f"{y:04d}-{mo:02d}-{d:02d}"
    if m["H"] is not None and int(m["H"]) < 24 and int(m["M"]) < 60:
        iso += f"T{int(m['H']):02d}:{int(m['M']):02d}:{int(m['S'] or 0):02d}"
    return iso


def label_fields(form: str) -> tuple[list[tuple[str, str]], str]:
    """The `label: value` pairs of a line and what is left of it once dates and pairs are taken out."""
    matches = list(_label_re().finditer(form))
    pairs = []
    for k, m in enumerate(matches):
        stop = matches[k + 1].start() if k + 1 < len(matches) else len(form)
        pairs.append((m["label"], form[m.end() : stop].strip(" |/【】[]")))
    rest = form[: matches[0].start()] if matches else form
    return pairs, _DATE.sub("", rest).strip(" |/-")


def is_metadata_line(form: str) -> bool:
    """A short line of dates and `label: value` pairs, or a bare byline `(记者 张三)`."""
    if len(form) > 100 or "。" in form:
        return False
    trailing = _TRAILING.fullmatch(form)
    if trailing and parse_credits(trailing["credits"]):
        return True
    form = _unwrap(form)
    pairs, rest = label_fields(form)
    labels = vocabulary()["labels"]
    for label, value in pairs:
        if labels[label] == "date" and _DATE_REST.sub("", _DATE.sub("", value)).strip():
            return False  # `时间：2023年5月1日上午九时` in an event notice is body
    if pairs:
        return len(rest) <= 4
    return bool(_DATE.search(form)) and len(_DATE.sub("", form).strip(" |/-")) <= 4


def _unwrap(form: str) -> str:
    """`(来源:新华社)` or `【责任编辑:王萌】` -> the text inside the brackets."""
    if len(form) > 2 and form[0] + form[-1] in ("()", "【】", "[]"):
        return form[1:-1].strip()
    return form


def parse_credits(text: str, role: str = "author") -> list[dict[str, str]]:
    """People in a byline: `通讯员施伟办 瞿镇辅 记者葛燕` -> names with roles; [] if it is not a byline."""
    people: list[dict[str, str]] = []
    for token in re.split(r"[\s、,，;；]+", text.strip()):
        if not token:
            continue
        name, role, suffix_role = _split_token(token, role)
        if name is None and suffix_role and people:
            people[-1]["role"] = suffix_role
            continue
        if name is None:
            continue
        if not is_name(name):
            return []
        people.append({"name": name, "role": suffix_role or role})
    return people


def _split_token(token: str, role: str) -> tuple[str | None, str, str | None]:
    """(name or None, role for the following names, role of this name only)."""
    roles = vocabulary()["roles"]
    after_name = vocabulary()["byline"]["after_name"]
    suffix_role = None
    if "/" in token:
        token, _, tail = token.partition("/")
        suffix_role = roles.get(tail)
    if token in roles:
        if token in after_name:
            return None, role, roles[token]
        return None, roles[token], None
    for word in _role_words():
        if len(word) < 2:
            continue
        if token.startswith(word):
            return token[len(word) :], roles[word], suffix_role
        if token.endswith(word) and len(token) > len(word) + 1:
            return None, roles[word], None  # `交汇点记者`: an outlet, then the role of the next names
    return (token or None), role, suffix_role


class Metadata:
    """Move title, date, source and author lines and inline bylines from the body into `meta`.

    Options: `title` (record the first line as `meta.title`, default true), `bylines` (remove inline
    bylines at the start and end of the body, default true)."""

    name = "metadata"

    def __init__(self, title: bool = True, bylines: bool = True) -> None:
        self.title = title
        self.bylines = bylines

    def __call__(self, doc: Document) -> None:
        meta: dict[str, Any] = {}
        lines = doc.text.split("\n")
        forms = LineForms(lines)
        if self.title and lines and lines[0].strip():
            meta["title"] = forms.simplified(0).strip()  # the same as converting the stripped line
        prose = _prose_lines(lines, forms)
        reps = self._metadata_lines(lines, forms, meta, prose)
        offsets = _line_offsets(lines)
        if self.bylines:
            reps += self._bylines(lines, forms, offsets, meta, {r.start for r in reps}, prose)
        self._date_in_text(lines, forms, offsets, meta, reps, prose)
        self._site(doc, meta)
        if meta.get("authors"):
            meta["author"] = " ".join(p["name"] for p in meta["authors"])
        doc.meta.update({k: v for k, v in meta.items() if k not in doc.meta or not doc.meta[k]})
        apply_removals(doc, self.name, reps)

    def _metadata_lines(
        self, lines: list[str], forms: LineForms, meta: dict[str, Any], prose: list[int]
    ) -> list[Replacement]:
        first, last = (prose[0], prose[-1]) if prose else (len(lines), len(lines))
        labels = {}
        for i, line in enumerate(lines):
            if i == 0 or first <= i <= last or not line.strip():
                continue
            form = forms[i]
            if is_metadata_line(form):
                self._read_fields(form, meta)
                labels[i] = ("metadata", "date, source or author line")
        return line_removals(lines, labels)

    def _read_fields(self, form: str, meta: dict[str, Any]) -> None:
        date = parse_date(form)
        if date and "date" not in meta:
            meta["date"] = date
        trailing = _TRAILING.fullmatch(form)
        if trailing and parse_credits(trailing["credits"]):
            meta.setdefault("authors", []).extend(parse_credits(trailing["credits"]))
            return
        form = _unwrap(form)
        labels = vocabulary()["labels"]
        pairs, _ = label_fields(form)
        for label, value in pairs:
            kind = labels[label]
            if kind != "date":
                value = _DATE.sub("", value).strip(" |/【】[]")
            if kind == "source" and value:
                meta.setdefault("source", to_simplified(value))
            elif kind == "date" or kind == "skip":
                continue
            else:
                meta.setdefault("authors", []).extend(parse_credits(value, kind))

    def _bylines(
        self,
        lines: list[str],
        forms: LineForms,
        offsets: list[int],
        meta: dict[str, Any],
        taken: set[int],
        prose: list[int],
    ) -> list[Replacement]:
        reps = []
        if not prose:
            return reps
        first, last = prose[0], prose[-1]
        for i in range(1, first + 1):  # the first paragraph, or a line of its own above it
            m = _OPENING.match(_aligned(lines[i])) if _may_open(lines[i]) else None
            people = parse_credits(m["credits"]) if m and offsets[i] not in taken else []
            if not people:
                continue
            outlet = self._outlet(m["outlet"])
            if outlet:
                meta.setdefault("source", outlet)
            meta.setdefault("authors", []).extend(people)
            if i < first and m.end() >= len(lines[i].rstrip()):
                reps += line_removals(lines, {i: ("byline", "opening byline")})
            else:
                start = offsets[i]
                reps.append(
                    Replacement(start, start + m.end(), "", "byline", "opening byline", line_removal=True)
                )
            break
        m = _TRAILING.search(_aligned(lines[last])) if _may_close(lines[last]) else None
        if m and (last != first or not reps):
            people = parse_credits(m["credits"])
            source = self._source_in_parens(m["credits"])
            fields = not people and not source and is_metadata_line(m["credits"])
            if people or source or fields:
                if source:
                    meta.setdefault("source", source)
                elif fields:
                    self._read_fields(m["credits"], meta)  # `(来源:经济日报 责任编辑:张三)`
                else:
                    meta.setdefault("authors", []).extend(people)
                start = offsets[last] + m.start("credits") - 1
                while start > offsets[last] and lines[last][start - offsets[last] - 1] == " ":
                    start -= 1
                end = offsets[last] + len(lines[last])
                reps.append(Replacement(start, end, "", "byline", "closing byline", line_removal=True))
        return reps

    def _outlet(self, outlet: str) -> str | None:
        """`通州日报讯` -> 通州日报; `新华社北京6月3日电` -> 新华社; `本报讯` -> None."""
        byline = vocabulary()["byline"]
        name = outlet[:-1]
        if any(name.startswith(s) for s in byline["self_names"]):
            return None
        suffixes = "|".join(map(re.escape, sorted(byline["outlet_suffixes"], key=len, reverse=True)))
        m = re.match(rf"^([\w·]+?(?:{suffixes}))", name)
        return m.group(1) if m else None

    def _source_in_parens(self, credits: str) -> str | None:
        """`(新华社)` names a source, not a person."""
        text = credits.strip()
        suffixes = vocabulary()["byline"]["source_suffixes"]
        if 2 <= len(text) <= 12 and " " not in text and any(text.endswith(s) for s in suffixes):
            return text
        return None

    def _date_in_text(
        self,
        lines: list[str],
        forms: LineForms,
        offsets: list[int],
        meta: dict[str, Any],
        reps: list[Replacement],
        prose: list[int],
    ) -> None:
        if not prose:
            return
        line = lines[prose[0]]
        skip = max((r.end - offsets[prose[0]] for r in reps if r.start == offsets[prose[0]]), default=0)
        head = (match_form(line[skip:]) if skip else forms[prose[0]])[:40]
        m = _date_in_text_re().search(head)
        if m and m.start() <= 12:
            meta["date_in_text"] = m.group(0)

    def _site(self, doc: Document, meta: dict[str, Any]) -> None:
        patterns = _site_patterns()
        for removal in doc.removed:
            form = LineForms([removal.line])[0]
            for p in patterns:
                m = p.search(form)
                if m and _HAN.search(m["site"]):
                    meta.setdefault("site", to_simplified(m["site"]).strip())
                    return


# Quick tests on a line before aligning it. A character is a space in the aligned form only when it
# is one in the line (tests/test_metadata.py checks it), so spaces can be counted on the line itself.
def _may_open(line: str) -> bool:
    """The line may open with a byline: at most 25 characters other than spaces (an outlet and 讯
    or 电) before its first `(`."""
    m = _PAREN.search(line)
    return m is not None and len("".join(line[: m.start()].split())) <= 25


def _may_close(line: str) -> bool:
    """The line may close with a byline: it ends with `)` (trailing spaces aside), with at most 41
    characters (credits and `)`) after its last `(`."""
    end = line.rstrip()
    last = max(map(end.rfind, _PARENS))
    return end[-1:] in _CLOSING_PARENS and last >= 0 and len(end) - last - 1 <= 41


def _prose_lines(lines: list[str], forms: LineForms) -> list[int]:
    """Indexes of the first and last body paragraphs (not the title, not metadata lines), [] when
    there are none: only these two are used, so lines between them are not looked at."""

    def is_body(i: int) -> bool:
        """Line `i` is prose and no metadata line (a line with `。` keeps it in its form: none is)."""
        return is_prose(lines[i]) and ("。" in lines[i] or not is_metadata_line(forms[i]))

    first = next((i for i in range(1, len(lines)) if is_body(i)), None)
    if first is None:
        return []
    return [first, next(i for i in range(len(lines) - 1, first - 1, -1) if is_body(i))]


@lru_cache(maxsize=1)
def _date_in_text_re() -> re.Pattern[str]:
    """A date without a year (`6月3日`, `3日上午`) or a relative one (`昨天`)."""
    relative = "|".join(vocabulary()["dates"]["relative"])
    return re.compile(
        rf"((?:19|20)\d{{2}}年)?\d{{1,2}}月\d{{1,2}}日|(?<!\d)\d{{1,2}}日(?=[,上下晚凌早中])|{relative}"
    )


@lru_cache(maxsize=1)
def _site_patterns() -> list[re.Pattern[str]]:
    """The compiled site patterns of `data/metadata.toml`."""
    return [re.compile(p) for p in vocabulary()["site"]["patterns"]]


def _line_offsets(lines: list[str]) -> list[int]:
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    return offsets


def without_overlaps(reps: list[Replacement]) -> list[Replacement]:
    """Sorted replacements, each clipped to start where the one before ended (line removals that
    share a line break)."""
    out: list[Replacement] = []
    for r in sorted(reps, key=lambda r: (r.start, r.end)):
        if out and r.start < out[-1].end:
            if r.end <= out[-1].end:
                continue
            r = Replacement(out[-1].end, r.end, r.new, r.kind, r.reason, r.line_removal)
        out.append(r)
    return out


def apply_removals(doc: Document, step: str, reps: list[Replacement]) -> None:
    """Apply replacements; a removed line that took the line break before it is recorded at the
    offset of the line itself, not of the break."""
    if not reps:
        return
    reps = without_overlaps(reps)
    text = doc.text
    offsets = [
        doc.input_offset(r.start + (text[r.start : r.start + 1] == "\n")) for r in reps if r.line_removal
    ]
    n = len(doc.removed)
    doc.apply(step, reps)
    for removal, offset in zip(doc.removed[n:], offsets, strict=True):
        removal.offset = offset


def line_removals(lines: list[str], labels: dict[int, tuple[str, str]]) -> list[Replacement]:
    """Removals of whole lines (index -> (kind, reason)), each taking its own line break; lines
    removed at the end of the text take the break before them, so no empty line is left."""
    if not labels:
        return []
    offsets = _line_offsets(lines)
    tail = len(lines)
    while tail > 0 and (tail - 1 in labels or not lines[tail - 1].strip()):
        tail -= 1
    reps = []
    for i in sorted(labels):  # overlapping breaks are clipped by without_overlaps
        start, end = offsets[i], offsets[i] + len(lines[i])
        if i >= tail and i > 0:
            start -= 1  # at the end of the text: take the break before the line
        elif i + 1 < len(lines):
            end += 1
        kind, reason = labels[i]
        reps.append(Replacement(start, end, "", kind, reason, line_removal=True))
    return reps
