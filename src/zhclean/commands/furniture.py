"""`zhclean furniture INPUT... -o counts.npz`: count in how many documents of a site each line occurs.

Input: what `zhclean clean` reads (JSON Lines `.jsonl[.gz|.zst]`, Parquet, `.txt` files, folders;
each record has `text` and, when known, `url` or `site`). Streaming: only 8-byte line hashes
are kept. Use the output with the boilerplate step:

    [[step]]
    name = "boilerplate"
    repeated_lines = "counts.npz"
    min_docs = 5
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import orjson

from ..errors import UserError
from ..furniture import count_lines
from ..io import Position, discover, iter_items


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("furniture", help="count repeated lines across documents (first pass for boilerplate)")
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="JSONL, Parquet or .txt files, or folders")
    p.add_argument("-o", "--output", required=True, help="counts file to write (.npz)")
    p.add_argument("--keep-min", type=int, default=2, help="write lines seen in at least this many documents")
    p.set_defaults(run=run)


def read_records(paths: list[str], max_line_bytes: int = 64 << 20) -> Iterator[dict]:
    """Records with a `text` field from the inputs (files or folders), read as `zhclean clean` reads them."""
    for item, _ in iter_items(discover([Path(p) for p in paths]), Position(), max_line_bytes):
        if item.kind == "text":
            yield {"text": item.data.decode("utf-8", errors="replace")}
            continue
        if item.kind == "oversize":
            continue
        try:
            record = orjson.loads(item.data) if item.kind == "json" else item.data
        except orjson.JSONDecodeError as e:
            raise UserError(f"{item.source}:{item.line}: not a JSON record ({e})") from e
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise UserError(f"{item.source}:{item.line}: a record needs a `text` field")
        yield record


def run(args: argparse.Namespace) -> int:
    counter = count_lines(read_records(args.inputs))
    try:
        written = counter.save(args.output, min_docs=args.keep_min)
    except OSError as e:
        raise UserError(f"cannot write {args.output}: {e}") from e
    print(f"zhclean furniture: {counter.docs} documents, {written} repeated lines -> {args.output}")
    return 0
