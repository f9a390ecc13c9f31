"""The ruby step: flattened HTML ruby pinyin after a character goes, real brackets stay."""

import re
from pathlib import Path

import pytest

from zhclean import Document, clean
from zhclean.steps.ruby import RubyPinyin

SEEDS = Path(__file__).parent / "data" / "seeds"
RUBY_SEEDS = ["000_35e2ff2b08f608ad", "001_9fc454ccbfdced76", "003_422704fa4de15eea", "004_91ea96f5a4a05316"]
# A Han character followed by one bracketed lower-case pinyin-looking syllable (written independently
# of the step: any tone-marked or plain Latin letters).
PINYIN_UNIT = re.compile(r"[\u4e00-\u9fff][(（][a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+[)）]")
FULL_WIDTH = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?"})


def seed(name: str) -> str:
    return (SEEDS / f"{name}.txt").read_text(encoding="utf-8")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text.translate(FULL_WIDTH))


@pytest.mark.parametrize("name", RUBY_SEEDS)
def test_seed_ruby_units_all_go(name):
    raw = seed(name)
    units = PINYIN_UNIT.findall(raw)
    assert len(units) > 100
    doc = Document(raw)
    RubyPinyin()(doc)
    assert PINYIN_UNIT.findall(doc.text) == []
    assert len(doc.edits) == len(units) == doc.meta["ruby_units"]
    assert {e.kind for e in doc.edits} == {"ruby"}
    assert all(raw[e.offset : e.offset + len(e.before)] == e.before for e in doc.edits)


def test_seed_004_matches_expected_body_up_to_punctuation_and_spaces():
    fixed = squeeze(RubyPinyin().fix(seed("004_91ea96f5a4a05316")))
    expected = (SEEDS / "expected" / "004_91ea96f5a4a05316.hant.txt").read_text(encoding="utf-8")
    for line in expected.splitlines():
        assert squeeze(line) in fixed


def test_seed_legitimate_brackets_stay():
    fixed = RubyPinyin().fix(seed("001_9fc454ccbfdced76")) + RubyPinyin().fix(seed("004_91ea96f5a4a05316"))
    assert "技(江蘇)" in fixed
    assert "(泰州)" in fixed
    assert "(吳濤 伊然)" in fixed


def test_seed_without_ruby_is_untouched():
    doc = Document(seed("002_569066d2daf438f6"))
    RubyPinyin()(doc)
    assert doc.edits == [] and "ruby_units" not in doc.meta


def test_examples():
    fix = RubyPinyin().fix
    assert fix("調(diào)研時(shí)強(qiáng)調(diào)") == "調研時強調"
    assert fix("長(zhǎng)三角") == "長三角"  # any reading of the char counts
    assert fix("調（diào）研") == "調研"
    assert fix("調(diào）研") == "調研"
    assert fix("調(diao4)研時(shi2)") == "調研時"
    assert fix("綠(lǜ)色綠(lv4)色綠(lü4)色綠(lu:4)色") == "綠色綠色綠色綠色"
    assert fix("長(zha\u030cng)三角") == "長三角"  # decomposed tone mark
    assert fix("長(zhăng)三角") == "長三角"  # breve look-alike
    assert fix("的(de5)的(de0)") == "的的"


def test_toneless_syllable_needs_toned_units_in_the_same_document():
    fix = RubyPinyin().fix
    assert fix("他的(de)書") == "他的(de)書"
    assert fix("調(diao)研") == "調(diao)研"
    assert fix("調(diào)研的(de)書(shū)") == "調研的書"


@pytest.mark.parametrize(
    "text",
    [
        "南通市(江蘇)召開會議",
        "國內生產總值（GDP）增長",
        "發布時間(2022)",
        "(記者 王霞光)",
        "人工智能(AI)技術",
        "用(Python)編寫",
        "電腦(computer)與手機(phone)",
        "北京(běijīng)是首都",  # several syllables: a gloss, not ruby
        "調(zhōng)研",  # not a reading of 調
        "A(ā)、B(bō)",  # not after a Han character
        "「能(neng)」字",  # toneless, no toned ruby around
        "臺灣的資訊軟體(ruǎn tǐ)產業",
        "床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。",
    ],
)
def test_legitimate_text_is_unchanged(text):
    assert RubyPinyin().fix(text) == text


@pytest.mark.parametrize("name", ["000_35e2ff2b08f608ad", "003_422704fa4de15eea", "004_91ea96f5a4a05316"])
def test_clean_hans_leaves_no_pinyin_units(name):
    # `?tīng)`-style straddle units (no opening bracket) are the gbk_damage step's; they are not matched.
    assert PINYIN_UNIT.findall(clean(seed(name), script="hans").text) == []
