"""End to end on the real corpus, the real model and a real Chroma store."""
from __future__ import annotations

from datetime import date

import pytest

from assistant.answer import answer

CORE = "Can a company train a commercial AI model on copyrighted works?"


def ids(result):
    return [c.id for c in result.citations]


def cites(result, prefix):
    return any(i == prefix or i.startswith(prefix + ".") for i in ids(result))


def test_ingest_summary(ingested, index):
    summary = index.meta["summary"]
    assert summary["instruments"] == 6 and summary["chunks"] > 1500 and summary["versions"] > 4000


@pytest.mark.parametrize("question,first", [
    ("What does Article 25a say?", "ip-law:25a"),
    ("Điều 37b Nghị định 17 quy định gì?", "decree-17-2023:37b"),
    ("khoan 5 dieu 7 luat so huu tri tue", "ip-law:7.5"),
    ("Art. 25(1)(đ)", "ip-law:25.1.đ"),
    ("Điều 7 Luật Trí tuệ nhân tạo", "ai-law:7"),
])
def test_exact_reference_is_cited_first(index, question, first):
    result = answer(index, question, date(2026, 11, 27))
    assert not result.refused and result.citations[0].id == first


def test_core_question_today_cites_the_exception_and_its_conditions(index):
    result = answer(index, CORE, date(2026, 11, 27), k=8)
    assert not result.refused
    assert cites(result, "ip-law:7.5") and cites(result, "decree-17-2023:37a"), ids(result)


def test_core_question_before_the_2026_reform_cites_nothing_later(index):
    result = answer(index, CORE, date(2025, 12, 1), k=8)
    assert not result.refused and result.citations
    for c in result.citations:
        assert date.fromisoformat(c.valid_from) <= date(2025, 12, 1)
        assert c.valid_to is None or date.fromisoformat(c.valid_to) >= date(2025, 12, 1)
    assert not cites(result, "ip-law:7.5")


def test_reference_not_yet_in_force_is_explained(index):
    result = answer(index, "What does Article 7(5) say?", date(2025, 12, 1))
    assert "not yet in force" in result.answer and not cites(result, "ip-law:7.5")


@pytest.mark.parametrize("question", [
    "What is the speed limit for cars on Vietnamese highways?",
    "Công thức nấu phở bò ngon nhất là gì?",
    "How do I renew a passport?",
    "Under US law is training an LLM fair use?",
])
def test_out_of_scope_is_refused(index, question):
    result = answer(index, question, date(2026, 11, 27))
    assert result.refused and result.citations == []


@pytest.mark.parametrize("question", [
    "Does Vietnam have a text and data mining exception like the EU's?",
    "Việt Nam có ngoại lệ khai thác văn bản và dữ liệu giống EU không?",
])
def test_a_comparison_with_foreign_law_is_still_answered_from_vietnamese_law(index, question):
    result = answer(index, question, date(2026, 11, 27))
    cited = {c.id for c in result.citations}
    assert not result.refused and cited & {"ip-law:7.5", "decree-17-2023:37a.1", "decree-17-2023:37a.2"}


def test_answer_object_follows_the_contract(index):
    d = answer(index, CORE, date(2026, 11, 27)).to_json()
    assert {"question", "as_of", "answer", "refused", "mode", "corpus_horizon", "citations"} <= d.keys()
    assert d["mode"] == "extractive" and d["as_of"] == "2026-11-27"
    assert len([c for c in d["citations"] if c["role"] != "assessment"]) <= 5      # --k bounds the retrieved only
    for c in d["citations"]:
        assert {"id", "instrument", "article", "clause", "point", "label", "label_vi", "kind", "text", "translation",
                "page", "valid_from", "valid_to", "amended_by", "verified", "score"} <= c.keys()
        assert c["verified"] is False and c["kind"] in ("statute", "commentary") and c["text"]
        if c["kind"] == "statute":     # every law citation says where its text comes from
            assert "Official source:" in c["provenance"] and "retrieved 2026-" in c["provenance"]
    kinds = [c["kind"] for c in d["citations"]]
    assert kinds[0] == "statute" and kinds == sorted(kinds, key=lambda k: k == "commentary")
    assert "2026-11-27" in d["answer"] and "not legal advice" in d["answer"]
    if "commentary" in kinds:
        law, _, notes = d["answer"].partition("### Commentary")
        assert "### What the law says" in law and "not law" in notes


def test_every_citation_is_in_force_on_the_as_of_date(index):
    for day in (date(2025, 12, 1), date(2026, 4, 5), date(2026, 11, 27)):
        for c in answer(index, "reproduction right exceptions for research", day, k=10).citations:
            p = index.version_on(c.id, day)
            assert p is not None and p.valid_from.isoformat() == c.valid_from


def test_second_ingest_embeds_nothing(home, index):
    from ingest.index import refresh

    again = refresh(home)
    assert not again.changed and again.seconds < 5
    forced = refresh(home, force=True)
    assert forced.changed and forced.embedded == 0 and forced.added == 0 and forced.deleted == 0


def test_follow_up_keeps_the_previous_answers_provisions_in_view(index):
    first = "Can a company train a commercial AI model on copyrighted books?"
    follow = "and if the model is only for research?"
    today = date(2026, 11, 28)
    previous = [c.id for c in answer(index, first, today).citations if c.kind == "statute"]
    result = answer(index, follow, today, history=[first], carry=previous)
    cited = [c.id for c in result.citations]
    assert {"ip-law:7.5", "decree-17-2023:37a.2"} <= set(cited)
    # carried ids are served only in a version in force on the date asked: before 2026-04-01 there is no 7(5)
    before = answer(index, follow, date(2025, 12, 1), history=[first], carry=previous)
    assert "ip-law:7.5" not in [c.id for c in before.citations]
    # a new question (not a follow-up) is not steered by what came before
    fresh = "What does Article 25a say?"
    assert answer(index, fresh, today, history=[first], carry=previous).citations[0].id.startswith("ip-law:25a")


def test_a_note_that_discusses_later_law_says_so_on_an_earlier_date(index):
    """Commentary may look ahead (a note valid since 2023 explains the 2026 reform); on 2025-12-01 the answer must
    not let that pass for the law of the day."""
    question = "Can we train an AI model on copyrighted news articles without permission?"
    early = answer(index, question, date(2025, 12, 1))
    notes = [c for c in early.citations if c.kind == "commentary"]
    assert notes, "the question should bring a commentary note"
    assert "took effect only after 2025-12-01" in early.answer
    assert "took effect only after" not in answer(index, question, date(2026, 11, 28)).answer
