"""Repair byte-level GBK damage: ruby straddle units (`奮勇?tīng)?zhēng)先`) and one-byte desync runs.

    >>> GbkDamageRepair().fix("奮勇?tīng)?zhēng)先，帶頭挑重?fù)?dān)。")
    '奮勇爭先，帶頭挑重擔。'
    >>> GbkDamageRepair().fix("取得了顯著成就?!笆逦濉比匀皇峭ㄖ菥C合經濟實力")
    '取得了顯著成就。“十五五”仍然是通州綜合經濟實力'

Works on the text as decoded, before ruby removal, by rebuilding the GBK bytes (see `zhclean.gbk_rebuild`):
a straddle chain is walked byte by byte under the pinyin each unit carries; an out-of-phase run after a
`?` is re-paired in phase, choosing all unknown bytes at once (the lost lead, the byte before an eaten one,
deleted user-defined pairs) by a Viterbi search under the character model (`zhclean.gbk_lattice`).
A byte eaten after a run is guessed (a newline after `。！？`, else a space) and flagged `gbk_gap`. Clean text is never touched: only a `?` next to
non-ASCII text is looked at, and a run is rebuilt only when the model strongly prefers the rebuilt text.
Before any lattice search, a `?` is dropped when what follows reads as ordinary Chinese, or when the text
a run would replace costs too little for any reading of it to gain what a repair must gain.
Spans that are surely damaged but cannot be rebuilt are flagged and, by default, their garbled
characters dropped (`unrecoverable = "drop" | "keep" | "drop-sentence"`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..document import Document, Replacement
from ..gbk import char_bytes, is_lead, real_char
from ..gbk_lattice import best_reading
from ..gbk_rebuild import (
    COMMON_SYMBOLS,
    RUBY_AT,
    TONE_MARKS,
    UNIT,
    Run,
    first_candidates,
    folded_bytes,
    gap_fillers,
    is_han,
    pairs_to_text,
    private_pairs,
    read_runs,
    readings,
    split_pairs,
    trails_by_reading,
    visible_char,
)
from ..plausibility import CharModel, default_model
from ..step import Repair

QMARK = re.compile(r"\?")
# A desync run is read out of phase into non-ASCII pairs; a `?` followed by four ASCII letters, digits or
# spaces (`?` in
# code, URLs, English) starts no run worth reading, and trying costs ~10 ms each.
ASCII_AHEAD = re.compile(r"[A-Za-z0-9 \t\n]{4}")
# Out of phase, each character is a trail byte paired with the next character's lead byte: a near-random
# string of GBK characters that the model reads at -10 nats per character or worse (no desync run of the
# mojibake bench reads better than -9.8 over its first four to six characters), while Chinese read in
# phase after a `?` scores -2.5 to -5 (corpus). So a `?` whose next four to six characters (all surely
# inside any run: no ASCII byte that could end one comes first) read better than IN_PHASE_MEAN starts none.
IN_PHASE_WINDOW = 6
IN_PHASE_MIN = 4
IN_PHASE_MEAN = -7.0
SENTENCE_FINAL = "。！？!?"
FULLWIDTH = re.compile("[\uff01-\uff5e\u3000]")
TAG_AFTER = re.compile(r"/?[A-Za-z][A-Za-z0-9]*(?:\s[^<>\n]*)?>")
SENTENCE_END = re.compile(r"[。！？!?\n]")
TONED = re.compile(f"[{TONE_MARKS}]")
RUBY_BEFORE = re.compile(rf"([^\x00-\x7f])\(([a-zü{TONE_MARKS}]{{1,7}})\)$")
MAX_PATHS = 64  # byte paths followed through one straddle chain
MIN_EATEN_RUN = 2  # bytes of a run ended by `?` (its first and last characters are half guessed)
GAP_SEARCH_MIN_GAIN = 1.0  # nats per char the best reading without deleted pairs must gain first
GAP_RUNS = 2  # run endings searched for deleted pairs
MAX_RUNS = 24  # places an out-of-phase run may end (ASCII letters) tried

RUN_MIN_GAIN = 3.0  # nats per character of the run the rebuilt text must gain over the text as it stands
SHORT_RUN = 4  # chars from the `?` to the end of a short run
SHORT_MIN_GAIN = 5.0  # nats per char a short run must gain
RUN_MIN_TOTAL = 10.0  # ...and in all: a guessed lead byte alone picks the best of ~100 characters
RUN_MIN_SEEN = 0.5  # share of its hanzi pairs a rebuilt run must share with real text
RUN_MAX_MEAN = -7.5  # the rebuilt run must read like Chinese (mean log-probability in context)
GAP_TRY_BELOW = -13.0  # only a hanzi reading this badly in context may hide a deleted pair
RARE_SYMBOL_LOGP = -4.0  # a rebuilt `ｄ` or `╤` is itself a sign of a deleted pair next to it
GAP_PRIOR_LOGODDS = -3.0  # about 1 in 20 out-of-phase pairs falls in the user-defined area
GAP_MIN_LOGODDS = 2.2  # a deleted pair is assumed at posterior odds above about 9:1
GAP_SURE_LOGSHARE = -0.36  # the best filler must hold 70 % of the gap's probability, else only marked
GAP_DROP_LOGODDS = 5.0  # a gap no filler explains is marked (its wrong character dropped) only above this


@dataclass
class Result:
    """One way to read a damaged span: the rebuilt text, where the span ends, deleted pairs left unknown."""

    new: str
    end: int
    gaps: list[str]


def ascii_island(text: str, run: Run) -> bool:
    """An ASCII run with a `?` on both sides (`^old^new?^?`): neither it nor what follows shows a GBK byte,
    so its reading would be all guesswork."""
    return text[run.start : run.end].isascii() and (run.eaten or text[run.end : run.end + 1] == "?")


def latin_misfit(text: str, run: Run) -> bool:
    """A run ending that fits Latin text badly: `式M態` (a letter from a trail byte, alone between hanzi)
    or `補Oral` (a letter taken as a trail byte while it starts a Latin word)."""
    if run.eaten:
        return False
    last, after = text[run.end - 1], text[run.end : run.end + 1]
    latin_after = after.isascii() and after.isalnum()
    if last.isascii():
        return latin_after
    return run.data[-1] < 0x80 and not latin_after


@dataclass
class Fix:
    """A decided change to text[start:end], with flags for what could not be rebuilt."""

    start: int
    end: int
    new: str
    kind: str
    reason: str
    flags: list[tuple[str, int, int, dict]] = field(default_factory=list)


def run_prefix(text: str, start: int, limit: int) -> str:
    """Up to `limit` characters from `start` that a run from there surely holds: spaces (U+3000 folded)
    and non-ASCII GBK characters, up to an ASCII byte or `€` (either may end the run) or a character
    whose trail byte is ASCII (it ends the run)."""
    out = []
    for ch in text[start : start + limit]:
        data = folded_bytes(ch) if ch == " " or (not ch.isascii() and ch != "€") else None
        if data is None:
            break
        out.append(ch)
        if data[1] < 0x80:
            break
    return "".join(out)


def min_gain_total(chars: int) -> float:
    """The least total gain `_run` accepts for a rebuilt run replacing `chars` characters."""
    need = max(RUN_MIN_TOTAL, RUN_MIN_GAIN * chars)
    return max(need, SHORT_MIN_GAIN * chars) if chars <= SHORT_RUN else need


def overlap(a: Fix, b: Fix) -> bool:
    return a.start < b.end and b.start < a.end


class GbkDamageRepair(Repair):
    """Rebuild GBK bytes behind `?py)` straddle units and one-byte desync runs, then re-decode in phase."""

    name = "gbk_damage"

    def __init__(self, unrecoverable: str = "drop", model: CharModel | None = None) -> None:
        if unrecoverable not in ("drop", "keep", "drop-sentence"):
            raise ValueError(
                f"gbk_damage: unrecoverable must be drop, keep or drop-sentence, not {unrecoverable!r}"
            )
        self.unrecoverable = unrecoverable
        self._model = model
        self._fillers: dict[tuple[int, int], tuple[np.ndarray, np.ndarray]] = {}
        self._script_sets: tuple[frozenset[str], frozenset[str]] | None = None
        self._text = ""
        self._avoid: frozenset[str] | None = None

    @property
    def model(self) -> CharModel:
        if self._model is None:
            self._model = default_model()
        return self._model

    def find(self, text: str) -> list[Replacement]:
        return [Replacement(f.start, f.end, f.new, f.kind, f.reason) for f in self.scan(text)]

    def __call__(self, doc: Document) -> None:
        fixes = self.scan(doc.text)
        for f in fixes:
            for kind, start, end, info in f.flags:
                doc.flag(kind, start, end, **info)
        doc.apply(self.name, [Replacement(f.start, f.end, f.new, f.kind, f.reason) for f in fixes])

    def scan(self, text: str) -> list[Fix]:
        """All fixes for `text`, left to right, non-overlapping."""
        fixes: list[Fix] = []
        done = 0
        self._text, self._avoid = text, None
        for m in QMARK.finditer(text):
            p = m.start()
            if p < done:
                continue
            fix = self._chain(text, p)
            if fix is None and not ASCII_AHEAD.match(text, p + 1) and not self._in_phase_after(text, p):
                fix = self._run(text, p)
            if fix is not None:
                fix.start = max(fix.start, done)  # a dropped sentence stops at the previous fix
                fixes.append(fix)
                done = fix.end
        if "(" in text:
            fixes += [f for f in self._ascii_straddles(text) if not any(overlap(f, g) for g in fixes)]
        return sorted(fixes, key=lambda f: f.start)

    def _best(self, text: str, p: int, results: list[Result]) -> Result | None:
        """The result that reads best, all compared over the same span of the text."""
        if not results:
            return None
        stop = max(r.end for r in results)
        left, right = text[max(0, p - 3) : p], text[stop : stop + 3]
        return max(results, key=lambda r: self._lp(left + r.new + text[r.end : stop] + right))

    # -- straddle chains: `?py)?py)...` -------------------------------------------------------------

    def _chain(self, text: str, p: int) -> Fix | None:
        first = UNIT.match(text, p)
        if p == 0 or first is None:
            return None
        before = folded_bytes(self._char_before(text, p))
        results: list[Result] = []
        if before is not None and len(before) == 2 and before[1] >= 0x81:
            self._in_phase(text, p, before[1], "", [], results)
        best = self._best(text, p, results)
        if best is not None:
            flags = [("gbk_gap", p, best.end, {"detail": g}) for g in best.gaps]
            return Fix(p, best.end, best.new, "gbk_straddle", "rebuilt the GBK bytes under ruby units", flags)
        end = first.end()
        while (m := UNIT.match(text, end)) is not None:
            end = m.end()
        if TONED.search(text, p, end) is None:
            return None
        return self._unrecoverable(text, p, end, "gbk_straddle_unrecoverable", "no character fits the units")

    def _in_phase(
        self, text: str, pos: int, x: int, out: str, gaps: list[str], results: list[Result]
    ) -> None:
        """Decoder in phase after byte x: a unit here is a straddle key (x, b) and b leads the next char."""
        m = UNIT.match(text, pos)
        if m is None or len(results) >= MAX_PATHS:
            if out:
                results.append(Result(out, pos, gaps))
            return
        for b in trails_by_reading(x).get(m.group(1), ()):
            if is_lead(b):
                self._pending(text, m.end(), b, out, gaps, results)

    def _pending(self, text: str, pos: int, b: int, out: str, gaps: list[str], results: list[Result]) -> None:
        """Byte b leads a character whose trail is next: a unit (its annotation) or an out-of-phase run."""
        m = UNIT.match(text, pos)
        if m is not None:
            for c in trails_by_reading(b).get(m.group(1), ()):
                if is_lead(c):
                    self._in_phase(text, m.end(), c, out + (real_char(b, c) or ""), gaps, results)
            return
        for run in read_runs(text, pos)[:MAX_RUNS]:
            unit = UNIT.match(text, run.end - 1) if run.eaten and run.data else None
            if unit is None:
                rebuilt = self._rebuild_run(text, pos, run, [b], left_extra=out)
                if rebuilt is not None:
                    results.append(Result(out + rebuilt[0], run.end, gaps + rebuilt[1]))
                continue
            for run_, last in self._unit_endings(run, unit.group(1)):
                rebuilt = self._rebuild_run(text, pos, run_, [b], [last], left_extra=out)
                if rebuilt is not None:
                    self._in_phase(text, unit.end(), last, out + rebuilt[0], gaps + rebuilt[1], results)

    @staticmethod
    def _unit_endings(run: Run, py: str) -> list[tuple[Run, int]]:
        """A run ended by `?py)`: the byte L that reads py after the run's last byte, or after a deleted pair."""
        found = [(run, b) for b in trails_by_reading(run.data[-1]).get(py, ()) if is_lead(b)]
        if found:
            return found
        for u1, u2 in private_pairs():
            if visible_char(run.data[-1], u1):
                longer = Run(run.start, run.end, run.data + bytes((u1, u2)), run.eaten)
                found += [(longer, b) for b in trails_by_reading(u2).get(py, ()) if is_lead(b)]
        return found[:MAX_PATHS]

    # -- desync runs: `?` + a run read one byte out of phase -----------------------------------------

    def _in_phase_after(self, text: str, p: int) -> bool:
        """The characters after the `?` that any run from it would hold read as ordinary Chinese."""
        window = run_prefix(text, p + 1, IN_PHASE_WINDOW)
        if len(window) < IN_PHASE_MIN:
            return False
        return float(self.model.char_logprobs(window)[1:].mean()) > IN_PHASE_MEAN

    def _run(self, text: str, p: int) -> Fix | None:
        found = self._run_candidate(text, p)
        if found is None:
            return None
        best, total, gain, mean = found
        if gain < RUN_MIN_GAIN or total < RUN_MIN_TOTAL or mean < RUN_MAX_MEAN:
            return None
        if best.end - p <= SHORT_RUN and gain < SHORT_MIN_GAIN:
            return None  # `?吓?` in clean Cantonese: a few guessed bytes fit too easily
        if not self._wordlike(best.new):
            return None
        flags = [("gbk_gap", p, best.end, {"detail": g}) for g in best.gaps]
        return Fix(p, best.end, best.new, "gbk_desync", "re-decoded a run read one byte out of phase", flags)

    def _wordlike(self, new: str) -> bool:
        """Most neighbouring hanzi of a rebuilt run were seen together in real text (not just backed off)."""
        pairs = [a + b for a, b in zip(new, new[1:], strict=False) if is_han(a) and is_han(b)]
        if not pairs:
            return True
        seen = self.model.seen_pairs(" ".join(pairs))[::3]
        return float(seen.mean()) >= RUN_MIN_SEEN

    def _run_candidate(self, text: str, p: int) -> tuple[Result, float, float, float] | None:
        """The best in-phase reading of what follows a `?`: its total gain, gain per char and mean score."""
        runs = [
            run
            for run in read_runs(text, p + 1)[:MAX_RUNS]
            if run.data
            and not (run.eaten and len(run.data) < MIN_EATEN_RUN)
            and not ascii_island(text, run)
            and not latin_misfit(text, run)
        ]
        if not runs or not self._may_gain_enough(text, p, runs):
            return None
        quick = [(r, run) for run in runs if (r := self._read_run(text, p, run, gaps=False)) is not None]
        if not quick:
            return None
        # deleted pairs are looked for only in the run endings that read best without them
        stop = max(r.end for r, _ in quick)
        quick.sort(key=lambda x: self._span_lp(text, p, x[0], stop), reverse=True)
        options = [r for r, _ in quick]
        left, right = text[max(0, p - 4) : p], text[stop : stop + 4]
        base = self._lp(left + text[p:stop] + right)
        if self._span_lp(text, p, quick[0][0], stop) - base < GAP_SEARCH_MIN_GAIN * (stop - p):
            return None  # even the best reading without deleted pairs reads much worse than the text
        for _, run in quick[:GAP_RUNS]:
            if (r := self._read_run(text, p, run, gaps=True)) is not None:
                options.append(r)
        best = self._best(text, p, options)
        if best is None:
            return None
        stop = max(r.end for r in options)
        left, right = text[max(0, p - 4) : p], text[stop : stop + 4]
        old, new = text[p:stop], best.new + text[best.end : stop]
        scored = self._lp(left + new + right)
        total = scored - self._lp(left + old + right)
        mean = (scored - self._lp(left)) / max(len(new) + len(right), 1)
        return best, total, total / (best.end - p), mean

    def _may_gain_enough(self, text: str, p: int, runs: list[Run]) -> bool:
        """Whether a run could gain what `_run` asks before any is read: log-probabilities are at most 0,
        so a reading of text[p:end] gains at most what that text and the transition into text[end] cost
        (the rest of the span compared is the same text on both sides)."""
        stop = max(run.end for run in runs)
        lps = self.model.char_logprobs(text[max(0, p - 1) : stop + 1])
        spent = np.cumsum(-(lps[1:] if p else lps))  # spent[k]: the cost of text[p : p + k + 1]
        # 1e-6: the gain `_run` computes is a difference of float sums, exact only up to rounding
        return any(
            spent[min(run.end - p, len(spent) - 1)] >= min_gain_total(run.end - p) - 1e-6 for run in runs
        )

    def _read_run(self, text: str, p: int, run: Run, gaps: bool) -> Result | None:
        """The run read back in phase by the lattice search, with the byte a `?` ending it ate guessed."""
        left = text[max(0, p - 3) : p]
        after = (" " if run.eaten else "") + text[run.end : run.end + 1]
        reading = best_reading(run.data, left, after, run.eaten, self.model, gaps, self._page_avoid())
        if reading is None:
            return None
        new = self._fold_like(text, reading[0])
        notes = []
        if run.eaten and TAG_AFTER.match(text, run.end):
            new += "<"
        elif run.eaten and run.end < len(text):  # at the end of the text the `?` ate no byte
            new += "\n" if new[-1] in SENTENCE_FINAL else " "
            notes.append(f"a byte eaten after the run, guessed as {new[-1]!r}")
        return Result(new, run.end, notes)

    def _span_lp(self, text: str, p: int, r: Result, stop: int) -> float:
        return self._lp(text[max(0, p - 3) : p] + r.new + text[r.end : stop] + text[stop : stop + 3])

    def _page_avoid(self) -> frozenset[str]:
        if self._avoid is None:
            self._avoid = self._other_script(self._text)
        return self._avoid

    def _other_script(self, text: str) -> frozenset[str]:
        """Characters of the script the page does not use (traditional or simplified), for tie-breaking."""
        trad, simp = self._scripts()
        counts = Counter(text)  # counted once per distinct character, not per character
        t = sum(n for c, n in counts.items() if c in trad)
        s = sum(n for c, n in counts.items() if c in simp)
        if t == s:
            return frozenset()
        return simp if t > s else trad

    def _scripts(self) -> tuple[frozenset[str], frozenset[str]]:
        if self._script_sets is None:
            folds = self.model.folds
            trad = frozenset(folds)
            self._script_sets = (trad, frozenset(folds.values()) - trad)
        return self._script_sets

    @staticmethod
    def _fold_like(text: str, new: str) -> str:
        """NFKC-fold rebuilt full-width forms when the page around them was folded (no full-width forms)."""
        if FULLWIDTH.search(text):
            return new
        return FULLWIDTH.sub(lambda m: unicodedata.normalize("NFKC", m.group()), new)

    def _rebuild_run(
        self,
        text: str,
        p: int,
        run: Run,
        firsts: list[int] | None = None,
        lasts: list[int] | None = None,
        left_extra: str = "",
    ) -> tuple[str, list[str]] | None:
        """Re-pair a run in phase; choose unknown first/last bytes and deleted pairs with the model.

        `firsts`: possible lead bytes before the run (None: any); `lasts`: possible bytes before an eaten
        byte (None: any, and the eaten byte was unknown: a `<` is put back before a tag remnant).
        """
        data = run.data
        left = text[max(0, p - 3) : p] + left_extra
        right = text[run.end : run.end + 3]
        tag = "<" if run.eaten and lasts is None and TAG_AFTER.match(text, run.end) else ""
        after = (tag + right)[:2]
        if firsts is None:
            if not data:
                return None
            firsts = first_candidates(run)
        lasts_unknown = run.eaten and lasts is None
        if lasts_unknown:
            lasts = list(range(0x40, 0xFF))
        if not data:  # one character: first byte + the byte before the eaten one
            firsts = firsts[:1]
        seq_first = self._pick_first(firsts, run, left[-2:])
        if seq_first is None:
            return None
        full = bytes((seq_first,)) + data
        if run.eaten:
            lead = full[-1]
            cands = [c for c in lasts or () if visible_char(lead, c)]
            prefix = pairs_to_text(full[:-1]) if len(full) > 1 else ""
            if not cands or prefix is None:
                return None
            tails = [real_char(lead, c) or "" for c in cands]
            full += bytes((cands[self._choose((left + prefix)[-1:], tails, after[:1])],))
        chars = split_pairs(full)
        if chars is None:
            return None
        body, gaps = self._fill_gaps(left[-1:], chars, after, skip_first=len(firsts) > 1)
        body = self._fold_like(text, body)
        if lasts_unknown and not tag and body and run.end < len(text):
            tag = "\n" if body[-1] in SENTENCE_FINAL else " "
            gaps.append(f"a byte eaten after the run, guessed as {tag!r}")
        return body + tag, gaps

    def _pick_first(self, firsts: list[int], run: Run, before: str) -> int | None:
        """The lead byte before the run whose character reads best in context (one candidate: as is)."""
        if len(firsts) == 1:
            return firsts[0]
        nxt = pairs_to_text(run.data[1:3]) or ""
        found = [(b, ch) for b in firsts if (ch := real_char(b, run.data[0]))]
        if not found:
            return None
        return found[self._choose(before[-1:], [ch for _, ch in found], nxt[:1])][0]

    def _choose(self, prev: str, cands: list[str], nxt: str) -> int:
        """Index of the candidate character that reads best between `prev` and `nxt` (either may be "")."""
        m = self.model
        ids = m.ids("".join(cands))
        scores = m.unigram(ids) if not prev else m.pair_logprobs(np.repeat(m.ids(prev), len(ids)), ids)
        if nxt:
            scores = scores + m.pair_logprobs(ids, np.repeat(m.ids(nxt), len(ids)))
        return int(np.argmax(scores))

    def _fill_gaps(
        self, before: str, chars: list[tuple[str, int, int]], after: str, skip_first: bool
    ) -> tuple[str, list[str]]:
        """Put back deleted user-defined pairs where the model strongly wants two characters for one."""
        out: list[str] = []
        gaps: list[str] = []
        for j, (ch, lead, trail) in enumerate(chars):
            if trail < 0:
                out.append(ch)
                continue
            prev = (before + "".join(out))[-1:] or " "
            nxt = (chars[j + 1][0] if j + 1 < len(chars) else after[:1]) or " "
            if j == 0 and skip_first:  # its lead byte was a guess already
                out.append(ch)
                continue
            fill = self._best_gap(prev, ch, nxt, lead, trail)
            if fill is None:
                out.append(ch)
            elif fill:
                out.append(fill)
            else:
                gaps.append(f"deleted pair between {lead:02X} and {trail:02X}")
                if self.unrecoverable == "keep":
                    out.append(ch)
        return "".join(out), gaps

    def _best_gap(self, prev: str, ch: str, nxt: str, lead: int, trail: int) -> str | None:
        """Two characters if a deleted pair is sure, "" if one is likely but ambiguous, None if no gap."""
        m = self.model
        nogap = float(m.pair_logprobs(m.ids(prev + ch), m.ids(ch + nxt)).sum())
        if not is_han(ch) and ch not in COMMON_SYMBOLS:
            nogap += RARE_SYMBOL_LOGP  # the model folds `ｄ` to `a`; as a GBK pair in Chinese text it is odd
        if nogap > GAP_TRY_BELOW and is_han(ch):
            return None
        fillers = gap_fillers(lead, trail)
        if not fillers:
            return None
        a, b = self._filler_ids(lead, trail)
        pi, ni = m.ids(prev), m.ids(nxt)
        scores = (
            m.pair_logprobs(np.repeat(pi, len(a)), a)
            + m.pair_logprobs(a, b)
            + m.pair_logprobs(b, np.repeat(ni, len(b)))
        )
        # posterior odds of a deleted pair: P(gap) * sum over fillers vs P(no gap) * the one reading
        total = float(np.logaddexp.reduce(scores))
        odds = total + GAP_PRIOR_LOGODDS - nogap
        best = int(np.argmax(scores))
        sure = float(scores[best]) - total >= GAP_SURE_LOGSHARE
        if odds < GAP_MIN_LOGODDS or (not sure and odds < GAP_DROP_LOGODDS):
            return None
        if not sure:
            return ""
        return fillers[best][0] + fillers[best][1]

    @staticmethod
    def _char_before(text: str, p: int) -> str:
        """The character whose last byte precedes position p (looking through an intact `X(py)` unit)."""
        m = RUBY_BEFORE.search(text, max(0, p - 10), p)
        if m is not None and m.group(2) in readings(m.group(1)):
            return m.group(1)
        return text[p - 1]

    def _ascii_straddles(self, text: str) -> list[Fix]:
        """`的X(nǎo)MPP`: a key made of a trail byte and an ASCII letter got `(py)` after the letter."""
        fixes = []
        # each `(py)` is found by its literal `(` (fast), the ASCII byte before it checked here; units
        # cannot overlap, so this finds exactly the units an `[@-~]\(py\)` pattern would
        for m in RUBY_AT.finditer(text):
            i = m.start() - 1
            if i < 1 or not "@" <= text[i] <= "~":
                continue
            before = char_bytes(self._char_before(text, i))
            if before is None or len(before) != 2:
                continue
            key = real_char(before[1], ord(text[i]))
            if key is not None and m.group(1) in readings(key):
                fixes.append(
                    Fix(i + 1, m.end(), "", "gbk_straddle", f"ruby of {key} inserted after an ASCII byte")
                )
        return fixes

    # -- helpers ------------------------------------------------------------------------------------

    def _filler_ids(self, lead: int, trail: int) -> tuple[np.ndarray, np.ndarray]:
        key = (lead, trail)
        if key not in self._fillers:
            fillers = gap_fillers(lead, trail)
            m = self.model
            self._fillers[key] = (
                m.ids("".join(f[0] for f in fillers)),
                m.ids("".join(f[1] for f in fillers)),
            )
        return self._fillers[key]

    def _lp(self, text: str) -> float:
        return self.model.logprob(text)

    def _unrecoverable(self, text: str, start: int, end: int, kind: str, reason: str) -> Fix:
        flag = (kind, start, end, {"text": text[start:end], "action": self.unrecoverable})
        if self.unrecoverable == "keep":
            return Fix(start, end, text[start:end], kind, reason, [flag])
        if self.unrecoverable == "drop-sentence":
            starts = [m.end() for m in SENTENCE_END.finditer(text, 0, start)]
            start = starts[-1] if starts else 0
            m = SENTENCE_END.search(text, end)
            end = m.end() if m and m.group() != "\n" else (m.start() if m else len(text))
        return Fix(start, end, "", kind, f"dropped garbled {text[start:end]!r}: {reason}", [flag])
