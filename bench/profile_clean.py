"""Per-step time of `zhclean.clean()` and chars/s of the whole chain, side by side with ftfy + OpenCC.

    .venv/bin/python bench/profile_clean.py                      # timing table (median of --repeat runs)
    .venv/bin/python bench/profile_clean.py --cprofile           # plus the top functions by own time
    .venv/bin/python bench/profile_clean.py --dump out.jsonl     # write every to_record() (keep/hans/hant)
    .venv/bin/python bench/profile_clean.py --against HEAD       # byte-compare records with a git revision
    .venv/bin/python bench/profile_clean.py --time-against HEAD  # timing table before (HEAD) and now
    .venv/bin/python bench/profile_clean.py --against HEAD --owned src/zhclean/steps/pii.py  # one module

Documents: the seeds in `tests/data/seeds/*.txt`, their expected bodies, and paragraphs of each
`build/corpus/*.txt` file grouped into ~2,000-character documents, every second one with the "web"
damage `bench/scale.py` adds (ASCII commas, full-width indentation, blank lines, a share prompt) so that
the steps have work (`--dump` and `--against` use each both ways). Timing runs each step by hand over
every document and sums its time, in fresh processes: a first pass over every other document (cold: the
tables built on first use, such as the readings under each GBK lead byte, are built here), then a second
pass over the rest (the steady state of a corpus run; no cache has seen these lines); the peer is ftfy's default `fix_text` followed by OpenCC `t2s` on the same input texts. Figures
are per core (one process). `--against REV` runs this script with `src/zhclean` taken from the working
tree but with the performance-tuned modules (see OWNED) read from git revision REV, and compares the two
record dumps: the check that a speed-up did not change any output.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "tests" / "data" / "seeds"
CORPUS = ROOT / "build" / "corpus"
SCRIPTS = ("keep", "hans", "hant")
# Modules whose speed-ups must not change any output (`--against` takes these from git).
OWNED = (
    [
        f"src/zhclean/steps/{m}.py"
        for m in (
            "ruby script spacing punctuation layout html_remnants unicode_hygiene boilerplate metadata pii quality gbk_damage codec".split()
        )
    ]
    + [
        f"src/zhclean/{m}.py"
        for m in (
            "document",
            "step",
            "pipeline",
            "api",
            "records",
            "gbk_lattice",
            "gbk_rebuild",
            "gbk",
            "plausibility",
            "key_index",
        )
    ]
    + ["src/zhclean/engines/local.py"]
)


def documents(limit: int | None = None, size: int = 2000, both: bool = False) -> list[tuple[str, str]]:
    """(id, text) pairs: seeds, expected bodies, corpus documents and their web-damaged variants.

    Each corpus document comes plain or web-damaged (alternately), or both ways with `both` (for the
    output comparison; timing uses one way so that no line is seen twice and caches do not flatter).
    """
    docs = [(p.name, p.read_text(encoding="utf-8")) for p in sorted(SEEDS.glob("*.txt"))]
    docs += [(p.name, p.read_text(encoding="utf-8")) for p in sorted((SEEDS / "expected").glob("*.txt"))]
    rng = random.Random(7)
    corpus: list[tuple[str, str]] = []
    for path in sorted(CORPUS.glob("*.txt")):
        group: list[str] = []
        n = 0
        for line in path.read_text(encoding="utf-8").splitlines():
            group.append(line)
            n += len(line)
            if n >= size:
                corpus.append((f"{path.stem}-{len(corpus)}", "\n".join(group)))
                group, n = [], 0
    for k, (doc_id, text) in enumerate(corpus):
        web = _web(text, rng)
        if both or k % 2 == 0:
            docs.append((doc_id, text))
        if both or k % 2 == 1:
            docs.append((doc_id + "-web", web))
    if limit and limit < len(docs):
        docs = [docs[i * len(docs) // limit] for i in range(limit)]  # evenly spread over the files
    return docs


def _web(text: str, rng: random.Random) -> str:
    """The light web damage of bench/scale.py."""
    paras = text.split("\n")
    if rng.random() < 0.3:
        paras = [p.replace("，", ",") for p in paras]
    if rng.random() < 0.3:
        paras = ["　　" + p for p in paras]
    body = ("\n\n" if rng.random() < 0.3 else "\n").join([paras[0][:30], *paras[1:]])
    return body + ("\n分享到：微信 微博 QQ空间" if rng.random() < 0.5 else "")


def step_times(docs: list[tuple[str, str]], script: str) -> dict[str, float]:
    """Seconds spent in each step of the default pipeline over all documents."""
    from zhclean.api import default_pipeline
    from zhclean.document import Document

    pipe = default_pipeline(script)
    times = dict.fromkeys(pipe.names, 0.0)
    clock = time.perf_counter
    for doc_id, text in docs:
        doc = Document(text=text, id=doc_id)
        for step in pipe.steps:
            start = clock()
            step(doc)
            times[step.name] += clock() - start
    return times


def peer_time(docs: list[tuple[str, str]]) -> tuple[float, float]:
    """Seconds of ftfy `fix_text` (defaults) and of OpenCC t2s over the same texts."""
    import ftfy
    import opencc

    t2s = opencc.OpenCC("t2s.json")
    start = time.perf_counter()
    fixed = [ftfy.fix_text(text) for _, text in docs]
    middle = time.perf_counter()
    for text in fixed:
        t2s.convert(text)
    return middle - start, time.perf_counter() - middle


def halves(docs: list[tuple[str, str]]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The documents of the first (cold) pass and of the measured (steady) pass: every other one."""
    return docs[0::2], docs[1::2]


