"""Quality signals and filters on real Chinese text and on constructed damage."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhclean import Document, build_pipeline
from zhclean.document import Removal
from zhclean.steps.quality import Quality, ngram_shares, signals

EXPECTED = Path(__file__).parent / "data" / "seeds" / "expected"


def article(name: str = "002_569066d2daf438f6.txt") -> str:
    return (EXPECTED / name).read_text(encoding="utf-8").strip()


def quality_of(text: str, **options) -> dict:
    doc = Document(text)
    Quality(**options)(doc)
    return doc.meta["quality"]


def test_clean_article_has_high_chinese_share_no_garble_and_passes():
    q = quality_of(article())
    assert q["cjk_share"] > 0.85 and q["garble_chars"] == 0 and q["replacement_chars"] == 0
    assert q["lines"] == 10 and q["blank_lines"] == 0 and q["dup_line_share"] == 0.0
    assert q["lang"] == "zh" and q["lang_score"] > 0.9
    assert "drop_reason" not in q


def test_traditional_article_is_chinese_too():
    q = quality_of(article("004_91ea96f5a4a05316.hant.txt"), languages=["zh"], min_language_score=0.8)
    assert q["lang"] == "zh" and "drop_reason" not in q


def test_line_ending_in_chinese_full_stop_is_no_worse_than_ascii_full_stop():
    zh = quality_of("今天天气很好。\n我们去公园散步。", min_chars=5, max_dup_line_share=0.1)
    en = quality_of("今天天气很好.\n我们去公园散步.", min_chars=5, max_dup_line_share=0.1)
    assert zh["end_punct_share"] == en["end_punct_share"] == 1.0
    assert "drop_reason" not in zh and "drop_reason" not in en


def test_residual_garble_is_counted_and_can_be_filtered():
    text = "奮勇?tīng)先，重?擔，日??報\ufffd，正文\ue4c6內容锟斤拷。"
    q = quality_of(text, max_garble_share=0.05)
    # ? before t, ? after 重, ?? , U+FFFD, one PUA char, 锟斤拷
    assert q["garble_chars"] == 1 + 1 + 2 + 1 + 1 + 3
    assert q["replacement_chars"] == 1
    assert q["drop_reason"] == "garbled"
    assert quality_of("你好吗? I am fine?")["garble_chars"] == 1  # only the ? right after Chinese


def test_question_mark_in_clean_text_is_not_garble_after_fullwidth_conversion():
    assert quality_of("你今天去哪里？我去学校。")["garble_chars"] == 0


def test_repetition_signals_follow_gopher_on_characters():
    spam = "\n".join(["点击这里领取大奖"] * 6)
    q = quality_of(spam, max_dup_line_share=0.3)
    assert q["dup_line_share"] == pytest.approx(5 / 6, abs=1e-4)
    assert q["drop_reason"] == "repeated-lines"
    assert ngram_shares("哈哈哈哈")["top_2gram_share"] == 1.0
    assert ngram_shares("甲乙丙丁")["top_2gram_share"] == 0.0
    repeated = ngram_shares("甲乙丙丁戊甲乙丙丁戊己")
    assert repeated["dup_5gram_share"] == 10 / 11
    assert repeated["top_3gram_share"] == 6 / 11
    assert repeated["dup_7gram_share"] == 0.0  # the repeat is 5 characters long
    # the 10-gram at 0 recurs at 5: together they cover all 15 characters
    assert ngram_shares("甲乙丙丁戊甲乙丙丁戊甲乙丙丁戊")["dup_10gram_share"] == 1.0
    assert "drop_reason" not in quality_of(article(), max_dup_line_share=0.3, max_top_ngram_share=0.2)


def test_furniture_share_counts_removed_lines():
    doc = Document("正文第一段。")
    doc.removed.append(Removal("boilerplate", "copyright", "版权所有 不得转载", "copyright", 6))
    Quality()(doc)
    assert doc.meta["quality"]["furniture_share"] == round(9 / (9 + 6), 4)


def test_language_filter_and_script_from_meta():
    doc = Document("This page is written entirely in English and has no Chinese at all.")
    doc.meta["script"] = "hans"
    Quality(languages=["zh"])(doc)
    q = doc.meta["quality"]
    assert q["lang"] == "en" and q["drop_reason"] == "language" and q["script"] == "hans"
    assert q["cjk_share"] == 0.0


def test_defaults_flag_only_empty_documents():
    assert quality_of(" \n ")["drop_reason"] == "empty"
    assert "drop_reason" not in quality_of("短。")
    assert quality_of("短。", min_chars=10)["drop_reason"] == "too-short"
    assert quality_of("Hello world, 你好", min_cjk_share=0.5)["drop_reason"] == "low-cjk-share"


def test_step_options_come_from_the_config():
    pipe = build_pipeline({"step": [{"name": "quality", "min_chars": 50, "detect_language": False}]})
    doc = pipe("一句话。")
    assert doc.meta["quality"]["drop_reason"] == "too-short" and "lang" not in doc.meta["quality"]
    assert doc.text == "一句话。" and doc.edits == []


def test_signals_leave_text_untouched_and_are_numbers():
    text = article()
    doc = Document(text)
    Quality()(doc)
    assert doc.text == text and doc.edits == [] and doc.removed == []
    assert all(isinstance(v, (int, float)) for k, v in signals(text).items())


def _ngram_shares_by_definition(chars: str) -> dict[str, float]:
    """Gopher's character repetition signals written out with string n-grams and a Counter."""
    from collections import Counter

    out = {}
    for n in (2, 3, 4):
        counts = Counter(chars[i : i + n] for i in range(len(chars) - n + 1))
        top = max(counts.values(), default=0)
        out[f"top_{n}gram_share"] = min(1.0, top * n / len(chars)) if top >= 2 else 0.0
    for n in (5, 7, 10):
        grams = [chars[i : i + n] for i in range(len(chars) - n + 1)]
        counts = Counter(grams)
        covered = set()
        for i, gram in enumerate(grams):
            if counts[gram] > 1:
                covered.update(range(i, i + n))
        out[f"dup_{n}gram_share"] = len(covered) / len(chars) if chars else 0.0
    return out


@given(
    st.lists(st.sampled_from(["甲乙", "丙", "丁戊己", "𠀀", "a", "1", "。", "甲乙丙丁戊庚辛"]), max_size=40)
)
def test_ngram_shares_match_the_definition(pieces):
    chars = "".join(pieces)
    assert ngram_shares(chars) == pytest.approx(_ngram_shares_by_definition(chars))


def test_ngram_shares_match_the_definition_on_an_article():
    chars = "".join(article().split())
    assert ngram_shares(chars) == pytest.approx(_ngram_shares_by_definition(chars))
