"""Read an out-of-phase GBK run back in phase, choosing every unknown byte at once with the character model.

A run after a `?` (tests/data/seeds/DEFECTS.md, F3) is known byte for byte except:

* the lead byte X that the `?` ate (with the stray byte): the first character is (X, d0);
* user-defined pairs (u1, u2) read out of phase and deleted: where one was, the in-phase text has two
  characters (prev, u1) (u2, next) instead of one (prev, next); also right at the start: (X, u1) (u2, d0);
  two in a row leave a whole character (u2, u3) between them (`軟件包中` read as `軟件中`);
* when the run ends in a `?`, the trail byte T of its last lead byte: the last character is (d_last, T).

Given the true text the damage is determined (a deleted pair is there exactly when the out-of-phase pair
falls in the user-defined area), so the best reading is the one the character model likes best: a Viterbi
search over a lattice of slots, one slot per in-phase character, each slot holding every reading of it.

    >>> best_reading(bytes.fromhex("a3a1b0cae5cee5a1b1c8d4c8bbcac7cda8d6ddbe43"), "成就", "合")[0]
    '。“十五五”仍然是通州綜'
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from .gbk import real_char
from .gbk_rebuild import private_pairs, visible_char
from .plausibility import CharModel, default_model

BEAM = 12  # distinct last characters kept between slots
SCRIPT_COST = 1.0  # nats for a character of the other script than the page's (the model folds them)
DOUBLE_KEEP = 8  # readings with two deleted pairs kept per first character
TOP = 256  # best entries of a Viterbi step sorted first (all of them only when these have ties)
EPS = 1e-6  # nats: a bound this close to a score is not trusted to prune (float rounding is ~1e-13)


@dataclass
class Slot:
    """The readings of one in-phase character: first char, last char, text, and score inside the reading."""

    first: np.ndarray
    last: np.ndarray
    texts: list[str]
    inner: np.ndarray
    gaps: np.ndarray


@lru_cache(maxsize=1)
def _leads_by_trail() -> dict[int, tuple[int, ...]]:
    out: dict[int, list[int]] = {}
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if visible_char(lead, trail):
                out.setdefault(trail, []).append(lead)
    return {t: tuple(ls) for t, ls in out.items()}


@lru_cache(maxsize=1)
def _private_u2_by_u1() -> dict[int, tuple[int, ...]]:
    out: dict[int, list[int]] = {}
    for u1, u2 in private_pairs():
        out.setdefault(u1, []).append(u2)
    return {u1: tuple(u2s) for u1, u2s in out.items()}


def _slot(
    model: CharModel,
    readings: list[tuple[str, int]],
    avoid: frozenset[str],
    double: tuple[list[str], np.ndarray] | None = None,
) -> Slot:
    """One slot from its readings (text, deleted pairs), plus `double`: three-character readings and
    their inner scores."""
    texts = [t for t, _ in readings]
    gaps = np.array([g for _, g in readings], dtype=np.float64)
    if double is not None:
        texts += double[0]
        gaps = np.concatenate([gaps, np.full(len(double[0]), 2.0)])
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    ends = np.cumsum(lengths)
    joined = "".join(texts)
    ids = model.ids(joined)
    firsts, lasts = ids[ends - lengths], ids[ends - 1]
    inner = np.zeros(len(texts))
    two = np.flatnonzero(lengths[: len(readings)] == 2)
    if len(two):
        inner[two] = model.pair_logprobs(firsts[two], lasts[two])
    if double is not None:
        inner[len(readings) :] = double[1]
    if avoid:
        inner -= SCRIPT_COST * _avoided(joined, ends - lengths, avoid)
    return Slot(firsts, lasts, texts, inner, gaps)


@lru_cache(maxsize=8)
def _avoid_mask(avoid: frozenset[str]) -> np.ndarray:
    """Which code points are in `avoid`."""
    mask = np.zeros(0x110000, dtype=np.uint8)
    mask[[ord(c) for c in avoid]] = 1
    return mask


def _avoided(text: str, starts: np.ndarray, avoid: frozenset[str]) -> np.ndarray:
    """How many characters of each part of `text` (non-empty, at most 255 characters, starting at
    `starts`) are in `avoid`."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    return np.add.reduceat(_avoid_mask(avoid)[codes], starts)


