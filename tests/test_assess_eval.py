"""`vnip eval`'s assessment half: the set format, the scoring of a real answer object, and the gate's floors."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from assistant.answer import answer
from assistant.assess_eval import AssessItem, AssessRun, AssessSetError, load_assess_items, score
from assistant.gate import Gate

ROOT = Path(__file__).resolve().parent.parent


def test_the_committed_sets_are_read_and_a_bad_line_is_named(tmp_path):
    for name in ("assess-dev", "assess-test"):      # read, not inspected: the sets are blind
        items = load_assess_items(ROOT / "evals" / f"{name}.jsonl")
        assert len(items) >= 20 and all(isinstance(i.as_of, date) for i in items)
    bad = tmp_path / "a.jsonl"
    bad.write_text(json.dumps({"id": "x", "question": "q", "as_of": "2026-01-01", "verdict": "allowed",
                               "cites": []}) + "\n"
                   + json.dumps({"id": "y", "question": "q", "as_of": "2026-01-01", "verdict": "maybe"}) + "\n",
                   encoding="utf-8")
    with pytest.raises(AssessSetError, match=r"a.jsonl:2: .*verdict 'maybe' is not one of"):
        load_assess_items(bad)


def test_gate_floors_on_the_assessment_set():
    gate = Gate("dev", 0.64, 0.05, 1.0, 0.95, verdict_accuracy=0.7, cite_recall=0.6)
    retrieval = {"article R@5": 0.64, "citation validity": 1.0, "refusal accuracy": 1.0}
    assert gate.failures(retrieval, {"verdict accuracy": 0.75, "grounding-cite recall": 0.6}) == []
    assert gate.failures(retrieval, {"verdict accuracy": 0.5, "grounding-cite recall": 0.7}) == [
        "verdict accuracy 0.5 < 0.7"]
    assert "no assessment set was run" in gate.failures(retrieval, None)[0]
    assert Gate("dev", 0.64, 0.05, 1.0, 0.95).failures(retrieval, None) == []     # older gate files: not gated
    committed = Gate.read(ROOT / "evals" / "gate.json")
    assert committed.verdict_accuracy is not None and committed.cite_recall is not None


def test_scoring_reads_the_answer_object(index):
    question = "Can my company train a commercial AI model on scraped Vietnamese news articles?"
    day = date(2026, 12, 8)
    result = answer(index, question, day)
    right = AssessItem("a", question, day, "needs_permission", ["ip-law:20.2", "ip-law:99.9"],
                       facts={"purpose": "commercial", "material": "literary"})
    row = score(right, result, index)
    assert row["verdict ok"] and row["given ok"] and row["cite recall"] == 0.5
    assert row["shown"] and row["valid"] and row["facts ok"] == 0.5
    wrong = score(AssessItem("b", question, day, None, []), result, index)
    assert not wrong["verdict ok"] and not wrong["given ok"] and wrong["cite recall"] is None
    other = answer(index, "What is a derivative work?", day)
    none = score(AssessItem("c", "What is a derivative work?", day, None, []), other, index)
    assert none["verdict ok"] and none["got"] == "no assessment"
    run = AssessRun("vnip", [{**row, "ms": 1}, {**wrong, "ms": 2}, {**none, "ms": 3}])
    s = run.summary()
    assert s["verdict accuracy"] == round(2 / 3, 3) and s["grounding-cite recall"] == 0.5
    assert s["assessment cites shown"] == 1.0
