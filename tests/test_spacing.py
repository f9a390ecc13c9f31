"""The spacing step: a space that splits a Chinese word goes, spaces between phrases and names stay."""

from pathlib import Path

import pytest

from zhclean import Document
from zhclean.steps.ruby import RubyPinyin
from zhclean.steps.spacing import CjkSpacing

SEEDS = Path(__file__).parent / "data" / "seeds"


def seed(name: str) -> str:
    return RubyPinyin().fix((SEEDS / f"{name}.txt").read_text(encoding="utf-8"))


def test_seed_002_title_loses_only_the_split():
    raw = seed("002_569066d2daf438f6")
    doc = Document(raw)
    CjkSpacing()(doc)
    title = (SEEDS / "expected" / "002_569066d2daf438f6.hant.txt").read_text(encoding="utf-8").splitlines()[0]
    assert doc.text.splitlines()[0] == title
    assert [(e.kind, e.before, e.after) for e in doc.edits] == [("space", " ", "")]
    assert raw[doc.edits[0].offset - 1 : doc.edits[0].offset + 2] == "發 展"


@pytest.mark.parametrize(
    "name, kept",
    [
        ("000_35e2ff2b08f608ad", "黃偉/文 吳勝/攝"),
        ("003_422704fa4de15eea", "記者葛燕 宋金平"),
        ("004_91ea96f5a4a05316", "(吳濤 伊然)"),
        ("004_91ea96f5a4a05316", "報道全球 傳播中國"),
        ("001_9fc454ccbfdced76", "問題。 調研"),
    ],
)
def test_seed_separator_spaces_stay(name, kept):
    text = seed(name)
    assert kept in text
    assert CjkSpacing().fix(text) == text


@pytest.mark.parametrize(
    "text, fixed",
    [
        ("推動長三角一體化發 展取得新成效", "推動長三角一體化發展取得新成效"),
        ("在這個時 間段內", "在這個時間段內"),
        ("系統會進 行檢查", "系統會進行檢查"),
        ("我们需要重 新引导系统", "我们需要重新引导系统"),
    ],
)
def test_split_words_are_joined(text, fixed):
    assert CjkSpacing().fix(text) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "穩字當頭穩中求進 勇擔使命勇挑重擔",
        "記者 王霞光",
        "新华社 北京9月6日电",
        "江苏 南通",
        "责任编辑 王伟",
        "中国 美国 日本",
        "默认 设置",  # two whole words: a compound may be written apart
        "不忘初心 牢记使命",
        "會議強調。 會前，與會人員",  # after punctuation: layout's business
        "新 聞 中 心",  # spaced-out title
        "先按 鍵 和",  # a gap left by a dropped inline element
        "春眠不覺曉 處處聞啼鳥",  # classical verse halves
        "使用 Python 編寫的 Linux 軟體",
        "發  展",  # two spaces: layout's business
    ],
)
def test_separator_spaces_stay(text):
    assert CjkSpacing().fix(text) == text
