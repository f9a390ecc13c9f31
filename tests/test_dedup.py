"""Dedup: exact, near and cross-script copies on real Chinese text, clusters, paragraphs, the CLI."""

import random
import unicodedata
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhclean.cli import main
from zhclean.dedup import DedupConfig, dedup_records, normalise
from zhclean.dedup.arrays import sketch_block
from zhclean.dedup.clusters import resolve
from zhclean.dedup.keys import nfkc, shingle_hashes, similarity_of
from zhclean.dedup.memory import decide, dedup_items
from zhclean.dedup.phases import finish
from zhclean.pipeline import ConfigError

EXPECTED = Path(__file__).parent / "data" / "seeds" / "expected"
HANS = sorted(p for p in EXPECTED.glob("*.txt") if not p.name.endswith(".hant.txt"))


def article(i: int = 0, script: str = "hans") -> str:
    path = HANS[i] if script == "hans" else HANS[i].with_name(HANS[i].name.replace(".txt", ".hant.txt"))
    return path.read_text(encoding="utf-8").strip()


def paragraphs() -> list[str]:
    """Distinct documents on related topics: the long paragraphs of the expected seed articles."""
    return [line for i in range(len(HANS)) for line in article(i).split("\n") if len(line) >= 80]


def changed(text: str, share: float, seed: int = 1) -> str:
    """`text` with `share` of its characters replaced by other Chinese characters."""
    rng = random.Random(seed)
    chars = list(text)
    for i in rng.sample(range(len(chars)), round(len(chars) * share)):
        chars[i] = rng.choice(
            "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"
        )
    return "".join(chars)


def ids(records: list[dict]) -> list:
    return [r["id"] for r in records]


def test_normalise_ignores_width_space_and_punctuation():
    assert normalise("昨天， 省推进 长三角。") == normalise("昨天,省推进长三角")
    assert normalise("ＡＢＣ１２３") == "abc123"
    assert normalise("發展", fold_script=True) == "发展"


def test_exact_copy_with_other_punctuation_width_is_duplicate_exact():
    text = article(0)
    copy = text.replace("，", ", ").replace("。", "。 ")
    kept, rejects = dedup_records(
        [{"id": "a", "text": text}, {"id": "b", "text": copy}, {"id": "c", "text": article(1)}]
    )
    assert ids(kept) == ["a", "c"]
    assert rejects[0]["id"] == "b" and rejects[0]["reason"] == "duplicate-exact"
    assert rejects[0]["kept"] == "a" and rejects[0]["similarity"] == 1.0
    assert rejects[0]["record"]["text"] == copy


@pytest.mark.parametrize("share", [0.01, 0.05])
def test_near_copy_is_found_and_the_earlier_document_kept(share):
    text = article(1)
    records = [
        {"id": "orig", "text": text},
        {"id": "other", "text": article(0)},
        {"id": "copy", "text": changed(text, share)},
    ]
    kept, rejects = dedup_records(records)
    assert ids(kept) == ["orig", "other"]
    (r,) = rejects
    assert (r["id"], r["reason"], r["kept"]) == ("copy", "duplicate-near", "orig")
    assert 0.5 <= r["similarity"] < 1.0


def test_distinct_paragraphs_on_one_topic_are_all_kept():
    docs = [{"id": i, "text": p} for i, p in enumerate(paragraphs())]
    assert len(docs) >= 8
    kept, rejects = dedup_records(docs)
    assert rejects == [] and len(kept) == len(docs)


def test_traditional_copy_counts_only_when_one_script_is_asked_for():
    records = [{"id": "hans", "text": article(0)}, {"id": "hant", "text": article(0, "hant")}]
    assert article(0) != article(0, "hant")
    kept, rejects = dedup_records(records, DedupConfig.from_config({}, script="keep"))
    assert rejects == []
    kept, rejects = dedup_records(records, DedupConfig.from_config({}, script="hans"))
    assert ids(kept) == ["hans"] and rejects[0]["kept"] == "hans"


def test_cluster_of_copies_points_to_the_earliest_one():
    text = article(0)
    records = [
        {"id": "x", "text": article(1)},
        {"id": "first", "text": changed(text, 0.02, 5)},
        {"id": "second", "text": text},
        {"id": "third", "text": text + "\n"},
        {"id": "fourth", "text": changed(text, 0.01, 9)},
    ]
    kept, rejects = dedup_records(records)
    assert ids(kept) == ["x", "first"]
    assert {r["id"]: r["reason"] for r in rejects} == {
        "second": "duplicate-near",
        "third": "duplicate-near",
        "fourth": "duplicate-near",
    }
    assert {r["kept"] for r in rejects} == {"first"} and len({r["cluster"] for r in rejects}) == 1
    # "third" is an exact copy of "second"; both are near copies of the kept "first", with one similarity
    sims = {r["id"]: r["similarity"] for r in rejects}
    assert sims["second"] == sims["third"]


def test_resolve_marks_exact_copies_of_the_kept_document_exact():
    assert resolve({5: 2, 7: 2}, [(2, 9), (9, 11)]) == {
        5: (2, 0, "duplicate-exact"),
        7: (2, 0, "duplicate-exact"),
        9: (2, 0, "duplicate-near"),
        11: (2, 0, "duplicate-near"),
    }


