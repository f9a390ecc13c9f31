"""Redact personal data: phone numbers, e-mail, ID, QQ and bank card numbers.

    違法和不良信息舉報電話：0513-68218870 郵箱：ntrb@163.com
    -> 違法和不良信息舉報電話：[PHONE] 郵箱：[EMAIL]
    發行熱線：85118867                  -> 發行熱線：[PHONE]      (8 digits after 熱線)
    身份證 11010519491231002X           -> 身份證 [ID]            (checksum verified)
    QQ：123456789                       -> QQ：[QQ]
    卡號 6222 0212 3456 7890 128         -> 卡號 [BANKCARD]        (Luhn, after a card word)
    增長12345678元 / 蘇ICP備08106468-3號 / 2022-09-07 -> untouched

Modes: `redact` (typed placeholder, default), `remove-line` (drop the whole line), `keep`
(only flag). Records never hold the value: an edit's `before` is the kind (`phone`), a removed
line is kept with placeholders, a flag has offset and length only. Context words are in
`data/pii.toml`. Names (of officials or anyone) are not touched.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from ..document import Document, Replacement
from ..pipeline import ConfigError
from .metadata import apply_removals, line_removals, without_overlaps

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

MODES = ("redact", "remove-line", "keep")
PLACEHOLDERS = {"phone": "[PHONE]", "email": "[EMAIL]", "id": "[ID]", "qq": "[QQ]", "bankcard": "[BANKCARD]"}

_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
_ID = re.compile(
    r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])"
)
_CARD = re.compile(r"(?<![\d-])\d{4}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?(?![\d-])")
_QQ = re.compile(r"(?i)(?:qq|ＱＱ)\s*(?:号码|号|號碼|號|群)?\s*[:：]?\s*([1-9]\d{4,11})(?!\d)")
_MOBILE = re.compile(r"(?<![\d+])(?:(?:\+|00)86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?![\d-])")
_LANDLINE = re.compile(r"(?<![\d-])(?:\(0\d{2,3}\)\s?|0\d{2,3}[- ])?\d{7,8}(?:-\d{1,5})?(?![\d-])")
_SERVICE = re.compile(r"(?<![\d-])[48]00[- ]?\d{3}[- ]?\d{4}(?![\d-])")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
# Every number pattern holds four digits in a row (QQ five, a landline seven, an ID 17): the runs of
# digits in a text, found at once in a mask of its digits, decide which patterns can match. A mobile
# number also holds `1[3-9]\d` and four digits (literal `1` first: the regex engine skips to it at C
# speed), a service number `400` or `800`, a QQ number `qq` in any case.
_DIGIT_RUN = re.compile(rb"0000+")  # in the digit mask of `_digit_runs`
_MOBILE_HINT = re.compile(r"1[3-9]\d[- ]?\d{4}")
# every pair of characters that `(?i)(?:qq|ＱＱ)` matches (the tests check)
_QQ_PAIRS = ("QQ", "Qq", "qQ", "qq", "ＱＱ", "Ｑｑ", "ｑＱ", "ｑｑ")


@lru_cache(maxsize=1)
def _digit_table() -> np.ndarray:
    """For each code point: `0` if `\\d` matches it (as the regex engine says), else a space (bytes)."""
    every = np.arange(sys.maxunicode + 1, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")
    table = np.full(sys.maxunicode + 1, ord(" "), np.uint8)
    for m in re.finditer(r"\d+", every):
        table[m.start() : m.end()] = ord("0")
    return table


def _digit_runs(text: str) -> list[tuple[int, int]]:
    """Spans of the runs of four or more digits (`\\d`) in `text`, from a mask like `b"  0000 00 "`."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    mask = _digit_table().take(codes).tobytes()
    return [m.span() for m in _DIGIT_RUN.finditer(mask)]