def _single(lead: int, trail: int) -> list[tuple[str, int]]:
    ch = real_char(lead, trail)
    return [(ch, 0)] if ch else []


def _gap(lead: int, trail: int) -> list[tuple[str, int]]:
    """(lead, u1) (u2, trail) for every deleted pair (u1, u2)."""
    seconds = _gap_seconds(trail)
    return [(a + b, 1) for u1, a in _chars_after(lead) for b in seconds[u1]]


@lru_cache(maxsize=256)
def _chars_after(lead: int) -> tuple[tuple[int, str], ...]:
    """Each u1 of a deleted pair (in `_private_u2_by_u1` order) with the character (lead, u1)."""
    return tuple((u1, a) for u1 in _private_u2_by_u1() if (a := visible_char(lead, u1)))


@lru_cache(maxsize=256)
def _gap_seconds(trail: int) -> dict[int, tuple[str, ...]]:
    """For each u1, the characters (u2, trail) of its deleted pairs (u1, u2) (in `_private_u2_by_u1` order)."""
    seconds = _chars_before(trail)
    return {u1: tuple(b for u2 in u2s if (b := seconds.get(u2))) for u1, u2s in _private_u2_by_u1().items()}


@lru_cache(maxsize=256)
def _chars_before(trail: int) -> dict[int, str]:
    """The character (u2, trail) of each byte u2 it is one for."""
    return {u2: b for u2 in range(0x81, 0xFF) if (b := visible_char(u2, trail))}


@lru_cache(maxsize=1)
def _gap_firsts() -> tuple[str, np.ndarray, np.ndarray]:
    """Characters (X, u1) that can stand before a deleted pair, their u1, and which u2 complete the pair."""
    chars, u1s = [], []
    for u1 in _private_u2_by_u1():
        for x in _leads_by_trail().get(u1, ()):
            chars.append(visible_char(x, u1))
            u1s.append(u1)
    table = np.zeros((256, 256), dtype=bool)
    for u1, u2 in private_pairs():
        table[u1, u2] = True
    return "".join(chars), np.array(u1s), table


def _first(model: CharModel, d0: int, before: str, gaps: bool) -> list[tuple[str, int]]:
    """(X, d0) for any lead X, and (X, u1) (u2, d0) with the best X, u1 for each u2."""
    return list(_first_cached(model, d0, before[-1:], gaps))


@lru_cache(maxsize=8192)
def _first_cached(model: CharModel, d0: int, before: str, gaps: bool) -> tuple[tuple[str, int], ...]:
    """`_first`, cached: it depends only on the byte and the character before the run."""
    out = [(ch, 0) for x in _leads_by_trail().get(d0, ()) if (ch := visible_char(x, d0))]
    if out and not gaps:
        return tuple(out)
    seconds = _seconds(model, d0)
    if seconds is None:
        return tuple(out)
    a_ids = _gap_first_ids(model)
    start = model.pair_logprobs(np.repeat(model.ids(before[-1:] or " "), len(a_ids)), a_ids)
    winners, scores = _best_firsts(model, start[None, :], seconds)
    chars = _gap_firsts()[0]
    fit = np.isfinite(scores[0])  # some deleted pair fits before the character
    out += [(chars[w] + b, 1) for w, b, f in zip(winners[0].tolist(), seconds.chars, fit, strict=True) if f]
    return tuple(out)


@dataclass
class Seconds:
    """The characters (u2, byte) that can end a deleted pair (u1, u2), and how well they may follow the
    characters (X, u1) that can stand before one (`_gap_firsts`, also the middles between two pairs)."""

    chars: str
    ids: np.ndarray  # their model ids
    unigrams: np.ndarray  # log P(character)
    fits: np.ndarray  # per group of (X, u1) with one u1 (`_first_groups`) and character: whether a pair fits
    bound: np.ndarray  # per (X, u1): the most log P(character | (X, u1)) exceeds log P(character)

    def logprobs(self, model: CharModel, rows: np.ndarray) -> np.ndarray:
        """log P(character | (X, u1)) for the `_gap_firsts` characters `rows` (a column each, one row per
        character), -inf where no deleted pair fits."""
        return _after_firsts(model, rows, self.ids, self.fits)


