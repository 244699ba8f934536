"""What changed between versions, and the Markdown export — on the real index."""
from __future__ import annotations

from datetime import date

import pytest

from assistant.answer import answer
from assistant.changes import DELETE, EQUAL, INSERT, changes, word_diff
from assistant.export import to_markdown


@pytest.mark.parametrize("old,new", [
    ("a b c", "a x c"), ("", "new text"), ("old text", ""), ("1. Một hai.\n2. Ba", "1. Một hai ba.\n2. Ba\n3. Bốn"),
])
def test_word_diff_rebuilds_both_sides(old, new):
    segments = word_diff(old, new)
    assert "".join(s.text for s in segments if s.op != INSERT).split() == old.split()
    assert "".join(s.text for s in segments if s.op != DELETE).split() == new.split()


def test_art7_of_the_ip_law_gains_the_ai_training_clause_on_2026_04_01(index):
    versions = index.versions["ip-law:7"]
    change = changes(versions)[-1]
    assert (change.before.valid_to, change.after.valid_from) == (date(2026, 3, 31), date(2026, 4, 1))
    inserted = " ".join(s.text for s in change.segments if s.op == INSERT)
    assert "huấn luyện hệ thống trí tuệ nhân tạo" in inserted
    assert "Quốc kỳ" in " ".join(s.text for s in change.segments if s.op == EQUAL)


def test_export_carries_the_answer_and_every_verbatim_source(index):
    result = answer(index, "Is it legal to train an AI model on copyrighted works?", date(2026, 11, 28))
    md = to_markdown(result)
    assert md.startswith("# vnip answer — law applied as of 2026-11-28")
    assert result.answer in md
    for n, c in enumerate(result.citations, 1):
        assert f"### [{n}] {c.label}" in md
        assert c.text.split("\n")[0] in md
        if c.translation:
            assert c.translation.split("\n")[0] in md
    assert "unofficial" in md
