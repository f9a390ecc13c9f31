"""Repair wrong-codec mojibake: Chinese bytes decoded with the wrong codec, in whole lines or segments.

    >>> WrongCodecRepair().fix("鎴戜滑鐨勬湅鍙嬮兘鍦ㄥ寳浜\ufffd")  # UTF-8 read as GBK, last byte lost
    '我们的朋友都在北京'
    >>> WrongCodecRepair().fix("ÄãºÃ£¬ÊÀ½ç¡£ÎÒÃÇµÄÅóÓÑ")  # GBK read as Latin-1
    '你好，世界。我们的朋友'
    >>> WrongCodecRepair().fix("Müller 先生，cafÃ©")  # no Chinese mojibake here: unchanged
    'Müller 先生，cafÃ©'

The repair re-encodes a suspicious segment with the codec that misread it and decodes the bytes with
the codec they were really in (`utf-8 read as gbk`, `gbk read as cp1252`, `big5 read as gbk`, ...;
two rounds for double encoding). Bytes a lossy decoder dropped (U+FFFD) are guessed back with the
character model. It keeps a repair only when the character model (`zhclean.plausibility`) finds the
result far more plausible than the input; when most lines of a text were misread one way, short lines
follow with less evidence. A cheap pre-check (characters outside ASCII, CJK punctuation and the common
GB2312/Big5 level-1 sets) makes clean Chinese cost one regex scan. Latin-script mojibake (`cafÃ©`) is
left to the `unicode` step (ftfy).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from ..document import Document, Replacement
from ..plausibility import CharModel, default_model
from ..step import Repair

LATIN = "latin"  # Latin-1 or Windows-1252, whichever a character needs (browsers mix them)

# Windows-1252 characters for bytes 0x80-0x9F; the C1 controls stand for the bytes it leaves undefined.
_CP1252_HIGH = bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore")
_TO_LATIN1 = {ord(c): c.encode("cp1252")[0] for c in _CP1252_HIGH}
_LATIN_HIGH = "\x80-\xff" + re.escape(_CP1252_HIGH)
_LATIN_RUN = re.compile(f"(?:[\ufffd{_LATIN_HIGH}][\ufffd{_LATIN_HIGH}\x40-\x7e])+[\ufffd{_LATIN_HIGH}]?")
_LATIN_HIGH_CHAR = re.compile(f"[{_LATIN_HIGH}]")
_LATIN_PAIR = re.compile(f"[{_LATIN_HIGH}]{{2}}")
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# What GBK read as Big5 (and the reverse) looks like: Han, kana, CJK symbols, private use, full-width
# forms, and the symbol, Greek and Cyrillic rows of GBK
_CJKISH = re.compile("[\u0391-\u0451\u2010-\u27bf\u2e80-\u9fff\ue000-\ufaff\ufe30-\ufe4f\uff00-\uffef]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_NON_ASCII_LINE = re.compile(r"[^\n]*[^\x00-\x7f][^\n]*")

# UTF-8 multi-byte sequences, also with one byte lost (the \xff marker); a run of them with ASCII
# and lost bytes between them. _TRUNCATED: a 3-byte sequence cut short, its last byte lost unmarked.
_DAMAGED = rb"\xff[\x80-\xbf]{2}|[\xe0-\xef]\xff[\x80-\xbf]|[\xe0-\xef][\x80-\xbf](?:\xff|(?![\x80-\xbf]))"
_SEQ = rb"(?:[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}|" + _DAMAGED + rb")"
_UTF8_RUN = re.compile(
    _SEQ + rb"(?:(?:[\x20-\x7e\xff]|[\xc2-\xf4](?=\xff))*" + _SEQ + rb")*(?:[\xe0-\xef][\x80-\xbf\xff]{0,2})?"
)
_TRUNCATED = re.compile(rb"[\xe0-\xef][\x80-\xbf\xff]?(?![\x80-\xbf\xff])")
_HOLE = re.compile(
    rb"(?=[\xe0-\xef\xff][\x80-\xbf\xff]{2})(?=.{0,2}\xff)[\xe0-\xef\xff][\x80-\xbf\xff]{2}", re.S
)
_CP1252_UNDEFINED = {0x81, 0x8D, 0x8F, 0x90, 0x9D}
# A lost byte is rarely a space or a full-width letter, digit or full stop (the model folds these)
_UNLIKELY_GUESS = re.compile("[\\s\ue000-\uf8ff\uff0e\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uffa0-\uffff]")
_UNLIKELY = 5.0
_PAIRS = ["（）", "【】", "《》", "「」", "『』", "〈〉", "〔〕", "“”", "‘’"]
_BRACKETS = {**{a: b for a, b in _PAIRS}, **{b: a for a, b in _PAIRS}}
_SHORT_LINE = 12  # a line this short is looked at for one mojibake-typical character (a title: `棣栭〉`)
_SECOND_ROUND_MIN = 6  # characters a segment needs before two rounds are tried on it
_SECOND_ROUND = 20.0  # log-probability a two-round repair gives up to one round over the same text
_LOST_CHARS = re.compile("[\ufffd€]")
_FFFD = re.compile("\ufffd")
_LOST = b"\xff"  # stands for a U+FFFD in the input: invalid in UTF-8, GBK and Big5 alike
_MARK_SIZES = bytes(2 if b == ord("?") else 1 for b in range(256))  # `?` -> 2, others -> 1 (translate)


@dataclass(frozen=True)
class Chain:
    """Bytes in codec `actual` that were decoded with codec `misread`."""

    actual: str
    misread: str

    def reason(self, segment: str) -> str:
        misread = self.misread
        if misread == LATIN:
            misread = "cp1252" if any(c in _CP1252_HIGH for c in segment) else "latin-1"
        names = {"gb18030": "gbk", "cp950": "big5"}
        return f"{names.get(self.actual, self.actual)} read as {names.get(misread, misread)}"


CHAINS = (
    Chain("utf-8", "gb18030"),
    Chain("utf-8", LATIN),
    Chain("gb18030", LATIN),
    Chain("cp950", "gb18030"),
    Chain("gb18030", "cp950"),
)  # UTF-8 read as Big5 is left out: Big5 decoders lose most of its bytes (0x80-0xA0 cannot lead)


_BY_REASON = {chain.reason(sample): chain for chain in CHAINS for sample in ("", "€")}


def _common_han() -> str:
    """GB2312 level 1 and Big5 level 1: the frequent simplified and traditional characters."""
    gb = bytes(b for hi in range(0xB0, 0xD8) for lo in range(0xA1, 0xFF) for b in (hi, lo))
    big5 = bytes(
        b for hi in range(0xA4, 0xC7) for lo in [*range(0x40, 0x7F), *range(0xA1, 0xFF)] for b in (hi, lo)
    )
    return gb.decode("gb2312", "ignore") + big5.decode("cp950", "ignore")


@lru_cache(maxsize=1)
def _odd_pattern() -> re.Pattern[str]:
    """Characters typical of mojibake and rare in clean Chinese: Latin-1 letters, rare Han, kana..."""
    common = "".join(sorted(set(_common_han())))
    normal = "\x00-\x7f\u00b7\u00d7\u00f7\u2010-\u206f\u2100-\u23ff\u3000-\u303f\uff00-\uffef\\s" + re.escape(
        common
    )
    return re.compile(f"[^{normal}]")


@lru_cache(maxsize=1)
def _two_lost_pool() -> dict[int, list[tuple[bytes, str]]]:
    """Characters a UTF-8 sequence missing two bytes may be guessed as, by lead byte."""
    punct = map(chr, [*range(0x2010, 0x2070), *range(0x3000, 0x3040), *range(0xFF01, 0xFF66)])
    pool: dict[int, list[tuple[bytes, str]]] = {}
    for c in sorted(set(_common_han()).union(punct)):
        seq = c.encode()
        pool.setdefault(seq[0], []).append((seq, c))
    return pool


def _encode(text: str, codec: str, euro_byte: bool = False) -> bytes | None:
    """The bytes `codec` would have decoded to `text` (None when it could not have).

    U+FFFD stands for a byte the decoder could not read (kept as the marker \\xff). The euro sign is
    A2 E3 in GBK, but browsers' GBK decoders also read a lone 0x80 as it (`euro_byte`).
    """
    lost = _LOST_CHARS if euro_byte and codec == "gb18030" else _FFFD
    parts = lost.split(text)
    try:
        out = [
            p.translate(_TO_LATIN1).encode("latin-1") if codec == LATIN else p.encode(codec) for p in parts
        ]
    except UnicodeEncodeError:
        return None
    data = [out[0]]
    for sep, part in zip(lost.findall(text), out[1:], strict=True):
        data += [_LOST if sep == "\ufffd" else b"\x80", part]
    return b"".join(data)


def _char_bytes(c: str, codec: str) -> int:
    """How many bytes `c` stands for in `codec`, as `_encode` counts them."""
    return 1 if c == "\ufffd" else len(c.encode(codec))


class WrongCodecRepair(Repair):
    """Re-decode segments that are Chinese bytes read with the wrong codec (`浣犲ソ` -> `你好`)."""

    name = "codec"

    def __init__(
        self,
        min_score: float = -9.0,
        margin: float = 3.0,
        min_han: int = 2,
        odd_share: float = 0.2,
        max_lost: float = 0.15,
        model: CharModel | None = None,
    ) -> None:
        """Options: a repair must reach `min_score` (mean log-probability per character) and beat the
        input by `margin`, and hold `min_han` Han characters; a line is tried for a GBK/Big5 swap when
        `odd_share` of it is mojibake-typical; at most `max_lost` of the bytes may have been lost."""
        self.min_score = min_score
        self.margin = margin
        self.min_han = min_han
        self.odd_share = odd_share
        self.max_lost = max_lost
        self._given_model = model

    @property
    def model(self) -> CharModel:
        return self._given_model or default_model()

    def __call__(self, doc: Document) -> None:
        reps = list(self.find(doc.text))
        if reps:
            reasons = sorted({r.reason for r in reps})
            doc.meta["codec_repair"] = {"segments": len(reps), "codecs": reasons}
        doc.apply(self.name, reps)

    def find(self, text: str) -> Iterator[Replacement]:
        found: list[Replacement] = []
        for start, end, n_odd in _suspicious_lines(text):
            line = text[start:end]
            if n_odd < 2 and len(line.strip()) > _SHORT_LINE:
                continue
            dense = n_odd >= self.odd_share * len(line.strip())
            for r in self._line_repairs(line, dense):
                found.append(Replacement(start + r.start, start + r.end, r.new, r.kind, r.reason))
        found += self._whole_text(text, found)
        return iter(sorted(found, key=lambda r: r.start))

    def _whole_text(self, text: str, found: list[Replacement]) -> list[Replacement]:
        """When most lines with non-ASCII text were misread one way, try that way on the rest too.

        Short lines (`首頁`, `2024年3月`) carry too little evidence alone; next to a page of the same
        mojibake they need only beat their input by one nat per character.
        """
        reasons = [r.reason for r in found if ", then" not in r.reason]
        if len(reasons) < 2:
            return []  # the usual case, decided before scanning the text for its lines
        lines = list(_NON_ASCII_LINE.finditer(text))
        if len(found) * 2 < len(lines):
            return []
        chain = _BY_REASON[max(set(reasons), key=reasons.count)]
        done = {text.rfind("\n", 0, r.start) + 1 for r in found}
        more = []
        for m in lines:
            if m.start() in done or not m.group().strip():
                continue
            segment = m.group().strip()
            new = self._redecode(segment, chain)
            if new is not None and self._gain(segment, new, margin=1.0, min_han=1) is not None:
                start = m.start() + m.group().index(segment)
                more.append(
                    Replacement(start, start + len(segment), new, "wrong-codec", chain.reason(segment))
                )
        return more

    def _line_repairs(self, line: str, dense: bool) -> list[Replacement]:
        """The best non-overlapping repairs of one line (gain = log-probability won)."""
        found: list[tuple[float, list[Replacement]]] = []
        for chain in CHAINS:
            spans = self._segments(line, chain, dense)
            if chain.misread == LATIN and len(spans) > 1:
                found += self._repair_together(line, spans, chain)
                continue
            for start, end in spans:
                best = self._repair(line[start:end], chain)
                if best:
                    gain, new, reason = best
                    found.append((gain, [Replacement(start, end, new, "wrong-codec", reason)]))
        chosen: list[Replacement] = []
        for _, group in sorted(found, key=lambda f: -f[0]):
            if all(r.end <= c.start or r.start >= c.end for r in group for c in chosen):
                chosen += group
        return chosen

    def _repair_together(
        self, line: str, spans: list[tuple[int, int]], chain: Chain
    ) -> list[tuple[float, list[Replacement]]]:
        """Re-decode all Latin-1 runs of a line at once (`GitLab¡¢Git`: one run is too short to judge)."""
        reps = []
        for start, end in spans:
            new = self._redecode(line[start:end], chain, short_ok=True)
            if new is not None:
                reps.append(Replacement(start, end, new, "wrong-codec", chain.reason(line[start:end])))
        repaired = Document(line).apply_and_return(self.name, reps)
        changed = "".join(line[r.start : r.end] for r in reps), "".join(r.new for r in reps)
        gain = self._gain(line, repaired, changed)
        return [] if gain is None else [(gain, reps)]

    def _segments(self, line: str, chain: Chain, dense: bool) -> list[tuple[int, int]]:
        if chain.misread == LATIN:
            return _latin_segments(line) if _LATIN_PAIR.search(line) else []
        if chain.actual == "utf-8":  # shorter than min_han three-byte characters: `_redecode` gives up
            return _utf8_segments(line, chain.misread, max(4, 3 * self.min_han))
        stripped = line.strip()
        if not dense or len(_CJKISH.findall(stripped)) * 2 < len(_NON_ASCII.findall(stripped)):
            return []  # a GBK/Big5 swap gives CJK-looking text, not pinyin or Latin letters
        start = line.index(stripped)
        return [(start, start + len(stripped))]

    def _repair(self, segment: str, chain: Chain) -> tuple[float, str, str] | None:
        """Best accepted re-decoding of `segment`, by `chain` alone or followed by a second chain."""
        first = self._redecode(segment, chain)
        if first is None:
            return None
        gain = self._gain(segment, first)
        if gain is not None:
            return gain, first, chain.reason(segment)
        if len(segment.strip()) < _SECOND_ROUND_MIN or self.model.score(first) >= self.min_score:
            return None  # too short to trust a search over two rounds, or plausible after one
        first = self._redecode(segment, chain, guess=False)  # lost bytes of mojibake: no model to guess by
        best = None
        for second in CHAINS:
            if second.actual == chain.misread and second.misread == chain.actual:
                continue  # undoing the first round: not a double encoding
            new = self._redecode(first, second)
            if new is None:
                continue
            reason = f"{chain.reason(segment)}, then {second.reason(first)}"
            gain = self._gain(segment, new)
            if gain is not None and (best is None or gain - _SECOND_ROUND > best[0]):
                best = (gain - _SECOND_ROUND, new, reason)
        return best

    def _gain(
        self,
        before: str,
        after: str,
        changed: tuple[str, str] | None = None,
        margin: float | None = None,
        min_han: int | None = None,
    ) -> float | None:
        """Log-probability won by the repair, or None if `after` is not far more plausible Chinese.

        The re-decoded text (`changed`: the replaced parts, when only parts of the line were) must be
        new characters: a repair that keeps most of them only swapped a few unlikely ones.
        """
        old, new = changed or (before, after)
        kept = set(_NON_ASCII.findall(old))
        fresh = [c for c in _NON_ASCII.findall(new) if c not in kept]
        min_han = self.min_han if min_han is None else min_han
        if len(fresh) * 2 < len(_NON_ASCII.findall(new)) or len(_HAN.findall(after)) < min_han:
            return None
        score = self.model.score(after)
        margin = self.margin if margin is None else margin
        if score < self.min_score or score - self.model.score(before) < margin:
            return None
        return self.model.logprob(after) - self.model.logprob(before)

    def _redecode(self, segment: str, chain: Chain, guess: bool = True, short_ok: bool = False) -> str | None:
        """`segment` re-encoded with the misreading codec and decoded with the real one, or None."""
        new = self._redecode_bytes(segment, chain, guess, short_ok, euro_byte=False)
        if chain.misread != "gb18030" or "€" not in segment:
            return new
        other = self._redecode_bytes(segment, chain, guess, short_ok, euro_byte=True)
        if new is None or (other is not None and self.model.score(other) > self.model.score(new)):
            return other
        return new

    def _redecode_bytes(
        self, segment: str, chain: Chain, guess: bool, short_ok: bool, euro_byte: bool
    ) -> str | None:
        data = _encode(segment, chain.misread, euro_byte)
        if data is None or data.isascii():
            return None
        if not short_ok and len(data) < self.min_han * (3 if chain.actual == "utf-8" else 2):
            return None  # too short to hold min_han Han characters
        if chain.actual == "utf-8":
            invalid = data.decode("utf-8", "replace").count("\ufffd") - 3 * data.count(_LOST)
            if invalid > self.max_lost * len(data) + 2:
                return None  # not UTF-8 at all: no use guessing lost bytes
            data = _TRUNCATED.sub(lambda m: m.group().ljust(3, _LOST), data)
        elif data.endswith(_LOST):
            data = data[:-1]  # the lost final byte of an odd-length text
        lost = data.count(_LOST)
        if lost > self.max_lost * len(data) + 1:
            return None  # too lossy
        new = data.decode(chain.actual, errors="replace")
        if not lost or not guess:
            return new
        known = self.model.score(new.replace("\ufffd", ""))
        if known < self.min_score or known < self.model.score(segment) + self.margin / 2:
            return new  # guesses cannot make this plausible: not worth the model's time
        return self._fill_lost(data, chain).decode(chain.actual, errors="replace")

    def _fill_utf8(self, data: bytes, misread: str) -> bytes:
        """Complete each UTF-8 character with lost bytes by the model's likeliest character in context.

        Two passes: the second judges each guess again between its neighbours' first guesses.
        """
        known = data.decode("utf-8", errors="replace")
        pieces: list[str | list[tuple[bytes, str]]] = []
        last = 0
        for m in _HOLE.finditer(data):
            cands = _utf8_candidates(m.group(), data[m.end() : m.end() + 1], misread)
            if cands:
                pieces += [data[last : m.start()].decode("utf-8", "replace"), cands]
                last = m.end()
        pieces.append(data[last:].decode("utf-8", "replace"))
        chosen: dict[int, int] = {}

        def text(i: int) -> str:
            piece = pieces[i]
            if isinstance(piece, str):
                return piece.replace("\ufffd", "")
            return piece[chosen[i]][1] if i in chosen else ""

        for _ in range(2):
            for i in range(1, len(pieces), 2):
                prev = (text(i - 2) if i > 1 else "") + text(i - 1)
                nxt = text(i + 1) + (text(i + 2) if i + 2 < len(pieces) else "\n")  # a line ends after
                chosen[i] = self._likeliest(pieces[i], prev[-1:], nxt[:1], known)
        out = [
            piece.encode("utf-8") if isinstance(piece, str) else piece[chosen[i]][0]
            for i, piece in enumerate(pieces)
        ]
        return b"".join(out)

    def _likeliest(self, cands: list[tuple[bytes, str]], prev: str, nxt: str, known: str) -> int:
        """Index of the candidate character likeliest between `prev` and `nxt`."""
        width = len(prev) + 1 + len(nxt)
        lps = self.model.char_logprobs("".join(prev + c + nxt for _, c in cands))
        scores = lps.reshape(len(cands), width)[:, len(prev) :].sum(axis=1)
        for i, (_, c) in enumerate(cands):
            if _UNLIKELY_GUESS.match(c) or (c in _BRACKETS and _BRACKETS[c] not in known):
                scores[i] -= _UNLIKELY
        return int(scores.argmax())

    def _fill_lost(self, data: bytes, chain: Chain) -> bytes:
        """Give each byte the decoder lost (`\\xff`) the value the model finds likeliest.

        Candidates are the bytes the misreading decoder could not have read there; a guess that is a
        space, a full-width letter or digit, or a bracket without its partner pays a penalty. GBK and
        Big5: byte by byte, judged on the next few characters (a lost lead also shifts the phase).
        """
        if chain.actual == "utf-8":
            return self._fill_utf8(data, chain.misread)
        known = data.decode(chain.actual, errors="replace")
        pos = data.find(_LOST)
        while pos != -1:
            end = data.find(_LOST, pos + 1)  # decode up to the next lost byte
            end = len(data) if end == -1 else end
            keep = max(0, len(data[:pos].decode(chain.actual, errors="replace")) - 2)
            best, best_lp = _LOST, -1e9
            for b in range(0x80, 0xFF):
                if not _misread_fails(chain.misread, b, data[pos + 1 : pos + 2]):
                    continue
                trial = (data[:pos] + bytes([b]) + data[pos + 1 : end]).decode(chain.actual, "replace")
                if end < len(data):
                    trial = trial.removesuffix("\ufffd")  # the lead whose trail is the next lost byte
                tail = trial[keep : keep + 8]
                if "\ufffd" in tail:
                    continue
                lp = self.model.logprob(tail) - _UNLIKELY * _unlikely_count(tail, known)
                if lp > best_lp:
                    best, best_lp = bytes([b]), lp
            data = data[:pos] + best + data[pos + 1 :]
            pos = data.find(_LOST, pos + 1)
        return data


def _utf8_candidates(hole: bytes, nxt: bytes, misread: str) -> list[tuple[bytes, str]]:
    """The characters a 3-byte UTF-8 sequence with lost bytes (`\\xff`) may have been.

    With one byte lost, any character; with two (`。` = E3 80 82 loses both 80 and 82 to a GBK decoder),
    only punctuation and the common characters of GB2312 and Big5 level 1.
    """
    choices = []
    for i, b in enumerate(hole):
        if b != _LOST[0]:
            choices.append({b})
            continue
        after = hole[i + 1 : i + 2] or nxt
        values = range(0xE0, 0xF0) if i == 0 else range(0x80, 0xC0)
        if after[:1] != _LOST:
            values = [v for v in values if _misread_fails(misread, v, after)]
        choices.append(set(values))
    if hole.count(_LOST) > 1:
        pool = _two_lost_pool()
        seqs = [s for lead in choices[0] for s in pool.get(lead, ())]
        return [(seq, c) for seq, c in seqs if seq[1] in choices[1] and seq[2] in choices[2]]
    out = []
    for b0 in choices[0]:
        for b1 in choices[1]:
            for b2 in choices[2]:
                seq = bytes((b0, b1, b2))
                try:
                    out.append((seq, seq.decode("utf-8")))
                except UnicodeDecodeError:
                    continue
    return out


def _misread_fails(codec: str, byte: int, nxt: bytes) -> bool:
    """Whether the misreading decoder would have lost `byte` when followed by `nxt`."""
    if codec == LATIN:
        return byte in _CP1252_UNDEFINED
    return (bytes([byte]) + nxt).decode("gbk" if codec == "gb18030" else codec, "replace")[0] == "\ufffd"


def _unlikely_count(text: str, known: str) -> int:
    """Unlikely characters for a guessed byte to make: spaces, full-width alphanumerics, lone brackets."""
    return len(_UNLIKELY_GUESS.findall(text)) + sum(
        1 for c in text if c in _BRACKETS and _BRACKETS[c] not in known
    )


def _latin_segments(line: str) -> list[tuple[int, int]]:
    """Runs of Latin-1/cp1252 high characters, with the ASCII trail bytes of GBK characters in them.

    `ÄãºÃ£¬ÊÀ½ç` is one run; `Müller` and `café` have none (one high character is not a run).
    """
    return [m.span() for m in _LATIN_RUN.finditer(line) if len(_LATIN_HIGH_CHAR.findall(m.group())) >= 2]


def _suspicious_lines(text: str) -> Iterator[tuple[int, int, int]]:
    """(start, end, count) of each line holding characters typical of mojibake."""
    line_start = line_end = -1
    count = 0
    for m in _odd_pattern().finditer(text):
        if m.start() >= line_end:
            if count:
                yield line_start, line_end, count
            line_start = text.rfind("\n", 0, m.start()) + 1
            line_end = text.find("\n", m.start())
            line_end = len(text) if line_end == -1 else line_end
            count = 0
        count += 1
    if count:
        yield line_start, line_end, count


def _utf8_segments(line: str, codec: str, min_bytes: int = 4) -> list[tuple[int, int]]:
    """Character spans of `line` whose bytes in `codec` form a run of UTF-8 sequences, `min_bytes` long."""
    data = _encode(line, codec)
    if data is None:
        return []
    runs = [m.span() for m in _UTF8_RUN.finditer(data)]
    if not any(end - start >= 6 for start, end in runs):
        return []
    bounds = _char_bounds(line, codec, len(data))
    spans = []
    for start, end in runs:
        if end + 3 - start < min_bytes:
            continue  # too short even if it ends in the first byte of a four-byte character
        first = bisect_left(bounds, start)
        if bounds[first] != start:
            continue  # the run starts inside a character
        last = bisect_left(bounds, end)  # the run ends inside a character: up to its end
        if bounds[last] - start >= min_bytes:
            spans.append((first, last))
    return spans


def _char_bounds(line: str, codec: str, size: int) -> list[int]:
    """The byte offset of each character boundary of `line`, `size` bytes in `codec`.

    A lost byte (U+FFFD) is one byte, ASCII too. In GB18030 any other character is two bytes or four
    (outside GBK): when two bytes for each adds up to `size`, no character is four.
    """
    if codec == "gb18030":
        # one byte per character: `?` for each that is neither ASCII nor U+FFFD, then its size
        marks = line.replace("?", "\0").replace("\ufffd", "\0").encode("ascii", "replace")
        sizes = marks.translate(_MARK_SIZES)
        if sum(sizes) == size:
            return list(accumulate(sizes, initial=0))
    return list(accumulate((1 if c < "\x80" else _char_bytes(c, codec) for c in line), initial=0))
