"""A `zhclean clean` run killed with SIGKILL part-way resumes to the same bytes as an uninterrupted run.

The hidden `ZHCLEAN_TEST_CHUNK_DELAY` makes the run wait after each chunk, so the test can kill it once
the checkpoint shows a few chunks done, however fast or slow the machine is.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

DOCS = 40
CHUNK = 4


def make_input(path: Path) -> None:
    lines = []
    for i in range(DOCS):
        if i % 7 == 3:
            lines.append(b'{"text": "broken ' + str(i).encode() + b"\n")  # malformed: goes to rejects
        else:
            lines.append(orjson.dumps({"id": f"d{i}", "text": f"第{i}篇，正文。" * (i % 5 + 1)}) + b"\n")
    path.write_bytes(b"".join(lines))


def command(src: Path, out: Path, config: Path, jobs: int) -> list[str]:
    args = [src, "-o", out, "--config", config, "--chunk-size", CHUNK, "-j", jobs, "--no-progress"]
    return [sys.executable, "-m", "zhclean.cli", "clean", *map(str, args)]


def checkpoint_chunks(out: Path) -> int:
    try:
        return orjson.loads(out.with_name(out.name + ".checkpoint.json").read_bytes())["chunks"]
    except (FileNotFoundError, orjson.JSONDecodeError):
        return 0


def kill_after(cmd: list[str], out: Path, chunks: int) -> None:
    env = {**os.environ, "ZHCLEAN_TEST_CHUNK_DELAY": "0.1"}
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while checkpoint_chunks(out) < chunks:
        assert proc.poll() is None, "run ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its worker processes
    proc.wait()


def finished_files(out: Path) -> dict[str, bytes]:
    rejects = out.with_name(out.name.split(".")[0] + ".rejects.jsonl")
    return {"output": out.read_bytes(), "rejects": rejects.read_bytes()}


@pytest.mark.parametrize(("name", "jobs"), [("out.jsonl", 2), ("out.jsonl.gz", 1), ("out.parquet", 2)])
def test_killed_run_resumes_to_identical_output(tmp_path: Path, name: str, jobs: int) -> None:
    src = tmp_path / "in.jsonl"
    make_input(src)
    config = tmp_path / "none.toml"
    config.write_text("# no steps\n")
    ref = tmp_path / "ref" / name
    done = subprocess.run(command(src, ref, config, 1), capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr.decode()

    out = tmp_path / "run" / name
    cmd = command(src, out, config, jobs)
    kill_after(cmd, out, chunks=4)
    assert not out.exists()
    # a chunk written but not yet checkpointed when the kill came: resume must cut it off
    partial = out.with_name(out.name + ".partial")
    parts = out.with_name(out.name + ".parts")
    assert partial.exists() or parts.exists()
    if partial.exists():
        with partial.open("ab") as f:
            f.write(b'{"id": "half-written chunk"}\n')
    else:
        (parts / "part-0000099.parquet").write_bytes(b"half-written part")
    with out.with_name("out.rejects.jsonl.partial").open("ab") as f:
        f.write(b'{"id": "half-written reject"')

    resumed = subprocess.run(cmd, capture_output=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr.decode()
    assert b"resumed after" in resumed.stderr
    assert int(resumed.stderr.split(b"resumed after ")[1].split()[0]) >= 4  # finished chunks not redone
    assert finished_files(out) == finished_files(ref)
    stats = orjson.loads(out.with_name("out.stats.json").read_bytes())["stats"]
    assert (stats["docs_in"], stats["docs_out"], stats["rejected"]) == (DOCS, DOCS - 6, {"invalid-json": 6})
    assert not out.with_name(out.name + ".checkpoint.json").exists()
    assert not partial.exists() and not parts.exists()


def test_lost_partial_changed_input_and_force_start_again(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    make_input(src)
    config = tmp_path / "none.toml"
    config.write_text("")
    out = tmp_path / "out.jsonl"
    cmd = command(src, out, config, 1)
    kill_after(cmd, out, chunks=2)
    out.with_name("out.jsonl.partial").unlink()  # the half-written output is gone: cannot resume
    run = subprocess.run(cmd, capture_output=True, timeout=120)
    assert run.returncode == 0 and b"shorter than its checkpoint" in run.stderr
    first = out.read_bytes()
    again = subprocess.run([*cmd, "--force"], capture_output=True, timeout=120)
    assert again.returncode == 0 and b"already complete" not in again.stderr
    assert out.read_bytes() == first and len(first.splitlines()) == DOCS - 6

    kill_after([*cmd, "--force"], out, chunks=2)
    src.write_bytes(src.read_bytes()[:200])  # the input changes: the checkpoint no longer applies
    run = subprocess.run(cmd, capture_output=True, timeout=120)
    assert run.returncode == 0 and b"starting again" in run.stderr and b"resumed" not in run.stderr
    assert len(out.read_bytes().splitlines()) < 10


def children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue
    return kids


def test_a_killed_worker_stops_the_run_with_a_clear_error_and_the_run_resumes(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    make_input(src)
    config = tmp_path / "none.toml"
    config.write_text("")
    ref, out = tmp_path / "ref" / "out.jsonl", tmp_path / "run" / "out.jsonl"
    assert subprocess.run(command(src, ref, config, 1), capture_output=True, timeout=120).returncode == 0
    cmd = command(src, out, config, 2)
    env = {**os.environ, "ZHCLEAN_TEST_CHUNK_DELAY": "0.1"}
    proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while checkpoint_chunks(out) < 2:
        assert proc.poll() is None and time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(children(proc.pid)[0], signal.SIGKILL)  # as the out-of-memory killer would
    try:
        _, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    assert proc.returncode == 2 and b"worker process" in err and b"died" in err
    resumed = subprocess.run(cmd, capture_output=True, timeout=120)
    assert resumed.returncode == 0 and b"resumed after" in resumed.stderr
    assert finished_files(out) == finished_files(ref)
