"""Remove a space that splits a Chinese word: `發 展` -> `發展`.

Family F7: extractors and line-wrapping leave a single space inside a word. Such a space is told
from a space between phrases, names or title parts by word evidence from jieba's dictionary (words of
up to four characters with their corpus frequencies), on a window of at most four Han characters on
each side, converted to simplified with OpenCC t2s for the look-up:

* ``joined``: the log-probability of the best segmentation of the window without the space
  (a unigram model: a word's probability is its frequency / the dictionary total);
* ``split``: the same, but no word may cross the space.

The space goes when ``joined - split >= MIN_GAIN`` (natural log), that is when reading across the space
makes the text far more word-like than keeping the two sides apart. ``一體化發 展取得`` (发展 crosses,
nothing on either side claims 發 or 展) scores 11.7; ``穩中求進 勇擔使命``, ``葛燕 宋金平``,
``報道全球 傳播中國`` score 0, since the best reading never crosses the space. Two cases stay whatever
the score:

* the best ``split`` reading has a word of two or more characters on both sides of the space
  (``默认 设置``, ``中国 经济``): a compound's parts may be written apart on purpose;
* a side is one character standing alone between spaces (spaced-out titles ``新 聞 中 心``, or the gap
  a dropped inline element leaves in ``先按 鍵 和``).

Only one ASCII space or U+3000 between two Han characters is considered: a space after punctuation
(``。 會前``) and runs of spaces belong to the ``layout`` step.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from itertools import pairwise

import numpy as np

from ..document import Replacement
from ..step import Repair
from .script import converter

MIN_GAIN = 4.0
MAX_WORD = 4
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# A space between two Han characters, with the run of Han characters after it. The space comes first so
# that the search skips to spaces at C speed (a leading look-behind would be tried at every position).
_SPACE = re.compile(
    rf"[ \u3000](?<=[{_HAN}][ \u3000])(?=(?P<run>[{_HAN}]{{1,{MAX_WORD}}})(?P<edge>.|$))", re.DOTALL
)
_SPACES = (" ", "\u3000")
_LEFT = re.compile(rf"(?:^|(?P<edge>.))(?P<run>[{_HAN}]{{1,{MAX_WORD}}})$", re.DOTALL)


@lru_cache(maxsize=1)
def word_logprobs() -> tuple[dict[str, float], float]:
    """Words of up to MAX_WORD characters from jieba's dict.txt -> log probability; and the floor."""
    words: dict[str, int] = {}
    total = 0
    with resources.files("jieba").joinpath("dict.txt").open(encoding="utf-8") as lines:
        for line in lines:
            word, freq = line.split(" ", 2)[:2]
            total += int(freq)
            if len(word) <= MAX_WORD:
                words[word] = int(freq)
    log_total = math.log(total)
    return {w: math.log(f) - log_total for w, f in words.items() if f > 0}, math.log(0.5) - log_total


@lru_cache(maxsize=1)
def followers() -> dict[str, str]:
    """For each character, the characters that follow it inside some dictionary word, as one string."""
    text = "\n".join(word_logprobs()[0])  # no word holds a newline
    chars = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    inside = (chars[:-1] != ord("\n")) & (chars[1:] != ord("\n"))
    pairs = np.sort((chars[:-1] << 21 | chars[1:])[inside])  # both code points in one number, sorted
    pairs = pairs[np.flatnonzero(np.diff(pairs, prepend=-1))]  # each once (np.unique is slower)
    firsts = pairs >> 21
    seconds = (pairs & ((1 << 21) - 1)).astype(np.uint32).tobytes().decode("utf-32-le")
    bounds = [0, *(np.flatnonzero(np.diff(firsts)) + 1).tolist(), len(pairs)]
    return {
        chr(first): seconds[start:end]
        for first, start, end in zip(firsts[bounds[:-1]].tolist(), bounds[:-1], bounds[1:], strict=True)
    }


