"""Run engines for `zhclean clean`: the same run on local processes (`local`) or a Dask cluster (`dask`).

Contract every engine module keeps (`zhclean.engines.local` is the reference):

    run_clean(inputs: list[Path], output: Path, rejects: Path | None, *, workers: int, progress: bool,
              [engine options such as scheduler=,] **job_options) -> RunStats

where `job_options` (config, script, max_chars, chunk_size, force) go unchanged to `zhclean.io.Job`.

An engine does only the mapping; everything else is shared so that all engines write the same bytes:

1. `job = zhclean.io.Job(inputs, output, rejects, **job_options)` checks inputs and config (raising `UserError`), and resumes from a checkpoint when there is
   one. If `job.finished` is already true, return `RunStats.from_job(job)`.
2. For each `chunk` of `job.pending_chunks()` (a lazy iterator: keep only a bounded number in flight),
   compute `result = zhclean.records.clean_chunk(chunk.items, job.config_text, job.script, job.max_chars)`
   anywhere (a worker process, a Dask task: the arguments and the result pickle).
3. Hand results back strictly in chunk order: `job.commit(chunk, result.output, result.rejects,
   result.stats)` (it writes, fsyncs and checkpoints; never write the output files yourself).
4. `job.finish()`, then `return RunStats.from_job(job)`.

Engine-specific options arrive as keyword arguments (`scheduler=` for dask); a user error is raised as
`zhclean.errors.UserError` (one line, exit 2).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import UserError

ENGINES = {"local": "zhclean.engines.local", "dask": "zhclean.engines.dask_engine"}


@dataclass
class RunStats:
    """What a run did: document and character counts, rejects by reason, per-step counts and time."""

    docs_in: int = 0
    docs_out: int = 0
    rejected: dict[str, int] = field(default_factory=dict)
    chars_in: int = 0
    chars_out: int = 0
    seconds: float = 0.0
    steps: dict[str, dict[str, Any]] = field(default_factory=dict)
    flags: dict[str, int] = field(default_factory=dict)
    chunks: int = 0
    resumed_chunks: int = 0
    already_done: bool = False
    output: Path | None = None
    rejects: Path | None = None
    stats_path: Path | None = None

    @classmethod
    def from_job(cls, job: Any) -> RunStats:
        s = job.stats
        return cls(
            docs_in=s["docs_in"],
            docs_out=s["docs_out"],
            rejected=dict(s["rejected"]),
            chars_in=s["chars_in"],
            chars_out=s["chars_out"],
            seconds=job.seconds,
            steps=s["steps"],
            flags=dict(s.get("flags", {})),
            chunks=job.chunks_done,
            resumed_chunks=job.resumed_chunks,
            already_done=job.already_done,
            output=job.output,
            rejects=job.rejects,
            stats_path=job.stats_path,
        )

    @property
    def docs_rejected(self) -> int:
        return sum(self.rejected.values())


RunClean = Callable[..., RunStats]


def get_engine(name: str) -> RunClean:
    """The `run_clean` function of the engine called `name` (imported only when asked for)."""
    if name not in ENGINES:
        raise UserError(f"unknown engine {name!r} (known: {', '.join(ENGINES)})")
    try:
        module = importlib.import_module(ENGINES[name])
    except ImportError as e:
        raise UserError(f"engine {name!r} is not available: {e}") from e
    return module.run_clean


def run_clean(
    inputs: list[Path], output: Path, rejects: Path | None, *, engine: str = "local", **options: Any
) -> RunStats:
    """Run `zhclean clean` with the named engine (see the module docstring for the options)."""
    return get_engine(engine)(inputs, output, rejects, **options)
