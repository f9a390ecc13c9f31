"""The boilerplate step: furniture lines go, body paragraphs that mention furniture words stay."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhclean.document import Document
from zhclean.furniture import LineCounter
from zhclean.steps.boilerplate import Boilerplate, _is_anchored, load_rules, needles

DATA = Path(__file__).parent / "data"
SEEDS = DATA / "seeds" / "expected"
EVAL = DATA / "boilerplate_eval"

# Hand-written body paragraphs (not from the seeds) used around furniture lines.
P1 = "9月6日，省委召开全体会议，研究部署下一阶段重点工作，要求各地抓好疫情防控和经济社会发展。"
P2 = "会议指出，要坚持稳中求进工作总基调，扎实推进重大项目建设，持续优化营商环境。"
P3 = "会议强调，各级领导干部要履职尽责，确保各项任务落到实处，以优异成绩回报人民群众。"


def expected_page(seed: str) -> tuple[str, list[str], list[str]]:
    """(page text, body lines, furniture lines) of a seed: expected body plus its raw furniture lines."""
    body = (SEEDS / f"{seed}.hant.txt").read_text(encoding="utf-8").strip().split("\n")
    meta = json.loads((SEEDS / f"{seed}.json").read_text(encoding="utf-8"))
    furniture = [line for line in meta["removed_boilerplate"] if not line.startswith("(")]
    return "\n".join(body + furniture), body, furniture


@pytest.mark.parametrize("seed", ["002_569066d2daf438f6", "004_91ea96f5a4a05316"])
def test_seed_furniture_removed_body_kept(seed):
    text, body, furniture = expected_page(seed)
    doc = Document(text)
    Boilerplate()(doc)
    assert doc.text == "\n".join(body)
    assert [r.line for r in doc.removed] == furniture
    assert all(r.step == "boilerplate" and r.kind and r.reason for r in doc.removed)


def test_seed_kinds():
    text, _, _ = expected_page("002_569066d2daf438f6")
    doc = Document(text)
    Boilerplate()(doc)
    assert [r.kind for r in doc.removed] == ["copyright", "icp", "copyright", "contact", "contact", "contact"]


@pytest.mark.parametrize("path", sorted(EVAL.glob("seed_*.tsv")), ids=lambda p: p.stem)
def test_labelled_seed_pages(path):
    rows = [line.split("\t", 1) for line in path.read_text(encoding="utf-8").splitlines()]
    labels = Boilerplate().classify("\n".join(text for _, text in rows))
    for (label, text), predicted in zip(rows, labels, strict=True):
        if label != "metadata":
            assert (predicted is not None) == (label == "furniture"), text


def test_clean_body_untouched():
    _, body, _ = expected_page("002_569066d2daf438f6")
    text = "\n".join(body)
    assert Boilerplate().fix(text) == text
    hant = (SEEDS / "004_91ea96f5a4a05316.hant.txt").read_text(encoding="utf-8").strip()
    assert Boilerplate().fix(hant) == hant


def test_body_mentioning_copyright_and_icp_stays():
    text = "\n".join(
        [
            "著作权法修订草案公开征求意见",
            "新修订的著作权法规定，未经著作权人许可，任何人不得转载、摘编或以其他方式使用其作品。",
            "他说：“这本书的版权所有人是出版社，翻印必究。”",
            "据介绍，网站在取得ICP备案号之前不得开展经营活动，工信部将加强监管。",
            "“本书文字与图片，版权所有。”他笑着说。",
            P3,
        ]
    )
    doc = Document(text)
    Boilerplate()(doc)
    assert doc.removed == []


def test_furniture_between_paragraphs():
    text = "\n".join(["标题", P1, "分享到：", P2, "|", "【打印】【关闭窗口】", P3])
    assert Boilerplate().fix(text) == "\n".join(["标题", P1, P2, P3])


def test_traditional_and_full_width_forms_match():
    text = "\n".join(
        ["標題", P1, P2, "版權所有©2001-2023 某某網", "京ICP證000001號", "聯繫我們｜網站地圖｜設為首頁"]
    )
    doc = Document(text)
    Boilerplate()(doc)
    assert doc.text == "\n".join(["標題", P1, P2])
    assert [r.kind for r in doc.removed] == ["copyright", "icp", "navigation"]


def test_unseen_footer_menu_and_truncated_last_line():
    """No keyword: a run of short lines after the body, and a truncated last item."""
    text = "\n".join(["标题", P1, P2, "体育", "财经", "娱乐", "科技", "汽车", "南京"])
    doc = Document(text)
    Boilerplate()(doc)
    assert doc.text == "\n".join(["标题", P1, P2])
    assert {r.kind for r in doc.removed} == {"navigation"}


def test_header_menu_before_title_and_body():
    text = "\n".join(["网站首页 > 新闻中心 > 正文", "标题在这里", "首页", "要闻", "评论", P1, P2])
    assert Boilerplate().fix(text) == "\n".join(["标题在这里", P1, P2])


def test_subtitle_and_short_headings_inside_body_stay():
    text = "\n".join(["主标题", "副标题：推动高质量发展", P1, "一、加强组织领导", P2, "二、强化保障措施", P3])
    assert Boilerplate().fix(text) == text


def test_metadata_lines_are_left_for_the_metadata_step():
    text = "\n".join(
        ["标题", "2022-09-07 09:27 来源：新华社", P1, P2, "责任编辑：张三", "相关新闻", "热点推荐"]
    )
    doc = Document(text)
    Boilerplate()(doc)
    assert doc.text == "\n".join(["标题", "2022-09-07 09:27 来源：新华社", P1, P2, "责任编辑：张三"])


def test_removal_offsets_point_into_the_input():
    text = "\n".join(["标题", P1, "|", P2, "版权所有 某某网"])
    doc = Document(text)
    Boilerplate()(doc)
    for r in doc.removed:
        assert text[r.offset : r.offset + len(r.line)] == r.line


def test_repeated_lines_from_counts(tmp_path):
    footer = "本站所有文章欢迎读者朋友留言讨论"  # no vocabulary: only its repetition gives it away
    counter = LineCounter()
    for k in range(6):
        counter.add(f"标题{k}\n第{k}篇文章的正文，内容各不相同，讨论第{k}个问题。\n{footer}")
    path = tmp_path / "counts.npz"
    counter.save(path)
    step = Boilerplate(repeated_lines=str(path), min_docs=5)
    doc = Document(f"新标题\n{P1}\n{P2}\n{footer}")
    step(doc)
    assert doc.text == f"新标题\n{P1}\n{P2}"
    assert doc.removed[0].kind == "repeated"
    kept = f"新标题\n{P1}\n{P2}\n{footer}"
    assert Boilerplate(repeated_lines=str(path), min_docs=7).fix(kept) == kept
    inside = f"新标题\n{P1}\n{footer}\n{P2}"  # a short repeated line between paragraphs is a heading
    assert step.fix(inside) == inside


POOL = [
    P1,
    P2,
    P3,
    "标题",
    "|",
    "•",
    "",
    "首页",
    "要闻",
    "分享到：",
    "版权所有 某某网",
    "京ICP备12345678号",
    "来源：新华社",
    "（记者 张三）",
    "2023-01-01",
    "武汉",
    "一、总体要求",
    "他说：“版权所有。”",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(POOL), max_size=12))
def test_only_whole_lines_removed_in_order(lines):
    """Property: the output is the input with some whole lines taken out, in order; records match."""
    text = "\n".join(lines)
    doc = Document(text)
    Boilerplate()(doc)
    out = [line for line in doc.text.split("\n") if line]
    it = iter(lines)
    assert all(any(line == x for x in it) for line in out)  # a subsequence
    assert len(out) + len(doc.removed) == sum(1 for x in lines if x)
    for r in doc.removed:
        assert text[r.offset : r.offset + len(r.line)] == r.line


def test_bulleted_list_at_the_end_of_the_body_stays():
    points = ["• 加强组织领导", "• 完善工作机制", "• 强化督查考核"]
    text = "\n".join(["标题", P1, P2, "会议提出三点要求：", *points, "版权所有 某某网"])
    assert Boilerplate().fix(text) == "\n".join(["标题", P1, P2, "会议提出三点要求：", *points])


def test_labelled_set_targets():
    """The whole labelled set (Debian manuals, LilyPond web site, seeds): the issue's targets."""
    step = Boilerplate()
    kept_body = kept_furniture = removed_furniture = 0
    for path in sorted(EVAL.glob("*.tsv")):
        rows = [line.split("\t", 1) for line in path.read_text(encoding="utf-8").splitlines()]
        for (label, _), predicted in zip(rows, step.classify("\n".join(t for _, t in rows)), strict=True):
            if label == "furniture":
                removed_furniture += predicted is not None
                kept_furniture += predicted is None
            elif label == "body":
                kept_body += predicted is None
    assert kept_body + kept_furniture > 2000
    assert kept_body / (kept_body + kept_furniture) >= 0.995  # body-line precision
    assert removed_furniture / (removed_furniture + kept_furniture) >= 0.95  # boilerplate recall