def segment(text: str, cut: int | None = None) -> tuple[float, list[str]]:
    """The best segmentation of `text` into dictionary words (unknown single chars allowed): (log p, words).

    With `cut`, no word may span position `cut`.
    """
    logp, floor = word_logprobs()
    n = len(text)
    score = [0.0] + [-math.inf] * n  # best log p of text[:end]
    back = [0] * (n + 1)  # where the last word of that reading starts
    for end in range(1, n + 1):
        first = max(0, end - MAX_WORD)
        if cut is not None and first < cut < end:
            first = cut  # no word may span `cut`
        best, arg = -math.inf, 0
        for start in range(first, end):
            p = logp.get(text[start:end])
            if p is None:
                if end - start > 1:
                    continue
                p = floor
            if score[start] + p > best:
                best, arg = score[start] + p, start
        score[end], back[end] = best, arg
    words = []
    end = n
    while end > 0:
        start = back[end]
        words.append(text[start:end])
        end = start
    return score[n], words[::-1]


# join_gain's results by (left, right); emptied when full (the pairs of one corpus repeat a lot).
_GAINS: dict[tuple[str, str], float] = {}
_GAINS_SIZE = 65536


def join_gains(pairs: list[tuple[str, str]]) -> list[float]:
    """`join_gain` of each (left, right) pair, with the windows not seen before converted in one call.

    Converting the windows joined by newlines gives each window's own conversion: no OpenCC dictionary
    entry holds a newline, so no match crosses from one window into the next.
    """
    new = [pair for pair in dict.fromkeys(pairs) if pair not in _GAINS]
    if new:
        if len(_GAINS) + len(new) > _GAINS_SIZE:
            _GAINS.clear()
        windows = converter("t2s.json").convert("\n".join(left + right for left, right in new)).split("\n")
        for (left, right), window in zip(new, windows, strict=True):
            _GAINS[left, right] = _window_gain(window, left, right)
    return [_GAINS[pair] for pair in pairs]


def join_gain(left: str, right: str) -> float:
    """How much more likely `left + right` reads as words when a word may cross the gap (log ratio).

    0 when the best reading with the gap has whole words of two or more characters on both sides of
    it (``默认 设置``, ``中国 经济``): a compound may be written with a space between its words.
    """
    return join_gains([(left, right)])[0]


def _window_gain(window: str, left: str, right: str) -> float:
    """`join_gain` of `left` and `right`, given `window`, their joined text converted with t2s."""
    cut = len(left)
    if len(window) != cut + len(right) or window[cut] not in followers().get(window[cut - 1], ""):
        return 0.0  # every word across the gap holds the two characters next to it: there is none
    if not _word_across(window, cut):
        return 0.0  # with no word across the gap, both readings are the same: the gain is 0
    split, words = segment(window, len(left))
    end = 0
    for before, after in pairwise(words):
        end += len(before)
        if end == len(left) and len(before) > 1 and len(after) > 1:
            return 0.0
    return segment(window)[0] - split


def _word_across(text: str, cut: int) -> bool:
    """A dictionary word of `text` starts before `cut` and ends after it."""
    crossing = [
        text[start:end]
        for start in range(max(0, cut - MAX_WORD + 1), cut)
        for end in range(cut + 1, min(len(text), start + MAX_WORD) + 1)
    ]
    return not word_logprobs()[0].keys().isdisjoint(crossing)


class CjkSpacing(Repair):
    """Remove a single space between two Han characters when it splits a word.

    >>> print(CjkSpacing().fix("在新起點推動長三角一體化發 展取得新成效"))
    在新起點推動長三角一體化發展取得新成效
    >>> print(CjkSpacing().fix("穩中求進 勇擔使命 記者葛燕 宋金平"))
    穩中求進 勇擔使命 記者葛燕 宋金平
    """

    name = "spacing"

    def __init__(self, min_gain: float = MIN_GAIN) -> None:
        self.min_gain = min_gain

    def find(self, text: str) -> Iterable[Replacement]:
        spaces: list[int] = []
        pairs: list[tuple[str, str]] = []
        for m in _SPACE.finditer(text):
            start = m.start()
            left = _LEFT.search(text, max(0, start - MAX_WORD - 1), start)
            # the left run always exists (the space follows a Han character)
            left_run, right_run = left["run"], m["run"]
            if (len(left_run) == 1 and left["edge"] in _SPACES) or (
                len(right_run) == 1 and m["edge"] in _SPACES
            ):
                continue
            spaces.append(start)
            pairs.append((left_run, right_run))
        if not spaces:
            return []
        return [
            Replacement(start, start + 1, "", "space", f"splits a word (gain {gain:.1f})")
            for start, gain in zip(spaces, join_gains(pairs), strict=True)
            if gain >= self.min_gain
        ]
