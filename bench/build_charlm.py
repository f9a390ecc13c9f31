"""Build `src/zhclean/data/charlm.npz`, the character bigram model behind `zhclean.plausibility`.

Inputs (build time only, nothing is downloaded at run time):

* jieba's `dict.txt` (word, frequency, tag): within-word character bigrams weighted by the word's
  frequency; a word end hands its mass to the unigram backoff.
* running text, when present: every `*.txt` under `build/corpus/` (clean Chinese from Debian packages,
  see `build/corpus/README.md`; recreate it with `bench/fetch_corpus.py`). Each line is counted with a
  weight of `--corpus-weight`. Left out: lines of the test negatives in `tests/data/clean_zh/`, and one
  line in five (`bench/corpus_split.py`), on which `bench/mojibake.py` measures the repairs.

Characters are folded before counting (and again at scoring time): traditional -> simplified with
OpenCC's character table, ASCII letters -> `a`, digits -> `0`, whitespace -> space, full-width ASCII ->
ASCII. The model is a Witten-Bell interpolated bigram over the folded characters:

    P(b | a) = (C(ab) + T(a) * P1(b)) / (C(a) + T(a)),   P1 = add-k unigram

Usage: .venv/bin/python bench/build_charlm.py [--corpus build/corpus] [--out src/zhclean/data/charlm.npz]
"""

from __future__ import annotations

import argparse
import math
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import numpy as np
import opencc

from corpus_split import held_out
from zhclean.plausibility import fold_char

ROOT = Path(__file__).resolve().parent.parent
JIEBA_DICT = Path(__import__("jieba").__file__).parent / "dict.txt"
CJK_RANGES = [(0x3400, 0x4DC0), (0x4E00, 0xA000), (0xF900, 0xFB00)]


def fold_table() -> dict[str, str]:
    """Traditional (and variant) character -> simplified, one character at a time via OpenCC."""
    chars = [chr(c) for lo, hi in CJK_RANGES for c in range(lo, hi)]
    out: dict[str, str] = {}
    for conf in ("t2s.json", "tw2s.json", "hk2s.json"):
        conv = opencc.OpenCC(conf).convert("\n".join(chars)).split("\n")
        for src, dst in zip(chars, conv, strict=True):
            if len(dst) == 1 and dst != src and src not in out:
                out[src] = dst
    return out


def make_folder(table: dict[str, str]):
    """The runtime model's own folding (`zhclean.plausibility.fold_char`) over `table`."""
    return lambda ch: fold_char(ch, table)


def count_jieba(fold, uni: Counter, bi: Counter, ends: Counter) -> None:
    for line in JIEBA_DICT.read_text(encoding="utf-8").splitlines():
        parts = line.split(" ")
        if len(parts) < 2:
            continue
        word, freq = parts[0], int(parts[1])
        chars = [fold(c) for c in word]
        for c in chars:
            uni[c] += freq
        for a, b in zip(chars, chars[1:], strict=False):
            bi[a + b] += freq
        ends[chars[-1]] += freq


def held_out_lines() -> set[str]:
    """Lines of the test negatives (`tests/data/clean_zh`), kept out of the model so tests stay honest."""
    lines: set[str] = set()
    for path in (ROOT / "tests" / "data" / "clean_zh").glob("*.txt"):
        lines.update(x.strip() for x in path.read_text(encoding="utf-8").splitlines())
    return lines


def count_corpus(fold, paths: list[Path], weight: int, uni: Counter, bi: Counter, ends: Counter) -> int:
    n = 0
    skip = held_out_lines()
    for path in paths:
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            line = unicodedata.normalize("NFC", line.strip())
            if not line or line in skip or held_out(line):
                continue
            chars = [fold(c) for c in line]
            n += len(chars)
            for c in chars:
                uni[c] += weight
            for a, b in zip(chars, chars[1:], strict=False):
                bi[a + b] += weight
            ends[chars[-1]] += weight
    return n


def build(uni: Counter, bi: Counter, ends: Counter, min_bigram: int, table: dict[str, str]) -> dict:
    vocab = sorted(c for c, n in uni.items() if n > 0)
    index = {c: i for i, c in enumerate(vocab)}
    total = sum(uni.values())
    k = 0.5
    # one extra slot for unseen characters: mass of k per unseen type, about 20k unseen CJK types
    unseen_types = 20000
    denom = total + k * (len(vocab) + unseen_types)
    uni_logp = np.array([math.log((uni[c] + k) / denom) for c in vocab], dtype=np.float32)
    unk_logp = math.log(k / denom)
    followers = Counter(p[0] for p, n in bi.items() if n >= min_bigram)
    kept = {p: n for p, n in bi.items() if n >= min_bigram}
    hist: Counter = Counter()
    for p, n in kept.items():
        hist[p[0]] += n
    # backoff mass of a: seen follower types + occurrences whose follower is unknown (word end, pruned)
    back = {c: followers[c] + max(uni[c] - hist[c], 0) for c in vocab}
    alpha = np.array([math.log(max(back[c], 1) / (uni[c] + followers[c])) for c in vocab], dtype=np.float32)
    keys = []
    vals = []
    for p, n in kept.items():
        a, b = index[p[0]], index[p[1]]
        pa = (n + back[p[0]] * math.exp(uni_logp[b])) / (uni[p[0]] + followers[p[0]])
        keys.append(a * len(vocab) + b)
        vals.append(math.log(pa))
    order = np.argsort(np.array(keys, dtype=np.int64))
    fold_src = "".join(table.keys())
    fold_dst = "".join(table.values())
    return {
        "vocab": np.array(["".join(vocab)]),
        "uni_logp": uni_logp,
        "unk_logp": np.array([unk_logp], dtype=np.float32),
        "alpha": alpha,
        "bi_keys": np.array(keys, dtype=np.int64)[order].astype(np.uint32),
        "bi_logp": np.array(vals, dtype=np.float32)[order].astype(np.float16),
        "fold": np.array([fold_src, fold_dst]),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT / "build" / "corpus")
    ap.add_argument("--corpus-weight", type=int, default=50)
    ap.add_argument("--min-bigram", type=int, default=3)
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "zhclean" / "data" / "charlm.npz")
    args = ap.parse_args(argv)
    table = fold_table()
    fold = make_folder(table)
    uni: Counter = Counter()
    bi: Counter = Counter()
    ends: Counter = Counter()
    count_jieba(fold, uni, bi, ends)
    paths = sorted(args.corpus.rglob("*.txt")) if args.corpus.is_dir() else []
    n = count_corpus(fold, paths, args.corpus_weight, uni, bi, ends)
    print(f"jieba: {JIEBA_DICT}; corpus: {len(paths)} files, {n} chars", file=sys.stderr)
    arrays = build(uni, bi, ends, args.min_bigram, table)
    np.savez_compressed(args.out, **arrays)
    print(
        f"{args.out}: {len(arrays['uni_logp'])} chars, {len(arrays['bi_keys'])} bigrams, "
        f"{args.out.stat().st_size / 1e6:.2f} MB",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
