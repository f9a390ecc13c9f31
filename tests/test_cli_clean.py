"""`zhclean clean` end to end, in subprocesses: formats, rejects, errors, statistics, workers."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import orjson
import pyarrow.parquet as pq
import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "samples" / "seeds.jsonl"


def zhclean(
    *args: object, cwd: Path | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "zhclean.cli", "clean", *map(str, args)]
    return subprocess.run(cmd, cwd=cwd, input=stdin, capture_output=True, timeout=120)


def jsonl(path: Path) -> list[dict]:
    data = path.read_bytes()
    if path.name.endswith(".gz"):
        data = gzip.decompress(data)
    return [orjson.loads(line) for line in data.splitlines()]


@pytest.fixture
def no_steps(tmp_path: Path) -> Path:
    """A config with no steps: the text passes through, so these tests check only the run machinery."""
    path = tmp_path / "none.toml"
    path.write_text("# no steps\n", encoding="utf-8")
    return path


BAD_LINES = [
    (b'{"id": "ok1", "text": "\xe6\xad\xa3\xe6\x96\x87", "lang": "zh"}', None),
    (b'{"text": "bad \xff byte"}', "invalid-utf8"),
    (b"", "empty-line"),
    (b'{"text": "unterminated', "invalid-json"),
    (b"[1, 2]", "not-an-object"),
    (b'{"id": "t"}', "no-text"),
    (b'{"text": 12}', "text-not-string"),
    (b"\x00\x01\x89PNG\x1a junk", "invalid-utf8"),
    (b'{"text": "' + b"x" * 200 + b'"}', "too-large"),
    (b'{"text": "\xe6\x9c\x80\xe5\x90\x8e"}', None),
]


def test_readme_command_cleans_the_sample_and_a_second_run_does_nothing(tmp_path: Path) -> None:
    run = zhclean(SEEDS, "-o", "out/seeds.clean.jsonl", "--script", "hans", cwd=tmp_path)
    assert run.returncode == 0, run.stderr.decode()
    inputs = jsonl(SEEDS)
    records = jsonl(tmp_path / "out" / "seeds.clean.jsonl")
    assert [r["id"] for r in records] == [r["id"] for r in inputs]
    assert all(r["source_file"] == i["source_file"] for r, i in zip(records, inputs, strict=True))
    assert all({"text", "meta", "edits", "removed", "flags"} <= r.keys() for r in records)
    assert (tmp_path / "out" / "seeds.clean.rejects.jsonl").read_bytes() == b""
    stats = orjson.loads((tmp_path / "out" / "seeds.clean.stats.json").read_bytes())["stats"]
    assert (stats["docs_in"], stats["docs_out"]) == (5, 5)
    assert "script" in stats["steps"] and "edits" in stats["steps"]["ruby"]
    assert b"5 docs in, 5 out, 0 rejected" in run.stderr
    before = (tmp_path / "out" / "seeds.clean.jsonl").stat().st_mtime_ns
    again = zhclean(SEEDS, "-o", "out/seeds.clean.jsonl", "--script", "hans", cwd=tmp_path)
    assert again.returncode == 0 and b"already complete" in again.stderr
    assert (tmp_path / "out" / "seeds.clean.jsonl").stat().st_mtime_ns == before


def test_bad_records_go_to_rejects_with_reason_and_the_run_goes_on(tmp_path: Path, no_steps: Path) -> None:
    src = tmp_path / "bad.jsonl"
    src.write_bytes(b"\n".join(line for line, _ in BAD_LINES) + b"\n")
    run = zhclean(src, "-o", tmp_path / "o.jsonl", "--config", no_steps, "--max-chars", 100, "-j", 2)
    assert run.returncode == 0, run.stderr.decode()
    out = jsonl(tmp_path / "o.jsonl")
    rejects = jsonl(tmp_path / "o.rejects.jsonl")
    assert [r["id"] for r in out] == ["ok1", f"{src}:10"]
    assert out[0]["lang"] == "zh" and out[0]["text"] == "正文" and out[1]["text"] == "最后"
    expected = [(f"{src}:{n}", reason) for n, (_, reason) in enumerate(BAD_LINES, 1) if reason]
    assert [(r["source"], r["reason"]) for r in rejects] == expected
    assert rejects[4]["record"] == {"id": "t"} and rejects[4]["id"] == "t"
    assert len(out) + len(rejects) == len(BAD_LINES)
    assert b"rejected: 8" in run.stderr
    stats = orjson.loads((tmp_path / "o.stats.json").read_bytes())["stats"]
    assert (stats["docs_in"], stats["docs_out"], stats["chars_in"], stats["chars_out"]) == (10, 2, 4, 4)
    assert stats["rejected"] == {
        "invalid-utf8": 2,
        "empty-line": 1,
        "invalid-json": 1,
        "not-an-object": 1,
        "no-text": 1,
        "text-not-string": 1,
        "too-large": 1,
    }


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda d: ["missing.jsonl", "-o", d / "o.jsonl"], b"missing.jsonl: no such file"),
        (lambda d: [d / "empty.jsonl", "-o", d / "o.jsonl"], b"empty.jsonl: file is empty"),
        (lambda d: [SEEDS, "-o", d / "o.jsonl", "--config", d / "nope.toml"], b"cannot read config"),
        (lambda d: [SEEDS, "-o", d / "o.jsonl", "--config", d / "bad.toml"], b"not valid TOML"),
        (lambda d: [SEEDS, "-o", d / "o.jsonl", "--config", d / "unknown.toml"], b"unknown step 'nosuch'"),
        (lambda d: [SEEDS, "-o", d / "o.csv"], b"must end in .jsonl"),
        (lambda d: [SEEDS, "-o", d / "afile" / "o.jsonl"], b"cannot create folder"),
        (lambda d: [SEEDS, "-o", SEEDS.with_suffix(".jsonl")], b"is also an input"),
    ],
)
def test_a_run_that_cannot_go_on_stops_with_one_clear_line(tmp_path: Path, make, words: bytes) -> None:
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "bad.toml").write_text("[[step]\nname=", encoding="utf-8")
    (tmp_path / "unknown.toml").write_text('[[step]]\nname = "nosuch"\n', encoding="utf-8")
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    run = zhclean(*make(tmp_path), cwd=tmp_path)
    assert run.returncode == 2
    assert words in run.stderr
    assert run.stderr.count(b"\n") == 1 and b"Traceback" not in run.stderr


def test_formats_round_trip_and_workers_do_not_change_the_bytes(tmp_path: Path, no_steps: Path) -> None:
    base = ["--config", no_steps, "--chunk-size", 2]
    for name, jobs in [
        ("a.jsonl", 1),
        ("b.jsonl", 2),
        ("c.jsonl.gz", 2),
        ("d.jsonl.zst", 1),
        ("e.parquet", 2),
    ]:
        run = zhclean(SEEDS, "-o", tmp_path / name, "-j", jobs, *base)
        assert run.returncode == 0, run.stderr.decode()
    plain = (tmp_path / "a.jsonl").read_bytes()
    assert (tmp_path / "b.jsonl").read_bytes() == plain
    assert gzip.decompress((tmp_path / "c.jsonl.gz").read_bytes()) == plain
    table = pq.read_table(tmp_path / "e.parquet").to_pylist()
    assert [r["text"] for r in table] == [r["text"] for r in jsonl(SEEDS)]
    assert orjson.loads(table[0]["source_file"]) == jsonl(SEEDS)[0]["source_file"]
    # read back every format, several inputs at once: 4 x 5 documents in input order
    run = zhclean(
        tmp_path / "b.jsonl",
        tmp_path / "c.jsonl.gz",
        tmp_path / "d.jsonl.zst",
        tmp_path / "e.parquet",
        "-o",
        tmp_path / "all.jsonl",
        *base,
    )
    assert run.returncode == 0, run.stderr.decode()
    texts = [r["text"] for r in jsonl(tmp_path / "all.jsonl")]
    assert texts == [r["text"] for r in jsonl(SEEDS)] * 4


def test_txt_folder_and_stdin(tmp_path: Path, no_steps: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "p2.txt").write_text("第二页\n", encoding="utf-8")
    (folder / "p1.txt").write_text("第一页\n", encoding="utf-8")
    run = zhclean(folder, "-o", tmp_path / "pages.jsonl", "--config", no_steps)
    assert run.returncode == 0, run.stderr.decode()
    assert [(r["id"], r["text"]) for r in jsonl(tmp_path / "pages.jsonl")] == [
        ("p1", "第一页\n"),
        ("p2", "第二页\n"),
    ]
    run = zhclean(
        "-", "-o", tmp_path / "s.jsonl", "--config", no_steps, stdin=b'{"text": "\xe7\x94\xb2"}\n{"x": 1}\n'
    )
    assert run.returncode == 0, run.stderr.decode()
    assert [r["id"] for r in jsonl(tmp_path / "s.jsonl")] == ["-:1"]
    assert [r["source"] for r in jsonl(tmp_path / "s.rejects.jsonl")] == ["-:2"]


def test_documents_failing_a_quality_filter_go_to_rejects(tmp_path: Path) -> None:
    config = tmp_path / "quality.toml"
    config.write_text('[[step]]\nname = "quality"\nmin_chars = 20\n', encoding="utf-8")
    data = tmp_path / "in.jsonl"
    data.write_bytes(
        b'{"id": "short", "text": "\xe7\x9f\xad"}\n'
        + orjson.dumps({"id": "long", "text": "这是一段足够长的中文正文，用来通过最短长度的质量过滤条件。"})
        + b"\n"
    )
    run = zhclean(data, "-o", tmp_path / "out.jsonl", "--config", config, "-j", "1", "--no-progress")
    assert run.returncode == 0, run.stderr
    assert [r["id"] for r in jsonl(tmp_path / "out.jsonl")] == ["long"]
    rejects = jsonl(tmp_path / "out.rejects.jsonl")
    assert [(r["id"], r["reason"]) for r in rejects] == [("short", "quality-too-short")]
    assert rejects[0]["record"]["text"] == "短"
