"""HTML remnants: tags, orphan tag pieces and entities go; text that only looks like markup stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhclean import Document
from zhclean.steps.html_remnants import HtmlRemnants

SEEDS = Path(__file__).parent / "data" / "seeds"
fix = HtmlRemnants().fix


def test_seed_003_orphan_close_tag_is_removed():
    raw = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    doc = Document(raw)
    HtmlRemnants()(doc)
    assert "/p>" not in doc.text
    assert doc.text.split("\n")[5].endswith("確保取得實(shí)打?qū)嵉某尚А?")
    assert [(e.kind, e.before) for e in doc.edits] == [("html-fragment", "/p>")]
    assert raw[doc.edits[0].offset : doc.edits[0].offset + 3] == "/p>"


@pytest.mark.parametrize(
    "text,want",
    [
        ("確保取得實效。/p>", "確保取得實效。"),
        ("確保取得實效。</p>", "確保取得實效。"),
        ("會議召開。<br/>會議指出", "會議召開。\n會議指出"),
        ("正文</p><p>下文", "正文\n下文"),
        ('<span class="title">南通</span>發布', "南通發布"),
        ('<img src="a.jpg" alt="圖" />圖說', "圖說"),
        ("<P>大寫標籤</P>", "大寫標籤"),
        ("正文<p", "正文"),
        ('正文<span style="color:red"', "正文"),
        ('class="content">正文', "正文"),
        ("換行br/>正文", "換行正文"),
        ("nbsp;nbsp;正文", "  正文"),
        ("<!-- 注釋 -->正文<script>var a = 1;</script>", "正文"),
        ("中&#x6587;&#25991;", "中文文"),
        ("甲&nbsp;乙&nbsp&nbsp丙", "甲 乙  丙"),
        ("甲&amp;乙", "甲&乙"),
        ("甲&amp;nbsp;乙", "甲 乙"),
        ("&lt;人民日報&gt;", "<人民日報>"),
    ],
)
def test_remnants_are_removed(text, want):
    assert fix(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "a < b > c",
        "if a<b and c>d then",
        "x->y",
        "<人民日報>發表評論",
        "1/2>0",
        "p>0.05 說明差異不顯著",
        "?a=1&copy=2",
        "未知實體&foo;保留",
        "&#0;",
        "《人民日報》",
    ],
)
def test_text_that_looks_like_markup_stays(text):
    assert HtmlRemnants().find(text) == []


def test_edit_kinds():
    doc = Document("甲</p>乙&amp;丙/p>")
    HtmlRemnants()(doc)
    assert doc.text == "甲\n乙&丙"
    assert [(e.kind, e.before, e.after) for e in doc.edits] == [
        ("html-tag", "</p>", "\n"),
        ("html-entity", "&amp;", "&"),
        ("html-fragment", "/p>", ""),
    ]


def test_escaped_markup_in_running_text_stays_and_cleaning_is_idempotent():
    from zhclean import clean

    text = "正文里写了&lt;p&gt;标签的用法。"
    once = clean(text).text
    assert once == text
    assert clean(once).text == once
