"""One resumable `zhclean clean` run: input chunks, chunk-by-chunk durable writes, checkpoint and finish.

While a run goes, the output is written to `OUTPUT.partial` (Parquet: `OUTPUT.parts/`) and the rejects to
`REJECTS.partial`; after every chunk both are fsynced and `OUTPUT.checkpoint.json` records the input
position, the size of each file and the statistics so far. Started again after a crash (even `kill -9`),
the run cuts both files back to the checkpoint and carries on from the recorded input position, so the
final bytes equal those of an uninterrupted run. At the end the files are renamed into place, the
statistics go to `STEM.stats.json` and the checkpoint is removed; the same command then finds the run
finished and does nothing. Chunk boundaries depend only on the input and `chunk_size`, never on workers.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from ..errors import UserError
from ..pipeline import ConfigError, default_config_text, load_config
from .readers import InputFile, Item, Position, discover, iter_items
from .writers import chunk_writer, output_format, stem, write_atomic

DEFAULT_CHUNK_SIZE = 1000
DEFAULT_MAX_CHARS = 10_000_000  # longer documents are rejected as too-large
CHUNK_BYTES = 32 << 20
FORMAT_VERSION = 1


@dataclass
class Chunk:
    """A run of consecutive input items, numbered from 0, and the input position just after it."""

    index: int
    items: list[Item]
    end: Position


class Job:
    """The files and state of one run; engines take chunks from it and hand results back in order."""

    def __init__(
        self,
        inputs: list[Path],
        output: Path,
        rejects: Path | None,
        *,
        config: Path | None = None,
        script: str = "keep",
        max_chars: int = DEFAULT_MAX_CHARS,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        force: bool = False,
    ) -> None:
        from ..records import new_stats

        if output_format(output) is None:
            raise UserError(f"output {output}: name must end in .jsonl, .jsonl.gz, .jsonl.zst or .parquet")
        self.files: list[InputFile] = discover(inputs)
        self.output = output
        self.rejects = (
            rejects if rejects is not None else stem(output).with_name(stem(output).name + ".rejects.jsonl")
        )
        if output_format(self.rejects) in (None, "parquet"):
            raise UserError(f"rejects {self.rejects}: name must end in .jsonl, .jsonl.gz or .jsonl.zst")
        self.stats_path = stem(output).with_name(stem(output).name + ".stats.json")
        self.checkpoint_path = output.with_name(output.name + ".checkpoint.json")
        self._check_paths()
        self._lock = self._take_lock()
        self.config_text = self._config_text(config)
        self.script = script
        self._check_pipeline()
        self.max_chars = max_chars
        self.chunk_size = chunk_size
        self.fingerprint = self._fingerprint()
        self.out_writer = chunk_writer(output)
        self.rej_writer = chunk_writer(self.rejects)
        self.stats: dict[str, Any] = new_stats()
        self.seconds = 0.0
        self.position = Position()
        self.chunks_done = 0
        self.resumed_chunks = 0
        self.finished = False
        self.already_done = False
        self._started = time.monotonic()
        try:
            self._open(force)
        except OSError as e:
            raise UserError(f"cannot write {e.filename or output}: {e.strerror or e}") from e

    # -- setting up -----------------------------------------------------------------------------------

    def _check_paths(self) -> None:
        for path in (self.output, self.rejects):
            if any(f.path.resolve() == path.resolve() for f in self.files if not f.is_stdin):
                raise UserError(f"{path} is also an input; choose another output name")
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise UserError(f"cannot create folder {path.parent}: {e.strerror or e}") from e
            if not os.access(path.parent, os.W_OK):
                raise UserError(f"cannot write {path}: folder {path.parent} is not writable")

    def _take_lock(self) -> Any:
        """Hold `OUTPUT.lock` for the whole run, so two runs never write the same output at once."""
        path = self.output.with_name(self.output.name + ".lock")
        try:
            lock = path.open("a")
        except OSError as e:
            raise UserError(f"cannot write {path}: {e.strerror or e}") from e
        try:
            fcntl.lockf(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a process lock: forked workers do not hold it
        except OSError as e:
            lock.close()
            raise UserError(f"another zhclean run is writing {self.output} (lock {path})") from e
        return lock

    @staticmethod
    def _config_text(config: Path | None) -> str:
        try:
            load_config(config)  # validates: readable, UTF-8, TOML
        except ConfigError as e:
            raise UserError(str(e)) from e
        return default_config_text() if config is None else Path(config).read_text(encoding="utf-8")

    def _check_pipeline(self) -> None:
        """Build the pipeline once here: config errors stop the run early, and forked workers inherit it."""
        from ..records import cached_pipeline

        try:
            cached_pipeline(self.config_text, self.script)
        except ConfigError as e:
            raise UserError(str(e)) from e

    def _fingerprint(self) -> str:
        """Everything that decides the output bytes; a checkpoint with another fingerprint is ignored."""
        if any(f.is_stdin for f in self.files):
            return "stdin:" + os.urandom(8).hex()  # stdin cannot be re-read: never resume
        from .. import __version__

        state = {
            "format": FORMAT_VERSION,
            "version": __version__,
            "inputs": [(f.name, f.path.stat().st_size, f.path.stat().st_mtime_ns) for f in self.files],
            "output": str(self.output),
            "rejects": str(self.rejects),
            "config": self.config_text,
            "script": self.script,
            "max_chars": self.max_chars,
            "chunk_size": self.chunk_size,
        }
        return hashlib.sha256(orjson.dumps(state)).hexdigest()

    def _open(self, force: bool) -> None:
        saved = self._read_checkpoint()
        if saved is not None and saved.get("fingerprint") == self.fingerprint and not force:
            if self._partials_intact(saved):
                self._resume(saved)
                return
            print(
                "zhclean: note: the half-written output is shorter than its checkpoint; starting again",
                file=sys.stderr,
            )
            saved = None
        if saved is not None and not force and not self.files[0].is_stdin:
            print(
                "zhclean: note: inputs or options changed since the interrupted run; starting again",
                file=sys.stderr,
            )
        if not force and saved is None and self._already_finished():
            self.finished = True
            self.output.with_name(self.output.name + ".lock").unlink(missing_ok=True)
            return
        self.out_writer.rewind(0)
        self.rej_writer.rewind(0)
        self._write_checkpoint()

    def _read_checkpoint(self) -> dict[str, Any] | None:
        try:
            return orjson.loads(self.checkpoint_path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, orjson.JSONDecodeError):
            print(
                f"zhclean: warning: unreadable checkpoint {self.checkpoint_path}; starting again",
                file=sys.stderr,
            )
            return None

    def _already_finished(self) -> bool:
        if not (self.output.exists() and self.rejects.exists() and self.stats_path.exists()):
            return False
        try:
            saved = orjson.loads(self.stats_path.read_bytes())
        except (OSError, orjson.JSONDecodeError):
            return False
        if saved.get("fingerprint") != self.fingerprint:
            return False
        self.stats = saved["stats"]
        self.seconds = saved.get("seconds", 0.0)
        self.chunks_done = saved.get("chunks", 0)
        self.already_done = True
        return True

    def _partials_intact(self, saved: dict[str, Any]) -> bool:
        if saved.get("state") == "finishing":
            return True
        return (
            self.out_writer.mark() >= saved["output_mark"] and self.rej_writer.mark() >= saved["rejects_mark"]
        )

    def _resume(self, saved: dict[str, Any]) -> None:
        self.position = Position(**saved["position"])
        self.chunks_done = self.resumed_chunks = saved["chunks"]
        self.stats = saved["stats"]
        self.seconds = saved["seconds"]
        if saved.get("state") == "finishing":
            self._finish_files()
            self.finished = True
            return
        self.out_writer.rewind(saved["output_mark"])
        self.rej_writer.rewind(saved["rejects_mark"])

    # -- running --------------------------------------------------------------------------------------

    def pending_chunks(self) -> Iterator[Chunk]:
        """The chunks not yet done, in order, read lazily (memory stays flat whatever the corpus size)."""
        return self._chunks(self.chunks_done, self.position)

    def all_chunks(self) -> Iterator[Chunk]:
        """Every chunk of the input from the start, cut exactly as `pending_chunks` cuts them."""
        return self._chunks(0, Position())

    def _chunks(self, index: int, start: Position) -> Iterator[Chunk]:
        """Chunks read from `start` on, numbered from `index`."""
        items: list[Item] = []
        size = 0
        end = start
        max_line_bytes = self.max_chars * 6 + (1 << 20)  # a JSON-escaped character takes up to 6 bytes
        for item, end in iter_items(self.files, start, max_line_bytes):
            items.append(item)
            size += len(item.data) if isinstance(item.data, bytes) else 1024
            if len(items) >= self.chunk_size or size >= CHUNK_BYTES:
                yield Chunk(index, items, end)
                index, items, size = index + 1, [], 0
        if items:
            yield Chunk(index, items, end)

    def commit(self, chunk: Chunk, output: list[bytes], rejects: list[bytes], stats: dict[str, Any]) -> None:
        """Write one chunk's results durably and move the checkpoint past it; chunks must come in order."""
        from ..records import merge_stats

        if chunk.index != self.chunks_done:
            raise RuntimeError(f"chunk {chunk.index} committed out of order (expected {self.chunks_done})")
        try:
            self.out_writer.write_chunk(output)
            self.rej_writer.write_chunk(rejects)
        except OSError as e:
            raise UserError(f"cannot write output: {e}") from e
        merge_stats(self.stats, stats)
        self.position = chunk.end
        self.chunks_done += 1
        self._write_checkpoint()

    def _write_checkpoint(self, state: str = "running") -> None:
        data = {
            "fingerprint": self.fingerprint,
            "state": state,
            "position": vars(self.position),
            "chunks": self.chunks_done,
            "output_mark": self.out_writer.mark(),
            "rejects_mark": self.rej_writer.mark(),
            "seconds": self.elapsed(),
            "stats": self.stats,
        }
        try:
            write_atomic(self.checkpoint_path, orjson.dumps(data))
        except OSError as e:
            raise UserError(f"cannot write checkpoint {self.checkpoint_path}: {e.strerror or e}") from e

    def elapsed(self) -> float:
        return self.seconds + time.monotonic() - self._started

    def finish(self) -> None:
        """Move the output and rejects into place, write the statistics, drop the checkpoint."""
        self.seconds = self.elapsed()
        self._started = time.monotonic()
        self._write_checkpoint("finishing")
        self._finish_files()
        self.finished = True

    def _finish_files(self) -> None:
        self.out_writer.finalise(self.output)
        self.rej_writer.finalise(self.rejects)
        if not self.rejects.exists():
            write_atomic(self.rejects, b"")
        summary = {"fingerprint": self.fingerprint, "seconds": self.seconds, "chunks": self.chunks_done}
        summary["stats"] = self.stats
        write_atomic(self.stats_path, orjson.dumps(summary, option=orjson.OPT_INDENT_2))
        self.checkpoint_path.unlink(missing_ok=True)
        self.output.with_name(self.output.name + ".lock").unlink(missing_ok=True)
