"""clean(clean(x)) == clean(x): a property test over generated seed-like web text."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypinyin import pinyin

from zhclean import clean

DATA = Path(__file__).parent / "data"
SENTENCES = [
    s + "。"
    for p in sorted((DATA / "seeds" / "expected").glob("*.txt"))
    for line in p.read_text(encoding="utf-8").splitlines()[1:]
    for s in line.split("。")
    if len(s) > 4
]
FURNITURE = ["分享讓更多人看到", "熱點推薦", "  • 為你推薦", "|", "</p>", "來源: 南通發布"]


def with_ruby(sentence: str, every: int) -> str:
    """Annotate every n-th Chinese character with its default pinyin, as flattened ruby does."""
    out = []
    for i, ch in enumerate(sentence):
        out.append(ch)
        if "\u4e00" <= ch <= "\u9fff" and i % every == 0:
            out.append(f"({pinyin(ch)[0][0]})")
    return "".join(out)


def with_ascii_punctuation(sentence: str) -> str:
    return sentence.replace("，", ",").replace("：", ":").replace("；", ";")


@st.composite
def web_pages(draw) -> str:
    paragraphs = []
    for _ in range(draw(st.integers(1, 5))):
        sents = draw(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4))
        para = "".join(sents)
        if draw(st.booleans()):
            para = with_ruby(para, draw(st.integers(2, 9)))
        if draw(st.booleans()):
            para = with_ascii_punctuation(para)
        if draw(st.booleans()):
            para = "  " + para
        paragraphs.append(para)
        if draw(st.booleans()):
            paragraphs.append("")
    if draw(st.booleans()):
        paragraphs.append(draw(st.sampled_from(FURNITURE)))
    return "\n".join(paragraphs)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page=web_pages(), script=st.sampled_from(["keep", "hans", "hant"]))
def test_clean_is_idempotent(page, script):
    once = clean(page, script=script).text
    twice = clean(once, script=script)
    assert twice.text == once
    assert twice.edits == []