def _after_firsts(model: CharModel, rows: np.ndarray, ids: np.ndarray, fits: np.ndarray) -> np.ndarray:
    """log P(c | f) for the `_gap_firsts` characters f `rows` (a column each) and the characters c of
    model ids `ids` (a row each), -inf where `fits` (per group of f, per c) says no deleted pair fits."""
    _, group = _first_groups()
    return _allowed_logprobs(model, _gap_first_ids(model)[rows], ids, fits[group[rows]]).T


@lru_cache(maxsize=256)  # every byte, ~20 KB each
def _seconds(model: CharModel, byte: int) -> Seconds | None:
    """The characters (u2, byte) after a deleted pair: after the first character of a run (X, u1) (u2, d0)
    and after two deleted pairs (u2, u3) (u4, trail)."""
    seconds = _chars_before(byte)
    if not seconds:
        return None
    chars = "".join(seconds.values())
    _, u1s, table = _gap_firsts()
    starts, _ = _first_groups()
    fits = table[u1s[starts][:, None], np.array(list(seconds), dtype=np.int64)[None, :]]
    ids = model.ids(chars)
    unigrams = model.unigram(ids)
    every = _after_firsts(model, np.arange(len(u1s)), ids, fits)  # ~2 MB, not kept
    return Seconds(chars, ids, unigrams, fits, (every - unigrams[:, None]).max(axis=0))


def _best_firsts(model: CharModel, into: np.ndarray, seconds: Seconds) -> tuple[np.ndarray, np.ndarray]:
    """For each row of `into` (a score of each `_gap_firsts` character) and each second character: the
    first best `_gap_firsts` character before it and its score plus log P(second | it) (-inf where no
    deleted pair fits), as an argmax over all of them takes them."""
    keep = _candidates(model, into, seconds)
    rows = np.flatnonzero(keep.any(axis=0))
    logprobs = seconds.logprobs(model, rows)
    best = np.zeros((len(into), len(seconds.chars)), dtype=np.int64)
    scores = np.full(best.shape, -np.inf)
    columns = np.arange(len(seconds.chars))
    for i in range(len(into)):
        cols = np.flatnonzero(keep[i, rows])
        if len(cols):
            total = logprobs[:, cols] + into[i, rows[cols]]
            pick = np.argmax(total, axis=1)
            best[i] = rows[cols[pick]]
            scores[i] = total[columns, pick]
    return best, scores


def _candidates(model: CharModel, into: np.ndarray, seconds: Seconds) -> np.ndarray:
    """For each row of `into`, which `_gap_firsts` characters f may be the first best before some second c.

    f scores into[f] + log P(c | f) <= into[f] + bound[f] + log P(c). One f of each group (the best by
    into + bound) gives every c a score that its best reaches; an f whose into + bound + log P(c) falls
    short of that (by more than EPS, far above float rounding) for every c it fits before never wins."""
    starts, group = _first_groups()
    upper = into + seconds.bound
    parts = np.split(upper, starts[1:], axis=1)
    guess = np.stack([np.argmax(part, axis=1) for part in parts], axis=1) + starts
    rows, where = np.unique(guess, return_inverse=True)
    logprobs = seconds.logprobs(model, rows)[:, where.reshape(guess.shape)]
    reached = (logprobs + into[np.arange(len(into))[:, None], guess]).max(axis=2).T
    need = np.where(seconds.fits[None], (reached - seconds.unigrams)[:, None, :], np.inf).min(axis=2)
    return np.isfinite(upper) & (upper >= need[:, group] - EPS)


@lru_cache(maxsize=1)
def _first_groups() -> tuple[np.ndarray, np.ndarray]:
    """The `_gap_firsts` characters come grouped by u1: where each group starts, and the group of each."""
    _, u1s, _ = _gap_firsts()
    new = np.r_[True, u1s[1:] != u1s[:-1]]
    return np.flatnonzero(new), np.cumsum(new) - 1


_FIRST_IDS: dict[int, np.ndarray] = {}


def _gap_first_ids(model: CharModel) -> np.ndarray:
    """The model ids of the `_gap_firsts` characters (cached per model)."""
    if id(model) not in _FIRST_IDS:
        _FIRST_IDS[id(model)] = model.ids(_gap_firsts()[0])
    return _FIRST_IDS[id(model)]


