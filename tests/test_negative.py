"""Clean Chinese text must come out untouched (ftfy-style negative tests).

The lines come from text that ships inside Debian packages (see the header of each file in
tests/data/clean_zh/ and bench/make_negative_set.py) and from the expected gold output of two seeds (news).
"""

from pathlib import Path

import pytest

from zhclean import clean

DATA = Path(__file__).parent / "data"


def _lines(path: Path) -> list[str]:
    return [x for x in path.read_text(encoding="utf-8").splitlines() if x and not x.startswith("# source:")]


CASES = [
    pytest.param(line, id=f"{p.stem}-{i}")
    for p in sorted((DATA / "clean_zh").glob("*.txt"))
    for i, line in enumerate(_lines(p))
]
NEWS = [
    pytest.param(line, id=f"news-{p.name}-{i}")
    for p in sorted((DATA / "seeds" / "expected").glob("*.txt"))
    for i, line in enumerate(_lines(p))
]


def test_negative_set_is_large_enough():
    assert len(CASES) >= 200


@pytest.mark.parametrize("line", CASES + NEWS)
def test_clean_text_is_untouched(line):
    result = clean(line, script="keep")
    assert result.text == line, [(e.kind, e.before, e.after) for e in result.edits] + [
        (r.kind, r.line) for r in result.removed
    ]
    assert result.edits == []
