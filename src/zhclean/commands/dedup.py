"""`zhclean dedup`: remove exact and near-duplicate documents from a corpus (best run on `clean` output).

    zhclean dedup out/part-*.jsonl -o out/dedup.jsonl --script hans

The earliest document of each cluster is kept; every other one goes to the rejects file as
`{"id", "reason": "duplicate-exact" | "duplicate-near", "cluster", "kept", "similarity", "record"}`.
With `--script hans` or `hant`, a traditional and a simplified copy of one article count as duplicates.
Settings live in the `[dedup]` table of `--config` (n-gram size, permutations, bands, threshold,
repeated-paragraph handling).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..engines import ENGINES, RunStats
from ..errors import UserError
from ..io import DEFAULT_CHUNK_SIZE
from ..pipeline import SCRIPTS
from ..records import DEFAULT_MAX_CHARS


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "dedup",
        help="remove exact and near-duplicate documents",
        description="Remove exact and near-duplicate documents (MinHash LSH over character n-grams) from JSONL, "
        "Parquet or .txt inputs; the kept records go to OUTPUT, the removed ones to the rejects file with the "
        "id of the document kept, the cluster number, the reason and the similarity.",
    )
    p.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="input file or folder")
    p.add_argument(
        "-o", "--output", required=True, type=Path, help="output: .jsonl, .jsonl.gz, .jsonl.zst or .parquet"
    )
    p.add_argument("--rejects", type=Path, help="rejects file (default: OUTPUT stem + .rejects.jsonl)")
    p.add_argument(
        "--script",
        choices=SCRIPTS,
        default="keep",
        help="hans or hant: compare texts folded to one script (traditional copy = duplicate)",
    )
    p.add_argument(
        "-j", "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)"
    )
    p.add_argument("--config", type=Path, help="config TOML with a [dedup] table (default: the bundled one)")
    p.add_argument(
        "--engine", choices=sorted(ENGINES), default="local", help="run on local processes or Dask"
    )
    p.add_argument("--scheduler", help="Dask scheduler address (with --engine dask)")
    p.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS, help=argparse.SUPPRESS)
    p.add_argument("--force", action="store_true", help="run again even if OUTPUT is complete")
    p.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE, help=argparse.SUPPRESS)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    if args.jobs < 1 or args.chunk_size < 1:
        raise UserError("-j and --chunk-size must be at least 1")
    options = {}
    if args.scheduler is not None:
        if args.engine != "dask":
            raise UserError("--scheduler needs --engine dask")
        options["scheduler"] = args.scheduler
    if args.engine == "dask":
        try:
            from ..engines.dask_engine import run_dedup
        except ImportError as e:
            raise UserError(f"engine 'dask' is not available: {e} (pip install 'zhclean[dask]')") from e
    else:
        from ..dedup.run import run_dedup
    stats = run_dedup(
        args.inputs,
        args.output,
        args.rejects,
        config=args.config,
        script=args.script,
        workers=args.jobs,
        progress=False,
        max_chars=args.max_chars,
        chunk_size=args.chunk_size,
        force=args.force,
        **options,
    )
    print(summary(stats), file=sys.stderr)
    return 0


def summary(stats: RunStats) -> str:
    if stats.already_done:
        return f"zhclean dedup: {stats.output} is already complete for these inputs and options (--force runs again)"
    rejected = ", ".join(f"{k} {n:,}" for k, n in sorted(stats.rejected.items())) or "none"
    return (
        f"zhclean dedup: {stats.docs_in:,} docs in, {stats.docs_out:,} kept, {stats.docs_rejected:,} removed "
        f"({rejected}); {stats.seconds:.1f} s\n  output: {stats.output}  rejects: {stats.rejects}"
    )