def test_notice_keeps_its_contact_line_and_signature():
    body = [
        "关于开展2023年度安全生产检查的通知",
        "各区县应急管理局：",
        "为深入贯彻落实安全生产工作部署，切实防范化解重大安全风险，现就有关事项通知如下：",
        "一、检查时间",
        "2023年5月15日至6月30日。",
        "二、工作要求",
        "各单位要高度重视，精心组织，确保检查工作取得实效。",
        "联系人：张三，电话：0513-12345678",  # alone: the notice's own contact
        "附件：检查表.doc",
        "南通市应急管理局",
    ]
    footer = [
        "【打印本页】【关闭窗口】",
        "主办单位：南通市应急管理局 版权所有",
        "苏ICP备12345678号 苏公网安备32060202000123号",
        "联系电话：0513-87654321",  # in the footer block: the site's
    ]
    doc = Document("\n".join(["网站首页 | 机构概况 | 政务公开 | 办事服务", *body, *footer]))
    Boilerplate()(doc)
    assert doc.text == "\n".join(body)
    assert [r.kind for r in doc.removed] == ["navigation", "share", "copyright", "icp", "contact"]


@pytest.mark.parametrize(
    ("pattern", "anchored"),
    [
        ("^首页$", True),
        ("^(a|b)c", True),
        ("^[|]x", True),
        (r"^\|a", True),
        ("^[]|]", True),
        ("^a|b", False),
        ("valid|^validation$", False),
        ("版权所有", False),
    ],
)
def test_anchored_patterns_are_told_from_floating_ones(pattern: str, anchored: bool) -> None:
    assert _is_anchored(pattern) is anchored


