"""Unicode hygiene: invisible, control and private-use characters go; Latin mojibake is fixed, CJK-safely."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhclean import Document
from zhclean.steps.unicode_hygiene import UnicodeHygiene

SEEDS = Path(__file__).parent / "data" / "seeds"
fix = UnicodeHygiene().fix


@pytest.mark.parametrize(
    "text,want",
    [
        ("第一段\r\n第二段\r第三段", "第一段\n第二段\n第三段"),
        ("第一\x07段\x00", "第一段"),
        ("第一段\u2028第二段", "第一段\n第二段"),
        ("列\t表", "列\t表"),
        ("\x1b[31m紅色\x1b[0m文字", "紅色文字"),
        ("\ufeff發展理念", "發展理念"),
        ("發展\u200b理念", "發展理念"),
        ("發\u00ad展", "發展"),
        ("中\u200d文", "中文"),
        ("中文\u200e", "中文"),
        ("成果\ue4c6展示", "成果展示"),
        ("Ã©tÃ© 夏天", "été 夏天"),
        ("café â€“ 咖啡", "café – 咖啡"),
        ("ä¸­æ–‡", "中文"),
    ],
)
def test_repairs(text, want):
    assert fix(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "“你好”，世界：今天；明天！（好）？",  # ftfy's defaults would fold the width and uncurl the quotes
        "新華日報·交匯點記者 黃偉/文",
        "豈有此理",  # a CJK compatibility ideograph (U+F900): NFC would change it
        "ｗｗｗ全角字母１２３",
        "👨\u200d👩\u200d👧 一家人",  # a joiner that is needed
        "ﬁ ligature and naïve café",
        "Ｃ語言",
    ],
)
def test_text_that_must_stay(text):
    assert UnicodeHygiene().find(text) == []


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_seed_pages_have_nothing_to_fix(path):
    assert UnicodeHygiene().find(path.read_text(encoding="utf-8")) == []


def test_edit_kinds():
    doc = Document("甲\r\n乙\u200b丙\ue000丁\x01 Ã©")
    UnicodeHygiene()(doc)
    assert doc.text == "甲\n乙丙丁 é"
    assert [e.kind for e in doc.edits] == [
        "control-char",
        "invisible-char",
        "private-use",
        "control-char",
        "latin-mojibake",
    ]