def test_repeated_paragraph_is_flagged_or_removed_except_in_the_first_document():
    line = "本网站所有内容未经书面授权不得转载，违者必究"
    docs = [{"id": i, "text": f"{p}\n{line}"} for i, p in enumerate(paragraphs()[:4])]
    kept, _ = dedup_records(docs)
    assert "repeated_paragraphs" not in kept[0].get("meta", {})
    assert [k["meta"]["repeated_paragraphs"] for k in kept[1:]] == [[{"line": 2, "docs": 4}]] * 3
    kept, _ = dedup_records(docs, DedupConfig(paragraphs="remove"))
    assert kept[0]["text"].endswith(line)
    assert all(not k["text"].endswith(line) and k["removed"][-1]["line"] == line for k in kept[1:])


def test_bad_settings_are_config_errors():
    with pytest.raises(ConfigError, match="multiple of bands"):
        DedupConfig(num_perm=100, bands=64)
    with pytest.raises(ConfigError, match="unknown"):
        DedupConfig.from_config({"dedup": {"treshold": 0.5}})


def corpus_file(tmp_path: Path) -> tuple[Path, list[str]]:
    base = paragraphs()
    lines = [orjson.dumps({"id": f"p{i}", "text": p}) for i, p in enumerate(base)]
    lines += [
        orjson.dumps({"id": "dup-exact", "text": base[0] + " "}),
        orjson.dumps({"id": "dup-near", "text": changed(base[1], 0.02)}),
        b"{broken json",
        orjson.dumps({"text": base[2]}),
        orjson.dumps({"id": "no-text", "title": "x"}),
    ]
    path = tmp_path / "in.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    return path, [f"p{i}" for i in range(len(base))] + [
        "dup-exact",
        "dup-near",
        f"{path}:{len(base) + 3}",
        f"{path}:{len(base) + 4}",
        "no-text",
    ]


def test_cli_loses_no_record(tmp_path, capsys):
    path, all_ids = corpus_file(tmp_path)
    out = tmp_path / "out.jsonl"
    assert main(["dedup", str(path), "-o", str(out), "-j", "1", "--chunk-size", "4"]) == 0
    kept = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    rejects = [orjson.loads(line) for line in (tmp_path / "out.rejects.jsonl").read_bytes().splitlines()]
    assert sorted(ids(kept) + ids(rejects)) == sorted(all_ids)
    reasons = {r["id"]: r["reason"] for r in rejects}
    assert reasons["dup-exact"] == "duplicate-exact" and reasons["dup-near"] == "duplicate-near"
    assert reasons[all_ids[-1]] == "no-text" and reasons[all_ids[-3]] == "invalid-json"
    assert reasons[all_ids[-2]] == "duplicate-exact"  # a record without id gets file:line
    assert "duplicate-exact 2, duplicate-near 1, invalid-json 1, no-text 1" in capsys.readouterr().err


def test_cli_workers_do_not_change_the_bytes(tmp_path):
    path, _ = corpus_file(tmp_path)
    for j in ("1", "2"):
        assert (
            main(["dedup", str(path), "-o", str(tmp_path / f"o{j}.jsonl"), "-j", j, "--chunk-size", "3"]) == 0
        )
    assert (tmp_path / "o1.jsonl").read_bytes() == (tmp_path / "o2.jsonl").read_bytes()
    assert (tmp_path / "o1.rejects.jsonl").read_bytes() == (tmp_path / "o2.rejects.jsonl").read_bytes()


@given(st.text(max_size=40))
def test_fast_nfkc_equals_unicodedata(text):
    assert nfkc(text) == unicodedata.normalize("NFKC", text)


def test_nfkc_folds_fullwidth_and_compatibility_forms():
    assert nfkc("ＡＢＣ１２３，。　㈱") == "ABC123,。 (株)"
    assert nfkc("天气很好") == "天气很好"


def test_shingle_hashes_follow_the_character_ngrams():
    texts = ["天氣很好天氣很", "很好", "", "氣很好"]
    hashes, offsets = shingle_hashes(texts, 3)
    rows = [hashes[offsets[i] : offsets[i + 1]].tolist() for i in range(len(texts))]
    assert [len(r) for r in rows] == [5, 1, 0, 1]  # a text shorter than n is one shingle
    assert rows[0][0] == rows[0][4]  # 天氣很 twice
    assert rows[0][1] == rows[3][0]  # 氣很好 in both texts
    assert len(set(rows[0][:4])) == 4
    assert rows[1][0] not in rows[0]


def test_similarity_discounts_slots_equal_by_chance():
    assert similarity_of(256, 256) == 1.0
    assert similarity_of(1, 256) == 0.0  # what two unrelated 8-bit signatures share
    assert similarity_of(0, 256) == 0.0
    assert similarity_of(129, 256) == pytest.approx(0.502, abs=1e-3)


@pytest.mark.parametrize("action", ["flag", "remove"])
def test_line_hits_from_phase_one_equal_rereading_the_text(action):
    """The local engine takes repeated lines from phase 1; the Dask engine re-reads each text: same output."""
    line, other = (
        "本網訊：這一段在很多頁面上都出現過，而且不止一次。",
        "另一段在三個頁面上重複出現的文字內容。",
    )
    paras = paragraphs()[:5]
    docs = [
        {"id": i, "text": f"{p}\n{line}\n{other}\n{line}" if i % 2 else f"{line}\n{p}\n{other}"}
        for i, p in enumerate(paras)
    ]
    cfg = DedupConfig(paragraphs=action, fold_script=True)
    items = list(enumerate(docs))
    removed, repeated, _ = decide(sketch_block(items, cfg), cfg)
    reread = finish(items, removed, repeated, cfg, None)
    assert dedup_items(items, cfg) == reread
    assert any("repeated_paragraphs" in r.get("meta", {}) or r.get("removed") for r in reread[0])
