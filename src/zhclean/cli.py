"""The `zhclean` command line: one subcommand per module in `zhclean.commands`."""

from __future__ import annotations

import argparse
import sys

from .commands import clean as clean_cmd
from .commands import dedup as dedup_cmd
from .commands import furniture as furniture_cmd
from .commands import report as report_cmd
from .commands import show as show_cmd
from .errors import UserError

COMMANDS = [clean_cmd, dedup_cmd, furniture_cmd, report_cmd, show_cmd]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="zhclean", description="Repair and clean noisy Chinese web text.")
    sub = parser.add_subparsers(dest="command", required=True)
    for command in COMMANDS:
        command.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except UserError as e:
        print(f"zhclean: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("zhclean: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
