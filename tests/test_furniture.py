"""Corpus-level furniture: document counts of line hashes, and the `zhclean furniture` command."""

from __future__ import annotations

import json

import numpy as np
import zstandard

from zhclean.cli import main
from zhclean.furniture import LineCounter, LineCounts, doc_hashes, match_form, site_of

FOOTER = "關注本網，傳播正能量"


def docs(n: int) -> list[dict]:
    return [
        {
            "text": f"第{k}篇的標題\n第{k}篇的正文，內容各不相同。\n{FOOTER}\n{FOOTER}",
            "url": f"https://www.a.cn/{k}",
        }
        for k in range(n)
    ]


def test_match_form_is_script_and_width_independent():
    assert (
        match_form("關注人民網，傳播正能量") == match_form("关注人民网,传播正能量") == "关注人民网,传播正能量"
    )
    assert match_form("  Copyright  ©  2023 ") == "copyright © 2023"


def test_counts_documents_not_occurrences_and_merges_chunks():
    one, small = LineCounter(), LineCounter(chunk=3)  # chunk=3 forces many merges
    for record in docs(10):
        one.add(record["text"], site_of(record))
        small.add(record["text"], site_of(record))
    one.flush()
    small.flush()
    assert np.array_equal(one.hashes, small.hashes) and np.array_equal(one.counts, small.counts)
    counts = LineCounts(one.hashes, one.counts, one.docs)
    assert counts.docs_with(FOOTER, "a.cn") == 10  # twice per document, counted once
    assert counts.docs_with("关注本网,传播正能量", "a.cn") == 10  # simplified, ASCII comma: same line
    assert counts.docs_with(FOOTER, "b.cn") == 0  # another site
    assert counts.docs_with("第3篇的標題", "a.cn") == 1
    assert len(doc_hashes("a\n\nb\na")) == 2


def test_site_of():
    assert site_of({"url": "https://www.People.com.cn/n1/x.html"}) == "people.com.cn"
    assert site_of({"site": "ntrb"}) == "ntrb"
    assert site_of({}) == ""


def test_cli_writes_counts_used_by_the_step(tmp_path, capsys):
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in docs(6))
    plain = tmp_path / "a.jsonl"
    plain.write_text(lines, encoding="utf-8")
    packed = tmp_path / "b.jsonl.zst"
    packed.write_bytes(zstandard.ZstdCompressor().compress(lines.encode()))
    out = tmp_path / "counts.npz"
    assert main(["furniture", str(plain), str(packed), "-o", str(out)]) == 0
    assert "12 documents" in capsys.readouterr().out
    counts = LineCounts.load(out)
    assert counts.docs == 12
    assert counts.docs_with(FOOTER, "a.cn") == 12
    assert counts.docs_with("第3篇的標題", "a.cn") == 2  # in both files
    assert counts.docs_with("第3篇的正文，內容各不相同。", "a.cn") == 2


def test_cli_user_errors(tmp_path, capsys):
    assert main(["furniture", str(tmp_path / "missing.jsonl"), "-o", str(tmp_path / "c.npz")]) == 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"no_text": 1}\n', encoding="utf-8")
    assert main(["furniture", str(bad), "-o", str(tmp_path / "c.npz")]) == 2
    err = capsys.readouterr().err
    assert err.count("zhclean: error:") == 2 and "bad.jsonl:1" in err


def test_cli_reads_parquet_and_folders(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = tmp_path / "in"
    folder.mkdir()
    records = docs(5)
    pq.write_table(pa.Table.from_pylist(records), folder / "part.parquet")
    (folder / "page.txt").write_text(f"另一篇\n{FOOTER}", encoding="utf-8")
    out = tmp_path / "counts.npz"
    assert main(["furniture", str(folder), "-o", str(out)]) == 0
    counts = LineCounts.load(out)
    assert counts.docs == 6
    assert counts.docs_with(FOOTER, "a.cn") == 5 and counts.docs_with(FOOTER) == 0  # the .txt has no site
