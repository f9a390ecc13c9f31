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
import sys
from pathlib import Path

from ..engines import RunStats
from ..errors import UserError
from ..pipeline import SCRIPTS
from .run_options import add_run_arguments, run_keywords


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "dedup",
        help="remove exact and near-duplicate documents",
        description="Remove exact and near-duplicate documents (MinHash LSH over character n-grams) from JSONL, "
        "Parquet or .txt inputs; the kept records go to OUTPUT, the removed ones to the rejects file with the "
        "id of the document kept, the cluster number, the reason and the similarity.",
    )
    p.add_argument("inputs", nargs="+", type=Path, metavar="INPUT", help="input file or folder")
    add_run_arguments(p)
    p.add_argument(
        "--script",
        choices=SCRIPTS,
        default="keep",
        help="hans or hant: compare texts folded to one script (traditional copy = duplicate)",
    )
    p.add_argument("--config", type=Path, help="config TOML with a [dedup] table (default: the bundled one)")
    p.add_argument("--force", action="store_true", help="run again even if OUTPUT is complete")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    keywords = run_keywords(args)
    if args.engine == "dask":
        try:
            from ..engines.dask_engine import run_dedup
        except ImportError as e:
            raise UserError(f"engine 'dask' is not available: {e} (pip install 'zhclean[dask]')") from e
    else:
        from ..dedup.run import run_dedup
    stats = run_dedup(args.inputs, args.output, args.rejects, progress=False, **keywords)
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
