"""`zhclean dedup` on this machine: read the corpus twice (sketch, then write), dedup in between.

Chunks come from `zhclean.io.Job` exactly as for `zhclean clean` (same inputs, checkpoint, resume and
atomic finish); a document's position is (chunk number, index in chunk), so any engine that runs the
same phases makes the same decisions and writes the same bytes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..engines import RunStats
from ..io import Chunk, Job
from ..io.readers import Item
from ..pipeline import load_config
from ..records import Reject, encode, new_stats, parse_line
from .arrays import Block, LineHits, concat, sketch_block
from .clusters import Pos
from .config import DedupConfig
from .memory import decide
from .phases import finish


def open_job(
    inputs: list[Path], output: Path, rejects: Path | None, **job_options: Any
) -> tuple[Job, DedupConfig]:
    """The Job (files, checkpoint) and dedup settings of a run; raises UserError on bad options.

    `job_options` (config, script, max_chars, chunk_size, force) go to `zhclean.io.Job`."""
    from ..errors import UserError

    job = Job(inputs, output, rejects, **job_options)
    try:
        cfg = DedupConfig.from_config(load_config(job_options.get("config")), script=job.script)
    except ValueError as e:
        raise UserError(str(e)) from e
    return job, cfg


def parse_item(item: Item) -> dict[str, Any] | Reject:
    """One input item as a record with an `id` and a string `text`, or the reason it cannot be one."""
    source = f"{item.source}:{item.line}"
    if item.kind == "json":
        record = parse_line(item.data, source, source)
    elif item.kind == "record":
        record = dict(item.data)
    elif item.kind == "text":
        try:
            record = {"id": item.default_id, "text": item.data.decode("utf-8-sig")}
        except UnicodeDecodeError:
            return Reject("invalid-utf8", "file is not UTF-8", item.source, item.default_id)
    else:
        return Reject("too-large", "line too long to read", source, item.default_id)
    if isinstance(record, Reject):
        return record
    if record.get("id") is None:
        record = {"id": item.default_id if item.kind != "json" else source, **record}
    if not isinstance(record.get("text"), str):
        return Reject("no-text", 'record has no string "text" field', source, record["id"], record=record)
    return record


def parse_chunk(chunk: Chunk) -> list[tuple[Pos, Any]]:
    """(position, record or Reject) for each item of a chunk."""
    return [((chunk.index, i), parse_item(item)) for i, item in enumerate(chunk.items)]


def sketch_chunk(chunk: Chunk, cfg: DedupConfig) -> Block:
    """Phase 1 of one chunk: the Block of its readable records."""
    parsed = [(p, r) for p, r in parse_chunk(chunk) if isinstance(r, dict)]
    return sketch_block(parsed, cfg)


def finish_chunk(
    chunk: Chunk,
    removed: dict[Pos, dict[str, Any]],
    repeated: dict,
    cfg: DedupConfig,
    hits: set[Pos] | dict[Pos, list[tuple[int, int]]] | None = None,
) -> tuple[list[bytes], list[bytes], dict[str, Any]]:
    """Last phase of one chunk: encoded output lines, encoded reject lines, statistics."""
    items = parse_chunk(chunk)
    out, rejects = finish(items, removed, repeated, cfg, hits)
    stats = new_stats()
    stats["docs_in"] = len(items)
    stats["docs_out"] = len(out)
    for r in rejects:
        reason = r.reason if isinstance(r, Reject) else r["reason"]
        stats["rejected"][reason] = stats["rejected"].get(reason, 0) + 1
    stats["chars_in"] = sum(len(r["text"]) for _, r in items if isinstance(r, dict))
    stats["chars_out"] = sum(len(r["text"]) for r in out)
    reject_lines = [encode(r.to_record() if isinstance(r, Reject) else r) for r in rejects]
    return [encode(r) for r in out], reject_lines, stats


def by_chunk(mapping: dict[Pos, Any]) -> dict[int, dict[Pos, Any]]:
    """Split a position-keyed mapping by chunk number."""
    out: dict[int, dict[Pos, Any]] = {}
    for pos, value in mapping.items():
        out.setdefault(pos[0], {})[pos] = value
    return out


def run_dedup(
    inputs: list[Path],
    output: Path,
    rejects: Path | None,
    *,
    workers: int = 1,
    progress: bool = False,
    **job_options: Any,
) -> RunStats:
    """Dedup `inputs` into `output` (kept records) and `rejects` (removed ones, with cluster and reason)."""
    from ..engines.local import ordered_map

    job, cfg = open_job(inputs, output, rejects, **job_options)
    if job.finished:
        return RunStats.from_job(job)
    blocks = [block for _, block in ordered_map(_Sketcher(cfg), job.all_chunks(), workers)]
    removed, repeated, hits = decide(concat(blocks, cfg.num_perm), cfg)
    finisher = _Finisher(by_chunk(removed), repeated, hits, cfg)
    for chunk, done in ordered_map(finisher, job.pending_chunks(), workers):
        job.commit(chunk, *done)
    job.finish()
    return RunStats.from_job(job)


class _Sketcher:
    """The picklable phase-1 task for worker processes."""

    def __init__(self, cfg: DedupConfig) -> None:
        self.cfg = cfg

    def __call__(self, chunk: Chunk) -> Block:
        return sketch_chunk(chunk, self.cfg)


class _Finisher:
    """The picklable last-phase task: one chunk's output and reject lines, given the run's decisions."""

    def __init__(
        self,
        removed: dict[int, dict[Pos, dict[str, Any]]],
        repeated: dict,
        hits: LineHits,
        cfg: DedupConfig,
    ) -> None:
        self.removed, self.repeated, self.hits, self.cfg = removed, repeated, hits, cfg

    def __call__(self, chunk: Chunk) -> tuple[list[bytes], list[bytes], dict[str, Any]]:
        hits = self.hits.between((chunk.index, 0), (chunk.index + 1, 0))
        return finish_chunk(chunk, self.removed.get(chunk.index, {}), self.repeated, self.cfg, hits)
