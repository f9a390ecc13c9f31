"""The script step: detection of simplified/traditional text and OpenCC conversion with mainland 着."""

from pathlib import Path

import pytest

from zhclean import Document
from zhclean.steps.script import Script, changed_runs, detect

SEEDS = Path(__file__).parent / "data" / "seeds"
EXPECTED = ["002_569066d2daf438f6", "004_91ea96f5a4a05316"]


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def run(text: str, target: str) -> Document:
    doc = Document(text)
    Script(target=target)(doc)
    return doc


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seed_pages_are_traditional(path):
    script, share = detect(read(path))
    assert script == "hant"
    assert 0.9 < share < 1.0  # the site's s2t left a few simplified chars such as 并 干 后 于


@pytest.mark.parametrize("name", EXPECTED)
def test_hans_conversion_matches_expected(name):
    doc = run(read(SEEDS / "expected" / f"{name}.hant.txt"), "hans")
    assert doc.text == read(SEEDS / "expected" / f"{name}.txt")
    assert doc.meta["script"] == "hant"
    assert {e.kind for e in doc.edits} == {"script"}
    # one edit per changed run: every character of an edit changed, and runs never touch
    assert all(
        len(e.before) == len(e.after) and all(a != b for a, b in zip(e.before, e.after, strict=True))
        for e in doc.edits
    )
    ends = [e.offset + len(e.before) for e in doc.edits]
    assert all(end < nxt.offset for end, nxt in zip(ends[:-1], doc.edits[1:], strict=True))


@pytest.mark.parametrize("name", EXPECTED)
def test_expected_simplified_is_detected_and_kept(name):
    text = read(SEEDS / "expected" / f"{name}.txt")
    doc = run(text, "hans")
    assert doc.meta["script"] == "hans" and doc.meta["hant_share"] == 0.0
    assert doc.text == text and doc.edits == []


def test_keep_changes_nothing_but_records_script():
    text = read(SEEDS / "expected" / "002_569066d2daf438f6.hant.txt")
    doc = run(text, "keep")
    assert doc.text == text and doc.edits == []
    assert doc.meta["script"] == "hant"


@pytest.mark.parametrize(
    "trad, simp",
    [
        ("著力保持平穩健康的經濟環境", "着力保持平稳健康的经济环境"),
        ("執著追求", "执着追求"),
        ("隨著時代發展，他看著我", "随着时代发展，他看着我"),
        ("取得顯著成就", "取得显著成就"),
        ("著名作家的著作", "著名作家的著作"),
        ("臭名昭著", "臭名昭著"),
        ("第一時間為您推送權威資訊", "第一时间为您推送权威资讯"),  # no tw2sp: 資訊 stays 资讯
        ("軟體與網路", "软体与网路"),
    ],
)
def test_hans_mainland_zhe_and_taiwan_vocabulary(trad, simp):
    assert run(trad, "hans").text == simp


def test_hant_conversion():
    doc = run("坚持稳字当头，推动高质量发展", "hant")
    assert doc.text == "堅持穩字當頭，推動高質量發展"
    assert doc.meta["script"] == "hans"
    assert [e.before for e in doc.edits] == ["坚", "稳", "当头", "动", "质", "发"]


def test_document_already_in_target_is_not_touched():
    taiwan = "資料庫系統的軟體設計，著重於效能。"
    assert run(taiwan, "hant").text == taiwan
    classical = "床前明月光，疑是地上霜。"
    assert run(classical, "hans").text == classical


@pytest.mark.parametrize(
    "text, script",
    [
        ("Linux kernel 5.10", "unknown"),
        ("中文", "unknown"),  # no character differs between the scripts
        ("这是简体。這是繁體。", "mixed"),
    ],
)
def test_detect_labels(text, script):
    assert detect(text)[0] == script


def test_mixed_document_converts_both_ways():
    assert run("这是简体。這是繁體。", "hans").text == "这是简体。这是繁体。"
    assert run("这是简体。這是繁體。", "hant").text == "這是簡體。這是繁體。"


def test_changed_runs_falls_back_to_alignment_when_lengths_differ():
    old, new = "甲乙\n丙丁戊\n己", "甲乙\n丙X戊Y\n庚"
    doc = Document(old)
    doc.apply("script", changed_runs(old, new))
    assert doc.text == new
    assert [(e.before, e.after) for e in doc.edits] == [("丁", "X"), ("", "Y"), ("己", "庚")]


def test_bad_target_is_refused():
    with pytest.raises(ValueError):
        Script(target="zh-tw")


def test_traditional_paragraph_in_simplified_document_is_converted():
    text = "这是一篇简体文章，内容很长，说明了很多问题。\n這一段卻是繁體，來自另一個網站。"
    doc = Document(text)
    Script(target="hans")(doc)
    assert doc.text == "这是一篇简体文章，内容很长，说明了很多问题。\n这一段却是繁体，来自另一个网站。"
