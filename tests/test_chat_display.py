"""What the chat shows, without the model: the What-changed markup, one language per answer, honest dated notes,
the ingest summary line and the settings that keep program output and the Deploy menu off the page."""
from __future__ import annotations

import re
import tomllib
from datetime import date
from types import SimpleNamespace

import pytest

from assistant.answer import _horizon_warnings, _vi_why
from assistant.changes import DELETE, EQUAL, INSERT, diff_markdown, word_diff
from ingest.run import not_applied_line
from assistant.question import RETRIEVAL_CHARS, read_question
from conftest import ROOT

ENGLISH = re.compile(r"\b(the|is|of|in|on|to|law|corpus|changes|before|oldest|question|characters)\b", re.IGNORECASE)


def ops(old: str, new: str) -> list[tuple[str, str]]:
    return [(s.op, s.text) for s in word_diff(old, new)]


def test_an_insertion_after_a_word_is_only_the_insertion():
    """The bug seen: "truyện ngắn; ngắn, truyện tranh;" — the old word struck, the new phrase repeating it."""
    segments = ops("Tiểu thuyết, truyện vừa, truyện ngắn; bút ký",
                   "Tiểu thuyết, truyện vừa, truyện ngắn, truyện tranh; bút ký")
    assert [(op, text) for op, text in segments if op != EQUAL] == [(INSERT, ", truyện tranh")]
    md = diff_markdown(word_diff("truyện ngắn; bút ký", "truyện ngắn, truyện tranh; bút ký"))
    assert md == "truyện ngắn:green-background[**, truyện tranh**]; bút ký"


@pytest.mark.parametrize("old, new, expected", [
    ("Việc thực hiện quyền sở hữu trí tuệ", "Việc khai thác, bảo vệ quyền sở hữu trí tuệ",
     "Việc :red-background[~~thực hiện~~] :green-background[**khai thác, bảo vệ**] quyền sở hữu trí tuệ"),
    ("The exercise of rights", "The exploitation and protection of rights",
     "The :red-background[~~exercise~~] :green-background[**exploitation and protection**] of rights"),
    ("a [link](x) b", "a c b", r"a :red-background[~~\[link\]\(x\)~~] :green-background[**c**] b"),
])
def test_deletions_are_struck_insertions_bold_apart_and_escaped(old, new, expected):
    assert diff_markdown(word_diff(old, new)) == expected


def test_a_change_over_several_lines_is_marked_line_by_line():
    md = diff_markdown(word_diff("1. Một.\n2. Hai.", "1. Một.\n2. Hai.\n3. Ba mới.\n4. Bốn."))
    assert md.count(":green-background[") == 2 and "~~" not in md
    for line in md.split("  \n"):
        assert line.count("[") == line.count("]"), line          # no mark spans a line break


@pytest.mark.parametrize("old, new", [("truyện ngắn;", "truyện ngắn, truyện tranh;"), ("a, b; c.", "a; b, c!"),
                                      ("Điều 7.\nkhoản 1", "Điều 7a.\n\nkhoản 2")])
def test_the_word_diff_still_rebuilds_both_sides(old, new):
    segments = word_diff(old, new)
    assert "".join(s.text for s in segments if s.op != INSERT) == old
    assert "".join(s.text for s in segments if s.op != DELETE) == new


def test_horizon_and_oldest_warnings_speak_the_answers_language():
    index = SimpleNamespace(horizon=date(2026, 5, 1), oldest=date(2006, 7, 1))
    vi = _horizon_warnings(index, date(2027, 1, 1), "vi") + _horizon_warnings(index, date(2000, 1, 1), "vi")
    en = _horizon_warnings(index, date(2027, 1, 1), "en") + _horizon_warnings(index, date(2000, 1, 1), "en")
    assert len(vi) == len(en) == 2
    assert not [w for w in vi if ENGLISH.search(w)], vi
    assert all(ENGLISH.search(w) for w in en)
    assert "2026-05-01" in vi[0] and "2006-07-01" in vi[1]


def test_the_long_question_notice_and_the_unresolved_reasons_in_vietnamese():
    q = read_question("x " * RETRIEVAL_CHARS)
    assert q.shortened and not ENGLISH.search(q.notice_in("vi")) and ENGLISH.search(q.notice_in("en"))
    for why in ("not in the corpus", "not yet in force on 2025-12-01 (from 2026-04-09); earlier wording, if any, "
                "is not in the corpus", "no longer in force on 2026-12-01 (until 2026-03-31)"):
        assert not ENGLISH.search(_vi_why(why)), _vi_why(why)


def test_commentary_dates_what_it_says_instead_of_saying_today():
    """A note is shown for any date in its period: "as of today" would be false for a past date."""
    for path in sorted((ROOT / "corpus" / "commentary").glob("*.md")):
        text = path.read_text(encoding="utf-8").lower()
        for undated in ("as of today", "today,", "currently", "at present", "hiện nay", "hôm nay", "hiện tại"):
            assert undated not in text, f"{path.name}: {undated!r}"


def test_ingest_sums_up_operations_not_applied_in_one_line_that_points_to_the_details():
    line = not_applied_line(18)
    assert "\n" not in line and "18" in line and "corpus/changes.md" in line and "--details" in line


def test_settings_keep_program_output_and_the_deploy_menu_off_the_page_and_the_port_is_a_variable():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["runner"]["magicEnabled"] is False
    assert config["client"]["toolbarMode"] == "minimal"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "PORT ?= 8501" in makefile and "--server.port $(PORT)" in makefile


@pytest.mark.parametrize("question, history", [("Điều 25a quy định gì?", None),
                                               ("điều kiện huấn luyện AI trên tác phẩm có bản quyền", None),
                                               ("còn nếu chỉ để nghiên cứu thì sao?", ["Can we train AI on news?"])])
def test_a_vietnamese_answer_writes_no_english_sentence(index, question, history):
    """Past the corpus horizon (a warning is added) and as a follow-up to an English question: statute text and
    labels aside, every line vnip writes is Vietnamese."""
    from assistant.answer import answer

    result = answer(index, question, date(2027, 1, 1), history=history)
    prose = [re.sub(r"&#91;[^&]*&#93;", "", line) for line in result.answer.split("\n")   # inline citation ids aside
             if line.strip() and not line.startswith(">")]
    assert any("Pháp luật áp dụng tại ngày 2027-01-01" in line for line in prose)
    assert not [line for line in prose if ENGLISH.search(line)], prose
    assert result.warnings and not [w for w in result.warnings if ENGLISH.search(w)]


def test_an_english_follow_up_to_a_vietnamese_question_is_answered_in_english(index):
    from assistant.answer import answer

    result = answer(index, "and if the model is only for research?", date(2026, 12, 1),
                    history=["Điều kiện huấn luyện AI trên tác phẩm có bản quyền?"])
    assert result.answer.startswith("**Short answer (as of 2026-12-01)")      # a training question: the verdict
    assert "**Law applied as of 2026-12-01.** Relevant provisions:" in result.answer
    assert "Thông tin tham khảo" not in result.answer


def test_quoted_clauses_keep_their_own_numbers_and_lines(index):
    """A quoted article's "1." … "6." stay the statute's numbers (not a Markdown list that renumbers), one per line."""
    from assistant.answer import answer

    result = answer(index, "Điều 25a quy định gì?", date(2026, 12, 1))
    assert "> 1\\. Người khuyết tật" in result.answer
    assert "> 6\\. Chính phủ quy định chi tiết Điều này.  " in result.answer
