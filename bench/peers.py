"""Peer throughput on one core: zhclean's full clean chain vs datatrove, data-juicer and ftfy + OpenCC.

Issue "Corpus scale": throughput of the full clean chain per core, side by side with data-juicer and datatrove
running their nearest equivalent steps on the same text (target: faster than both).

Documents: the five damaged seed pages (`tests/data/seeds/*.txt`) plus `--docs` documents of ~2,000 characters
assembled from consecutive paragraphs of `build/corpus/*.txt`; a third of them are damaged with
`zhclean.simulate.damage` (s2t, `<p>` markup, GBK byte-level ruby, PHP CP936 decode, NFKC, one in three with a
desync byte), so they look like the scraped seed pages. Everything runs in this process, pinned to one core.

Every chain is applied to every document (a filter's verdict is recorded, the document goes on), so each
peer does its whole job on all the text, like `zhclean.clean`, which flags instead of dropping:

* zhclean: `zhclean.clean(text, script="hans")` and `script="keep"` (the default pipeline).
* datatrove: `FTFYFormatter`, `PIIFormatter`, `SymbolLinesFormatter` (`.format(text)`), then
  `GopherRepetitionFilter`, `GopherQualityFilter`, `C4QualityFilter`, `FineWebQualityFilter` (`.filter(doc)`)
  on `Document` objects, language `cmn` where the step takes one (words from jieba through spaCy). No executor.
  `LanguageFilter` and `C4BadWordsFilter` are left out: they download a fastText model / word lists at run time.
* data-juicer: ops called on one-sample batches (`op.process_batched({"text": [t], stats: [{}]})`, filters
  `compute_stats_batched` then `process_batched`): no `Dataset`, no executor, no Ray.
* ftfy `fix_text` + OpenCC `t2s` (baseline).

Then, since speed without repair is not the same job, what is left on the five seeds after each chain:
ruby units `X(pinyin)`, `?pinyin)` fragments, ASCII `,` between two Han characters, other ASCII `:;?!()`
next to a Han character, and (for the t2s chains) traditional characters OpenCC t2s would still change.

    .venv/bin/python bench/peers.py            # --docs 300 --runs 3 --seed 1
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "RAYON_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import random  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "tests/data/seeds").glob("*.txt"))
CORPUS = ROOT / "build/corpus"
HANS_FILES = ["handbook_zh_cn", "reference_zh_cn", "manpages_zh_cn", "sayings_zh_cn"]
HANT_FILES = ["handbook_zh_tw", "reference_zh_tw", "manpages_zh_tw"]

Chain = Callable[[str], tuple[str, bool]]  # text -> (output, the chain would drop it)

HAN = "\u3400-\u4dbf\u4e00-\u9fff"
RUBY = re.compile(r"([^\x00-\x7f])\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}\)")
BROKEN_RUBY = re.compile(r"\?[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}\)")
ASCII_COMMA = re.compile(rf"(?<=[{HAN}]),(?=[{HAN}])")
FULL_PUNCT = re.compile("[，：；？！（）]")
ASCII_PUNCT = re.compile(rf"(?<=[{HAN}])[:;?!()]|[:;?!()](?=[{HAN}])")


def paragraphs(name: str) -> list[str]:
    """Non-empty lines of one corpus file."""
    return [p for p in (CORPUS / f"{name}.txt").read_text(encoding="utf-8").splitlines() if p.strip()]


def assemble(paras: list[str], rng: random.Random, size: int = 2000) -> str:
    """Consecutive paragraphs from a random start until `size` characters."""
    i = rng.randrange(len(paras))
    out: list[str] = []
    while sum(map(len, out)) < size:
        out.append(paras[i % len(paras)])
        i += 1
    return "\n".join(out)


def make_documents(n: int, seed: int) -> tuple[list[str], list[str]]:
    """(seed pages, corpus documents): a third simplified, a third traditional, a third damaged."""
    from zhclean.simulate import damage

    if not (CORPUS / "README.md").exists():
        sys.exit("build/corpus/ is missing: run .venv/bin/python bench/fetch_corpus.py")
    rng = random.Random(seed)
    hans = {f: paragraphs(f) for f in HANS_FILES}
    hant = {f: paragraphs(f) for f in HANT_FILES}
    docs = []
    for k in range(n):
        if k % 3 == 0:
            docs.append(assemble(hans[rng.choice(HANS_FILES)], rng))
        elif k % 3 == 1:
            docs.append(assemble(hant[rng.choice(HANT_FILES)], rng))
        else:
            src = assemble(hans[rng.choice(HANS_FILES)], rng)
            docs.append(damage(src, rng=rng, share=rng.uniform(0.15, 0.5), desyncs=int(k % 9 == 2)).text)
    seeds = [p.read_text(encoding="utf-8") for p in SEEDS]
    return seeds, docs


def zhclean_chain(script: str) -> Chain:
    import zhclean

    def run(text: str) -> tuple[str, bool]:
        doc = zhclean.clean(text, script=script)
        return doc.text, "drop_reason" in doc.meta.get("quality", {})

    return run


def baseline_chain() -> Chain:
    import ftfy
    import opencc

    t2s = opencc.OpenCC("t2s.json")
    return lambda text: (t2s.convert(ftfy.fix_text(text)), False)


def datatrove_chain() -> Chain:
    from datatrove.data import Document
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
    )
    from datatrove.pipeline.formatters import FTFYFormatter, PIIFormatter, SymbolLinesFormatter

    formatters = [FTFYFormatter(), PIIFormatter(), SymbolLinesFormatter()]
    filters = [
        GopherRepetitionFilter(language="cmn"),
        GopherQualityFilter(language="cmn"),
        C4QualityFilter(language="cmn"),
        FineWebQualityFilter(language="cmn"),
    ]

    def run(text: str) -> tuple[str, bool]:
        for f in formatters:
            text = f.format(text)
        doc = Document(text=text, id="0")
        verdicts = [f.filter(doc) for f in filters]  # every step sees every document
        return doc.text, not all(v is True for v in verdicts)

    return run


def datajuicer_chain() -> Chain:
    from data_juicer.ops.filter import CharacterRepetitionFilter, SpecialCharactersFilter, TextLengthFilter
    from data_juicer.ops.mapper import (
        ChineseConvertMapper,
        CleanEmailMapper,
        CleanHtmlMapper,
        CleanIpMapper,
        FixUnicodeMapper,
        PunctuationNormalizationMapper,
        RemoveRepeatSentencesMapper,
        WhitespaceNormalizationMapper,
    )
    from data_juicer.utils.constant import Fields

    mappers = [
        FixUnicodeMapper(),
        CleanHtmlMapper(),
        ChineseConvertMapper(mode="t2s"),
        CleanEmailMapper(),
        CleanIpMapper(),
        WhitespaceNormalizationMapper(),
        RemoveRepeatSentencesMapper(),
        PunctuationNormalizationMapper(),
    ]
    filters = [CharacterRepetitionFilter(), SpecialCharactersFilter(), TextLengthFilter()]

    def run(text: str) -> tuple[str, bool]:
        sample = {"text": [text], Fields.stats: [{}]}
        for m in mappers:
            sample = m.process_batched(sample)
        keep = True
        for f in filters:
            sample = f.compute_stats_batched(sample)
            keep &= all(f.process_batched(sample))
        return sample["text"][0], not keep

    return run


PEERS: dict[str, Callable[[], Chain]] = {
    "zhclean hans": lambda: zhclean_chain("hans"),
    "zhclean keep": lambda: zhclean_chain("keep"),
    "datatrove": datatrove_chain,
    "data-juicer": datajuicer_chain,
    "ftfy + OpenCC t2s": baseline_chain,
}
T2S_PEERS = {"zhclean hans", "data-juicer", "ftfy + OpenCC t2s"}


def pin_one_core() -> int:
    """Pin this process to one CPU (the first allowed); return it."""
    cpu = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cpu})
    return cpu


def timed(chain: Chain, texts: list[str]) -> tuple[float, list[tuple[str, bool]]]:
    """CPU seconds of this process (pinned to one core) and the outputs."""
    start = time.process_time()
    out = [chain(t) for t in texts]
    return time.process_time() - start, out


def leftovers(texts: list[str], t2s_check: bool) -> dict[str, int]:
    """Damage left in `texts`."""
    import opencc

    t2s = opencc.OpenCC("t2s.json")
    joined = "\n".join(texts)
    counts = {
        "ruby X(py)": len(RUBY.findall(joined)),
        "?py)": len(BROKEN_RUBY.findall(joined)),
        "Han,Han": len(ASCII_COMMA.findall(joined)),
        "ASCII :;?!() by Han": len(ASCII_PUNCT.findall(BROKEN_RUBY.sub("", RUBY.sub(r"\1", joined)))),
        "，：；？！（）": len(FULL_PUNCT.findall(joined)),
        "。": joined.count("。"),
    }
    if t2s_check:
        chars = set(re.findall(f"[{HAN}]", joined))
        trad = {c for c in chars if t2s.convert(c) != c}
        counts["trad. chars"] = sum(c in trad for c in joined)
    return counts


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=300, help="corpus documents besides the five seeds")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--peers", default=",".join(PEERS), help="comma-separated subset of: " + ", ".join(PEERS))
    args = ap.parse_args(argv)

    cpu = pin_one_core()
    seeds, docs = make_documents(args.docs, args.seed)
    texts = seeds + docs
    chars = sum(map(len, texts))
    print(f"cpu {cpu} of {os.cpu_count()}; loadavg {Path('/proc/loadavg').read_text().split()[:3]}")
    print(
        f"{len(texts)} documents ({len(seeds)} seeds + {len(docs)} corpus), {chars:,} characters; {args.runs} runs"
    )

    results: dict[str, tuple[float, list[float], dict[str, int]]] = {}
    for name in args.peers.split(","):
        try:
            t0 = time.perf_counter()
            chain = PEERS[name]()
            chain(seeds[0])  # warm-up: imports, dictionaries, models
            setup = time.perf_counter() - t0
        except Exception as exc:  # noqa: BLE001 - a peer that cannot run is reported, not fatal
            print(f"{name}: cannot run: {type(exc).__name__}: {exc}")
            continue
        times = []
        for _ in range(args.runs):
            seconds, out = timed(chain, texts)
            times.append(seconds)
        left = leftovers([text for text, _ in out[: len(seeds)]], name in T2S_PEERS)
        left["would drop (all docs)"] = sum(drop for _, drop in out)
        results[name] = (setup, times, left)
        med = statistics.median(times)
        print(
            f"{name:18} {chars / med:>11,.0f} chars/s  {len(texts) / med:>8,.1f} docs/s  "
            f"(median of {', '.join(f'{t:.2f}' for t in times)} s; setup {setup:.1f} s)",
            flush=True,
        )

    print("\n| chain | chars/s per core | docs/s per core | runs (s) |")
    print("|---|---|---|---|")
    for name, (_, times, _) in results.items():
        med = statistics.median(times)
        runs = " / ".join(f"{t:.2f}" for t in times)
        print(f"| {name} | {chars / med:,.0f} | {len(texts) / med:,.1f} | {runs} |")

    raw = leftovers(seeds, True)
    raw["would drop (all docs)"] = 0
    keys = list(raw)
    print("\nLeft on the five seeds (input first):\n")
    print("| chain | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 1) + "|")
    print("| input | " + " | ".join(str(raw[k]) for k in keys) + " |")
    for name, (_, _, left) in results.items():
        print(f"| {name} | " + " | ".join(str(left.get(k, "-")) for k in keys) + " |")


if __name__ == "__main__":
    main()
