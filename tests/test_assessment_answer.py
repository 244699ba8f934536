"""The assessment inside the answer object (README "Assessment"): given for training-data questions only, never on a
refusal, its provisions shown first as cards with role "assessment" in the version in force on as_of, `--k` bounding
the retrieved citations only, and the answer leading with it in English or Vietnamese. Real index, real rules."""
from __future__ import annotations

import re
from datetime import date

import pytest

from assistant.answer import answer
from assistant.export import to_markdown
from assistant.verdict import card_ids, cited_ids, within

CORE = "Can my company train a commercial AI model on scraped Vietnamese news articles?"
TODAY = date(2026, 12, 8)
KEYS = {"verdict", "summary", "as_of", "regime", "facts", "cites", "conditions", "duties", "open_questions"}
FACTS = {"purpose", "material", "published", "access", "reservation", "later_commercial"}


@pytest.fixture(scope="module")
def core(index):
    return answer(index, CORE, TODAY)


def roles(result) -> list[str]:
    return [c.role for c in result.citations]


def cards(result):
    return [c for c in result.citations if c.role == "assessment"]


def test_the_contract_shape_of_the_core_question(core):
    data = core.to_json()
    a = data["assessment"]
    assert set(a) == KEYS and set(a["facts"]) == FACTS and set(a["regime"]) == {"id", "from", "to", "label"}
    assert a["verdict"] == "needs_permission" and a["as_of"] == "2026-12-08"
    assert a["facts"]["purpose"] == "commercial" and a["facts"]["material"] == "journalistic"
    assert {"ip-law:20.1.c", "ip-law:20.2", "decree-17-2023:37a.2.a"} <= set(a["cites"])
    for c in a["conditions"]:
        assert set(c) == {"text", "status", "cites"} and c["status"] in ("met", "not_met", "unknown")
    for item in a["duties"] + a["open_questions"]:
        assert set(item) == {"text", "cites"}
    assert any(c["status"] == "not_met" and "decree-17-2023:37a.2.a" in c["cites"] for c in a["conditions"])


def test_assessment_cards_come_first_in_card_order_then_the_retrieved(core):
    rs = roles(core)
    n = rs.count("assessment")
    assert n and rs[:n] == ["assessment"] * n and "assessment" not in rs[n:]
    assert any(r == "retrieved" for r in rs[n:])
    a = core.assessment
    # verdict cites, then conditions, then duties, then open questions, first occurrence, a cited clause covering
    # its points
    assert [c.id for c in cards(core)] == card_ids(a)
    order = cited_ids(a)
    firsts = [next(i for i, pid in enumerate(order) if within(pid, c.id)) for c in cards(core)]
    assert firsts == sorted(firsts)
    assert order[:len(a["cites"])] == list(dict.fromkeys(a["cites"]))
    # every id is shown, once: no card inside another, no retrieved card inside an assessment card
    for pid in order:
        assert any(within(pid, c.id) for c in cards(core)), pid
    ids = [c.id for c in core.citations]
    assert len(ids) == len(set(ids))
    for c in cards(core):
        assert not any(o is not c and within(c.id, o.id) for o in cards(core))
    for c in core.citations[n:]:
        assert not any(within(c.id, o.id) for o in cards(core)), c.id


def test_every_assessment_card_is_the_version_in_force_on_as_of(index):
    for day, absent in ((date(2025, 12, 1), ("ip-law:7.5", "decree-17-2023:37")),
                        (date(2026, 4, 5), ("decree-17-2023:37",)),
                        (TODAY, ())):
        result = answer(index, CORE, day)
        assert result.assessment is not None and result.as_of == day.isoformat()
        for c in cards(result):
            version = index.version_on(c.id, day)
            assert version is not None and c.valid_from == version.valid_from.isoformat() and c.text == version.text
            assert date.fromisoformat(c.valid_from) <= day and (c.valid_to is None or
                                                                 day <= date.fromisoformat(c.valid_to))
            assert not c.id.startswith(absent) or not absent, (day, c.id)
        for pid in cited_ids(result.assessment):
            assert not any(pid.startswith(x) for x in absent), (day, pid)
    assert answer(index, CORE, date(2026, 4, 5)).assessment["verdict"] == "unsettled"


def test_k_bounds_the_retrieved_citations_only(index):
    one, five = answer(index, CORE, TODAY, k=1), answer(index, CORE, TODAY, k=5)
    assert [c.id for c in cards(one)] == [c.id for c in cards(five)]
    for result, k in ((one, 1), (five, 5)):
        retrieved = [c for c in result.citations if c.role != "assessment" and c.kind != "commentary"]
        assert len(retrieved) <= k
    assert len(cards(one)) > 1 and len(one.citations) < len(five.citations)


