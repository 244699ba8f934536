"""Bad questions: each is answered or refused cleanly on the real index, and nothing from the question (or the
corpus) becomes active Markdown or HTML in the answer."""
from __future__ import annotations

import json
import re
import time
from datetime import date

import pytest

from assistant.answer import answer
from assistant.question import MAX_CHARS, RETRIEVAL_CHARS, QuestionError, neutralise, read_question

from test_cli import vnip

AS_OF = date(2026, 11, 27)
CONTRACT_CLAUSE = ("Bên B được phép sử dụng toàn bộ tác phẩm báo chí của Bên A để huấn luyện mô hình trí tuệ nhân "
                   "tạo thương mại mà không phải trả tiền bản quyền. ")
HOSTILE = [
    "<script>alert('x')</script> Can we train an AI model on news articles?",
    "<img src=x onerror=alert(1)> Is text and data mining of copyrighted works allowed?",
    "[click here](javascript:alert(1)) What does Article 7(5) of the IP law say?",
    "![](http://tracker.example/pixel.png) Điều 25 Luật Sở hữu trí tuệ quy định gì?",
    "Can I train on <b>lyrics</b>? <iframe src='http://evil.example'></iframe> [x]: javascript:alert(1)",
    "What does clause 5 of Article 7 say?\x00\x07\x1b[31m with NUL and escape codes\u202e",
    "Điều 7 khoản 5 <a href=\"javascript:alert(1)\">link</a> ![img](javascript:alert(1))",
]


def assert_inert(result) -> None:
    blob = json.dumps(result.to_json(), ensure_ascii=False)
    assert "<script" not in blob.lower() and "<img" not in blob.lower() and "<iframe" not in blob.lower()
    assert "](javascript:" not in blob and "![" not in blob and "<a href" not in blob
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", result.answer + result.question)


@pytest.mark.parametrize("question", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_questions_are_answered_without_active_markup(index, question):
    result = answer(index, question, AS_OF)
    assert_inert(result)
    assert result.refused or result.citations


def test_a_hostile_question_is_still_answered_on_its_content(index):
    result = answer(index, "[x](javascript:alert(1)) What does Article 7(5) of the IP law say?", AS_OF)
    assert result.citations[0].id.startswith("ip-law:7.5")
    assert "&#91;x&#93;(javascript:alert(1))" in result.question


@pytest.mark.parametrize("question", ["", "   ", "\n\t \n", "\x00\x00", "\u200b\u200b", None, 42])
def test_empty_questions_are_refused_with_a_clear_error(index, question):
    with pytest.raises(QuestionError, match="empty|text"):
        answer(index, question, AS_OF)


def test_a_pasted_contract_is_answered_quickly_and_the_answer_says_what_was_read(index):
    question = ("Is this clause of our contract lawful? " + CONTRACT_CLAUSE * 400)[:50_000]
    assert len(question) == 50_000
    answer(index, "warm-up question on copyright", AS_OF)
    started = time.perf_counter()
    result = answer(index, question, AS_OF)
    seconds = time.perf_counter() - started
    assert seconds < 8, seconds      # measured 2.9–4.6 s on the shared 2-core machine (a short question: 1.6 s)
    assert not result.refused and result.citations
    assert any("50,000 characters" in w and f"first {RETRIEVAL_CHARS // 2:,}" in w for w in result.warnings)
    assert "50,000 characters" in result.answer
    assert len(result.question) == 50_000


def test_a_question_beyond_the_limit_is_refused_with_the_limit():
    with pytest.raises(QuestionError, match=f"{MAX_CHARS:,}"):
        read_question("x" * (MAX_CHARS + 1))


def test_questions_are_read_as_nfc_without_control_characters():
    nfd = "Đie\u0302\u0300u 7 co\u0301 quy đi\u0323nh gi\u0300?\x00\x1b"
    q = read_question(nfd)
    assert q.text == "Điều 7 có quy định gì?" and not q.shortened


def test_neutralised_text_keeps_its_characters_and_our_formatting():
    text = "**bold** [ip-law:7.5] <b>x</b> & ![i](u)"
    out = neutralise(text)
    assert out.startswith("**bold**") and "<" not in out and "[" not in out and "](" not in out
    from html import unescape
    assert unescape(out) == text


def test_corpus_and_commentary_quotes_in_the_answer_are_inert(index):
    """The commentary's inline citations ([ip-law:20.1.c]) stay readable but are no link syntax."""
    result = answer(index, "Is reproduction during AI training allowed under the 2026 exception?", AS_OF)
    assert any(c.kind == "commentary" for c in result.citations)
    body = result.answer
    ours = re.sub(r"^\[\d+\] ", "", body, flags=re.M)          # our own citation markers start a line
    ours = re.sub(r" \[\d+\] — ", " ", ours)
    ours = re.sub(r" (\[\d+\])+$", "", ours, flags=re.M)            # the assessment lead's markers end a line
    assert "[" not in ours and "<" not in ours
    assert "&#91;ip-law:" in body


def test_cli_refuses_an_empty_question_with_exit_2(home, ingested):
    run = vnip(home, "ask", "", "--json")
    assert run.returncode == 2 and "empty" in run.stderr and run.stdout == ""


def test_batch_lines_with_bad_questions_get_their_own_errors(home, ingested, tmp_path):
    batch = tmp_path / "bad.jsonl"
    rows = [{"id": "empty", "question": ""}, {"id": "nul", "question": "\x00\x00"},
            {"id": "html", "question": "<script>alert(1)</script> Điều 7 khoản 5"},
            {"id": "huge", "question": "x " * (MAX_CHARS // 2 + 10)}, {"id": "number", "question": 7}]
    batch.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    run = vnip(home, "ask", "--batch", str(batch), "--json")
    assert run.returncode == 0, run.stderr
    out = {o["id"]: o for o in map(json.loads, run.stdout.splitlines())}
    assert "bad.jsonl:1" in out["empty"]["error"] and "empty" in out["empty"]["error"]
    assert "empty" in out["nul"]["error"]
    assert "<script" not in json.dumps(out["html"]) and out["html"]["citations"]
    assert f"{MAX_CHARS:,}" in out["huge"]["error"]
    assert "text" in out["number"]["error"]
