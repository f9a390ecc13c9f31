"""The `zhclean` command line (placeholder until the CLI module lands)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print("zhclean: the command line is being built", file=sys.stderr)
    return 2
