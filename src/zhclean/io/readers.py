"""Find the input files of a run and read them as one stream of items, each with a resumable position.

Inputs are `.jsonl`, `.jsonl.gz`, `.jsonl.zst` and `.parquet` files (one document per line or row), `.txt`
files (one document each), folders of those, or `-` (JSON lines on stdin). A position says how far the
stream has got: which file, how many items of it, and the byte offset after them (decompressed), so a
resumed run starts reading exactly where the last one stopped.
"""

from __future__ import annotations

import gzip
import io
import sys
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

import zstandard

from ..errors import UserError

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst")
SUFFIXES = (*JSONL_SUFFIXES, ".parquet", ".txt")
BOM = b"\xef\xbb\xbf"
STDIN = "-"


@dataclass(frozen=True)
class InputFile:
    """One file to read: its path, the name used in ids and messages, its format and its txt id."""

    path: Path
    name: str
    format: str  # "jsonl", "parquet" or "txt"
    txt_id: str = ""
    in_folder: bool = False

    @property
    def is_stdin(self) -> bool:
        return self.name == STDIN


class Item(NamedTuple):
    """One input document before parsing; `kind` says what `data` holds.

    json: bytes of one JSON line; record: a dict (a Parquet row); text: bytes of a .txt file;
    oversize: the first bytes of a line too long to read (it becomes a `too-large` reject).
    """

    source: str
    line: int
    kind: str
    data: Any
    default_id: str


@dataclass(frozen=True)
class Position:
    """How far the input stream has got: file index, items read from it, decompressed byte offset."""

    file: int = 0
    line: int = 0
    offset: int = 0


def input_format(path: Path) -> str | None:
    """The format of an input file from its name, or None when zhclean cannot read it."""
    name = path.name.lower()
    if name.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith(".txt"):
        return "txt"
    return None


def discover(inputs: list[Path]) -> list[InputFile]:
    """Expand the command-line inputs into the ordered list of files to read; raise UserError on a bad one."""
    files: list[InputFile] = []
    for given in inputs:
        if str(given) == STDIN:
            files.append(InputFile(Path(STDIN), STDIN, "jsonl"))
        elif given.is_dir():
            files.extend(_folder_files(given))
        elif not given.exists():
            raise UserError(f"input {given}: no such file or folder")
        else:
            fmt = input_format(given)
            if fmt is None:
                raise UserError(f"input {given}: unknown format (expected {', '.join(SUFFIXES)} or a folder)")
            if given.stat().st_size == 0:
                raise UserError(f"input {given}: file is empty")
            files.append(InputFile(given, str(given), fmt, txt_id=_strip_txt(given.name)))
    return files


def _folder_files(folder: Path) -> list[InputFile]:
    found = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if path.is_dir() or any(part.startswith(".") for part in rel.parts):
            continue
        fmt = input_format(path)
        if fmt is not None:
            found.append(InputFile(path, str(path), fmt, txt_id=_strip_txt(rel.as_posix()), in_folder=True))
    if not found:
        raise UserError(f"input {folder}: folder holds no {', '.join(SUFFIXES)} files")
    return found


def _strip_txt(name: str) -> str:
    return name[:-4] if name.lower().endswith(".txt") else name


def iter_items(
    files: list[InputFile], start: Position, max_line_bytes: int
) -> Iterator[tuple[Item, Position]]:
    """Yield every item from `start` on, each with the position just after it."""
    for index in range(start.file, len(files)):
        file = files[index]
        first = start if index == start.file else Position(index)
        if file.format == "txt":
            if first.line == 0:
                yield _read_txt(file), Position(index, 1, 0)
        elif file.format == "parquet":
            yield from _read_parquet(file, index, first.line)
        else:
            yield from _read_jsonl(file, index, first, max_line_bytes)


def _read_txt(file: InputFile) -> Item:
    try:
        data = file.path.read_bytes()
    except OSError as e:
        raise UserError(f"input {file.name}: cannot read: {e.strerror or e}") from e
    return Item(file.name, 1, "text", data, file.txt_id)


def _open_binary(file: InputFile) -> BinaryIO:
    if file.is_stdin:
        return sys.stdin.buffer
    name = file.path.name.lower()
    try:
        if name.endswith(".gz"):
            return gzip.open(file.path, "rb")  # type: ignore[return-value]
        if name.endswith(".zst"):
            raw = file.path.open("rb")
            reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True, closefd=True)
            return io.BufferedReader(reader, 1 << 20)  # type: ignore[arg-type]
        return file.path.open("rb")
    except OSError as e:
        raise UserError(f"input {file.name}: cannot open: {e.strerror or e}") from e


def _read_jsonl(
    file: InputFile, index: int, first: Position, max_line_bytes: int
) -> Iterator[tuple[Item, Position]]:
    line_no, offset = first.line, first.offset
    stream = _open_binary(file)
    try:
        if offset:
            _skip(stream, offset)
        while True:
            line = stream.readline(max_line_bytes + 1)
            if not line:
                break
            line_no += 1
            offset += len(line)
            kind = "json"
            if len(line) > max_line_bytes and not line.endswith(b"\n"):
                offset += _skip_rest_of_line(stream)
                kind = "oversize"
            elif line_no == 1 and line.startswith(BOM):
                line = line[len(BOM) :]
            yield (
                Item(file.name, line_no, kind, line, f"{file.name}:{line_no}"),
                Position(index, line_no, offset),
            )
    except (OSError, EOFError, zlib.error, zstandard.ZstdError) as e:
        raise UserError(f"input {file.name}: unreadable after line {line_no}: {e}") from e
    finally:
        if not file.is_stdin:
            stream.close()
    if line_no == 0 and file.in_folder:
        print(f"zhclean: warning: input {file.name} holds no lines", file=sys.stderr)


def _skip(stream: BinaryIO, offset: int) -> None:
    if stream.seekable():
        stream.seek(offset)
        return
    while offset:
        got = stream.read(min(offset, 1 << 20))
        if not got:
            raise UserError("input ended before the checkpoint position; was it changed?")
        offset -= len(got)


def _skip_rest_of_line(stream: BinaryIO) -> int:
    skipped = 0
    while True:
        piece = stream.readline(1 << 20)
        skipped += len(piece)
        if not piece or piece.endswith(b"\n"):
            return skipped


def _read_parquet(file: InputFile, index: int, done: int) -> Iterator[tuple[Item, Position]]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(file.path)
        first, row = 0, 0  # skip the row groups read entirely before
        while first < pf.num_row_groups and row + pf.metadata.row_group(first).num_rows <= done:
            row += pf.metadata.row_group(first).num_rows
            first += 1
        groups = list(range(first, pf.num_row_groups))
        if not groups:
            return
        skip = done - row
        for batch in pf.iter_batches(batch_size=1024, row_groups=groups):
            for record in batch.to_pylist():
                row += 1
                if skip:
                    skip -= 1
                    continue
                yield Item(file.name, row, "record", record, f"{file.name}:{row}"), Position(index, row, 0)
    except (OSError, pa.ArrowException) as e:
        raise UserError(f"input {file.name}: unreadable Parquet near row {done}: {e}") from e
