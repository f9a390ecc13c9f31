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


@dataclass
class Slot:
    """The readings of one in-phase character: first char, last char, text, and score inside the reading."""

    first: np.ndarray
    last: np.ndarray
    texts: list[str]
    inner: np.ndarray
    gaps: np.ndarray


@lru_cache(maxsize=1)
def private_set() -> frozenset[tuple[int, int]]:
    return frozenset(private_pairs())


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
    firsts = model.ids("".join(t[0] for t in texts))
    lasts = model.ids("".join(t[-1] for t in texts))
    inner = np.zeros(len(texts))
    two = [i for i, t in enumerate(texts) if len(t) == 2]
    if two:
        inner[two] = model.pair_logprobs(firsts[two], lasts[two])
    gaps = np.array([g for _, g in readings], dtype=np.float64)
    if double is not None:
        texts += double[0]
        firsts = np.concatenate([firsts, model.ids("".join(t[0] for t in double[0]))])
        lasts = np.concatenate([lasts, model.ids("".join(t[-1] for t in double[0]))])
        inner = np.concatenate([inner, double[1]])
        gaps = np.concatenate([gaps, np.full(len(double[0]), 2.0)])
    if avoid:
        inner -= SCRIPT_COST * _avoided(texts, avoid)
    return Slot(firsts, lasts, texts, inner, gaps)


@lru_cache(maxsize=8)
def _avoid_mask(avoid: frozenset[str]) -> np.ndarray:
    """Which code points are in `avoid`."""
    mask = np.zeros(0x110000, dtype=np.uint8)
    mask[[ord(c) for c in avoid]] = 1
    return mask


def _avoided(texts: list[str], avoid: frozenset[str]) -> np.ndarray:
    """How many characters of each text (non-empty, at most 255 characters) are in `avoid`."""
    codes = np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    starts = np.cumsum([0] + [len(t) for t in texts[:-1]])
    return np.add.reduceat(_avoid_mask(avoid)[codes], starts)


def _single(lead: int, trail: int) -> list[tuple[str, int]]:
    ch = real_char(lead, trail)
    return [(ch, 0)] if ch else []


def _gap(lead: int, trail: int) -> list[tuple[str, int]]:
    """(lead, u1) (u2, trail) for every deleted pair (u1, u2)."""
    out = []
    for u1, u2s in _private_u2_by_u1().items():
        a = visible_char(lead, u1)
        if a is None:
            continue
        out += [(a + b, 1) for u2 in u2s if (b := visible_char(u2, trail))]
    return out


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
    pairs = _gap_first_pairs(model, d0)
    if pairs is None:
        return tuple(out)
    seconds, col_of, row, inner, bounds = pairs
    a_ids = _gap_first_ids(model)
    start = model.pair_logprobs(np.repeat(model.ids(before[-1:] or " "), len(a_ids)), a_ids)
    scores = start[row] + inner
    best = np.maximum.reduceat(scores, bounds)
    hits = np.flatnonzero(scores == best[col_of])
    _, first = np.unique(col_of[hits], return_index=True)  # the first best first char, as argmax takes
    winners = row[hits[first]]
    chars = _gap_firsts()[0]
    out += [(chars[int(w)] + b, 1) for w, b in zip(winners, seconds, strict=True)]
    return tuple(out)


@lru_cache(maxsize=16)  # ~2 MB each (some 150,000 pairs)
def _gap_first_pairs(
    model: CharModel, d0: int
) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None:
    """Seconds (u2, d0) after a deleted pair, and every allowed (first, second) pair: its second, its
    first, its score inside the pair, grouped by second; the part of `_first` that `before` does not change."""
    seconds = [(u2, b) for u2 in range(0x81, 0xFF) if (b := visible_char(u2, d0))]
    _, u1s, table = _gap_firsts()
    ok = table[u1s[:, None], np.array([u2 for u2, _ in seconds], dtype=np.int64)[None, :]]  # (X, u1) x u2
    cols = np.flatnonzero(ok.any(axis=0))
    if not len(cols):
        return None
    a_ids = _gap_first_ids(model)
    b_ids = model.ids("".join(seconds[c][1] for c in cols))
    # every allowed (first, second) pair scored in one call, grouped by second (rows ascending in each group)
    col_of, row = np.nonzero(ok[:, cols].T)
    inner = model.pair_matrix(a_ids, b_ids)[row, col_of]
    bounds = np.flatnonzero(np.r_[True, col_of[1:] != col_of[:-1]])
    small = np.int16  # both index fewer than 2,400 characters
    return [seconds[c][1] for c in cols], col_of.astype(small), row.astype(small), inner, bounds


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


