"""Document: applying replacements and mapping positions back to the input."""

from __future__ import annotations

import random

import pytest

from zhclean import Document
from zhclean.document import Replacement


def random_replacements(rng: random.Random, size: int) -> list[Replacement]:
    """Non-overlapping replacements (insertions, deletions, changes) over a text of `size` characters."""
    reps, pos = [], 0
    while (pos := pos + rng.randint(0, 4)) <= size:
        end = min(size, pos + rng.randint(0, 3))
        reps.append(Replacement(pos, end, "x" * rng.randint(0, 3), "k"))
        pos = end + 1
    return reps


def test_input_offsets_of_many_positions_match_one_at_a_time():
    rng = random.Random(3)
    for _ in range(300):
        doc = Document("".join(rng.choice("ab") for _ in range(rng.randint(0, 30))))
        for _ in range(3):
            doc.apply("step", random_replacements(rng, len(doc.text)))
        positions = sorted(rng.randint(0, len(doc.text)) for _ in range(rng.randint(0, 12)))
        assert doc.input_offsets(positions) == [doc.input_offset(p) for p in positions]


def test_edit_offsets_point_into_the_input():
    doc = Document("甲乙丙丁戊")
    doc.apply("one", [Replacement(0, 1, "", "drop"), Replacement(2, 3, "XY", "grow")])
    assert doc.text == "乙XY丁戊"
    doc.apply("two", [Replacement(3, 4, "D", "change")])
    assert doc.text == "乙XYD戊"
    assert [(e.before, e.after, e.offset) for e in doc.edits] == [
        ("甲", "", 0),
        ("丙", "XY", 2),
        ("丁", "D", 3),
    ]


def test_overlapping_replacements_are_refused():
    with pytest.raises(ValueError):
        Document("abcdef").apply("step", [Replacement(0, 3, "x", "k"), Replacement(2, 4, "y", "k")])


def test_apply_runs_records_what_apply_records():
    old, new = "甲乙丙丁戊己", "甲X丙YZ己"
    runs = Document("-" + old)
    plain = Document("-" + old)
    for doc in (runs, plain):
        doc.apply("before", [Replacement(0, 1, "", "drop")])
    runs.apply_runs("script", "script", new, [1, 3], [2, 5])
    plain.apply("script", [Replacement(1, 2, "X", "script"), Replacement(3, 5, "YZ", "script")])
    assert runs.text == plain.text == new
    assert runs.edits == plain.edits
    assert runs.input_offsets([0, 1, 2, 3, 4, 5]) == plain.input_offsets([0, 1, 2, 3, 4, 5])
