"""The five real seed pages: every defect family of DEFECTS.md is gone after clean(..., script="hans")."""

import re
from pathlib import Path

import pytest

from zhclean import clean

SEEDS = Path(__file__).parent / "data" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
HAN = r"[\u4e00-\u9fff]"
PY = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
RESIDUE = {
    "ruby unit X(pinyin)": rf"{HAN}[(（][{PY}]{{1,7}}[)）]",
    "straddle damage ?py)": rf"\?[{PY}]{{1,7}}\)",
    "ASCII , : ; ( ) beside Chinese": rf"{HAN}[,:;()]|[,:;()]{HAN}",
    "space inside Chinese": rf"{HAN} {HAN}",
    "HTML left over": r"</?\w+>|/p>|&[a-z]+;",
    "mojibake substitute ?": rf"\?{HAN}|{HAN}\?",
    "blank line or indentation": r"\n\n|^[ \u3000]|\n[ \u3000]",
}


@pytest.fixture(scope="module", params=SEED_FILES, ids=lambda p: p.name[:3])
def cleaned(request):
    raw = request.param.read_text(encoding="utf-8")
    return raw, clean(raw, script="hans")


@pytest.mark.parametrize("family", RESIDUE)
def test_no_residue_left(cleaned, family):
    raw, result = cleaned
    text = result.text
    if family == "space inside Chinese":  # a title keeps the spaces between its parts
        text = text.partition("\n")[2]
    left = re.findall(RESIDUE[family], text, flags=re.M)
    assert left == [], f"{family}: {left[:5]}"


def test_output_is_simplified(cleaned):
    _, result = cleaned
    for trad in "這個時發會區經實開門們說":
        assert trad not in result.text


def test_every_edit_points_into_the_input(cleaned):
    raw, result = cleaned
    for e in result.edits:
        if e.step in ("ruby", "punctuation", "unicode", "spacing"):
            assert raw[e.offset : e.offset + len(e.before)] == e.before, e
    for r in result.removed:
        assert 0 <= r.offset <= len(raw)


@pytest.mark.parametrize("seed", ["002_569066d2daf438f6", "004_91ea96f5a4a05316"])
@pytest.mark.parametrize("script,suffix", [("hans", ".txt"), ("keep", ".hant.txt")])
def test_body_matches_expected(seed, script, suffix):
    raw = (SEEDS / f"{seed}.txt").read_text(encoding="utf-8")
    expected = (SEEDS / "expected" / f"{seed}{suffix}").read_text(encoding="utf-8").strip("\n")
    assert clean(raw, script=script).text == expected
