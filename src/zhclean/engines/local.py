"""The local engine: clean chunks on `workers` processes of this machine, write them in input order.

At most `2 * workers` chunks are in flight, so memory stays flat whatever the corpus size. With one
worker the chunks are cleaned in this process (no pool). See `zhclean.engines` for the contract.
"""

from __future__ import annotations

import ctypes
import gc
import os
import queue
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from multiprocessing import get_context
from pathlib import Path
from typing import Any, TypeVar

from ..errors import UserError
from ..io import Chunk, Job
from ..records import ChunkResult, clean_chunk
from . import RunStats

T = TypeVar("T")
R = TypeVar("R")

# Seconds to wait after each chunk: lets tests kill a run part-way through deterministically.
DELAY_ENV = "ZHCLEAN_TEST_CHUNK_DELAY"
PR_SET_PDEATHSIG = 1  # linux/prctl.h


def run_clean(
    inputs: list[Path],
    output: Path,
    rejects: Path | None,
    *,
    workers: int,
    progress: bool,
    **job_options: Any,
) -> RunStats:
    """Clean `inputs` into `output` (and `rejects`) on local processes; resumes an interrupted run.

    `job_options` (config, script, max_chars, chunk_size, force) go to `zhclean.io.Job`."""
    job = Job(inputs, output, rejects, **job_options)
    if job.finished:
        return RunStats.from_job(job)
    delay = float(os.environ.get(DELAY_ENV, "0") or 0)
    bar = _progress_bar(progress, job.stats["docs_in"])
    try:
        work = _Work(job.config_text, job.script, job.max_chars)
        for chunk, result in ordered_map(work, job.pending_chunks(), workers):
            job.commit(chunk, result.output, result.rejects, result.stats)
            if bar is not None:
                bar.update(len(chunk.items))
            if delay:
                time.sleep(delay)
    except WorkerDied as e:
        raise UserError(f"{e}; out of memory? The same command resumes the run") from e
    finally:
        if bar is not None:
            bar.close()
    job.finish()
    return RunStats.from_job(job)


class _Work:
    """The picklable per-chunk task: clean one chunk with the run's config and script."""

    def __init__(self, config_text: str, script: str, max_chars: int) -> None:
        self.config_text, self.script, self.max_chars = config_text, script, max_chars

    def __call__(self, chunk: Chunk) -> ChunkResult:
        return clean_chunk(chunk.items, self.config_text, self.script, self.max_chars)


class WorkerDied(RuntimeError):
    """A worker process ended without answering (killed, out of memory)."""


def ordered_map(fn: Callable[[T], R], tasks: Iterable[T], workers: int) -> Iterator[tuple[T, R]]:
    """Yield `(task, fn(task))` in task order, computing on `workers` processes, at most `2 * workers`
    tasks in flight. Each worker has its own pipe, served by a thread here, so a worker that dies is seen
    at once (the pipe breaks) rather than hanging the run, as it can with `ProcessPoolExecutor`."""
    if workers <= 1:
        for task in tasks:
            yield task, fn(task)
        return
    inbox: queue.Queue = queue.Queue()
    done: dict[int, tuple[bool, Any]] = {}
    ready = threading.Condition()
    procs = _start_workers(fn, workers, inbox, done, ready)
    pending: dict[int, T] = {}
    try:
        source = enumerate(tasks)
        sent = got = 0
        while True:
            while sent - got < 2 * workers:
                index, task = next(source, (-1, None))
                if index < 0:
                    break
                pending[index] = task  # type: ignore[assignment]
                inbox.put((index, task))
                sent += 1
            if got == sent:
                return
            with ready:
                while got not in done:
                    ready.wait()
                ok, value = done.pop(got)
            if not ok:
                raise value
            yield pending.pop(got), value
            got += 1
    finally:
        for _ in procs:
            inbox.put(None)
        for proc in procs:
            proc.join(timeout=1 if pending else 10)
            if proc.is_alive():
                proc.kill()


def _start_workers(
    fn: Callable, workers: int, inbox: queue.Queue, done: dict, ready: threading.Condition
) -> list:
    context = get_context("fork" if sys.platform == "linux" else "spawn")
    gc.freeze()  # forked workers then share this process's objects instead of copying them on a collection
    procs, conns = [], []
    for _ in range(workers):  # all processes first: fork before this process has feeder threads
        here, there = context.Pipe()
        proc = context.Process(target=_serve, args=(fn, there), daemon=True)
        proc.start()
        there.close()
        procs.append(proc)
        conns.append(here)
    gc.unfreeze()
    for proc, conn in zip(procs, conns, strict=True):
        threading.Thread(target=_feed, args=(proc, conn, inbox, done, ready), daemon=True).start()
    return procs


def _feed(proc: Any, conn: Any, inbox: queue.Queue, done: dict, ready: threading.Condition) -> None:
    """Pass tasks from `inbox` to one worker and its answers to `done`, until a None task or the worker dies."""
    while (job := inbox.get()) is not None:
        index, task = job
        try:
            conn.send(task)
            answer = conn.recv()
        except (EOFError, OSError):
            proc.join(timeout=1)
            answer = (False, WorkerDied(f"worker process {proc.pid} died (exit code {proc.exitcode})"))
        with ready:
            done[index] = answer
            ready.notify_all()
        if isinstance(answer[1], WorkerDied):
            return
    try:
        conn.send(None)  # the worker stops (it holds a copy of this end too, so it would never see EOF)
    except OSError:
        pass
    conn.close()


def _serve(fn: Callable, conn: Any) -> None:
    """A worker: answer each task from `conn` with `(True, fn(task))`, or `(False, error)` if it raised."""
    _worker_setup()
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        try:
            answer = (True, fn(task))
        except Exception as e:  # noqa: BLE001  (sent back and raised in the main process)
            answer = (
                False,
                RuntimeError(f"worker failed: {type(e).__name__}: {e}\n{traceback.format_exc()}"),
            )
        conn.send(answer)


def _worker_setup() -> None:
    """Workers leave Ctrl-C to the main process, and die with it even if it is killed with SIGKILL."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _progress_bar(enabled: bool, initial: int) -> Any:
    if not enabled:
        return None
    from tqdm import tqdm

    tqdm.monitor_interval = 0
    return tqdm(initial=initial, unit=" docs", file=sys.stderr, dynamic_ncols=True, desc="zhclean clean")
