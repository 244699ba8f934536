"""Facts changed in place on a real answer (the chat's fact controls): the verdict and its cards recomputed, the
retrieved provisions kept and their markers renumbered, the change said in the answer and its export."""
from __future__ import annotations

import re
from datetime import date

from assistant.answer import answer
from assistant.export import to_markdown
from assistant.refacts import reassess

CORE = "Can my company train a commercial AI model on scraped Vietnamese news articles?"


def test_a_fact_changed_in_place_recomputes_the_verdict_and_is_recorded(index):
    before = answer(index, CORE, date(2026, 12, 8))
    assert before.assessment["verdict"] == "needs_permission" and before.assessment["facts"]["purpose"] == "commercial"
    after = reassess(index, before, {"purpose": "non_commercial"})
    assert after.assessment["verdict"] == "allowed_if" and after.assessment["facts"]["purpose"] == "non_commercial"
    assert after.answer.startswith("**Short answer (as of 2026-12-08): allowed if")
    assert "Facts changed: purpose: commercial → non commercial" in after.answer
    assert "Short answer (as of 2026-12-08): needs permission" not in after.answer, "the old lead is replaced"
    roles = [c.role for c in after.citations]
    assert roles == sorted(roles, key=lambda r: r != "assessment"), "the assessment's cards first"
    kept = [c.id for c in before.citations if c.role != "assessment"]
    assert all(any(c.id == k or k.startswith(c.id + ".") for c in after.citations) for k in kept)
    assert "decree-17-2023:37a.2" in {c.id for c in after.citations if c.role == "assessment"}
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", after.answer)}
    assert markers and max(markers) <= len(after.citations), "every marker points at a card"
    # A quoted provision keeps its text under its new number.
    for n, c in enumerate(before.citations, 1):
        if c.role != "assessment" and f"[{n}]" in before.answer.split("\n", 1)[1]:
            new_n = next(i for i, d in enumerate(after.citations, 1) if d.id == c.id)
            assert f"[{new_n}]" in after.answer
    assert "Facts changed: purpose" in to_markdown(after)
    assert reassess(index, after, {"purpose": "non_commercial"}) is after, "no change, same answer"
    back = reassess(index, after, {"purpose": "commercial"})
    assert back.assessment == before.assessment and back.answer.count("Facts changed") == 2


APP = f'''
import streamlit as st
from datetime import date
from assistant.answer import answer
from assistant.retrieve import Index
from facts_panel import render_facts

index = st.cache_resource(lambda: Index(build=False))()
if "result" not in st.session_state:
    st.session_state["result"] = answer(index, {CORE!r}, date(2026, 12, 8))
result = st.session_state["result"]
st.markdown(result.answer)
changed = render_facts(index, result, 0)
if changed is not None:
    st.session_state["result"] = changed
    st.rerun()
'''


def test_the_fact_controls_change_the_verdict_in_the_page(home, ingested, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("VNIP_HOME", str(home))
    at = AppTest.from_string(APP, default_timeout=180).run()
    assert not at.exception
    purpose = at.selectbox(key="fact-0-purpose")
    assert purpose.value == "commercial" and "needs permission" in at.markdown[0].value
    purpose.set_value("non_commercial").run()
    assert not at.exception
    assert at.markdown[0].value.startswith("**Short answer (as of 2026-12-08): allowed if")
    assert at.selectbox(key="fact-0-purpose").value == "non_commercial"


def test_every_quoted_provision_keeps_a_card_of_its_own_after_a_fact_changes(index):
    """The text below the lead quotes the old assessment's provisions too: each quotation's number names the card
    of that provision, and no two quotations share a number (seen in Chromium: [8], [9], [10] twice)."""
    before = answer(index, "Can we train an AI model on copyrighted news articles without permission?", date(2026, 12, 8))
    after = reassess(index, before, {"purpose": "commercial"})
    quoted = [(int(n), label) for n, label in re.findall(r"^\[(\d+)\] \*\*(.+?)\*\*", after.answer, re.MULTILINE)]
    numbers = [n for n, _ in quoted]
    assert quoted and len(numbers) == len(set(numbers)), numbers
    for n, label in quoted:
        assert label.startswith(after.citations[n - 1].label), (n, label, after.citations[n - 1].label)
