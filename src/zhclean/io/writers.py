"""Chunk writers for the output and rejects files: append one chunk at a time, durably, and rewind on resume.

JSONL output (`.jsonl`, `.jsonl.gz`, `.jsonl.zst`) is written as one gzip member or zstd frame per chunk,
so the file is valid after every chunk and can be cut back to the end of any chunk. Parquet output is
written as one part file per chunk and merged into the final file when the run ends; in Parquet, `id`
and `text` are string columns and every other field is a JSON string column (a schema that cannot drift
between chunks).
"""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import orjson
import zstandard

OUTPUT_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst", ".parquet")
STRING_COLUMNS = ("id", "text")


def output_format(path: Path) -> str | None:
    """`jsonl`, `jsonl.gz`, `jsonl.zst` or `parquet` from the output file name, None when unsupported."""
    name = path.name.lower()
    for suffix in OUTPUT_SUFFIXES:
        if name.endswith(suffix):
            return suffix[1:]
    return None


def stem(path: Path) -> Path:
    """The output path without its format suffix: `out/a.clean.jsonl.gz` -> `out/a.clean`."""
    fmt = output_format(path)
    return path.with_name(path.name[: -len(fmt) - 1]) if fmt else path


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves either the old or the new file, never a torn one."""
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


class JsonlChunkWriter:
    """Appends chunks of JSON lines to `path`, each as one plain block, gzip member or zstd frame."""

    def __init__(self, path: Path, compression: str = "") -> None:
        self.path = path
        self.compression = compression

    def mark(self) -> int:
        """Where the file ends now (its byte size): the checkpoint stores this."""
        return self.path.stat().st_size if self.path.exists() else 0

    def rewind(self, mark: int) -> None:
        """Cut the file back to `mark`, dropping anything written after the last checkpoint."""
        with self.path.open("ab") as f:
            f.truncate(mark)
            f.flush()
            os.fsync(f.fileno())

    def encode(self, lines: list[bytes]) -> bytes:
        data = b"".join(lines)
        if not data or not self.compression:
            return data
        if self.compression == "gz":
            return gzip.compress(data, compresslevel=6, mtime=0)
        return zstandard.ZstdCompressor(level=3).compress(data)

    def write_chunk(self, lines: list[bytes]) -> None:
        data = self.encode(lines)
        if not data:
            return
        with self.path.open("ab") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())

    def finalise(self, dest: Path) -> None:
        """Move the finished file into place (atomic rename)."""
        if self.path.exists():
            os.replace(self.path, dest)
            fsync_dir(dest.parent)

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)


class ParquetChunkWriter:
    """Writes each chunk as a part file in `<path>.parts/`, merged into one Parquet file at the end."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.parts = path.with_name(path.name + ".parts")

    def _part_files(self) -> list[Path]:
        return sorted(self.parts.glob("part-*.parquet")) if self.parts.exists() else []

    def mark(self) -> int:
        return len(self._part_files())

    def rewind(self, mark: int) -> None:
        self.parts.mkdir(parents=True, exist_ok=True)
        for part in self._part_files()[mark:]:
            part.unlink()
        for tmp in self.parts.glob("*.tmp"):
            tmp.unlink()

    def write_chunk(self, lines: list[bytes]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not lines:
            return
        table = pa.Table.from_pylist([_flat_record(orjson.loads(line)) for line in lines])
        part = self.parts / f"part-{self.mark():07d}.parquet"
        tmp = part.with_name(part.name + ".tmp")
        pq.write_table(table, tmp)
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, part)
        fsync_dir(self.parts)

    def finalise(self, dest: Path) -> None:
        """Merge the parts (one row group each) into `dest`; safe to repeat after a crash."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.parts.exists():
            return
        parts = self._part_files()
        names: dict[str, None] = {}
        for part in parts:
            names.update(dict.fromkeys(pq.read_schema(part).names))
        if not names:
            names = dict.fromkeys(("id", "text", "meta", "edits", "removed", "flags"))
        schema = pa.schema([(name, pa.string()) for name in names])
        tmp = dest.with_name(dest.name + ".merging")
        with pq.ParquetWriter(tmp, schema) as writer:
            for part in parts:
                table = pq.read_table(part)
                columns = [
                    table[n].cast(pa.string())
                    if n in table.column_names
                    else pa.nulls(len(table), pa.string())
                    for n in names
                ]
                writer.write_table(pa.Table.from_arrays(columns, schema=schema))
        with tmp.open("rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
        fsync_dir(dest.parent)
        shutil.rmtree(self.parts)

    def discard(self) -> None:
        shutil.rmtree(self.parts, ignore_errors=True)


def _flat_record(record: dict) -> dict[str, str | None]:
    return {
        k: (v if k in STRING_COLUMNS and isinstance(v, str) else orjson.dumps(v).decode())
        for k, v in record.items()
    }


def chunk_writer(path: Path) -> JsonlChunkWriter | ParquetChunkWriter:
    """The writer for an output or rejects file, writing to `<path>.partial` (or `<path>.parts/`)."""
    fmt = output_format(path) or "jsonl"
    if fmt == "parquet":
        return ParquetChunkWriter(path)
    partial = path.with_name(path.name + ".partial")
    return JsonlChunkWriter(partial, compression=fmt.removeprefix("jsonl").lstrip("."))
