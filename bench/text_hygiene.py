"""Speed and false-edit count of the unicode, html, layout and punctuation steps on clean Chinese text.

Run `bench/fetch_corpus.py` first, then `.venv/bin/python bench/text_hygiene.py`. For each corpus file the
steps run on the whole file as one document; the figures are million characters per second and the number of
edits (on clean text, an edit is a false edit or a deliberate normalisation). ftfy's default `fix_text` is the
peer for the unicode step: it is slower and folds full-width punctuation (counted as changed characters).

A second table folds each file with NFKC (the seeds' F5 damage) and runs the punctuation step: recall is the
share of folded `，：；（）！？` restored; "ascii->fw" counts marks that were ASCII in the original and became
full-width (in a folded text they cannot be told apart).
"""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path

import ftfy

from zhclean.steps.html_remnants import HtmlRemnants
from zhclean.steps.layout import Layout
from zhclean.steps.punctuation import Punctuation
from zhclean.steps.unicode_hygiene import UnicodeHygiene

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "build" / "corpus"


def timed(fn, text: str) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn(text)
    return time.perf_counter() - start, out


def fold_recall(text: str) -> tuple[float, int]:
    """Fold `text` with NFKC, repair it, and score the punctuation step against the original."""
    lines = [x for x in text.split("\n") if len(unicodedata.normalize("NFKC", x)) == len(x)]
    orig = "\n".join(lines)
    folded = unicodedata.normalize("NFKC", orig)
    out = list(folded)
    for r in Punctuation().find(folded):
        out[r.start if folded[r.start] in ",:;()!?" else r.start + 1] = r.new
    restored = missed = false = 0
    for o, f, x in zip(orig, folded, out, strict=True):
        if o != f and o in "，：；（）！？":
            restored += x == o
            missed += x != o
        elif o == f and x != f:
            false += 1
    return restored / max(1, restored + missed), false


def main() -> None:
    steps = [UnicodeHygiene(), HtmlRemnants(), Layout(), Punctuation()]
    files = sorted(CORPUS.glob("*.txt"))
    if not files:
        raise SystemExit("no corpus: run bench/fetch_corpus.py first")
    header = "".join(f"{s.name:>20}" for s in steps) + f"{'ftfy.fix_text':>22}"
    print(f"{'file':<22}{'chars':>9}{header}")
    for path in files:
        text = path.read_text(encoding="utf-8")
        cells = []
        for step in steps:
            dt, reps = timed(lambda t, s=step: list(s.find(t)), text)
            cells.append(f"{len(text) / dt / 1e6:7.1f} M/s {len(reps):6d} ed")
        dt, fixed = timed(ftfy.fix_text, text)
        changed = (
            sum(a != b for a, b in zip(text, fixed, strict=True))
            if len(fixed) == len(text)
            else abs(len(fixed) - len(text))
        )
        cells.append(f"{len(text) / dt / 1e6:7.1f} M/s {changed:6d} ch")
        print(f"{path.name:<22}{len(text):>9}" + "".join(f"{c:>20}" for c in cells))
    print(f"\n{'NFKC-folded file':<30}{'recall':>8}{'ascii->fw':>11}")
    gold = sorted((ROOT / "tests" / "data" / "seeds" / "expected").glob("*.txt"))
    for path in gold + files:
        recall, false = fold_recall(path.read_text(encoding="utf-8"))
        print(f"{path.name:<30}{recall:>8.3f}{false:>11d}")


if __name__ == "__main__":
    main()
