"""`zhclean clean`: clean a corpus (JSONL, Parquet, .txt files or folders) into JSONL or Parquet.

    zhclean clean samples/seeds.jsonl -o out/seeds.clean.jsonl --script hans

One output record per document (`Document.to_record()`); records that cannot be cleaned go to the rejects
file with their reason; statistics per step are printed at the end and written to `STEM.stats.json`.
An interrupted run, started again with the same command, resumes where it stopped.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..engines import RunStats, get_engine
from ..pipeline import SCRIPTS
from .run_options import add_run_arguments, run_keywords


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "clean",
        help="clean a corpus into JSONL or Parquet",
        description="Clean documents from JSONL (.jsonl, .jsonl.gz, .jsonl.zst), Parquet or .txt files "
        "(or folders of them; '-' reads JSON lines from stdin) into OUTPUT, one record per document. "
        "Started again after an interruption, the same command resumes where it stopped.",
    )
    p.add_argument(
        "inputs", nargs="+", type=Path, metavar="INPUT", help="input file or folder ('-' for stdin)"
    )
    add_run_arguments(p)
    p.add_argument(
        "--script", choices=SCRIPTS, default="keep", help="keep the script, or convert to hans/hant"
    )
    p.add_argument("--config", type=Path, help="pipeline config TOML (default: the bundled default.toml)")
    p.add_argument("--force", action="store_true", help="run again even if OUTPUT is complete or half-done")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument(
        "--report", type=Path, metavar="REPORT.html", help="also write an HTML report (see `zhclean report`)"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    keywords = run_keywords(args)
    engine = get_engine(args.engine)
    progress = not args.no_progress and sys.stderr.isatty()
    stats = engine(args.inputs, args.output, args.rejects, progress=progress, **keywords)
    print(summary(stats), file=sys.stderr)
    if args.report:
        from ..report import write_report

        write_report(stats.output or args.output, stats.rejects, args.report)
        print(f"  report: {args.report}", file=sys.stderr)
    return 0


def summary(stats: RunStats) -> str:
    """The end-of-run report: totals, then per step the edits and removed lines by kind, then rejects."""
    if stats.already_done:
        return (
            f"zhclean clean: {stats.output} is already complete for these inputs and options "
            f"({stats.docs_out:,} docs, {stats.docs_rejected:,} rejected); nothing to do (--force runs again)"
        )
    rate = stats.docs_in / stats.seconds if stats.seconds else 0.0
    lines = [
        f"zhclean clean: {stats.docs_in:,} docs in, {stats.docs_out:,} out, {stats.docs_rejected:,} rejected; "
        f"{stats.chars_in:,} -> {stats.chars_out:,} chars; {stats.seconds:.1f} s ({rate:,.0f} docs/s)"
    ]
    if stats.resumed_chunks:
        lines.append(f"  resumed after {stats.resumed_chunks:,} finished chunks of {stats.chunks:,}")
    for name, step in stats.steps.items():
        edits = _counts(step.get("edits", {}))
        removed = _counts(step.get("removed", {}))
        lines.append(
            f"  {name:<12} {step.get('seconds', 0.0):7.2f} s  edits: {edits or '-'}  removed lines: {removed or '-'}"
        )
    if stats.flags:
        lines.append(f"  flags: {_counts(stats.flags)}")
    if stats.rejected:
        lines.append(f"  rejected: {_counts(stats.rejected)} -> {stats.rejects}")
    lines.append(f"  output: {stats.output}  stats: {stats.stats_path}")
    return "\n".join(lines)


def _counts(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    if not total:
        return ""
    kinds = ", ".join(f"{kind} {n:,}" for kind, n in sorted(counts.items(), key=lambda kv: -kv[1]))
    return f"{total:,} ({kinds})"
