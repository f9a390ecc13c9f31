"""`zhclean report OUTPUT.jsonl [--rejects REJECTS] -o report.html`: one self-contained HTML report."""

from __future__ import annotations

import argparse
import sys

from ..errors import UserError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "report",
        help="write an HTML report of a run: totals, charts, each document side by side, rejects",
        description="Write one self-contained HTML file (opens offline) showing what zhclean did.",
    )
    p.add_argument(
        "output", metavar="OUTPUT.jsonl", help="output records of `zhclean clean` (.jsonl, .gz, .zst)"
    )
    p.add_argument("--rejects", metavar="REJECTS", help="rejected records of the same run")
    p.add_argument(
        "-o", "--out", metavar="REPORT.html", default="report.html", help="where to write the report"
    )
    p.add_argument(
        "--max-docs",
        type=int,
        default=20_000,
        metavar="N",
        help="embed the text of the first N documents (0: all; totals always count all)",
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..report import write_report

    if args.max_docs < 0:
        raise UserError("--max-docs must be 0 (all) or more")
    totals = write_report(args.output, args.rejects, args.out, args.max_docs)
    print(f"zhclean report: {totals.docs_out:,} documents -> {args.out}", file=sys.stderr)
    return 0
