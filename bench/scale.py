"""Corpus-scale benchmark: generate N Chinese web-like documents, run `zhclean clean` (then `zhclean dedup`),
print docs/s, MB/s per core and the peak memory (PSS, summed over all processes) of each run.

    .venv/bin/python bench/scale.py [--docs 1000000] [-j 2] [--script hans] [--no-dedup]

Documents are 3-10 paragraphs resampled from `build/corpus/*.txt` (made by `bench/fetch_corpus.py`; the
seeds' expected bodies in `tests/data/seeds/expected/` when it is missing), with light web damage so the
steps have work: a title line, full-width indentation, ASCII commas, blank lines, a share-prompt line, and
5% exact copies of earlier documents. The target of the issue: 1M documents cleaned and deduplicated in
under 10 minutes with peak memory under 2 GiB.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "build" / "corpus"
SEEDS_EXPECTED = ROOT / "tests" / "data" / "seeds" / "expected"
ZHCLEAN = [sys.executable, "-m", "zhclean.cli"]


def paragraphs() -> list[str]:
    files = sorted(CORPUS.glob("*.txt")) or sorted(SEEDS_EXPECTED.glob("*.txt"))
    lines = [line.strip() for f in files for line in f.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if len(line) >= 8]


def generate(path: Path, docs: int, seed: int = 1) -> int:
    """Write `docs` JSONL documents to `path`; return the number of bytes written."""
    rng = random.Random(seed)
    pool = paragraphs()
    made: list[bytes] = []
    size = 0
    with path.open("wb") as f:
        for i in range(docs):
            if made and rng.random() < 0.05:
                line = made[rng.randrange(len(made))].replace(b'"id":"', b'"id":"copy-', 1)
            else:
                paras = rng.sample(pool, rng.randint(3, 10))
                if rng.random() < 0.3:
                    paras = [p.replace("，", ",") for p in paras]
                if rng.random() < 0.3:
                    paras = ["　　" + p for p in paras]
                sep = "\n\n" if rng.random() < 0.3 else "\n"
                body = sep.join([paras[0][:30], *paras[1:]])
                if rng.random() < 0.2:
                    body += "\n分享到：微信 微博 QQ空间"
                line = (
                    orjson.dumps({"id": f"doc{i}", "text": body, "url": f"http://example.cn/{i}.html"})
                    + b"\n"
                )
                if len(made) < 10_000:
                    made.append(line)
            f.write(line)
            size += len(line)
    return size


def process_tree_rss(root: int) -> int:
    """Memory (bytes) of `root` and all its descendants, read from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        total += _memory(pid)
    return total


def _memory(pid: int) -> int:
    """Proportional set size of `pid` (shared pages split between the processes sharing them, so forked
    workers are not counted twice); resident set size where /proc has no smaps_rollup."""
    for name, key in (("smaps_rollup", "Pss:"), ("status", "VmRSS:")):
        try:
            for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
                if line.startswith(key):
                    return int(line.split()[1]) * 1024
        except OSError:
            continue
    return 0


def measure(cmd: list[str]) -> tuple[float, int, str]:
    """Run `cmd`; return wall seconds, peak memory of its process tree, and its stderr."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, process_tree_rss(proc.pid))
        time.sleep(0.2)
    err = proc.stderr.read().decode() if proc.stderr else ""
    seconds = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err}")
    return seconds, peak, err


def report(name: str, docs: int, size: int, seconds: float, peak: int, jobs: int) -> None:
    print(
        f"{name:<6} {docs:>9,} docs {seconds:8.1f} s {docs / seconds:9,.0f} docs/s "
        f"{size / seconds / 1e6 / jobs:6.2f} MB/s per core  peak memory {peak / 2**20:7,.0f} MiB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--script", default="hans")
    parser.add_argument("--workdir", type=Path, default=ROOT / "build" / "scale")
    parser.add_argument("--no-dedup", action="store_true", help="time `zhclean clean` only")
    parser.add_argument(
        "--config", type=Path, help="pipeline config for clean (an empty file times the engine alone)"
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    src = args.workdir / f"docs-{args.docs}.jsonl"
    start = time.monotonic()
    size = generate(src, args.docs)
    print(f"generated {args.docs:,} docs, {size / 1e6:,.0f} MB in {time.monotonic() - start:.0f} s -> {src}")
    print(f"machine: {os.cpu_count()} cores; zhclean -j {args.jobs}")

    cleaned = args.workdir / "clean.jsonl"
    common = ["-j", str(args.jobs), "--force"]
    config = ["--config", str(args.config)] if args.config else []
    seconds, peak, err = measure(
        [
            *ZHCLEAN,
            "clean",
            str(src),
            "-o",
            str(cleaned),
            "--script",
            args.script,
            "--no-progress",
            *config,
            *common,
        ]
    )
    report("clean", args.docs, size, seconds, peak, args.jobs)
    total, worst = seconds, peak
    print("  " + err.strip().splitlines()[0])
    if not args.no_dedup:
        deduped = args.workdir / "dedup.jsonl"
        seconds, peak, err = measure(
            [*ZHCLEAN, "dedup", str(cleaned), "-o", str(deduped), "--script", args.script, *common]
        )
        report("dedup", args.docs, cleaned.stat().st_size, seconds, peak, args.jobs)
        total, worst = total + seconds, max(worst, peak)
        print("  " + (err.strip().splitlines() or [""])[0])
    verdict = "meets" if total < 600 * args.docs / 1_000_000 and worst < 2 * 2**30 else "misses"
    print(
        f"total  {total:.1f} s, peak memory {worst / 2**20:,.0f} MiB: {verdict} the target scaled to {args.docs:,} docs "
        f"(1M docs < 600 s, < 2 GiB)"
    )


if __name__ == "__main__":
    main()
