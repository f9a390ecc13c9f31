"""ASCII punctuation folded into Chinese text goes back to full width; ASCII that belongs stays."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from zhclean import Document
from zhclean.steps.punctuation import Punctuation

SEEDS = Path(__file__).parent / "data" / "seeds"
fix = Punctuation().fix
# A folded line put before each case: it shows the document went through a full-width fold.
FOLDED = "會議指出,要堅持穩中求進;\n"


def folded(line: str) -> str:
    return fix(FOLDED + line)[len(FOLDED) :]


def test_seed_002_body_matches_the_expected_traditional_text():
    raw = (SEEDS / "002_569066d2daf438f6.txt").read_text(encoding="utf-8").split("\n")
    gold = (SEEDS / "expected" / "002_569066d2daf438f6.hant.txt").read_text(encoding="utf-8").split("\n")
    # Lines 2-10 differ from the gold only by the fold (line 1 also has a split word).
    assert fix("\n".join(raw[1:10])).split("\n") == gold[1:10]


def test_seed_004_body_matches_after_ruby_is_gone():
    raw = (SEEDS / "004_91ea96f5a4a05316.txt").read_text(encoding="utf-8")
    gold = (SEEDS / "expected" / "004_91ea96f5a4a05316.hant.txt").read_text(encoding="utf-8").split("\n")
    no_ruby = re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùü]+\)", "", raw).split("\n")
    assert fix("\n".join(no_ruby[:5])).split("\n") == gold[:5]


@pytest.mark.parametrize(
    "line,want",
    [
        ("9月6日,省委書記", "9月6日，省委書記"),
        ("“三個大抓”,9月24日", "“三個大抓”，9月24日"),
        ("郵箱:ntrb@163.com", "郵箱：ntrb@163.com"),
        ("電話:0513-68218870", "電話：0513-68218870"),
        ("蜂巢蔚領動力科技(江蘇)有限公司", "蜂巢蔚領動力科技（江蘇）有限公司"),
        ("保障。(吳濤 伊然)", "保障。（吳濤 伊然）"),
        ("國內生產總值(GDP)增長", "國內生產總值（GDP）增長"),
        ("(1)加強監管;(2)完善制度", "（1）加強監管；（2）完善制度"),
        ("真的嗎?我不去", "真的嗎？我不去"),
        ("他到底去不去?", "他到底去不去？"),
        ("太好了!!", "太好了！！"),
        ("來源: 南通發布", "來源：南通發布"),
    ],
)
def test_folded_marks_become_full_width(line, want):
    assert folded(line) == want


@pytest.mark.parametrize(
    "line",
    [
        "共計1,000人",
        "增長3.5個百分點",
        "2022-09-07 09:27:00",
        "比分3:1",
        "蘇ICP備08106468-3號",
        "網址https://www.example.com/a?b=1&c=2",
        "Hello, world (see below)",
        "e.g. (see below)",
        "函數f(x)的值",
        "參見 ls(1) 命令",
        "軟件包中的 (8) 工具",
        "取得?成效",
        "顯著成就?!笆逦濉比匀",
        "А?",
        "開個玩笑:-)",
        'printf("你好,世界");',
        "if (a != b) { x = 1; }",
        "x = f(你好, 世界)",
    ],
)
def test_ascii_that_belongs_stays(line):
    assert folded(line) == line


@pytest.mark.parametrize(
    "text",
    [
        # Taiwan text and classical text already use full-width marks.
        "台灣的冬天不太冷，但是很潮濕：出門記得帶傘；回家記得換衣服！",
        "子曰：學而時習之，不亦說乎？有朋自遠方來，不亦樂乎！",
        # Chosen ASCII brackets in otherwise full-width text stay (no fold evidence).
        "磁碟陣列 (RAID) 是一種技術，能把多個分區 (見下方) 合成一個。",
        "升級到新版本應當是靜默且非侵入式的(已有用戶應當只在發現舊的問題被修復時注意到變化)。",
        "不要開啟基於 rhost 的認證( 中的 )。",
    ],
)
def test_text_without_a_fold_is_untouched(text):
    assert Punctuation().find(text) == []


def test_in_unfolded_text_only_a_comma_between_hanzi_changes():
    text = "他說：北京,上海都很好 (真的)。"
    assert fix(text) == "他說：北京，上海都很好 (真的)。"


def test_edits_are_recorded_with_kind_punctuation():
    doc = Document("會議指出,要堅持(江蘇)")
    Punctuation()(doc)
    assert [(e.kind, e.before, e.after, e.offset) for e in doc.edits] == [
        ("punctuation", ",", "，", 4),
        ("punctuation", "(", "（", 8),
        ("punctuation", ")", "）", 11),
    ]


def test_assume_folded_repairs_a_snippet_without_evidence():
    assert fix("他說:你好(真的)") == "他說:你好(真的)"
    assert Punctuation(assume_folded=True).fix("他說:你好(真的)") == "他說：你好（真的）"