def load_models(script: str) -> None:
    """Load dictionaries and models and compile patterns (on the seeds with their lines reversed)."""
    seeds = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    warm = [("warm", "\n".join(line[::-1] for line in text.split("\n"))) for text in seeds]
    step_times(warm, script)
    peer_time(warm)


def one_run(docs: list[tuple[str, str]], script: str) -> None:
    """One timing run in a fresh process, as JSON: per-step seconds and the peers' seconds of a first pass
    over half of the documents (cold: tables built on first use are built here), then of the other half
    (steady state, as in a corpus run after its first few MB; no measured document was seen before)."""
    load_models(script)
    first, steady = halves(docs)
    out = {}
    for name, part in (("cold", first), ("steady", steady)):
        steps = step_times(part, script)
        ftfy_s, t2s_s = peer_time(part)
        out[name] = {"steps": steps, "ftfy": ftfy_s, "t2s": t2s_s}
    print(orjson.dumps(out).decode())


def table(part: list[tuple[str, str]], results: list[dict], script: str, label: str) -> None:
    """The per-step table of one pass: medians over the runs."""
    chars = sum(len(t) for _, t in part)
    runs = [r["steps"] for r in results]
    medians = {name: statistics.median(r[name] for r in runs) for name in runs[0]}
    total = statistics.median(sum(r.values()) for r in runs)
    ftfy_s = statistics.median(r["ftfy"] for r in results)
    t2s_s = statistics.median(r["t2s"] for r in results)
    print(
        f"{label}: {len(part):,} documents, {chars:,} chars, script={script}, median of {len(results)}, 1 core"
    )
    print(f"{'step':<14}{'seconds':>9}{'share':>8}{'ms/doc':>9}{'M chars/s':>11}")
    for name, sec in medians.items():
        print(
            f"{name:<14}{sec:9.3f}{sec / total:8.1%}{sec / len(part) * 1e3:9.3f}"
            f"{chars / max(sec, 1e-9) / 1e6:11.2f}"
        )
    rows = [
        ("clean() total", total),
        ("ftfy fix_text", ftfy_s),
        ("opencc t2s", t2s_s),
        ("ftfy + t2s", ftfy_s + t2s_s),
    ]
    for name, sec in rows:
        print(f"{name:<14}{sec:9.3f}{'':8}{sec / len(part) * 1e3:9.3f}{chars / sec / 1e6:11.2f}")
    print(
        f"clean() throughput = {ftfy_s / total:.2f}x ftfy fix_text, {(ftfy_s + t2s_s) / total:.2f}x ftfy + t2s\n"
    )


def timing(docs: list[tuple[str, str]], script: str, repeat: int, limit: int | None) -> None:
    """Medians over `repeat` fresh processes (caches start empty each time, as on a new corpus)."""
    cmd = [sys.executable, __file__, "--one-run", "--script", script]
    cmd += ["--limit", str(limit)] if limit else []
    results = [
        orjson.loads(subprocess.run(cmd, capture_output=True, check=True).stdout) for _ in range(repeat)
    ]
    first, steady = halves(docs)
    table(first, [r["cold"] for r in results], script, "first pass in a fresh process (cold)")
    table(steady, [r["steady"] for r in results], script, "second pass, other documents (steady state)")


