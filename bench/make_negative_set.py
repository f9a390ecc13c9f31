"""Pick the negative test set (clean Chinese lines that zhclean must leave untouched) from build/corpus.

Run `bench/fetch_corpus.py` first, then `.venv/bin/python bench/make_negative_set.py`. Writes
`tests/data/clean_zh/<kind>.txt`. Lines are drawn at random with a fixed seed; a line is kept only if it is
typographically clean Chinese by rules written here, not by zhclean (so the test stays independent of the code
it tests): no ASCII `,;:` between two CJK characters, no space between two CJK characters, no control or
private-use characters, no inline pinyin gloss after a Han character (`蘧(qu2)`: zhclean removes those by
design), between 10 and 300 characters, and at least one Chinese sentence punctuation mark
(so that headings, table cells and the HTML navigation of the source pages stay out: they are page furniture).
"""

from __future__ import annotations

import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "build" / "corpus"
OUT = ROOT / "tests" / "data" / "clean_zh"
HAN = r"[\u3400-\u9fff]"
NOT_CLEAN = re.compile(
    rf"{HAN}[,;:]\s*{HAN}|{HAN} +{HAN}|[\x00-\x08\x0b-\x1f\x7f\ue000-\uf8ff\ufffd]|\?{HAN}|{HAN}\?|{HAN}\([a-zü]{{1,6}}[1-5]\)"
)
SENTENCE = re.compile(r"[。，；：？！、]")
KINDS = {
    "prose_hans": ("handbook_zh_cn.txt", 60, lambda s: True),
    "prose_hant_tw": ("handbook_zh_tw.txt", 50, lambda s: True),
    "technical_hans": (
        "reference_zh_cn.txt",
        50,
        lambda s: bool(re.search(r"[A-Za-z]{2,}.*\d|\d.*[A-Za-z]{2,}", s)),
    ),
    "technical_hant_tw": ("reference_zh_tw.txt", 30, lambda s: bool(re.search(r"[A-Za-z]{2,}", s))),
    "brackets": ("reference_zh_cn.txt", 30, lambda s: bool(re.search(r"（[^）]+）|\([A-Za-z0-9 .-]+\)", s))),
    "classical": ("classical.txt", 40, lambda s: True),
    "sayings": ("sayings_zh_cn.txt", 40, lambda s: "“" in s or "：" in s),
}


def pick(path: Path, n: int, want, rng: random.Random) -> list[str]:
    lines = [x for x in path.read_text(encoding="utf-8").splitlines() if 10 <= len(x) <= 300]
    rng.shuffle(lines)
    return [x for x in lines if want(x) and SENTENCE.search(x) and not NOT_CLEAN.search(x)][:n]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(20261122)
    total = 0
    for kind, (source, n, want) in KINDS.items():
        lines = pick(CORPUS / source, n, want, rng)
        header = f"# source: Debian package text, build/corpus/{source} (bench/fetch_corpus.py); picked by bench/make_negative_set.py\n"
        (OUT / f"{kind}.txt").write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
        total += len(lines)
        print(f"{kind}: {len(lines)} lines from {source}")
    print(f"total: {total}")


if __name__ == "__main__":
    main()