def slots(
    model: CharModel,
    data: bytes,
    before: str,
    eaten: bool,
    gaps: bool = True,
    avoid: frozenset[str] = frozenset(),
) -> list[Slot] | None:
    """The lattice of an out-of-phase run `data` (d0, then pairs, then a lone lead byte if `eaten`)."""
    if not data or data[0] < 0x40:
        return None
    first = _first_slot(model, data[0], before[-1:], gaps, avoid)
    if first is None:
        return None
    out = [first]
    i = 1
    while i < len(data):
        lead = data[i]
        if lead < 0x80:
            slot: Slot | None = _ascii_slot(model, lead, avoid)
            i += 1
        elif i + 1 == len(data):
            if not eaten:
                return None
            slot = _last_slot(model, lead, avoid)
            i += 1
        else:
            slot = _pair_slot(model, lead, data[i + 1], gaps, avoid)
            i += 2
        if slot is None:
            return None  # a character no reading fits: no lattice
        out.append(slot)
    return out


# Slots depend only on their bytes, the character before the run and the page's script: cached, they
# cost nothing the second time (a page's runs, and clean text's `?` looked at, repeat the same bytes).
# A cached Slot is shared: nothing may change its arrays. A slot with deleted pairs holds ~1,500
# readings (~170 KB), hence the small caches.


@lru_cache(maxsize=2048)
def _first_slot(model: CharModel, d0: int, before: str, gaps: bool, avoid: frozenset[str]) -> Slot | None:
    """The slot of the first character (X, d0) (and (X, u1) (u2, d0) with deleted pairs)."""
    readings = _first(model, d0, before, gaps)
    return _slot(model, readings, avoid) if readings else None


@lru_cache(maxsize=256)
def _ascii_slot(model: CharModel, byte: int, avoid: frozenset[str]) -> Slot:
    """The slot of an ASCII byte read in phase: the character itself."""
    return _slot(model, [(chr(byte), 0)], avoid)


@lru_cache(maxsize=512)
def _last_slot(model: CharModel, lead: int, avoid: frozenset[str]) -> Slot | None:
    """The slot of a lead byte whose trail a `?` ate: every visible character with that lead."""
    readings = [(ch, 0) for t in range(0x40, 0xFF) if (ch := visible_char(lead, t))]
    return _slot(model, readings, avoid) if readings else None


@lru_cache(maxsize=512)  # ~170 KB each with deleted pairs
def _pair_slot(model: CharModel, lead: int, trail: int, gaps: bool, avoid: frozenset[str]) -> Slot | None:
    """The slot of an in-phase pair: its character, and with deleted pairs (lead, u1) (u2, trail) and
    (lead, u1) (u2, u3) (u4, trail); deleted pairs are always tried when the pair is no character."""
    single = _single(lead, trail)
    readings = single + (_gap(lead, trail) if (gaps or not single) else [])
    if not readings:
        return None
    return _slot(model, readings, avoid, _double(model, lead, trail) if gaps else None)


@lru_cache(maxsize=1)
def _middles() -> tuple[str, np.ndarray, np.ndarray]:
    """Characters (u2, u3) that can stand between two deleted pairs (u1, u2) and (u3, u4).

    Every byte 81-FE is a u2, so they are the `_gap_firsts` characters, in the same order (`_double`
    looks up their scores with `_best_firsts`):

    >>> _middles()[0] == _gap_firsts()[0]
    True
    """
    seconds = {u2 for _, u2 in private_pairs()}
    chars, u2s, u3s = [], [], []
    for u3 in _private_u2_by_u1():
        for u2 in _leads_by_trail().get(u3, ()):
            if u2 in seconds and (ch := visible_char(u2, u3)):
                chars.append(ch)
                u2s.append(u2)
                u3s.append(u3)
    return "".join(chars), np.array(u2s), np.array(u3s)


@lru_cache(maxsize=64)  # ~0.5 MB each
def _double_into(model: CharModel, lead: int) -> tuple[str, np.ndarray] | None:
    """The (lead, u1) characters and log P(middle | character), -inf where no deleted pair fits."""
    firsts = _chars_after(lead)
    if not firsts:
        return None
    m_chars, u2s, _ = _middles()
    _, _, table = _gap_firsts()
    a_chars = "".join(a for _, a in firsts)
    allowed = table[np.array([u for u, _ in firsts], dtype=np.int64)[:, None], u2s[None, :]]
    return a_chars, _allowed_logprobs(model, model.ids(a_chars), model.ids(m_chars), allowed)


