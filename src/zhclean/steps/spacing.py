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

from ..document import Replacement
from ..step import Repair
from .script import converter

MIN_GAIN = 4.0
MAX_WORD = 4
_HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPACE = re.compile(rf"(?<=[{_HAN}])[ \u3000](?=[{_HAN}])")
_LEFT = re.compile(rf"(?:^|(?P<edge>.))(?P<run>[{_HAN}]{{1,{MAX_WORD}}})$", re.DOTALL)
_RIGHT = re.compile(rf"(?P<run>[{_HAN}]{{1,{MAX_WORD}}})(?P<edge>.|$)", re.DOTALL)


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


@lru_cache(maxsize=65536)
def join_gain(left: str, right: str) -> float:
    """How much more likely `left + right` reads as words when a word may cross the gap (log ratio).

    0 when the best reading with the gap has whole words of two or more characters on both sides of
    it (``默认 设置``, ``中国 经济``): a compound may be written with a space between its words.
    """
    window = converter("t2s.json").convert(left + right)
    if len(window) != len(left) + len(right) or not _word_across(window, len(left)):
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
    logp = word_logprobs()[0]
    return any(
        text[start:end] in logp
        for start in range(max(0, cut - MAX_WORD + 1), cut)
        for end in range(cut + 1, min(len(text), start + MAX_WORD) + 1)
    )


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
        found = []
        for m in _SPACE.finditer(text):
            left = _LEFT.search(text, max(0, m.start() - MAX_WORD - 1), m.start())
            right = _RIGHT.match(text, m.end(), m.end() + MAX_WORD + 1)
            if left is None or right is None or _alone(left) or _alone(right):
                continue
            gain = join_gain(left["run"], right["run"])
            if gain >= self.min_gain:
                found.append(Replacement(m.start(), m.end(), "", "space", f"splits a word (gain {gain:.1f})"))
        return found


def _alone(side: re.Match[str]) -> bool:
    """One Han character with a space on its outer side: spaced-out text, not a split word."""
    return len(side["run"]) == 1 and side["edge"] in (" ", "\u3000")