@lru_cache(maxsize=1)
def _words() -> dict[str, list[str]]:
    text = resources.files("zhclean").joinpath("data/pii.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=8)
def _context(group: str, gap: int) -> re.Pattern[str]:
    words = "|".join(map(re.escape, _words()[group]))
    return re.compile(rf"(?i)(?:{words})[^\n。；;！!？?]{{0,{gap}}}$")


def id_checksum_ok(number: str) -> bool:
    """ISO 7064 MOD 11-2 check digit of an 18-digit resident ID."""
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return "10X98765432"[total % 11] == number[17].upper()


def luhn_ok(digits: str) -> bool:
    """The Luhn check of a card number."""
    total = 0
    for k, ch in enumerate(reversed(digits)):
        d = int(ch)
        if k % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


@dataclass(frozen=True)
class Hit:
    """One piece of personal data: where it is and what kind."""

    start: int
    end: int
    kind: str


def _before(text: str, start: int, group: str, gap: int = 12) -> bool:
    return bool(_context(group, gap).search(text[max(0, start - gap - 8) : start]))


def _blocked(text: str, start: int, end: int) -> bool:
    """A quantity (`12345678元`) or a licence/ICP number (`備08106468`): never personal data."""
    words = _words()
    head = text[max(0, start - 4) : start].lower()
    tail = text[end : end + 2]
    return any(head.endswith(w) for w in words["not_before"]) or any(
        tail.startswith(w) for w in words["not_after"]
    )


def find_pii(text: str) -> list[Hit]:
    """Personal data in `text`, non-overlapping, in order."""
    hits: list[Hit] = []
    if "@" in text:
        hits += _email_hits(text)
    runs = _digit_runs(text)
    if not runs:
        return _first_wins(hits)
    hits += _id_and_card_hits(text, runs)
    if any(end - start >= 5 for start, end in runs) and any(pair in text for pair in _QQ_PAIRS):
        hits += [Hit(m.start(1), m.end(1), "qq") for m in _QQ.finditer(text)]
    hits += _phone_hits(text, runs)
    return _first_wins(hits)


def _email_hits(text: str) -> list[Hit]:
    """E-mail addresses, looked for only in lines holding an `@` (an address holds no line break)."""
    hits: list[Hit] = []
    at = text.find("@")
    while at != -1:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end == -1 else end
        hits += [Hit(m.start(), m.end(), "email") for m in _EMAIL.finditer(text, start, end)]
        at = text.find("@", end)
    return hits


def _id_and_card_hits(text: str, runs: list[tuple[int, int]]) -> list[Hit]:
    """Resident IDs (17 digits in a row) and bank card numbers; `runs`: spans of four or more digits."""
    hits: list[Hit] = []
    for m in _ID.finditer(text) if any(end - start >= 17 for start, end in runs) else ():
        if id_checksum_ok(m.group()):
            hits.append(Hit(m.start(), m.end(), "id"))
    for m in _CARD.finditer(text) if _card_groups(text, runs) else ():
        digits = re.sub(r"\D", "", m.group())
        if 16 <= len(digits) <= 19 and luhn_ok(digits) and _before(text, m.start(), "bankcard", 16):
            hits.append(Hit(m.start(), m.end(), "bankcard"))
    return hits


def _card_groups(text: str, runs: list[tuple[int, int]]) -> bool:
    """Whether 16 digits are in runs of four or more, one space or hyphen apart (a card number's groups)."""
    digits, last = 0, -2
    for start, end in runs:
        joined = start == last + 1 and text[last] in " -"
        digits = (digits if joined else 0) + end - start
        if digits >= 16:
            return True
        last = end
    return False


def _phone_hits(text: str, runs: list[tuple[int, int]]) -> list[Hit]:
    """Mobile, service (400/800) and landline numbers; `runs`: spans of four or more digits.

    The seven or eight digits of a landline number are a whole run of digits (it admits no digit
    before or after them), after at most seven characters of area code (`(0513) `).
    """
    hits: list[Hit] = []
    for m in _MOBILE.finditer(text) if _MOBILE_HINT.search(text) else ():
        formatted = not m.group().isdigit()
        if (formatted or _before(text, m.start(), "phone")) and not _blocked(text, m.start(), m.end()):
            hits.append(Hit(m.start(), m.end(), "phone"))
    for m in _SERVICE.finditer(text) if "400" in text or "800" in text else ():
        if (not m.group().isdigit() or _before(text, m.start(), "phone")) and not _blocked(
            text, m.start(), m.end()
        ):
            hits.append(Hit(m.start(), m.end(), "phone"))
    landline_starts = (
        i for start, end in runs if 7 <= end - start <= 8 for i in range(max(0, start - 7), start + 1)
    )
    for m in _finditer_from(_LANDLINE, text, landline_starts):
        formatted = not m.group().isdigit()
        if (formatted or _before(text, m.start(), "phone", 6)) and not _blocked(text, m.start(), m.end()):
            hits.append(Hit(m.start(), m.end(), "phone"))
    return hits


def _finditer_from(pattern: re.Pattern[str], text: str, starts: Iterable[int]) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text)` finds when every match starts at one of `starts`, tried only there."""
    end = 0
    for start in sorted(set(starts)):
        if start >= end and (m := pattern.match(text, start)):
            end = m.end()
            yield m


def _first_wins(hits: list[Hit]) -> list[Hit]:
    """Keep hits in order of kind priority (earlier appended wins), dropping overlaps."""
    kept: list[Hit] = []
    for h in hits:
        if all(h.end <= k.start or h.start >= k.end for k in kept):
            kept.append(h)
    return sorted(kept, key=lambda h: h.start)


def redact(text: str) -> str:
    """`text` with each piece of personal data replaced by its placeholder."""
    out, last = [], 0
    for h in find_pii(text):
        out += [text[last : h.start], PLACEHOLDERS[h.kind]]
        last = h.end
    return "".join(out) + text[last:]


class Pii:
    """Redact personal data (phone, e-mail, resident ID, QQ, bank card); `mode` = redact, remove-line or keep."""

    name = "pii"

    def __init__(self, mode: str = "redact") -> None:
        if mode not in MODES:
            raise ConfigError(f"pii mode must be one of {', '.join(MODES)}, not {mode!r}")
        self.mode = mode

    def find(self, text: str) -> list[Replacement]:
        """Replacements for `redact` mode (or whole-line removals for `remove-line`)."""
        return self._replacements(text, find_pii(text))

    def _replacements(self, text: str, hits: list[Hit]) -> list[Replacement]:
        """Replacements for `hits`, the personal data in `text`."""
        if self.mode == "redact":
            return [Replacement(h.start, h.end, PLACEHOLDERS[h.kind], h.kind, "personal data") for h in hits]
        if self.mode == "remove-line":
            lines = text.split("\n")
            starts = [0]
            for line in lines[:-1]:
                starts.append(starts[-1] + len(line) + 1)
            labels = {}
            for h in hits:
                i = max(k for k, s in enumerate(starts) if s <= h.start)
                labels.setdefault(i, (h.kind, "line with personal data"))
            return without_overlaps(line_removals(lines, labels))
        return []

    def fix(self, text: str) -> str:
        return Document(text).apply_and_return(self.name, self.find(text))

    def __call__(self, doc: Document) -> None:
        hits = find_pii(doc.text)
        if not hits:
            return
        counts: dict[str, int] = {}
        for h in hits:
            counts[h.kind] = counts.get(h.kind, 0) + 1
            if self.mode == "keep":
                doc.flag("pii", h.start, h.end, pii=h.kind)
        doc.meta["pii"] = counts
        if self.mode == "keep":
            return
        n_edits, n_removed = len(doc.edits), len(doc.removed)
        apply_removals(doc, self.name, self._replacements(doc.text, hits))
        for edit in doc.edits[n_edits:]:
            edit.before = edit.kind  # never keep the value itself
        for removal in doc.removed[n_removed:]:
            removal.line = redact(removal.line)
