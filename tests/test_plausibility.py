"""The shipped character model ranks real Chinese above GBK mojibake and handles any character."""

from __future__ import annotations

import math

import pytest

from zhclean.plausibility import default_model


@pytest.fixture(scope="module")
def model():
    return default_model()


def test_default_model_is_cached(model):
    assert default_model() is model


@pytest.mark.parametrize(
    "good, bad",
    [
        # a one-byte GBK desync run versus the same bytes read in phase
        ("研究取得了重要進展，各方一致認為", "研究取得了重要進展?!备鞣揭恢抡J為"),
        # simplified and traditional are judged alike
        ("今天的天气很好，我们去公园散步。", "今天的天气很好?偃颐侨ス园散步。"),
        ("他們在學校裏讀書", "他們在學校裏讀?"),
        # a straddle victim versus the character the ruby insertion destroyed
        ("市場經濟穩步發展", "市場經濟穩步發嶸"),
    ],
)
def test_real_text_scores_higher_than_mojibake(model, good, bad):
    assert model.score(good) > model.score(bad)


def test_common_word_beats_rare_neighbour_pair(model):
    assert model.logprob("我們") > model.logprob("我侭")


def test_any_character_gets_a_finite_score(model):
    for text in ["𠀀𪚥", "\ue000", "apt-get install", "２０２６年", "😀", " \t\n"]:
        value = model.score(text)
        assert math.isfinite(value) and value < 0


def test_empty_text(model):
    assert model.score("") == 0.0
    assert model.logprob("") == 0.0


def test_logprob_is_the_sum_of_per_char_scores(model):
    text = "床前明月光，疑是地上霜。"
    assert model.logprob(text) == pytest.approx(model.score(text) * len(text))
    assert model.logprob(text) == pytest.approx(
        model.logprob(text[:5]) + float(model.char_logprobs(text)[5:].sum())
    )


def test_fullwidth_and_traditional_fold_to_the_same_score(model):
    assert model.score("２０２６年，臺灣") == pytest.approx(model.score("2026年,台湾"), abs=0.3)


def test_key_index_finds_exactly_the_keys_it_was_built_from():
    import numpy as np

    from zhclean.key_index import KeyIndex

    rng = np.random.default_rng(3)
    keys = np.unique(rng.integers(0, 2**40, 50_000))
    # keys 2^k apart land in few home slots: long probe runs must still be found
    crowded = np.arange(1, 200) << 50
    for built in (keys, crowded, np.array([], dtype=np.int64)):
        index = KeyIndex(built)
        asked = np.concatenate([built, rng.integers(0, 2**40, 10_000), built[::7] + 1])
        expected = {int(k): i for i, k in enumerate(built)}
        for batch in (asked, asked[:100]):  # probed in the table; searched for in the sorted keys
            assert index.find(batch).tolist() == [expected.get(int(k), -1) for k in batch]
    shuffled = rng.permutation(keys)  # not sorted: every batch is probed
    assert KeyIndex(shuffled).find(shuffled[:100]).tolist() == list(range(100))


def test_model_ids_from_the_code_point_table_agree_with_the_character_path():
    model = default_model()
    text = "顯著成就。“十五五”仍然是 ABC 123 \ue000\x00，ｄ" * 4  # long enough for the table
    # a character beyond the BMP sends the whole text through the per-character path
    assert model.ids(text).tolist() == model.ids(text + "𠀀").tolist()[:-1]
    assert model.ids(text).tolist() == model.ids(text).tolist()  # the table, now filled


def test_pair_matrix_equals_pair_logprobs_on_every_pair():
    import numpy as np

    model = default_model()
    prev = model.ids("的是了顯著成就𠀀\ue000")  # common, rare, unseen characters
    cur = model.ids("的是了就就。“十ａ \ue000")  # and repeated ones
    every = model.pair_logprobs(np.repeat(prev, len(cur)), np.tile(cur, len(prev)))
    assert model.pair_matrix(prev, cur).tolist() == every.reshape(len(prev), -1).tolist()
