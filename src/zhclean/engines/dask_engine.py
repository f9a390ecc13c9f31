"""The Dask engine: `zhclean clean` and `zhclean dedup` on a Dask cluster, same bytes as the local engine.

    zhclean clean in/ -o out/all.jsonl --engine dask --scheduler tcp://10.0.0.5:8786
    zhclean dedup out/all.jsonl -o out/dedup.jsonl --engine dask --scheduler tcp://10.0.0.5:8786

Without `--scheduler` a `LocalCluster` with `workers` processes is started. Clean: each chunk of
`zhclean.io.Job` is one task (`records.clean_chunk`), results are committed in chunk order.
Dedup runs in phases, none of which puts the corpus or all signatures in one process:

1. map: sketch every chunk on the workers (exact key, MinHash signature, paragraph keys); results stay
   on the cluster.
2. shuffle: group (exact key, position) by key -> exact duplicates; group (band key, position) of the
   earliest copies by band key -> candidate pairs; join the pairs with the signatures (two shuffles)
   -> verified near-duplicate pairs with their similarity.
3. driver: union-find over the duplicate pairs only (`clusters.resolve`); similarities for the few
   removed-vs-kept pairs that were not themselves verified pairs come from one more join.
4. shuffle: count repeated paragraphs among the kept documents.
5. map: each chunk is written with its own verdicts, in chunk order (`job.commit`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import dask
import dask.bag as db
from distributed import Client, Future, LocalCluster, wait

from ..dedup.clusters import Pos, resolve, similarity_pairs, star_pairs
from ..dedup.config import DedupConfig
from ..dedup.keys import band_keys, similarity
from ..dedup.phases import Sketch, exact_members, paragraph_hit, removals
from ..dedup.run import by_chunk, finish_chunk, open_job, sketch_chunk
from ..errors import UserError
from ..io import Chunk, Job
from ..records import clean_chunk
from . import RunStats

IN_FLIGHT_PER_WORKER = 2


class _Cluster:
    """A client to the given scheduler, or to a LocalCluster started (and stopped) here."""

    def __init__(self, scheduler: str | None, workers: int) -> None:
        self.cluster = None
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="10s")
            else:
                self.cluster = LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
                )
                self.client = Client(self.cluster)
        except (OSError, TimeoutError) as e:
            raise UserError(f"cannot reach Dask scheduler {scheduler}: {e}") from e

    def __enter__(self) -> Client:
        return self.client

    def __exit__(self, *exc: object) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def width(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))


def _ordered(
    client: Client, fn: Any, chunks: Iterable[Any], limit: int, *args: Any
) -> Iterator[tuple[Any, Any]]:
    """Submit `fn(chunk, *args)` per chunk with at most `limit` in flight; yield results in chunk order."""
    pending: deque[tuple[Chunk, Future]] = deque()
    for chunk in chunks:
        pending.append((chunk, client.submit(fn, chunk, *args, pure=False)))
        if len(pending) >= limit:
            done, future = pending.popleft()
            yield done, future.result()
    while pending:
        done, future = pending.popleft()
        yield done, future.result()


def _submit_bounded(client: Client, fn: Any, chunks: Iterable[Chunk], limit: int, *args: Any) -> list[Future]:
    """Submit `fn(chunk, *args)` for every chunk, with at most `limit` unfinished at a time; results stay
    on the workers (the input is read once, streamed, and never held whole by this process)."""
    futures: list[Future] = []
    for chunk in chunks:
        if len(futures) >= limit:
            wait(futures[-limit])  # done (results stay on the cluster) before more input is read
        futures.append(client.submit(fn, chunk, *args, pure=False))
    return futures


def _clean(chunk: Chunk, config_text: str, script: str, max_chars: int) -> Any:
    return clean_chunk(chunk.items, config_text, script, max_chars)


def run_clean(
    inputs: list[Path],
    output: Path,
    rejects: Path | None,
    *,
    workers: int,
    progress: bool,
    scheduler: str | None = None,
    **job_options: Any,
) -> RunStats:
    """Clean `inputs` on a Dask cluster; the files written are byte-identical to the local engine's.

    `job_options` (config, script, max_chars, chunk_size, force) go to `zhclean.io.Job`."""
    job = Job(inputs, output, rejects, **job_options)
    if job.finished:
        return RunStats.from_job(job)
    cluster = _Cluster(scheduler, workers)
    with cluster as client:
        limit = IN_FLIGHT_PER_WORKER * cluster.width()
        for chunk, result in _ordered(
            client, _clean, job.pending_chunks(), limit, job.config_text, job.script, job.max_chars
        ):
            job.commit(chunk, result.output, result.rejects, result.stats)
    job.finish()
    return RunStats.from_job(job)


# ---- dedup ------------------------------------------------------------------------------------------


def _sketch(chunk: Chunk, cfg: DedupConfig) -> tuple[list[Sketch], list[tuple[Pos, Any]]]:
    block = sketch_chunk(chunk, cfg)
    return block.sketches(), list(zip(block.positions, block.ids, strict=True))


def _sketches(part: tuple[list[Sketch], Any]) -> list[Sketch]:
    return part[0]


def _exact_reps(sketches: db.Bag, npartitions: int) -> dict[Pos, Pos]:
    """Exact duplicate -> earliest copy, by a shuffle on the exact key."""
    groups = sketches.map(lambda s: (s.key, s.pos)).groupby(
        lambda kv: kv[0], shuffle="tasks", npartitions=npartitions
    )
    pairs = groups.filter(lambda g: len(g[1]) > 1).map(lambda g: exact_members(p for _, p in g[1])).flatten()
    return dict(pairs.compute())


def _candidates(sketches: db.Bag, removed: set[Pos], cfg: DedupConfig, npartitions: int) -> db.Bag:
    """Candidate pairs (earlier, later) of earliest copies that share an LSH bucket, by a shuffle on the band key."""
    entries = (
        sketches.filter(lambda s: s.signature is not None and s.pos not in removed)
        .map(lambda s: [(key, s.pos) for key in band_keys(s.signature, cfg.bands)])
        .flatten()
    )
    groups = entries.groupby(lambda kv: kv[0], shuffle="tasks", npartitions=npartitions)
    return (
        groups.filter(lambda g: len(g[1]) > 1)
        .map(lambda g: star_pairs(p for _, p in g[1]))
        .flatten()
        .distinct()
    )


def _pair_similarity(sketches: db.Bag, pairs: db.Bag, npartitions: int) -> db.Bag:
    """(a, b, similarity) for each pair (a, b): two shuffles join the pairs with both signatures."""
    sigs = sketches.filter(lambda s: s.signature is not None).map(lambda s: (s.pos, ("sig", s.signature)))
    left = db.concat([sigs, pairs.map(lambda p: (p[0], ("pair", p[1])))])
    half = (
        left.groupby(lambda kv: kv[0], shuffle="tasks", npartitions=npartitions).map(_attach_left).flatten()
    )
    right = db.concat([sigs, half.map(lambda h: (h[1], ("half", h)))])
    return (
        right.groupby(lambda kv: kv[0], shuffle="tasks", npartitions=npartitions).map(_attach_right).flatten()
    )


def _attach_left(group: tuple[Pos, list]) -> list[tuple[Pos, Pos, Any]]:
    pos, entries = group
    sig = next((v[1] for _, v in entries if v[0] == "sig"), None)
    return [(pos, v[1], sig) for _, v in entries if v[0] == "pair"]


def _attach_right(group: tuple[Pos, list]) -> list[tuple[Pos, Pos, float]]:
    _, entries = group
    sig = next((v[1] for _, v in entries if v[0] == "sig"), None)
    return [(a, b, similarity(sig_a, sig)) for _, v in entries if v[0] == "half" for a, b, sig_a in [v[1]]]


def _repeated(
    sketches: db.Bag, removed: set[Pos], cfg: DedupConfig, npartitions: int
) -> dict[bytes, tuple[int, Pos]]:
    """Repeated paragraphs among kept documents, by a shuffle on the paragraph key."""
    pairs = (
        sketches.filter(lambda s: s.pos not in removed)
        .map(lambda s: [(k, s.pos) for k in s.paragraphs])
        .flatten()
    )
    groups = pairs.groupby(lambda kv: kv[0], shuffle="tasks", npartitions=npartitions)
    counted = groups.map(lambda g: (g[0], len(g[1]), min(p for _, p in g[1])))
    return {
        k: (n, first) for k, n, first in counted.filter(lambda c: c[1] >= cfg.paragraph_min_docs).compute()
    }


def _ids_of(part: tuple[list[Sketch], list[tuple[Pos, Any]]], wanted: set[Pos]) -> list[tuple[Pos, Any]]:
    return [(p, i) for p, i in part[1] if p in wanted]


def run_dedup(
    inputs: list[Path],
    output: Path,
    rejects: Path | None,
    *,
    workers: int = 2,
    progress: bool = False,
    scheduler: str | None = None,
    **job_options: Any,
) -> RunStats:
    """Dedup `inputs` on a Dask cluster; the files written are byte-identical to `zhclean.dedup.run`'s."""
    job, cfg = open_job(inputs, output, rejects, **job_options)
    if job.finished:
        return RunStats.from_job(job)
    cluster = _Cluster(scheduler, workers)
    with cluster as client, dask.config.set(scheduler=client):
        limit = IN_FLIGHT_PER_WORKER * cluster.width()
        futures = _submit_bounded(client, _sketch, job.all_chunks(), limit, cfg)
        parts = db.from_delayed([dask.delayed(_sketches)(f) for f in futures])
        n = max(1, min(len(futures), 2 * cluster.width()))
        exact_rep = _exact_reps(parts, n) if cfg.exact else {}
        edges: dict[tuple[Pos, Pos], float] = {}
        if cfg.near:
            candidates = _candidates(parts, set(exact_rep), cfg, n)
            verified = _pair_similarity(parts, candidates, n).filter(lambda t: t[2] >= cfg.threshold)
            edges = {(a, b): s for a, b, s in verified.compute()}
        verdicts = resolve(exact_rep, sorted(edges))
        wanted = similarity_pairs(exact_rep, verdicts)
        sims = {pair: edges[pair] for pair in wanted if pair in edges}
        missing = sorted(wanted - set(sims))
        if missing:
            sims.update(
                {(a, b): s for a, b, s in _pair_similarity(parts, db.from_sequence(missing), n).compute()}
            )
        heads = {v[0] for v in verdicts.values()}
        kept_ids = dict(db.from_delayed([dask.delayed(_ids_of)(f, heads) for f in futures]).compute())
        removed = by_chunk(removals(verdicts, exact_rep, sims, kept_ids))
        repeated = _repeated(parts, set(verdicts), cfg, n) if cfg.paragraphs != "off" else {}
        hits: dict[int, dict] = {}
        if repeated:
            hit = parts.filter(lambda s: s.pos not in verdicts and paragraph_hit(s, repeated)).map(
                lambda s: s.pos
            )
            hits = by_chunk(dict.fromkeys(hit.compute()))
        del futures, parts
        # scatter a list: a scattered dict would become one future per key
        repeated_f = client.scatter([repeated], broadcast=True)[0] if repeated else {}
        tasks = ((c, removed.get(c.index, {}), set(hits.get(c.index, ()))) for c in job.pending_chunks())
        for (chunk, _, _), result in _ordered(client, _finish, tasks, limit, repeated_f, cfg):
            job.commit(chunk, *result)
    job.finish()
    return RunStats.from_job(job)


def _finish(
    task: tuple[Chunk, dict, set], repeated: dict, cfg: DedupConfig
) -> tuple[list[bytes], list[bytes], dict]:
    return finish_chunk(task[0], task[1], repeated, cfg, task[2])
