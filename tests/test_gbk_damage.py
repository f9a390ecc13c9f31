"""GBK byte-level damage repair: the seed spans of DEFECTS.md, simulated damage on other text, clean text."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pytest

from zhclean.document import Document
from zhclean.gbk_lattice import best_reading
from zhclean.simulate import damage, drop_private_use, nfkc, php_cp936_decode, strip_ruby, strip_tags
from zhclean.steps.gbk_damage import GbkDamageRepair

DATA = Path(__file__).parent / "data"
SEEDS = sorted((DATA / "seeds").glob("0*.txt"))
LEFT_UNIT = re.compile(r"[?][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]{1,6}\)")


@pytest.fixture(scope="module")
def repair():
    return GbkDamageRepair()


def seed(prefix: str) -> str:
    return next(p for p in SEEDS if p.name.startswith(prefix)).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "prefix, damaged, repaired",
    [
        ("000", "奮勇?tīng)?zhēng)先", "奮勇爭先"),
        ("000", "重?fù)?dān)、扛", "重擔、扛"),
        ("000", "新華日?qǐng)?bào)·", "新華日報·"),
        ("003", "通州日?qǐng)?bào)訊", "通州日報訊"),
        ("003", "要?jiǎng)?wù)實(shí)擔(dān)當(dāng)", "要務實(shí)擔(dān)當(dāng)"),
        ("003", "實(shí)打?qū)嵉某尚А?/p>", "實(shí)打實的成效。</p>"),
        ("003", "顯著成就?!笆逦濉比匀皇峭ㄖ菥C合", "顯著成就。“十五五”仍然是通州綜合"),
    ],
)
def test_every_seed_span_is_repaired_in_its_page(repair, prefix, damaged, repaired):
    page = seed(prefix)
    assert damaged in page
    assert repaired in repair.fix(page)


def test_no_damage_is_left_in_the_seeds_and_pages_without_it_are_untouched(repair):
    for path in SEEDS:
        doc = Document(path.read_text(encoding="utf-8"))
        repair(doc)
        assert not LEFT_UNIT.search(doc.text), path.name
        assert doc.flags == []
        if path.name[:3] in ("001", "002", "004"):
            assert doc.edits == [], path.name


def test_edits_record_what_was_rebuilt(repair):
    doc = Document(seed("003"))
    repair(doc)
    kinds = {e.before: (e.kind, e.after) for e in doc.edits}
    assert kinds["?!笆逦濉比匀皇峭ㄖ菥C"] == ("gbk_desync", "。“十五五”仍然是通州綜")
    assert kinds["?jiǎng)?wù)"] == ("gbk_straddle", "務")
    for e in doc.edits:
        assert seed("003")[e.offset : e.offset + len(e.before)] == e.before


def _pages(name: str, size: int = 8) -> list[str]:
    lines = [x for x in (DATA / "clean_zh" / name).read_text(encoding="utf-8").splitlines()]
    lines = [x for x in lines if len(x) > 20 and not x.startswith("#") and "<" not in x]
    return ["\n".join(lines[i : i + size]) for i in range(0, len(lines), size)]


def _compare(repair, pages, rng, **kw):
    damaged = restored = false = 0
    for page in pages:
        d = damage(page, rng=rng, **kw)
        got = nfkc(strip_tags(strip_ruby(repair.fix(d.text)))).split("\n")
        before = nfkc(strip_ruby(d.text)).split("\n")
        want = nfkc(d.source).split("\n")
        assert len(got) == len(want) == len(before)
        for g, b, w in zip(got, before, want, strict=True):
            if b != w:
                damaged += 1
                restored += g == w
            else:
                false += g != w
    return damaged, restored, false


def test_simulated_straddle_damage_on_other_text_is_repaired(repair):
    # text the model never saw (held out of bench/build_charlm.py), damaged by the seed mechanism
    pages = [p for name in ("prose_hans.txt", "technical_hans.txt", "sayings.txt") for p in _pages(name)]
    damaged = restored = false = 0
    for seed_ in range(5):  # each seed ranks a different page dictionary, so different characters straddle
        counts = _compare(repair, pages, random.Random(seed_), share=0.8)
        damaged, restored, false = (a + b for a, b in zip((damaged, restored, false), counts, strict=True))
    assert damaged >= 25
    assert restored / damaged >= 0.6, (restored, damaged)
    assert false == 0


def test_simulated_desync_runs_are_repaired_without_touching_clean_lines(repair):
    pages = _pages("prose_hans.txt", 4)
    damaged, restored, false = _compare(repair, pages, random.Random(3), share=0.0, desyncs=1)
    assert damaged >= 5
    assert restored / damaged >= 0.4, (restored, damaged)
    assert false == 0


@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "clean_zh").glob("*.txt")))
def test_clean_text_is_never_edited(repair, name):
    text = (DATA / "clean_zh" / name).read_text(encoding="utf-8")
    for variant in (text, unicodedata.normalize("NFKC", text)):  # NFKC: `？` -> `?` next to Chinese
        doc = Document(variant)
        repair(doc)
        assert doc.edits == [] and doc.flags == []


def test_question_marks_in_clean_chinese_are_left_alone(repair):
    text = "你去哪儿?我不知道。真的吗?是的,他说:为什么?因为Linux系统更稳定?好(hǎo)吗?"
    assert repair.fix(text) == text


def test_ascii_between_two_question_marks_is_not_read_as_a_run(repair):
    # csh's history syntax in manpages-zh (Tcl `unknown`): no byte of `?^?` need ever have been GBK
    text = "首先它参看 cmd 是否是下列三种形式之一: !!, !event, 或 ^old^new?^?。如果是这样，则 unknown 用与 csh 相同的方式"
    assert repair.fix(text) == text
    assert repair.fix("写作 ^a^b?^?。就是") == "写作 ^a^b?^?。就是"


def test_unrecoverable_units_are_flagged_and_dropped():
    text = "今天A?zhēng)天气很好。"  # no character under `A` reads zhēng: cannot be rebuilt
    doc = Document(text)
    GbkDamageRepair()(doc)
    assert doc.text == "今天A天气很好。"
    assert doc.flags[0]["kind"] == "gbk_straddle_unrecoverable"
    assert doc.flags[0]["offset"] == text.index("?")
    assert doc.edits[0].before == "?zhēng)" and doc.edits[0].after == ""


def test_unrecoverable_keep_and_drop_sentence():
    text = "第一句。今天A?zhēng)天气很好。第三句。"
    keep = Document(text)
    GbkDamageRepair(unrecoverable="keep")(keep)
    assert keep.text == text and keep.flags[0]["kind"] == "gbk_straddle_unrecoverable"
    assert GbkDamageRepair(unrecoverable="drop-sentence").fix(text) == "第一句。第三句。"
    with pytest.raises(ValueError):
        GbkDamageRepair(unrecoverable="guess")


def test_stray_question_marks_in_clean_text_are_not_taken_for_damage(repair):
    # a legit `?` looks like the start of a desync run; put one after 2 % of the hanzi of held-out text
    rng = random.Random(0)
    total = edits = 0
    for path in sorted((DATA / "clean_zh").glob("*.txt")):
        text = unicodedata.normalize("NFKC", path.read_text(encoding="utf-8"))
        text = "".join(c + "?" if "\u4e00" <= c <= "\u9fff" and rng.random() < 0.02 else c for c in text)
        doc = Document(text)
        repair(doc)
        total += len(text)
        edits += len(doc.edits)
    assert total > 20_000
    assert edits <= total // 100_000


def _stray_after(text: str, char: str) -> str:
    """The seed pipeline's output after one stray byte lands right after `char`'s lead byte (family F3)."""
    data = text.encode("gbk")
    i = data.index(char.encode("gbk")) + 1
    return nfkc(drop_private_use(php_cp936_decode(data[:i] + b" " + data[i:])))


@pytest.mark.parametrize(
    "text, char",
    [
        ("它會把文件複製到這個目錄 /tmp 中", "把"),  # a deleted pair right before the re-synchronising byte
        ("這個命令會列出系統中已經安裝的所有軟件包。\n第二段", "列"),
        ("使用者可以在設定中選擇自己喜歡的語言。\n如果", "擇"),
    ],
)
def test_desync_runs_with_deleted_pairs_are_read_back_in_phase(repair, text, char):
    damaged = _stray_after(text, char)
    assert damaged != text
    assert repair.fix(damaged) == text


def test_a_byte_eaten_at_the_end_of_a_run_is_guessed_and_flagged(repair):
    # the run reaches the line end: its last trail byte and the newline became one `?`
    text = "我們需要確保所有程序使用相同的紙張大小。\n下一段"
    damaged = _stray_after(text, "所")
    assert "\n" not in damaged
    doc = Document(damaged)
    repair(doc)
    assert doc.text.endswith("程序使用相同的紙張大小。\n下一段")
    assert [f["kind"] for f in doc.flags] == ["gbk_gap"]


def test_lattice_reads_the_seed_run_bytes_back_with_its_deleted_pair():
    # DEFECTS.md F3: the bytes after the lost A1, as the decoder read them (AE CE deleted), up to `C`
    data = bytes.fromhex("a3a1b0cae5cee5a1b1c8d4c8bbcac7cda8d6ddbe43")
    text, _, gaps = best_reading(data, "成就", "合")
    assert text == "。“十五五”仍然是通州綜"
    assert gaps == 1


def test_a_question_mark_before_ordinary_chinese_costs_no_lattice_search(monkeypatch):
    # `怎么办?` + a sentence read in phase: no desync run starts there, so no run is read back at all
    repair = GbkDamageRepair()
    calls = []
    monkeypatch.setattr(GbkDamageRepair, "_read_run", lambda self, *a, **k: calls.append(a))
    text = "这个问题怎么办?我们先看看系统的日志文件。他说这是为什么? 因为配置文件写错了。"
    assert repair.fix(text) == text
    assert calls == []


def test_the_in_phase_window_stops_where_a_run_could_end():
    from zhclean.steps.gbk_damage import run_prefix

    assert run_prefix("?我们先看看系统", 1, 6) == "我们先看看系"
    assert run_prefix("? 我们 Linux", 1, 6) == " 我们 "  # a space is U+3000 folded, inside a run
    assert run_prefix("?我们x系统", 1, 6) == "我们"  # an ASCII letter may be the trail byte ending it
    assert run_prefix("?我€们", 1, 6) == "我"  # a lone 0x80 byte ends it
    assert run_prefix("?丂我们", 1, 6) == "丂"  # 丂 is 81 40: its ASCII trail byte ends the run


def test_a_run_that_cannot_gain_enough_is_not_read(monkeypatch):
    # a rebuilt reading gains at most what the text it replaces costs: `? [command]` (Tcl-style syntax)
    # and `或?选项调用` cost too little to reach what `_run` asks, so no run is read back
    from zhclean.steps.gbk_damage import min_gain_total

    assert min_gain_total(2) == 10.0 and min_gain_total(3) == 15.0 and min_gain_total(8) == 24.0
    repair = GbkDamageRepair()
    calls = []
    monkeypatch.setattr(GbkDamageRepair, "_read_run", lambda self, *a, **k: calls.append(a))
    for text in ("下面是可以使用的命令。\n? [command] 如果指定", "使用h或?选项调用lockfile"):
        assert repair._run_candidate(text, text.index("?")) is None
    assert calls == []


def test_cached_lattice_slots_are_shared_unchanged():
    # slots are cached per bytes, character before and script to avoid: reuse must not alter a reading
    data = bytes.fromhex("a3a1b0cae5cee5a1b1c8d4c8bbcac7cda8d6ddbe43")
    first = best_reading(data, "成就", "合")
    best_reading(data, "成就", "合", avoid=frozenset("說這"))
    best_reading(data, "成就", "合", gaps=False)
    assert best_reading(data, "成就", "合") == first