@pytest.mark.parametrize("question", ["When did the AI law take effect?", "What is a derivative work?",
                                      "May I quote a poem in my book review?", "Điều 37b Nghị định 17"])
def test_no_assessment_for_questions_that_are_not_about_training(index, question):
    result = answer(index, question, TODAY)
    assert result.assessment is None and result.to_json()["assessment"] is None
    assert "assessment" not in roles(result) and "Short answer" not in result.answer


@pytest.mark.parametrize("question", ["What is the speed limit for motorbikes in Hanoi?",
                                      # the assessment applies Vietnamese law: another country's law stays refused
                                      "Under US law is training an LLM fair use?"])
def test_no_assessment_on_a_refusal(index, question):
    result = answer(index, question, TODAY)
    assert result.refused and result.assessment is None and not result.citations


def test_a_training_question_is_never_refused_by_the_scope_rules(index):
    """A gap (fines are not in the corpus) refuses other questions; a training question keeps its verdict, and the
    gap becomes a warning."""
    question = "Can we train an AI model on pirated e-books, and what fines apply?"
    result = answer(index, question, TODAY)
    assert not result.refused and result.assessment is not None
    assert cards(result) and any("Not answered here" in w and "fines" in w for w in result.warnings)


def test_a_follow_up_changes_the_facts_of_the_previous_turn(index):
    result = answer(index, "and if it is only for non-commercial research?", TODAY, history=[CORE])
    a = result.assessment
    assert a is not None and a["facts"]["purpose"] == "non_commercial" and a["facts"]["material"] == "journalistic"
    assert a["verdict"] == "allowed_if"


def _cards_showing(pids, citations) -> set[int]:
    """The number of the first card that shows each id (an assessment card, since those come first)."""
    return {next(n for n, c in enumerate(citations, 1) if within(p, c.id)) for p in pids}


def _markers(line: str) -> set[int]:
    return {int(n) for n in re.findall(r"\[(\d+)\]", line)}


def test_the_english_answer_leads_with_the_short_answer_and_a_checklist(core):
    text = core.answer
    assert text.startswith("**Short answer (as of 2026-12-08): needs permission** — ")
    head = text.split("\n", 1)[0]
    a = core.assessment
    n_cards = len(cards(core))
    assert _markers(head) == _cards_showing(a["cites"], core.citations) and max(_markers(head)) <= n_cards
    lines = text.split("\n")
    for cond in a["conditions"]:
        mark = {"met": "✓", "not_met": "✗", "unknown": "?"}[cond["status"]]
        line = next(ln for ln in lines if ln.startswith(f"- {mark} ") and cond["text"][:30] in ln)
        assert _markers(line) == _cards_showing(cond["cites"], core.citations)
    # the lead comes before what the law says, and every card is quoted there with its number
    assert text.index("**Conditions**") < text.index("### What the law says")
    assert "Facts read from the question: purpose: commercial; material: journalistic" in text
    for n, c in enumerate(core.citations, 1):
        if c.kind == "statute":
            assert f"[{n}] **{c.label}**" in text


@pytest.mark.parametrize("question", ["Công ty tôi có được dùng bài báo để huấn luyện mô hình AI thương mại không?",
                                      "cong ty toi co duoc dung bai bao de huan luyen mo hinh AI thuong mai khong?"])
def test_the_vietnamese_answer_leads_in_vietnamese(index, question):
    result = answer(index, question, TODAY)
    a = result.assessment
    assert a is not None and a["verdict"] == "needs_permission" and a["facts"]["purpose"] == "commercial"
    assert result.answer.startswith("**Trả lời ngắn (tại ngày 2026-12-08): cần xin phép** — ")
    assert "**Điều kiện**" in result.answer and "Dữ kiện đọc từ câu hỏi" in result.answer
    assert "Short answer" not in result.answer


def test_before_the_corpus_holds_the_law_no_verdict_and_no_cards(index):
    result = answer(index, CORE, date(2022, 6, 1))
    assert result.assessment is not None and result.assessment["verdict"] is None
    assert not cards(result) and result.answer.startswith("**Short answer (as of 2022-06-01): no verdict** — ")


def test_the_markdown_export_leads_with_the_assessment_and_marks_its_sources(core):
    md = to_markdown(core)
    assert md.index("**Short answer (as of 2026-12-08): needs permission**") < md.index("## Sources, verbatim")
    for n, c in enumerate(core.citations, 1):
        block = md.split(f"### [{n}] {c.label}", 1)[1].split("\n### ", 1)[0]
        assert ("grounds the assessment" in block) == (c.role == "assessment")
