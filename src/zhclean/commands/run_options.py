"""Arguments that `zhclean clean` and `zhclean dedup` share, and the engine keywords built from them."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from ..engines import ENGINES
from ..errors import UserError
from ..io import DEFAULT_CHUNK_SIZE
from ..records import DEFAULT_MAX_CHARS


def add_run_arguments(p: argparse.ArgumentParser) -> None:
    """Output, rejects, workers, engine, scheduler, --max-chars and the hidden --chunk-size."""
    p.add_argument(
        "-o", "--output", required=True, type=Path, help="output: .jsonl, .jsonl.gz, .jsonl.zst or .parquet"
    )
    p.add_argument("--rejects", type=Path, help="rejects file (default: OUTPUT stem + .rejects.jsonl)")
    p.add_argument(
        "-j", "--jobs", type=int, default=os.cpu_count() or 1, help="worker processes (default: all cores)"
    )
    p.add_argument(
        "--engine", choices=sorted(ENGINES), default="local", help="run on local processes or Dask"
    )
    p.add_argument("--scheduler", help="Dask scheduler address (with --engine dask)")
    p.add_argument(
        "--max-chars", type=int, default=DEFAULT_MAX_CHARS, help="reject longer documents (too-large)"
    )
    p.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK_SIZE, help=argparse.SUPPRESS)


def run_keywords(args: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of an engine's run function, checked (one-line UserError when wrong)."""
    if args.jobs < 1 or args.chunk_size < 1 or args.max_chars < 1:
        raise UserError("-j, --chunk-size and --max-chars must be at least 1")
    keywords: dict[str, Any] = {
        "config": args.config,
        "script": args.script,
        "workers": args.jobs,
        "max_chars": args.max_chars,
        "chunk_size": args.chunk_size,
        "force": args.force,
    }
    if args.scheduler is not None:
        if args.engine != "dask":
            raise UserError("--scheduler needs --engine dask")
        keywords["scheduler"] = args.scheduler
    return keywords