@lru_cache(maxsize=256)
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
    """Characters (u2, u3) that can stand between two deleted pairs (u1, u2) and (u3, u4)."""
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
def _double_into(model: CharModel, lead: int) -> tuple[str, np.ndarray, np.ndarray] | None:
    """The (lead, u1) characters, which middles may follow each, and log P(middle | character)."""
    firsts = [(u1, a) for u1 in _private_u2_by_u1() if (a := visible_char(lead, u1))]
    if not firsts:
        return None
    m_chars, u2s, _ = _middles()
    _, _, table = _gap_firsts()
    a_chars = "".join(a for _, a in firsts)
    allowed = table[np.array([u for u, _ in firsts], dtype=np.int64)[:, None], u2s[None, :]]
    return a_chars, allowed, _allowed_logprobs(model, model.ids(a_chars), model.ids(m_chars), allowed)


@lru_cache(maxsize=32)  # ~2 MB each (2,398 middles x ~100 characters)
def _double_out(model: CharModel, trail: int) -> tuple[str, np.ndarray] | None:
    """The (u4, trail) characters and log P(character | middle), -inf where no deleted pair fits."""
    seconds = {u2 for _, u2 in private_pairs()}
    lasts = [(u4, b) for u4 in sorted(seconds) if (b := visible_char(u4, trail))]
    if not lasts:
        return None
    m_chars, _, u3s = _middles()
    _, _, table = _gap_firsts()
    b_chars = "".join(b for _, b in lasts)
    allowed = table[u3s[:, None], np.array([u for u, _ in lasts], dtype=np.int64)[None, :]]
    return b_chars, _allowed_logprobs(model, model.ids(m_chars), model.ids(b_chars), allowed)


def _allowed_logprobs(model: CharModel, prev: np.ndarray, cur: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """log P(cur_j | prev_i) where allowed[i, j], -inf elsewhere."""
    return np.where(allowed, model.pair_matrix(prev, cur), -np.inf)


@lru_cache(maxsize=2048)
def _double(model: CharModel, lead: int, trail: int) -> tuple[list[str], np.ndarray] | None:
    """Two deleted pairs in a row: (lead, u1) (u2, u3) (u4, trail), the best middle for each pair of ends.

    The scores into the middles depend on the lead only, those out of them on the trail only: both are
    cached apart, so a new (lead, trail) costs only the combination."""
    into_lead, out_trail = _double_into(model, lead), _double_out(model, trail)
    if into_lead is None or out_trail is None:
        return None
    a_chars, allowed, into = into_lead
    b_chars, out = out_trail
    m_chars, _, _ = _middles()
    texts, scores = [], []
    for i in range(len(a_chars)):
        # only middles that may follow this first character: the others add -inf and never win
        rows = np.flatnonzero(allowed[i])
        if not len(rows):
            continue
        total = into[i, rows][:, None] + out[rows]
        pick = np.argmax(total, axis=0)
        best = rows[pick]
        score = total[pick, np.arange(len(b_chars))]
        for j in np.argsort(score)[::-1][:DOUBLE_KEEP]:
            if np.isfinite(score[j]):
                texts.append(a_chars[i] + m_chars[best[j]] + b_chars[j])
                scores.append(float(score[j]))
    return (texts, np.array(scores)) if texts else None


def viterbi(model: CharModel, lattice: list[Slot], before: str, after: str) -> tuple[str, float, int]:
    """The best path: (text, log-probability including `after`'s first character, deleted pairs assumed)."""
    last = model.ids(before[-1:] or " ")
    score = np.zeros(1)
    texts = [""]
    gaps = np.zeros(1)
    for slot in lattice:
        total = score[:, None] + model.pair_matrix(last, slot.first) + slot.inner[None, :]
        flat = np.argsort(total, axis=None)[::-1]
        keep: dict[int, int] = {}
        for f in flat:
            if not np.isfinite(total.flat[f]):
                break
            k = int(slot.last[f % len(slot.first)])
            if k not in keep:
                keep[k] = int(f)
                if len(keep) >= BEAM:
                    break
        picks = list(keep.values())
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
