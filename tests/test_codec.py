"""WrongCodecRepair: Chinese text whose bytes were decoded with the wrong codec comes back; clean text stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from zhclean import Document
from zhclean.steps.codec import WrongCodecRepair

EXPECTED = Path(__file__).parent / "data" / "seeds" / "expected"
HANS = [
    line
    for path in sorted(EXPECTED.glob("*[0-9].txt"))
    for line in path.read_text(encoding="utf-8").splitlines()
    if line.strip()
]
HANT = [
    line
    for path in sorted(EXPECTED.glob("*.hant.txt"))
    for line in path.read_text(encoding="utf-8").splitlines()
    if line.strip()
]
OTHER = [
    "今天下午三点，我们在图书馆二楼的会议室讨论了新学期的课程安排。",
    "這個軟體可以在 Linux、macOS 和 Windows 上執行，安裝方法請參考說明文件。",
    "据统计，2023年全市共接待游客1.2亿人次，同比增长35.6%。",
]


@pytest.fixture(scope="module")
def repair() -> WrongCodecRepair:
    return WrongCodecRepair()


def garble(text: str, actual: str, misread: str) -> str:
    """The mojibake a program makes when it decodes `actual` bytes with `misread` (losing bad bytes)."""
    return text.encode(actual).decode(misread, errors="replace")


def char_errors(a: str, b: str) -> int:
    """Levenshtein distance (small texts only)."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


# Lossless chains: every byte survives the wrong decode, so the repair must be exact.
@pytest.mark.parametrize(
    "lines, actual, misread",
    [
        (HANS + OTHER, "gbk", "latin-1"),
        (HANS + OTHER, "gbk", "cp1252"),
        (HANS + OTHER, "utf-8", "latin-1"),
        (HANT, "cp950", "gb18030"),  # Big5 page read as GBK
        (HANS + OTHER, "gbk", "cp950"),  # GBK page read as Big5 (where Big5 has every pair)
    ],
)
def test_lossless_wrong_codec_lines_come_back_exactly(repair, lines, actual, misread):
    garbled = [(line, garble(line, actual, misread)) for line in lines]
    lossless = [(line, bad) for line, bad in garbled if "\ufffd" not in bad]
    assert len(lossless) >= 3
    for line, bad in lossless:
        assert repair.fix(bad) == line


def test_utf8_read_as_gbk_whole_text(repair):
    text = "\n".join(HANS)
    garbled = garble(text, "utf-8", "gb18030")
    assert "鎵" in garbled  # 扬 = E6 89 AC: E6 89 read as one GBK character
    fixed = repair.fix(garbled).splitlines()
    assert len(fixed) == len(HANS)
    errors = sum(char_errors(a, b) for a, b in zip(fixed, HANS, strict=True))
    assert errors <= 0.03 * len(text)


def test_lossy_decoder_bytes_are_guessed_in_context(repair):
    # Python's gbk decoder loses bytes it cannot pair (U+FFFD); the model fills most of them back
    text = "\n".join(HANS[:8])
    garbled = garble(text, "utf-8", "gbk")
    assert garbled.count("\ufffd") > 20
    fixed = repair.fix(garbled).splitlines()
    errors = sum(char_errors(a, b) for a, b in zip(fixed, HANS[:8], strict=True))
    assert errors <= 0.03 * len(text)


def test_lost_final_byte_is_allowed(repair):
    # 9 UTF-8 bytes read as GBK: the last byte has no partner and is lost
    assert repair.fix(garble("你好吗？我很好。", "utf-8", "gbk")) == "你好吗？我很好。"
    assert repair.fix(garble("我们明天见", "utf-8", "gbk")[:-1]) == "我们明天见"


def test_utf8_read_as_cp1252_is_ours_not_ftfys(repair):
    assert repair.fix("ä½\xa0å¥½ï¼Œä¸–ç•Œã€‚æˆ‘ä»¬çš„æœ‹å\x8f‹") == "你好，世界。我们的朋友"


def test_double_encoding_two_rounds(repair):
    line = OTHER[0]
    # GBK read as Latin-1, saved as UTF-8, read as GBK again: the classic 脦脪脙脟 mojibake
    twice = garble(garble(line, "gbk", "latin-1"), "utf-8", "gbk")
    assert twice.startswith("陆帽脤矛")
    doc = Document(twice)
    repair(doc)
    assert doc.text == line
    assert doc.edits[0].reason == "utf-8 read as gbk, then gbk read as latin-1"
    assert repair.fix(garble(garble(line, "utf-8", "latin-1"), "utf-8", "latin-1")) == line


def test_double_encoding_with_lost_bytes_mostly_comes_back(repair):
    # each lossy round loses a few bytes for good, so a few characters stay wrong
    line = OTHER[0]
    twice = garble(garble(line, "utf-8", "gb18030"), "utf-8", "gb18030")
    fixed = repair.fix(twice)
    assert char_errors(fixed, line) <= 0.2 * len(line) < char_errors(twice, line) / 5


def test_only_the_broken_paragraph_is_repaired_and_recorded(repair):
    broken = garble(HANS[2], "utf-8", "gb18030")
    text = f"{HANS[0]}\n{broken}\n{HANS[3]}\n"
    doc = Document(text)
    repair(doc)
    lines = doc.text.splitlines()
    assert lines[0] == HANS[0] and lines[2] == HANS[3]
    assert char_errors(lines[1], HANS[2]) <= 2
    assert {e.kind for e in doc.edits} == {"wrong-codec"}
    assert doc.edits[0].reason == "utf-8 read as gbk"
    assert doc.edits[0].offset == len(HANS[0]) + 1
    assert doc.meta["codec_repair"]["codecs"] == ["utf-8 read as gbk"]


