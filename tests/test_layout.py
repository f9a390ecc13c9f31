"""Layout: no indentation, no blank lines, no trailing spaces, collapsed paragraphs split again."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhclean import Document
from zhclean.steps.layout import Layout

SEEDS = Path(__file__).parent / "data" / "seeds"
fix = Layout().fix


def seed(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def test_seed_000_loses_indentation_blank_lines_and_trailing_space():
    out = fix(seed("000")).split("\n")
    assert out[2].startswith("9月6日,省委書")
    assert out[3].startswith("省委常委、省委秘書")
    assert out[4].startswith("生物醫")  # the two blank lines before it are gone
    assert out[9].endswith("吳勝/攝")  # was "吳勝/攝 "
    assert out[10] == "• 為你推薦"
    assert out[-3:] == ["熱點(diǎn)推薦", "即時(shí)新聞", "武漢"]
    assert "" not in out


def test_seed_001_collapsed_paragraphs_are_split_at_sentence_ends():
    lines = fix(seed("001")).split("\n")
    assert lines[0] == "市委常委會(huì)在醫(yī)藥高新區(qū)調(diào)研并專題研究醫(yī)藥高新區(qū)工作"
    assert lines[1].endswith("市委書記姜冬冬主持會(huì)議并講話。")
    assert lines[2].startswith("會(huì)前,與會(huì)市領(lǐng)導(dǎo)圍繞")
    assert [line[:2] for line in lines[3:8]] == ["調(", "會(", "會(", "會(", "會("]
    assert len(lines) == 9 and lines[-1] == "|"
    assert not any(line.startswith(" ") or line.endswith(" ") for line in lines)


def test_seed_004_blank_run_is_one_edit():
    doc = Document(seed("004"))
    Layout()(doc)
    assert doc.text.split("\n")[6:8] == ["分享讓更多人看到", "第一時間為您推送權威資訊"]
    assert [e.kind for e in doc.edits] == ["blank-lines"]
    assert doc.edits[0].before == "\n" * 30


@pytest.mark.parametrize(
    "line",
    [
        "區(qū)委務(wù)虛會(huì)暨調(diào)研成果交流會(huì)召開(kāi) 集思廣益繪藍(lán)圖 實(shí)干爭(zhēng)先開(kāi)新局",
        "穩字當頭穩中求進 勇擔使命勇挑重擔 在新起點推動長三角一體化發展取得新成效",
        "南通日報社 2009-2021 版權所有",
        # A writer who spaces after punctuation: the space after 。 is style.
        "此命令主要用于输出人类易读的信息， 如果你想输出易于解析的信息。 请使用其他命令来完成这一工作吧。",
        # Spaced Latin words: the space after 。 replaced a removed word, not a paragraph break.
        "Debian 發展自己的小軟體，其名聲遠超越 Debian 專案本身。 是個例子，它是 Debian 套件管理程式。",
        # Short pieces (verse lines) stay together.
        "命屈由來道日新，詩家權柄敵陶鈞。 任無功業調金鼎，且有篇章到古人。",
        "Hello. World! How are you? Fine.",
    ],
)
def test_lines_that_must_not_be_split(line):
    assert fix(line) == line


def test_exclamation_and_closing_quote_end_a_paragraph():
    text = (
        "他說：“我們一定要把這件事情辦好，讓群眾滿意！” 會議要求各級部門認真落實這項工作部署，確保取得實效。"
    )
    assert fix(text).split("\n") == [
        "他說：“我們一定要把這件事情辦好，讓群眾滿意！”",
        "會議要求各級部門認真落實這項工作部署，確保取得實效。",
    ]


@pytest.mark.parametrize(
    "text,want",
    [
        ("\u3000\u3000第一段。", "第一段。"),
        ("\xa0\xa0第一段。\t", "第一段。"),
        ("第一段。\n\n\n第二段。\n", "第一段。\n第二段。"),
        ("\n\n  第一段。\n \u3000\n第二段。  \n\n", "第一段。\n第二段。"),
        ("   ", ""),
    ],
)
def test_spaces_and_blank_lines(text, want):
    assert fix(text) == want


def test_edit_kinds_and_offsets():
    doc = Document("  甲。\n\n乙 ")
    Layout()(doc)
    assert doc.text == "甲。\n乙"
    assert [(e.kind, e.before, e.offset) for e in doc.edits] == [
        ("indent", "  ", 0),
        ("blank-lines", "\n", 4),
        ("trailing-space", " ", 7),
    ]


def test_clean_text_is_untouched():
    text = "會議指出，要堅持穩中求進。\n王暉在發言時表示，南通將深入貫徹落實。"
    assert list(Layout().find(text)) == []
