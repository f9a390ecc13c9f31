"""Byte-level repair benchmark: simulated mojibake on clean Chinese text, repaired, scored by character error rate.

Run `bench/fetch_corpus.py` first (falls back to the seeds' expected text), then
`.venv/bin/python bench/mojibake.py` (needs the `bench` extra: rapidfuzz; pycantonese for Cantonese).
All corpus text here is the one line in five that the character model was not built from
(`bench/corpus_split.py`).

Damage families, each made by simulating its mechanism on clean paragraphs:

* straddle: `zhclean.simulate.damage(share=0.5)`: s2t, GBK, byte-level ruby, PHP CP936 decode, NFKC.
  For the byte-level steps, intact `X(py)` units (ruby, not byte damage) are stripped from input and
  output before scoring; for clean() they count as damage (the ruby step removes them).
* desync: `damage(share=0, desyncs=2)`: one stray byte puts the decoder out of phase. A third row counts
  the characters with a byte the decoder lost (`?`, deleted user-defined pair): they are only guessable,
  so it gives the error reduction a repair that never guesses could reach at most.
* wrong-codec: whole documents, or one paragraph of five, re-decoded with the wrong codec
  (Python's codecs with errors="replace", ftfy's sloppy cp1252, and a two-round double encoding).

CER = Levenshtein distance / reference length, per paragraph (rapidfuzz). "repair" runs the byte-level
steps (codec, gbk_damage); "clean()" is the whole default chain, scored against clean() of the
undamaged text. False edits: edits by the byte-level steps on undamaged text, per 100,000 characters.
Throughput: the byte-level steps, the whole clean() chain, and ftfy `fix_text` + OpenCC t2s, on the
same clean text; and both on damaged pages of the straddle and desync families, after 100 other damaged
pages (each desync run is a lattice search of 10-20 ms, so dense damage is slow).
"""

from __future__ import annotations

import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import ftfy
import opencc
from rapidfuzz.distance import Levenshtein

from corpus_split import held_out
from zhclean import Pipeline, clean, simulate
from zhclean.steps import STEPS

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "build" / "corpus"
SEEDS = ROOT / "tests" / "data" / "seeds" / "expected"
REPAIR_STEPS = ("codec", "gbk_damage")
RNG_SEED = 20241122
DOCS_PER_FAMILY = 40
PARAS_PER_DOC = 5


def corpus(name: str) -> list[str]:
    """Paragraphs of one corpus file that the character model was not built from (`corpus_split`), or of
    the seeds' expected text when the corpus is missing."""
    path = CORPUS / f"{name}.txt"
    if path.exists():
        return [p for p in path.read_text(encoding="utf-8").splitlines() if len(p) >= 20 and held_out(p)]
    pattern = "*.hant.txt" if name.endswith("_tw") else "*[0-9].txt"
    return [p for f in sorted(SEEDS.glob(pattern)) for p in f.read_text(encoding="utf-8").splitlines() if p]


def documents(paras: list[str], rng: random.Random, count: int = DOCS_PER_FAMILY) -> list[str]:
    return ["\n".join(rng.sample(paras, min(PARAS_PER_DOC, len(paras)))) for _ in range(count)]


def cer(hyp: str, ref: str) -> tuple[int, int]:
    """(errors, reference length), paragraph by paragraph when the line counts agree."""
    h, r = hyp.split("\n"), ref.split("\n")
    if len(h) != len(r):
        return Levenshtein.distance(hyp, ref), len(ref)
    return sum(Levenshtein.distance(a, b) for a, b in zip(h, r, strict=True)), len(ref)


def garble(actual: str, misread: str) -> Callable[[str], str]:
    return lambda t: t.encode(actual, errors="ignore").decode(misread, errors="replace")


def double(t: str) -> str:
    """GBK read as Latin-1, saved as UTF-8, read as GBK again (`脦脪脙脟`)."""
    return garble("utf-8", "gbk")(garble("gbk", "latin-1")(t))