def test_mojibake_segment_inside_a_clean_line(repair):
    segment = "我们的朋友都在北京工作"
    text = f"原文如下：{garble(segment, 'gbk', 'latin-1')}（转载）"
    assert repair.fix(text) == f"原文如下：{segment}（转载）"
    text = f"原文如下：{garble(segment, 'utf-8', 'gb18030')} 请查收。"
    assert repair.fix(text) == f"原文如下：{segment} 请查收。"


def test_short_lines_of_a_broken_page_are_repaired(repair):
    page = ["首页", "新闻", "科技", "关于我们", "2024年3月", OTHER[0], "作者：张三"]
    for actual, misread in [("utf-8", "gb18030"), ("gbk", "latin-1"), ("utf-8", "gbk")]:
        text = "\n".join(garble(line, actual, misread) for line in page)
        assert repair.fix(text).split("\n") == page


def test_short_lines_follow_the_rest_of_a_big5_page_read_as_gbk(repair):
    page = ["首頁", "新聞", "關於我們", "2024年3月", *HANT[:2], "作者：張三", "回到頂端"]
    text = "\n".join(garble(line, "cp950", "gb18030") for line in page)
    assert "2024\ue6e43る" in text  # too little evidence on its own
    assert repair.fix(text).split("\n") == page


def test_clean_lines_next_to_a_broken_page_stay(repair):
    clean = ["これは日本語のテキストです。", "我喺香港出世，佢哋都唔知呢件事。", "Müller 先生"]
    broken = [garble(line, "utf-8", "gb18030") for line in HANS[:3]]
    text = "\n".join([broken[0], clean[0], broken[1], clean[1], broken[2], clean[2]])
    lines = repair.fix(text).split("\n")
    assert lines[1::2] == clean
    assert all(char_errors(a, b) <= 3 for a, b in zip(lines[::2], HANS[:3], strict=True))


def test_reasons_name_the_codec_chain(repair):
    cases = {
        "gbk read as latin-1": garble(HANS[0], "gbk", "latin-1"),
        "utf-8 read as gbk": garble(HANS[0], "utf-8", "gb18030"),
        "big5 read as gbk": garble(HANT[0], "cp950", "gb18030"),
        "gbk read as big5": garble(HANS[1], "gbk", "cp950"),
    }
    for reason, text in cases.items():
        doc = Document(text)
        repair(doc)
        assert doc.edits and {e.reason for e in doc.edits} == {reason}


CLEAN = [
    *HANS,
    *HANT,
    "床前明月光，疑是地上霜。舉頭望明月，低頭思故鄉。",
    "浣溪沙：一曲新詞酒一杯，去年天氣舊亭臺。夕陽西下幾時回？",
    "鍾鼎山林，各有天性，不可強也。",
    "魑魅魍魉，饕餮貔貅，龃龉，耄耋，犄角旮旯，彳亍，踟蹰。",
    "我喺香港出世，佢哋都唔知呢件事。啲嘢咁樣做係唔啱嘅。",
    '噉咪\n買嘢\n就冇生蟲\n"噉樣講\n噉就',  # short Cantonese clauses
    "Müller 先生和 José García 在 Zürich 開會，Ärger 與 Größe 無關。",
    "北京（Běijīng），簡稱「京」；绿 lǜ，à á è é ì í ò ó ù ú ü。",
    "Běijīng nǐ hǎo lǜsè à á è é ì í ò ó ù ú ü",
    "价格：¥100、€50、£20，温度 25°C ± 0.5°，尺寸 3×4，© 2024 ®。",
    "これは日本語のテキストです。東京は日本の首都で、とても大きな都市です。",
    "ひらがなとカタカナ、そして漢字を使います。ありがとうございました。",
    "Ελληνικά και Русский язык рядом с 中文。한국어 텍스트입니다.",
    "café résumé naïve déjà vu à la carte, ¡Hola! ¿Qué tal?",
]


@pytest.mark.parametrize("text", CLEAN)
def test_clean_text_is_untouched(repair, text):
    doc = Document(text)
    repair(doc)
    assert doc.text == text
    assert doc.edits == [] and "codec_repair" not in doc.meta


CLEAN_SETS = sorted((Path(__file__).parent / "data" / "clean_zh").glob("*.txt"))


@pytest.mark.parametrize("path", CLEAN_SETS, ids=[p.stem for p in CLEAN_SETS])
def test_clean_corpus_samples_are_untouched(repair, path):
    text = path.read_text(encoding="utf-8")
    doc = Document(text)
    repair(doc)
    assert doc.edits == []


def test_gbk_ruby_damage_is_left_to_gbk_damage(repair):
    # the seed pages hold straddle units and a desync run (`笆逦濉比匀皇`): not a wrong codec
    for path in sorted((Path(__file__).parent / "data" / "seeds").glob("*.txt")):
        doc = Document(path.read_text(encoding="utf-8"))
        repair(doc)
        assert doc.edits == [], path.name


def test_latin_script_mojibake_is_left_to_ftfy(repair):
    for text in ["cafÃ© au lait", "Ã©tÃ© Ã  Paris", "naÃ¯ve"]:
        assert repair.fix(text) == text


def test_step_is_first_in_the_default_pipeline():
    from zhclean import load_config

    assert load_config()["step"][0]["name"] == "codec"
