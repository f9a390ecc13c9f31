"""The Dask engine writes the same bytes as the local engine, for `clean` and for `dedup`."""

import random
from pathlib import Path

import orjson
import pytest

distributed = pytest.importorskip("distributed")

from zhclean.dedup.run import run_dedup as local_dedup  # noqa: E402
from zhclean.engines.dask_engine import run_clean as dask_clean  # noqa: E402
from zhclean.engines.dask_engine import run_dedup as dask_dedup  # noqa: E402
from zhclean.engines.local import run_clean as local_clean  # noqa: E402

SEEDS = Path(__file__).parent / "data" / "seeds"


@pytest.fixture(scope="module")
def scheduler():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def changed(text: str, share: float, seed: int) -> str:
    rng = random.Random(seed)
    chars = list(text)
    for i in rng.sample(range(len(chars)), round(len(chars) * share)):
        chars[i] = rng.choice("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出")
    return "".join(chars)


def corpus(tmp_path: Path) -> Path:
    """Seed pages (raw, damaged), the expected articles split into paragraph documents, and planted copies."""
    lines = [
        orjson.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8")})
        for p in sorted(SEEDS.glob("*.txt"))
    ]
    paras = [
        line
        for p in sorted((SEEDS / "expected").glob("*.txt"))
        for line in p.read_text(encoding="utf-8").split("\n")
        if len(line) >= 60
    ]
    lines += [
        orjson.dumps({"id": f"p{i}", "text": t + "\n本文来源：南通网 责任编辑：张三"})
        for i, t in enumerate(paras)
    ]
    lines += [
        orjson.dumps({"id": "copy-1", "text": changed(paras[0], 0.02, 1)}),
        orjson.dumps({"id": "copy-2", "text": paras[3] + "\n本文来源：南通网 责任编辑：张三"}),
        b"[1, 2]",
    ]
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path


def outputs(out: Path) -> tuple[bytes, bytes]:
    return out.read_bytes(), out.with_name(out.name.replace(".jsonl", ".rejects.jsonl")).read_bytes()


def test_dask_clean_is_byte_identical_to_local(tmp_path, scheduler):
    src = corpus(tmp_path)
    options = {"config": None, "script": "hans", "progress": False, "chunk_size": 7}
    local_clean([src], tmp_path / "local.jsonl", None, workers=1, **options)
    stats = dask_clean([src], tmp_path / "dask.jsonl", None, workers=2, scheduler=scheduler, **options)
    assert stats.docs_in == len(src.read_bytes().splitlines())
    assert outputs(tmp_path / "dask.jsonl") == outputs(tmp_path / "local.jsonl")
    assert (tmp_path / "dask.jsonl").stat().st_size > 0


def test_dask_dedup_is_byte_identical_to_local_and_loses_nothing(tmp_path, scheduler):
    src = corpus(tmp_path)
    config = tmp_path / "dedup.toml"
    config.write_text('[dedup]\nparagraphs = "remove"\nparagraph_min_docs = 3\n', encoding="utf-8")
    options = {"config": config, "script": "hans", "progress": False, "chunk_size": 6}
    local_dedup([src], tmp_path / "local.jsonl", None, workers=1, **options)
    dask_dedup([src], tmp_path / "dask.jsonl", None, workers=2, scheduler=scheduler, **options)
    kept, rejected = outputs(tmp_path / "dask.jsonl")
    assert (kept, rejected) == outputs(tmp_path / "local.jsonl")
    rejects = {r["id"]: r for r in map(orjson.loads, rejected.splitlines())}
    assert rejects["copy-1"]["reason"] == "duplicate-near" and rejects["copy-1"]["kept"] == "p0"
    assert rejects["copy-2"]["reason"] == "duplicate-exact" and rejects["copy-2"]["kept"] == "p3"
    kept_records = [orjson.loads(line) for line in kept.splitlines()]
    n_in = len(src.read_bytes().splitlines())
    assert len(kept_records) + len(rejects) == n_in
    # the shared footer line stays in the first paragraph document only
    footer = [r["id"] for r in kept_records if r["text"].endswith("责任编辑：张三")]
    assert footer == ["p0"]