def partial(fn: Callable[[str], str]) -> Callable[[str], str]:
    """Only the middle paragraph of the document is mojibake (a paste from a broken source)."""

    def apply(doc: str) -> str:
        lines = doc.split("\n")
        lines[len(lines) // 2] = fn(lines[len(lines) // 2])
        return "\n".join(lines)

    return apply


WRONG_CODEC: list[tuple[str, str, Callable[[str], str]]] = [
    ("utf-8 read as gbk (gb18030 decoder)", "cn", garble("utf-8", "gb18030")),
    ("utf-8 read as gbk (python gbk, lossy)", "cn", garble("utf-8", "gbk")),
    ("gbk read as latin-1", "cn", garble("gbk", "latin-1")),
    ("gbk read as cp1252 (sloppy)", "cn", garble("gbk", "sloppy-windows-1252")),
    ("utf-8 read as cp1252 (sloppy)", "cn", garble("utf-8", "sloppy-windows-1252")),
    ("utf-8 read as cp1252 (python, lossy)", "tw", garble("utf-8", "cp1252")),
    ("big5 read as gbk (gb18030 decoder)", "tw", garble("cp950", "gb18030")),
    ("gbk read as big5 (cp950, lossy)", "cn", garble("gbk", "cp950")),
    ("double: gbk>latin-1>utf-8>gbk", "cn", double),
    ("one paragraph of five: utf-8 read as gbk", "cn", partial(garble("utf-8", "gb18030"))),
    ("one paragraph of five: gbk read as latin-1", "tw", partial(garble("gbk", "latin-1"))),
]


class Score:
    """Errors before and after repair, summed over documents."""

    def __init__(self) -> None:
        self.before = self.after = self.chars = 0

    def add(self, damaged: str, repaired: str, ref: str, repaired_ref: str | None = None) -> None:
        """Errors of `damaged` against `ref`, and of `repaired` against `repaired_ref` (default `ref`)."""
        b, n = cer(damaged, ref)
        a, _ = cer(repaired, ref if repaired_ref is None else repaired_ref)
        self.before += b
        self.after += a
        self.chars += n

    def row(self, name: str) -> str:
        before, after = self.before / max(self.chars, 1), self.after / max(self.chars, 1)
        reduction = 1 - self.after / self.before if self.before else float("nan")
        return f"| {name} | {self.chars:,} | {before:.4f} | {after:.4f} | {reduction:.2%} |"


def table(title: str, rows: list[str], head: str) -> None:
    print(f"\n### {title}\n")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for r in rows:
        print(r)


def simulated_families(repair: Pipeline, cn: list[str], rng: random.Random) -> list[str]:
    """Straddle and desync damage via zhclean.simulate; both scored on the byte-level repair and clean()."""
    rows = []
    families = [("straddle (ruby share 0.5)", 0.5, 0, 4), ("desync (2 stray bytes)", 0.0, 2, 4)]
    for name, share, desyncs, scale in families:
        rep, full = Score(), Score()
        lost = 0
        for doc in documents(cn, rng, DOCS_PER_FAMILY * scale):
            d = simulate.damage(doc, rng=rng, share=share, desyncs=desyncs, html=False)
            ref = simulate.nfkc(d.source)
            rep.add(simulate.strip_ruby(d.text), simulate.strip_ruby(repair(d.text).text), ref)
            full.add(d.text, clean(d.text).text, ref, clean(d.source).text)
            lost += d.lost
        rows.append(rep.row(f"{name}: repair steps, intact ruby units stripped"))
        rows.append(full.row(f"{name}: clean(), ruby units counted as damage"))
        if lost:
            rows.append(lost_row(name, rep, lost))
    return rows


def lost_row(name: str, score: Score, lost: int) -> str:
    """The ceiling without guessing: characters with a byte the decoder lost (`?`, deleted private-use
    pair) are not determined by the text; only the character model's guess can get them back."""
    ceiling = 1 - min(lost, score.before) / score.before
    return (
        f"| {name}: {lost:,} characters with a lost byte (only guessable); reduction if they all stayed "
        f"wrong and the rest were fixed | {score.chars:,} | {score.before / score.chars:.4f} | "
        f"{lost / score.chars:.4f} | {ceiling:.2%} |"
    )


def wrong_codec_families(repair: Pipeline, texts: dict[str, list[str]], rng: random.Random) -> list[str]:
    rows = []
    total = Score()
    for name, script, fn in WRONG_CODEC:
        score = Score()
        for doc in documents(texts[script], rng, DOCS_PER_FAMILY // 2):
            damaged = fn(doc)
            out = repair(damaged).text
            score.add(damaged, out, doc)
            total.add(damaged, out, doc)
        rows.append(score.row(name))
    rows.append(total.row("**all wrong-codec**"))
    return rows


def false_edits(repair: Pipeline, sets: dict[str, str]) -> list[str]:
    rows = []
    for name, text in sets.items():
        doc = repair(text)
        per = len(doc.edits) / max(len(text), 1) * 1e5
        by_step = ", ".join(f"{s} {sum(e.step == s for e in doc.edits)}" for s in REPAIR_STEPS)
        example = f"`{doc.edits[0].before[:12]}` -> `{doc.edits[0].after[:12]}`" if doc.edits else ""
        rows.append(f"| {name} | {len(text):,} | {len(doc.edits)} ({by_step}) | {per:.2f} | {example} |")
    return rows


def throughput(repair: Pipeline, text: str) -> list[str]:
    paras = text.split("\n")
    docs = ["\n".join(paras[i : i + 20]) for i in range(0, len(paras), 20)]
    t2s = opencc.OpenCC("t2s.json")
    runs = [
        ("byte-level repair steps (codec + gbk_damage)", lambda d: repair(d)),
        ("codec step alone", lambda d: STEPS["codec"]().fix(d)),
        ("zhclean.clean() whole chain", lambda d: clean(d, script="hans")),
        ("ftfy.fix_text + OpenCC t2s", lambda d: t2s.convert(ftfy.fix_text(d))),
    ]
    rows = []
    for name, fn in runs:
        start = time.perf_counter()
        for d in docs:
            fn(d)
        rate = len(text) / (time.perf_counter() - start)
        rows.append(f"| {name} | {len(text):,} | {rate:,.0f} |")
    return rows


def damaged_throughput(cn: list[str]) -> list[str]:
    """clean() and ftfy + t2s on damaged pages, in the steady state: 100 pages of a family are cleaned
    first, then 100 others are timed (each desync run is a lattice search over tables built on first use)."""
    t2s = opencc.OpenCC("t2s.json")
    rng = random.Random(RNG_SEED + 1)
    rows = []
    for name, share, desyncs in (("straddle (ruby share 0.5)", 0.5, 0), ("desync (2 stray bytes)", 0.0, 2)):
        pages = [
            simulate.damage(doc, rng=rng, share=share, desyncs=desyncs, html=False).text
            for doc in documents(cn, rng, 200)
        ]
        for page in pages[:100]:
            clean(page, script="hans")
        measured = pages[100:]
        chars = sum(map(len, measured))
        for what, fn in (
            ("zhclean.clean()", lambda p: clean(p, script="hans")),
            ("ftfy + t2s", lambda p: t2s.convert(ftfy.fix_text(p))),
        ):
            start = time.perf_counter()
            for page in measured:
                fn(page)
            rate = chars / (time.perf_counter() - start)
            rows.append(f"| {what} on {name} pages, after 100 others | {chars:,} | {rate:,.0f} |")
    return rows


def step_times(text: str) -> list[str]:
    """Time spent in each step of the default clean() chain on the same clean text."""
    from zhclean import Document, default_pipeline

    paras = text.split("\n")
    docs = ["\n".join(paras[i : i + 20]) for i in range(0, len(paras), 20)]
    pipe = default_pipeline("hans")
    spent = dict.fromkeys(pipe.names, 0.0)
    for d in docs:
        doc = Document(d)
        for step in pipe.steps:
            start = time.perf_counter()
            step(doc)
            spent[step.name] += time.perf_counter() - start
    total = sum(spent.values())
    return [f"| {name} | {t / total:.1%} | {len(text) / t:,.0f} |" for name, t in spent.items() if t > 0]


def cantonese() -> str:
    try:
        import pycantonese
    except ImportError:
        return ""
    words = pycantonese.hkcancor().words()
    return "".join(words[:60000])


def rare_lines(paras: list[str]) -> str:
    """Clean paragraphs holding characters outside GB2312 level 1 and Big5 level 1."""
    from zhclean.steps.codec import _odd_pattern

    odd = _odd_pattern()
    han = re.compile("[\u4e00-\u9fff]")
    return "\n".join(p for p in paras if any(han.match(c) for c in odd.findall(p)))


def main() -> int:
    start = time.perf_counter()
    rng = random.Random(RNG_SEED)
    repair = Pipeline([STEPS[name]() for name in REPAIR_STEPS])
    cn = corpus("handbook_zh_cn") + corpus("reference_zh_cn")
    tw = corpus("handbook_zh_tw") + corpus("reference_zh_tw")
    source = "build/corpus" if CORPUS.exists() else "seed expected text (corpus missing)"
    print(f"# Byte-level repair benchmark (text: {source})")
    head = "| damage | ref chars | CER before | CER after | error reduction |"
    table("Simulated GBK ruby damage (zhclean.simulate)", simulated_families(repair, cn, rng), head)
    table(
        "Wrong-codec mojibake (codec step + gbk_damage)",
        wrong_codec_families(repair, {"cn": cn, "tw": tw}, rng),
        head,
    )

    sample = random.Random(1)
    sets = {
        "zh_CN prose + technical": "\n".join(sample.sample(cn, min(3000, len(cn)))),
        "zh_TW prose + technical": "\n".join(sample.sample(tw, min(3000, len(tw)))),
        "zh_CN man pages": "\n".join(corpus("manpages_zh_cn")[:4000]),
        "zh_TW man pages": "\n".join(corpus("manpages_zh_tw")[:4000]),
        "classical poetry (tang300, song100)": "\n".join(corpus("classical")),
        "sayings": "\n".join(corpus("sayings_zh_cn")[:3000]),
        "paragraphs with rare characters": rare_lines(
            corpus("manpages_zh_cn") + corpus("sayings_zh_cn") + cn + tw
        ),
        "Cantonese (HKCanCor)": cantonese(),
    }
    sets["short clauses (the above split at punctuation)"] = "\n".join(
        c for c in re.split(r"[，。；：！？、,.;:!?\s]+", "\n".join(sets.values())) if c
    )
    sets = {k: v for k, v in sets.items() if v}
    sets["all of the above"] = "\n".join(sets.values())
    table(
        "False edits of the byte-level steps on undamaged text",
        false_edits(repair, sets),
        "| text | chars | edits (by step) | per 100k chars | first edit |",
    )
    clean_text = "\n".join(sample.sample(cn, min(1500, len(cn))) + sample.sample(tw, min(1500, len(tw))))
    table("Throughput on clean text", throughput(repair, clean_text), "| what | chars | chars/s |")
    table("Throughput on damaged pages", damaged_throughput(cn), "| what | chars | chars/s |")
    table("Where clean() spends its time (same text)", step_times(clean_text), "| step | share | chars/s |")
    print(f"\n(bench took {time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
