"""The metadata step: title, date, source, authors and site into `meta`; their lines out of the body."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhclean import clean
from zhclean.document import Document
from zhclean.furniture import to_simplified
from zhclean.steps.boilerplate import Boilerplate
from zhclean.steps.metadata import Metadata, is_metadata_line, parse_credits, parse_date

SEEDS = Path(__file__).parent / "data" / "seeds"

P1 = "会议指出，要坚持稳中求进工作总基调，扎实推进重大项目建设，持续优化营商环境。"
P2 = "会议强调，各级领导干部要履职尽责，确保各项任务落到实处，以优异成绩回报人民群众。"


def run(text: str) -> Document:
    doc = Document(text)
    Boilerplate()(doc)
    Metadata()(doc)
    return doc


def test_date_and_source_line_traditional():
    doc = run("\n".join(["標題", "2022-09-07 09:27:00 來源： 南通發布", "9月6日，" + P1, P2]))
    assert doc.text == "\n".join(["標題", "9月6日，" + P1, P2])
    assert doc.meta["title"] == "标题"
    assert doc.meta["date"] == "2022-09-07T09:27:00"
    assert doc.meta["source"] == "南通发布"
    assert doc.meta["date_in_text"] == "9月6日"
    assert doc.removed[0].kind == "metadata"


def test_trailing_source_and_author_lines_with_roles():
    doc = run(
        "\n".join(
            ["标题", P1, P2, "來源：交匯點", "作者：新華日報·交匯點記者 黃偉/文 吳勝/攝", "責任編輯：李明"]
        )
    )
    assert doc.text == "\n".join(["标题", P1, P2])
    assert doc.meta["source"] == "交汇点"
    assert doc.meta["authors"] == [
        {"name": "黄伟", "role": "writer"},
        {"name": "吴胜", "role": "photographer"},
        {"name": "李明", "role": "editor"},
    ]
    assert doc.meta["author"] == "黄伟 吴胜 李明"


def test_opening_byline_with_roles_removed_from_body():
    first = "通州日報訊 （通訊員施偉辦 瞿鎮輔 記者葛燕 宋金平）12月13日，區委召開務虛會暨調研成果交流會，深入學習貫徹全會精神。"
    doc = run("\n".join(["區委務虛會召開", first, P2]))
    assert doc.text.split("\n")[1] == "12月13日，區委召開務虛會暨調研成果交流會，深入學習貫徹全會精神。"
    assert doc.meta["source"] == "通州日报"
    assert doc.meta["authors"] == [
        {"name": "施伟办", "role": "correspondent"},
        {"name": "瞿镇辅", "role": "correspondent"},
        {"name": "葛燕", "role": "reporter"},
        {"name": "宋金平", "role": "reporter"},
    ]
    assert doc.meta["date_in_text"] == "12月13日"
    assert doc.removed[0].kind == "byline"


def test_self_named_outlet_gives_no_source():
    doc = run("\n".join(["标题", "本报讯（记者 张三）昨天，" + P1, P2]))
    assert doc.text == "\n".join(["标题", "昨天，" + P1, P2])
    assert "source" not in doc.meta
    assert doc.meta["authors"] == [{"name": "张三", "role": "reporter"}]
    assert doc.meta["date_in_text"] == "昨天"


def test_closing_byline_and_source_in_parentheses():
    doc = run("\n".join(["标题", P1, P2 + "（吳濤 伊然）"]))
    assert doc.text == "\n".join(["标题", P1, P2])
    assert doc.meta["author"] == "吴涛 伊然"
    assert doc.removed[-1].line == "（吳濤 伊然）"
    doc = run("\n".join(["标题", P1, P2 + "（新华社）"]))
    assert doc.text == "\n".join(["标题", P1, P2])
    assert doc.meta["source"] == "新华社"


@pytest.mark.parametrize(
    "last",
    [
        P2 + "（2023）",  # a year
        P2 + "（完）",  # one character, not a name
        "他说：“大家要团结一心（笑）。”",  # inside a sentence
        P2 + "（见附件一、附件二、附件三、附件四、附件五）",  # not names
    ],
)
def test_body_parentheses_that_are_not_bylines_stay(last):
    text = "\n".join(["标题", P1, last])
    doc = run(text)
    assert doc.text == text
    assert "authors" not in doc.meta


def test_site_from_footer_slogan_and_copyright():
    doc = run("\n".join(["标题", P1, P2, "分享讓更多人看到", "關注人民網，傳播正能量"]))
    assert doc.meta["site"] == "人民网"
    doc = run("\n".join(["标题", P1, P2, "南通日報社 2009-2021 版權所有", "蘇ICP備08106468-3號"]))
    assert doc.meta["site"] == "南通日报社"


def test_clean_text_untouched():
    text = "\n".join(["标题", "时间：2023年5月1日上午九时", P1, "地点：市民中心", P2])  # an event notice body
    doc = run(text)
    assert doc.text == text


def test_helpers():
    assert parse_date("2022年9月7日 9:27") == "2022-09-07T09:27:00"
    assert parse_date("2022/13/40") is None
    assert is_metadata_line("2022-09-07 09:27:00 来源: 南通发布")
    assert not is_metadata_line("来源于群众，服务于群众。")
    assert parse_credits("记者 张三 李四 通讯员 王五") == [
        {"name": "张三", "role": "reporter"},
        {"name": "李四", "role": "reporter"},
        {"name": "王五", "role": "correspondent"},
    ]
    assert parse_credits("这是一句很长的话不是人名") == []


def _seed(seed: str) -> tuple[str, str, dict]:
    raw = (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")
    body = (SEEDS / "expected" / f"{seed}.txt").read_text(encoding="utf-8").strip()
    return raw, body, json.loads((SEEDS / "expected" / f"{seed}.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("seed", ["002_569066d2daf438f6", "004_91ea96f5a4a05316"])
def test_seed_end_to_end(seed):
    raw, body, expected = _seed(seed)
    doc = clean(raw, script="hans")
    assert doc.text == body
    for key in ("title", "date", "source", "author", "date_in_text"):
        assert doc.meta.get(key) == expected[key], key
    assert doc.meta["site"] in expected["site"]
    ours = sorted((r for r in doc.removed if r.step in ("boilerplate", "metadata")), key=lambda r: r.offset)
    removed = [to_simplified(r.line) for r in ours]
    assert removed == expected["removed_boilerplate_clean"]


@pytest.mark.parametrize("seed", ["000_35e2ff2b08f608ad", "001_9fc454ccbfdced76", "003_422704fa4de15eea"])
def test_other_seeds_keep_no_furniture_or_byline(seed):
    raw = (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")
    doc = clean(raw, script="hans")
    title, *body = doc.text.split("\n")
    assert body and all(line.endswith(("。", "”")) for line in body), body[-1]
    assert not any(line.startswith(("来源", "作者", "记者")) or "日报讯" in line for line in body)
    assert doc.meta["title"] == title


def test_closing_source_and_editor_in_brackets():
    doc = run("\n".join(["标题", P1, P2 + "（来源：经济日报 责任编辑：张三）"]))
    assert doc.text == "\n".join(["标题", P1, P2])
    assert doc.meta["source"] == "经济日报"
    assert doc.meta["authors"] == [{"name": "张三", "role": "editor"}]
    doc = run("\n".join(["标题", P1, P2, "【責任編輯:王萌】"]))
    assert doc.text == "\n".join(["标题", P1, P2])
    assert doc.meta["author"] == "王萌"


@pytest.mark.parametrize(
    "head, date, source, author",
    [
        ("2023年07月31日 20:15 | 来源：新华网 | 作者：张三", "2023-07-31T20:15:00", "新华网", "张三"),
        ("来源：人民网-人民日报　　2023年07月31日08:35", "2023-07-31T08:35:00", "人民网-人民日报", None),
        ("发布时间：2023-07-31 来源：南通日报 【字体：大 中 小】", "2023-07-31", "南通日报", None),
        ("人民网北京7月31日电 （记者 李四）", None, "人民网", "李四"),
        (
            "稿源：交匯點新聞 編輯：王五 2023-07-31 10:00:01 瀏覽：1234次",
            "2023-07-31T10:00:01",
            "交汇点新闻",
            "王五",
        ),
    ],
)
def test_header_lines(head, date, source, author):
    doc = run("\n".join(["标题", head, P1, P2]))
    assert doc.text == "\n".join(["标题", P1, P2])
    assert (doc.meta.get("date"), doc.meta.get("source"), doc.meta.get("author")) == (date, source, author)


TRICKY = [
    "關注人民網，傳播正能量\n　乾隆年間 \n\n藉口\t很多  \r\nΑΣ\nΒ",
    "a\u0301\n\u0301b\nＡＢＣ１２３\n\u3000\u3000正文。\n x\x0b y \n",
    "İ\nK\n\x00後來\n\u2028x\x1c\n⑴ ㈱ ﹙a﹚\n",
]


@pytest.mark.parametrize(
    "text", TRICKY + [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
)
def test_whole_text_conversion_is_the_conversion_of_each_line(text):
    from zhclean.furniture import match_form
    from zhclean.steps.metadata import LineForms, line_forms

    lines = text.split("\n")
    assert line_forms(text) == [match_form(line) for line in lines]
    forms = LineForms(lines)
    assert [forms[i] for i in range(len(lines))] == [match_form(line) for line in lines]
    assert [forms.simplified(i).strip() for i in range(len(lines))] == [
        to_simplified(x.strip()) for x in lines
    ]


def test_quick_byline_tests_know_every_aligned_parenthesis_and_space():
    """`_PARENS` are all the characters aligned to `(`, and only spaces are aligned to spaces."""
    import sys
    import unicodedata

    from zhclean.steps.metadata import _CLOSING_PARENS, _PARENS

    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000 and c != 10]
    simplified = to_simplified("\n".join(chars)).split("\n")
    parens, closing, spaces = set(), set(), set()
    for c, s in zip(chars, simplified, strict=True):
        out = unicodedata.normalize("NFKC", s).lower()
        aligned = out if len(out) == 1 else c  # as `_aligned_char`
        if aligned == "(":
            parens.add(c)
        if aligned == ")":
            closing.add(c)
        if aligned.isspace() and not c.isspace():
            spaces.add(c)
    assert parens == set(_PARENS)
    assert closing == set(_CLOSING_PARENS)
    assert not spaces