# Furniture-like and body-like line forms, for checks of how rules are searched.
FORMS = [
    "首页 > 新闻 > 正文",
    "分享到:微信 微博",
    "本站版权所有 icp备12345678号",
    "validation",
    "w3c xhtml",
    "他说:分享是美德。",
    "返回顶部",
    "更多>>",
    "english | 简体中文",
    "2023年5月1日",
    "联系电话:0513-68218870 邮箱:ntrb@163.com",
    "© 2023 南通日报社",
    "字体:大 中 小",
]


def test_split_vocabulary_finds_what_the_whole_pattern_finds() -> None:
    for rule in load_rules():
        for form in FORMS:
            assert rule.search(form) is bool(rule.pattern.search(form)), (rule.kind, form)


@pytest.mark.parametrize(
    "pattern, found",
    [
        (r"icp\s*[备证]", {"icp"}),
        (r"(字号|字体)\s*:?", {"字号", "字体"}),
        (r"^(目录|目次)$", {"目录", "目次"}),
        (r"[新网]网?备\s*\d{5,}", {"新备", "新网备", "网备", "网网备"}),
        (r"(?:ab)+c?", {"ab"}),
        (r"\d+", None),
        (r"a|b*", None),
        (r"(?i)abc", None),
    ],
)
def test_needles_of_a_pattern(pattern: str, found: set[str] | None) -> None:
    assert needles(pattern) == (None if found is None else frozenset(found))


def test_every_line_a_rule_finds_holds_one_of_its_needles() -> None:
    for rule in load_rules():
        assert rule.needles
        for form in FORMS:
            if rule.search(form):
                assert any(n in form for n in rule.needles), (rule.kind, form)