def profile(docs: list[tuple[str, str]], script: str, top: int) -> None:
    import zhclean

    zhclean.clean(docs[0][1], script=script)
    prof = cProfile.Profile()
    prof.enable()
    for _, text in docs:
        zhclean.clean(text, script=script)
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(top)
    print(out.getvalue())


def dump(docs: list[tuple[str, str]], path: Path) -> None:
    import zhclean

    with path.open("wb") as f:
        for script in SCRIPTS:
            for doc_id, text in docs:
                record = zhclean.clean(text, script=script).to_record()
                record["id"] = f"{script}:{doc_id}"
                f.write(orjson.dumps(record, option=orjson.OPT_SORT_KEYS) + b"\n")


def base_tree(rev: str, tmp: str, owned: list[str] | None = None) -> Path:
    """A copy of `src/` with the OWNED modules (or `owned`) taken from git revision `rev`; returns its path."""
    base = Path(tmp) / "src"
    shutil.copytree(ROOT / "src", base, ignore=shutil.ignore_patterns("__pycache__"))
    for rel in owned or OWNED:
        shown = subprocess.run(["git", "show", f"{rev}:{rel}"], cwd=ROOT, capture_output=True)
        if shown.returncode == 0:
            (base.parent / rel).write_bytes(shown.stdout)
        else:  # a module newer than `rev`
            (base.parent / rel).unlink()
    return base


def against(rev: str, limit: int | None, owned: list[str] | None = None) -> int:
    """Dump records with OWNED modules from `rev` and from the working tree; report differences."""
    with tempfile.TemporaryDirectory() as tmp:
        base = base_tree(rev, tmp, owned)
        runs = {}  # both at once, so that both see the same versions of the other modules
        for name, src in (("base", base), ("new", ROOT / "src")):
            out = Path(tmp) / f"{name}.jsonl"
            cmd = [sys.executable, __file__, "--dump", str(out)] + (["--limit", str(limit)] if limit else [])
            runs[out] = subprocess.Popen(cmd, env={**os.environ, "PYTHONPATH": str(src)})
        if any(proc.wait() for proc in runs.values()):
            sys.exit("a dump failed")
        outs = [out.read_bytes().splitlines() for out in runs]
    diffs = [(a, b) for a, b in zip(*outs, strict=True) if a != b]
    print(f"{len(outs[0]):,} records compared ({', '.join(SCRIPTS)}), {len(diffs)} differ")
    for a, b in diffs[:3]:
        print("  base:", a[:300].decode(errors="replace"))
        print("  new: ", b[:300].decode(errors="replace"))
    return 1 if diffs else 0


def time_against(rev: str, argv: list[str], owned: list[str] | None = None) -> None:
    """The timing table of the OWNED modules at `rev`, then of the working tree (same documents)."""
    with tempfile.TemporaryDirectory() as tmp:
        base = base_tree(rev, tmp, owned)
        for name, src in ((f"before ({rev})", base), ("after (working tree)", ROOT / "src")):
            print(f"== {name}", flush=True)
            env = {**os.environ, "PYTHONPATH": str(src)}
            subprocess.run([sys.executable, __file__, *argv], env=env, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--script", default="hans", choices=SCRIPTS)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--limit", type=int, help="use only N documents spread over all sources")
    parser.add_argument("--one-run", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--cprofile", action="store_true", help="also print cProfile's top functions")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--dump", type=Path, help="write all records (keep, hans, hant) to this file")
    parser.add_argument("--against", metavar="REV", help="compare records with OWNED modules from REV")
    parser.add_argument(
        "--time-against", metavar="REV", help="timing table with OWNED modules from REV, then now"
    )
    parser.add_argument(
        "--owned", nargs="+", metavar="FILE", help="with --against/--time-against: take only these from REV"
    )
    args = parser.parse_args()
    if args.against:
        sys.exit(against(args.against, args.limit, args.owned))
    if args.time_against:
        argv = sys.argv[1:]
        argv = argv[: argv.index("--owned")] if "--owned" in argv else argv  # --owned comes last
        i = argv.index("--time-against")
        time_against(args.time_against, argv[:i] + argv[i + 2 :], args.owned)
        return
    docs = documents(args.limit, both=bool(args.dump))
    if args.dump:
        dump(docs, args.dump)
        return
    if args.one_run:
        one_run(docs, args.script)
        return
    timing(docs, args.script, args.repeat, args.limit)
    if args.cprofile:
        profile(docs, args.script, args.top)


if __name__ == "__main__":
    main()
