"""The HTML report and `zhclean show`: originals rebuilt from the records, exact totals, terminal view."""

import json
import re
from pathlib import Path

import orjson
import pytest

from zhclean import Document, Replacement, clean
from zhclean.cli import main
from zhclean.commands.show import render
from zhclean.report import align, read_records, render_report

SEEDS = Path(__file__).parent / "data" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
PINYIN = r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """`zhclean clean` on the five seeds, then `zhclean report` on its output and rejects."""
    tmp = tmp_path_factory.mktemp("run")
    bad = tmp / "bad.jsonl"
    bad.write_text('{"id": "broken", "text": 1}\n', encoding="utf-8")
    out = tmp / "out.jsonl"
    assert (
        main(["clean", *map(str, SEED_FILES), str(bad), "-o", str(out), "--script", "hans", "-j", "1"]) == 0
    )
    rejects = tmp / "out.rejects.jsonl"
    report = tmp / "report.html"
    assert main(["report", str(out), "--rejects", str(rejects), "-o", str(report)]) == 0
    return out, rejects, report


def embedded(html: str, element_id: str):
    m = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S)
    return json.loads(m.group(1))


@pytest.mark.parametrize("script", ["hans", "keep"])
@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name[:3])
def test_original_rebuilt_from_real_pipeline_output(seed, script):
    raw = seed.read_text(encoding="utf-8")
    a = align(clean(raw, script=script).to_record())
    assert a.original == raw
    assert a.exact


def test_original_rebuilt_through_chained_edits():
    raw = "前ab中ab後\n頁腳, 版權\n"
    doc = Document(raw)
    doc.apply("codec", [Replacement(1, 3, "XYZ", "mojibake"), Replacement(4, 6, "XYZ", "mojibake")])
    comma = doc.text.index(",")
    doc.apply("punctuation", [Replacement(comma, comma + 1, "，", "fullwidth")])
    doc.apply("spacing", [Replacement(comma + 1, comma + 2, "", "space")])
    start = doc.text.index("頁")
    doc.apply(
        "boilerplate", [Replacement(start, len(doc.text), "", "copyright", "footer", line_removal=True)]
    )
    # edits inside the output of the codec edits: their input offsets point at the codec edits
    doc.apply(
        "script",
        [Replacement(3, 4, "z", "t2s"), Replacement(5, 6, "", "drop"), Replacement(7, 8, "y", "t2s")],
    )
    assert doc.text == "前XYz中Yy後\n"
    a = align(doc.to_record())
    assert a.original == raw and a.exact
    spans = [(a.original[h.orig_start : h.orig_end], a.text[h.text_start : h.text_end]) for h in a.hunks]
    assert spans == [("ab", "XYz"), ("ab", "Yy"), ("頁腳, 版權\n", "")]
    kinds = [sorted({a.changes[k].kind for k in h.changes}) for h in a.hunks]
    assert kinds == [["mojibake", "t2s"], ["drop", "mojibake", "t2s"], ["copyright", "fullwidth", "space"]]


def test_removed_lines_at_the_end_take_the_break_before_them():
    text = "市領導陸衛東。\n南通日報社 2009-2021 版權所有\n蘇ICP備08106468-3號蘇新網備2010048 互聯網新聞信息服務許可證32120180013"
    record = clean(text).to_record()
    assert len(record["removed"]) == 2
    assert align(record).original == text


def test_report_embeds_every_document_and_its_original(run):
    out, _, report = run
    html = report.read_text(encoding="utf-8")
    data = embedded(html, "data")
    docs = embedded(html, "c0")
    records = list(read_records(out))
    assert [e[0] for e in data["index"]] == [r["id"] for r in records]
    by_id = {p.stem: p.read_text(encoding="utf-8") for p in SEED_FILES}
    for entry, d in zip(data["index"], docs, strict=True):
        # the page rebuilds the original as the cleaned text with each hunk's original put back
        original, pos = [], 0
        for start, end, before, _ in d["h"]:
            original += [d["t"][pos:start], before]
            pos = end
        original.append(d["t"][pos:])
        assert "".join(original) == by_id[entry[0]]
        assert entry[4] == len(by_id[entry[0]])
    assert "<script>" not in "".join(by_id.values()) and html.count("</html>") == 1


def test_report_totals_are_the_records_totals(run):
    out, _, report = run
    html = report.read_text(encoding="utf-8")
    records = list(read_records(out))
    ruby = sum(1 for r in records for e in r["edits"] if e["kind"] == "ruby")
    assert ruby > 100
    rows = re.findall(r"<tr><td>(\w+)</td><td>(\w+)</td><td class=n>([\d,]+)</td>", html)
    assert ("ruby", "ruby", f"{ruby:,}") in rows
    assert re.search(r"<td>documents out</td><td class=n>5</td>", html)
    assert re.search(r"<td>rejected</td><td class=n>1</td>", html)
    assert re.search(r"<td>documents in</td><td class=n>6</td>", html)
    assert "<td>text-not-string</td>" in html
    assert html.count('<svg class="chart') >= 4


def test_totals_count_documents_past_the_embedded_ones(run):
    out, _, _ = run
    records = list(read_records(out))
    many = [dict(records[i % len(records)], id=f"d{i}") for i in range(120)]
    html, totals = render_report(iter(many), max_docs=110)
    data = embedded(html, "data")
    assert totals.docs_out == 120 and len(data["index"]) == 120 and data["embedded"] == 110
    assert re.search(r"<td>documents out</td><td class=n>120</td>", html)
    assert len(embedded(html, "c1")) == 10 and 'id="c2"' not in html  # 100 documents a chunk
    assert totals.chars_in == sum(
        len(SEED_FILES[int(r["id"][1:]) % 5].read_text(encoding="utf-8")) for r in many
    )


def test_show_marks_ruby_removals_without_colour_when_piped(run, capsys):
    out, _, _ = run
    seed = SEED_FILES[0].stem
    assert main(["show", seed, str(out)]) == 0
    text = capsys.readouterr().out
    assert "\033[" not in text
    assert re.search(r"\[-\w?" + PINYIN + "-\\]", text)  # the hanzi is converted to simplified too
    assert "title:" in text


def test_show_colours_when_asked(run):
    out, _, _ = run
    record = orjson.loads(out.read_bytes().splitlines()[0])
    coloured = render(record, color=True)
    assert re.search("\033\\[31m\\[-\\w?" + PINYIN + "-\\]\033\\[0m", coloured)
    assert re.sub("\033\\[[0-9;]*m", "", coloured) == render(record, color=False)


def test_show_unknown_id_is_a_user_error(run, capsys):
    out, _, _ = run
    assert main(["show", "no-such-id", str(out)]) == 2
    assert "no document 'no-such-id'" in capsys.readouterr().err


def test_rebuilt_lengths_match_what_clean_counted(run):
    out, rejects, _ = run
    counted = json.loads(out.with_name("out.stats.json").read_text(encoding="utf-8"))["stats"]
    _, totals = render_report(read_records(out), read_records(rejects))
    assert totals.chars_in == counted["chars_in"] and totals.chars_out == counted["chars_out"]
    assert totals.docs_in == counted["docs_in"] and dict(totals.rejected_by_reason) == counted["rejected"]


def test_report_reads_parquet_output(tmp_path):
    out = tmp_path / "out.parquet"
    assert main(["clean", str(SEED_FILES[1]), "-o", str(out), "-j", "1"]) == 0
    (record,) = read_records(out)
    assert record["id"] == SEED_FILES[1].stem and isinstance(record["edits"], list)
    assert align(record).original == SEED_FILES[1].read_text(encoding="utf-8")
