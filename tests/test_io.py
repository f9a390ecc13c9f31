"""Readers, writers and per-record logic of `zhclean clean`, without subprocesses."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from hypothesis import given, settings
from hypothesis import strategies as st

from zhclean.errors import UserError
from zhclean.io.readers import Position, discover, iter_items
from zhclean.io.writers import JsonlChunkWriter, ParquetChunkWriter, chunk_writer, stem
from zhclean.pipeline import Pipeline
from zhclean.records import Reject, encode, process_chunk, process_line

EMPTY = Pipeline([])
LINES = [
    '{"id": "a", "text": "第一篇。", "url": "http://a.cn/1"}\n',
    '{"text": "第二篇，没有编号。"}\n',
    '{"id": "c", "text": "第三篇。"}\n',
    '{"id": "d", "text": "第四篇。"}\n',
]


START = Position()


def items_of(paths: list[Path], start: Position = START) -> list[tuple]:
    return [
        (item.source, item.line, item.kind, item.data, pos)
        for item, pos in iter_items(discover(paths), start, 10_000)
    ]


@pytest.mark.parametrize("suffix", [".jsonl", ".jsonl.gz", ".jsonl.zst"])
def test_jsonl_resume_position_skips_exactly_the_items_already_read(tmp_path: Path, suffix: str) -> None:
    data = "".join(LINES).encode()
    path = tmp_path / f"in{suffix}"
    if suffix == ".jsonl.gz":
        data = gzip.compress(data)
    elif suffix == ".jsonl.zst":
        data = zstandard.ZstdCompressor().compress(data)
    path.write_bytes(data)
    full = items_of([path])
    assert [line for _, line, *_ in full] == [1, 2, 3, 4]
    assert full[1][3] == LINES[1].encode()
    resumed = items_of([path], full[1][4])
    assert resumed == full[2:]


def test_parquet_rows_keep_their_fields_and_resume_mid_row_group(tmp_path: Path) -> None:
    path = tmp_path / "in.parquet"
    table = pa.table(
        {"id": ["a", None, "c", "d", "e"], "text": ["甲", "乙", "丙", "丁", "戊"], "n": [1, 2, 3, 4, 5]}
    )
    pq.write_table(table, path, row_group_size=2)
    full = items_of([path])
    assert [data for _, _, kind, data, _ in full][1] == {"id": None, "text": "乙", "n": 2}
    assert items_of([path], Position(0, 3, 0)) == full[3:]
    result = process_chunk([item for item, _ in iter_items(discover([path]), Position(), 100)], EMPTY)
    records = [orjson.loads(line) for line in result.output]
    assert [r["id"] for r in records] == ["a", f"{path}:2", "c", "d", "e"]
    assert records[4] == {
        "n": 5,
        "id": "e",
        "text": "戊",
        "meta": {},
        "edits": [],
        "removed": [],
        "flags": [],
    }


def test_folder_of_txt_files_gives_one_document_each_named_by_file(tmp_path: Path) -> None:
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    (tmp_path / "docs" / "b.txt").write_text("乙文。\n", encoding="utf-8")
    (tmp_path / "docs" / "sub" / "a.txt").write_bytes(b"\xef\xbb\xbf\xe7\x94\xb2")  # BOM + 甲
    (tmp_path / "docs" / ".hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / "docs" / "notes.md").write_text("x", encoding="utf-8")
    items = [item for item, _ in iter_items(discover([tmp_path / "docs"]), Position(), 100)]
    assert [i.default_id for i in items] == ["b", "sub/a"]
    result = process_chunk(items, EMPTY)
    assert [orjson.loads(line)["text"] for line in result.output] == ["乙文。\n", "甲"]


def test_missing_empty_and_unknown_inputs_are_user_errors(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_bytes(b"")
    (tmp_path / "data.csv").write_text("a,b\n")
    (tmp_path / "nothing").mkdir()
    for path, words in [
        (tmp_path / "missing.jsonl", "no such file"),
        (tmp_path / "empty.jsonl", "empty"),
        (tmp_path / "data.csv", "unknown format"),
        (tmp_path / "nothing", "holds no"),
    ]:
        with pytest.raises(UserError, match=words) as e:
            discover([path])
        assert str(path) in str(e.value)


def test_overlong_line_is_cut_off_unread_and_the_next_line_still_read(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_bytes(b'{"text": "' + b"x" * 5000 + b'"}\n' + LINES[2].encode())
    items = [item for item, _ in iter_items(discover([path]), Position(), 1000)]
    assert [(i.line, i.kind) for i in items] == [(1, "oversize"), (2, "json")]
    result = process_chunk(items, EMPTY)
    assert orjson.loads(result.rejects[0])["reason"] == "too-large"
    assert orjson.loads(result.output[0])["id"] == "c"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (b'{"text": "\xe4\xb8\xad\xff"}', "invalid-utf8"),
        (b'{"text": "a"', "invalid-json"),
        (b"\x89PNG\r\n", "invalid-utf8"),
        (b"\x00\x00\x00\n", "invalid-json"),
        (b'"just a string"', "not-an-object"),
        (b"   \n", "empty-line"),
        (b'{"id": "x"}', "no-text"),
        (b'{"text": ["a"]}', "text-not-string"),
        (b'{"text": "' + "长".encode() * 11 + b'"}', "too-large"),
    ],
)
def test_bad_line_becomes_a_reject_naming_file_line_and_reason(line: bytes, reason: str) -> None:
    outcome = process_line(line, "shard.jsonl", 7, EMPTY, max_chars=10)
    assert isinstance(outcome, Reject)
    record = outcome.to_record()
    assert (record["reason"], record["source"]) == (reason, "shard.jsonl:7")
    assert record["detail"]
    orjson.loads(encode(record))  # the reject itself is always valid JSON


def test_step_that_raises_rejects_only_its_document() -> None:
    class Boom:
        name = "boom"

        def __call__(self, doc):
            if "炸" in doc.text:
                raise ValueError("bad input")

    lines = [b'{"text": "\xe7\x82\xb8"}', b'{"text": "ok"}']  # 炸, ok
    outcome = process_line(lines[0], "f.jsonl", 1, Pipeline([Boom()]))
    assert isinstance(outcome, Reject) and outcome.reason == "step-error"
    assert "boom" in outcome.detail and "bad input" in outcome.detail
    assert not isinstance(process_line(lines[1], "f.jsonl", 2, Pipeline([Boom()])), Reject)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.binary(max_size=40), st.text(max_size=20).map(lambda t: orjson.dumps({"text": t}))),
        max_size=30,
    )
)
def test_every_input_line_is_in_exactly_one_of_output_or_rejects(
    tmp_path_factory, lines: list[bytes]
) -> None:
    path = tmp_path_factory.mktemp("p") / "in.jsonl"
    path.write_bytes(b"".join(line.replace(b"\n", b" ") + b"\n" for line in lines) or b"\n")
    items = [item for item, _ in iter_items(discover([path]), Position(), 10_000)]
    result = process_chunk(items, EMPTY)
    ids = [orjson.loads(line)["id"] for line in result.output] + [
        orjson.loads(r)["source"] for r in result.rejects
    ]
    assert sorted(ids, key=lambda s: int(s.rsplit(":", 1)[1])) == [
        f"{path}:{i}" for i in range(1, len(items) + 1)
    ]
    assert result.stats["docs_in"] == len(items) == max(len(lines), 1)


@pytest.mark.parametrize("name", ["out.jsonl.gz", "out.jsonl.zst", "out.jsonl"])
def test_chunk_writer_rewinds_to_a_mark_and_stays_readable(tmp_path: Path, name: str) -> None:
    writer = chunk_writer(tmp_path / name)
    assert isinstance(writer, JsonlChunkWriter)
    writer.rewind(0)
    writer.write_chunk([b'{"a":1}\n', b'{"a":2}\n'])
    mark = writer.mark()
    writer.write_chunk([b'{"a":3}\n'])
    writer.rewind(mark)
    writer.write_chunk([b'{"a":4}\n'])
    writer.finalise(tmp_path / name)
    raw = (tmp_path / name).read_bytes()
    if name.endswith(".gz"):
        raw = gzip.decompress(raw)
    elif name.endswith(".zst"):
        raw = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(raw), read_across_frames=True).read()
    assert raw == b'{"a":1}\n{"a":2}\n{"a":4}\n'


def test_parquet_writer_merges_parts_with_differing_fields(tmp_path: Path) -> None:
    writer = ParquetChunkWriter(tmp_path / "out.parquet")
    writer.rewind(0)
    writer.write_chunk([encode({"id": "a", "text": "甲", "meta": {"title": "题"}})])
    writer.write_chunk([encode({"url": "u", "id": "b", "text": "乙", "meta": {}})])
    writer.write_chunk([])
    writer.finalise(tmp_path / "out.parquet")
    table = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert table == [
        {"id": "a", "text": "甲", "meta": '{"title":"题"}', "url": None},
        {"id": "b", "text": "乙", "meta": "{}", "url": '"u"'},
    ]
    assert not writer.parts.exists()


def test_stem_drops_the_format_suffix_only() -> None:
    assert stem(Path("out/a.clean.jsonl.gz")) == Path("out/a.clean")
    assert stem(Path("x.parquet")) == Path("x")