def _allowed_logprobs(model: CharModel, prev: np.ndarray, cur: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """log P(cur_j | prev_i) where allowed[i, j], -inf elsewhere."""
    return np.where(allowed, model.pair_matrix(prev, cur), -np.inf)


@lru_cache(maxsize=2048)
def _double(model: CharModel, lead: int, trail: int) -> tuple[list[str], np.ndarray] | None:
    """Two deleted pairs in a row: (lead, u1) (u2, u3) (u4, trail), the best middle for each pair of ends.

    The scores into the middles depend on the lead only and are cached; those out of them are looked
    up only for the middles that may be the best (`_best_firsts`)."""
    into_lead, lasts = _double_into(model, lead), _seconds(model, trail)
    if into_lead is None or lasts is None:
        return None
    a_chars, into = into_lead
    m_chars, _, _ = _middles()
    best, score = _best_firsts(model, into, lasts)
    texts, scores = [], []
    for i in range(len(a_chars)):
        for j in np.argsort(score[i])[::-1][:DOUBLE_KEEP]:
            if np.isfinite(score[i, j]):
                texts.append(a_chars[i] + m_chars[best[i, j]] + lasts.chars[j])
                scores.append(float(score[i, j]))
    return (texts, np.array(scores)) if texts else None


def _beam(total: np.ndarray, lasts: np.ndarray) -> list[int]:
    """The best entry (flat index) for each of the BEAM best last characters, best first: the first ones
    met walking down `np.argsort(total, axis=None)[::-1]`, up to the first entry that is not finite."""
    if total.size > TOP:
        top = np.argpartition(total, -TOP, axis=None)[-TOP:]
        top = top[np.argsort(total.flat[top])[::-1]]
        picks, walked = _walk(total, lasts, top)
        # the walk and the entry after it have no equal values: any sort walks them in this order
        if walked < TOP and (np.diff(total.flat[top[: walked + 1]]) < 0).all():
            return picks
    return _walk(total, lasts, np.argsort(total, axis=None)[::-1])[0]


def _walk(total: np.ndarray, lasts: np.ndarray, order: np.ndarray) -> tuple[list[int], int]:
    """`_beam` along `order` (flat indices), and how many entries it took."""
    keep: dict[int, int] = {}
    walked = 0
    for f in map(int, order):
        if len(keep) >= BEAM or not np.isfinite(total.flat[f]):
            break
        walked += 1
        keep.setdefault(int(lasts[f % len(lasts)]), f)
    return list(keep.values()), walked


def viterbi(model: CharModel, lattice: list[Slot], before: str, after: str) -> tuple[str, float, int]:
    """The best path: (text, log-probability including `after`'s first character, deleted pairs assumed)."""
    last = model.ids(before[-1:] or " ")
    score = np.zeros(1)
    texts = [""]
    gaps = np.zeros(1)
    for slot in lattice:
        total = score[:, None] + model.pair_matrix(last, slot.first) + slot.inner[None, :]
        picks = _beam(total, slot.last)
        rows = [f // len(slot.first) for f in picks]
        cols = [f % len(slot.first) for f in picks]
        score = np.array([total.flat[f] for f in picks])
        texts = [texts[r] + slot.texts[c] for r, c in zip(rows, cols, strict=True)]
        gaps = np.array([gaps[r] + slot.gaps[c] for r, c in zip(rows, cols, strict=True)])
        last = np.array([slot.last[c] for c in cols], dtype=np.int64)
    if after:
        score = score + model.pair_logprobs(last, np.repeat(model.ids(after[:1]), len(last)))
    best = int(np.argmax(score))
    return texts[best], float(score[best]), int(gaps[best])


def best_reading(
    data: bytes,
    before: str,
    after: str,
    eaten: bool = False,
    model: CharModel | None = None,
    gaps: bool = True,
    avoid: frozenset[str] = frozenset(),
) -> tuple[str, float, int] | None:
    """The best in-phase text of an out-of-phase run, its log-probability and the deleted pairs it assumes.

    `gaps=False`: no deleted pairs (a quick first look). `avoid`: characters of the other script (the
    model scores 隨 and 随 alike, the page uses one of them).
    """
    model = model or default_model()
    lattice = slots(model, data, before, eaten, gaps, avoid)
    if lattice is None:
        return None
    return viterbi(model, lattice, before, after)
