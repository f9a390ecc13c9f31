"""The simulator reproduces the seed site's byte-level damage exactly as DEFECTS.md proves it."""

from __future__ import annotations

import random
from pathlib import Path

from zhclean.simulate import (
    damage,
    desync_bytes,
    drop_private_use,
    lost_chars,
    nfkc,
    php_cp936_decode,
    reading,
    ruby_bytes,
    ruby_keys,
    s2t,
    strip_ruby,
    strip_tags,
)

CLEAN = Path(__file__).parent / "data" / "clean_zh"


def site(text: str, keys: list[str]) -> str:
    return nfkc(strip_tags(drop_private_use(php_cp936_decode(ruby_bytes(text.encode("gbk"), keys)))))


def test_straddle_units_of_the_defects_table():
    # DEFECTS.md F2 table: the replace order decides which `(` are eaten
    assert site("奮勇爭先", ["爭", "聽"]) == "奮勇?tīng)?zhēng)先"
    assert site("挑重擔", ["擔", "負"]) == "挑重?fù)?dān)"
    assert site("新華日報", ["報", "請"]) == "新華日?qǐng)?bào)"
    assert site("要務實", ["務", "獎"]) == "要?jiǎng)?wù)實"
    assert site("取得實打實的成效。</p>", ["驅", "實"]) == "取得實(shí)打?qū)嵉某尚А?/p>"


def test_controls_of_the_defects_table_do_not_reproduce():
    assert site("奮勇爭先", ["聽", "爭"]) != "奮勇?tīng)?zhēng)先"
    assert site("取得實打實的成效。</p>", ["實", "驅"]) != "取得實(shí)打?qū)嵉某尚А?/p>"
    # Python's gbk codec keeps the `(` and gives U+FFFD: not what the site did
    data = ruby_bytes("奮勇爭先".encode("gbk"), ["爭", "聽"])
    assert data.decode("gbk", errors="replace") != php_cp936_decode(data)


def test_decoder_eats_the_bad_trail_and_maps_user_defined_pairs_to_private_use():
    assert php_cp936_decode(b"\xa0(a") == "?a"
    assert php_cp936_decode(b"\xae\xce") == "\ue1a5"
    assert php_cp936_decode(b"\xd6\xd0\xce\xc4") == "中文"
    assert php_cp936_decode(b"\x80") == "€"


def test_one_stray_byte_gives_the_desync_run_of_seed_003():
    data = "就。“十五五”仍然是通州綜合".encode("gbk")
    data = data[:3] + b"\n" + data[3:]  # after the lead byte A1 of 。
    assert nfkc(drop_private_use(php_cp936_decode(data))) == "就?!笆逦濉比匀皇峭ㄖ菥C合"


def test_desync_bytes_inserts_after_a_lead_byte():
    data = "中文字".encode("gbk")
    out = desync_bytes(data, random.Random(1), count=1)
    assert len(out) == len(data) + 1
    assert out.count(b" ") == 1 and out.index(b" ") in (1, 3, 5)


def test_s2t_is_character_by_character():
    text = "发展经济，里面的头发"
    out = s2t(text)
    assert len(out) == len(text)
    assert out.startswith("發展經濟")


def test_ruby_keys_are_characters_that_s2t_changed():
    text = s2t("经济社会发展取得了显著成就，人民生活水平提高")
    keys = ruby_keys(text, share=1.0, rng=random.Random(2))
    assert keys and all(k in text and s2t(k) == k for k in keys)
    assert not {"了", "人", "民", "生", "活"} & set(keys)
    assert len(ruby_keys(text, share=0.5, rng=random.Random(2))) == round(len(keys) * 0.5)


def test_reading_is_pypinyin_default():
    assert reading("長") == "zhǎng"
    assert reading("聽") == "tīng"


def test_damage_on_other_text_keeps_the_source_and_damages_the_page():
    text = (CLEAN / "prose_hans.txt").read_text(encoding="utf-8").splitlines()[1:6]
    d = damage("\n".join(text), rng=random.Random(5), share=0.6, desyncs=1)
    assert d.source == s2t("\n".join(text)).encode("gbk", errors="ignore").decode("gbk")
    assert d.text != nfkc(d.source)
    assert "(" in d.text and "?" in d.text
    assert d.text.count("\n") == d.source.count("\n")


def test_strip_ruby_removes_only_matching_readings():
    assert strip_ruby("發(fā)展(zhǎn)了(abc)") == "發展了(abc)"


def test_lost_characters_of_the_seed_desync_run():
    # DEFECTS.md F3: the lead byte A1 of `。` is lost, and the deleted pair AE CE held the trail of 十
    # and the lead of 五: three characters only the context can tell
    page = "顯著成就。“十五五”仍然是通州綜合"
    data = page.encode("gbk")
    i = data.index("。".encode("gbk")) + 1
    assert lost_chars(page, data[:i] + b" " + data[i:]) == 3
    assert lost_chars(page, data) == 0
