"""`zhclean show ID OUTPUT.jsonl`: one document's changes in the terminal, coloured like a word diff.

Removed text is shown `[-like this-]` (red), added text `{+like this+}` (green), removed lines struck
out with their class; colour is on when standard output is a terminal, off with `--no-color`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from ..errors import UserError

RED, GREEN, DIM, BOLD, RESET = "\033[31m", "\033[32m", "\033[2m", "\033[1m", "\033[0m"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("show", help="show one document's changes in the terminal (word-diff style)")
    p.add_argument("id", metavar="ID", help="the document's id (or #N for the N-th record, from 1)")
    p.add_argument("output", metavar="OUTPUT.jsonl", help="output records of `zhclean clean`")
    p.add_argument("--no-color", action="store_true", help="no ANSI colours (also off when not a terminal)")
    p.add_argument("--changes", action="store_true", help="also list every change with its reason")
    p.set_defaults(run=run)


def find_record(doc_id: str, path: str) -> dict[str, Any]:
    """The record with id `doc_id` (or `#N`: the N-th record) in a JSONL file."""
    from ..report import read_records

    nth = int(doc_id[1:]) if doc_id.startswith("#") and doc_id[1:].isdigit() else None
    for number, record in enumerate(read_records(path), 1):
        if number == nth or (nth is None and str(record.get("id", "")) == doc_id):
            return record
    raise UserError(f"no document {doc_id!r} in {path}")


def render(record: dict[str, Any], color: bool, changes: bool = False) -> str:
    """The document as a word diff of its original and cleaned text, then its metadata."""
    from ..report import align

    a = align(record)

    def paint(code: str, s: str) -> str:
        return f"{code}{s}{RESET}" if color and s else s

    out = [paint(BOLD, f"== {record.get('id', '')}") + f"  {len(a.original)} -> {len(a.text)} characters"]
    if not a.exact:
        out.append(paint(DIM, "(original rebuilt approximately: some edits were not where the record says)"))
    body: list[str] = []
    pos = 0
    for h in a.hunks:
        body.append(a.text[pos : h.text_start])
        kinds = sorted({a.changes[k].kind for k in h.changes})
        if any(a.changes[k].removal for k in h.changes):
            line = a.original[h.orig_start : h.orig_end].strip("\n")
            body.append(paint(RED + "\033[9m", f"[-{line}-]") + paint(DIM, f" ({', '.join(kinds)})") + "\n")
        else:
            old, new = a.original[h.orig_start : h.orig_end], a.text[h.text_start : h.text_end]
            body.append(
                (paint(RED, f"[-{old}-]") if old else "") + (paint(GREEN, f"{{+{new}+}}") if new else "")
            )
        pos = h.text_end
    body.append(a.text[pos:])
    out.append("".join(body).rstrip("\n"))
    meta = record.get("meta") or {}
    if meta:
        out.append(paint(BOLD, "-- meta"))
        out += [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()]
    if changes:
        out.append(paint(BOLD, "-- changes"))
        for c in a.changes:
            what = "line removed" if c.removal else f"{c.before!r} -> {c.after!r}"
            out.append(f"{c.step}/{c.kind}: {what}" + (f"  ({c.reason})" if c.reason else ""))
    return "\n".join(out) + "\n"


def run(args: argparse.Namespace) -> int:
    record = find_record(args.id, args.output)
    color = not args.no_color and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    sys.stdout.write(render(record, color, args.changes))
    return 0
