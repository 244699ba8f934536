"""The chat's fact controls (issue 16, item 1): beside an answer's verdict, the facts read from the question, each
changeable in place; a change recomputes the assessment at once (assistant/refacts.py) with no new question.

For app.py's answer rendering, after the answer's Markdown (one call, nothing else to change):

    from facts_panel import render_facts
    changed = render_facts(index, result, key)
    if changed is not None:
        messages[i]["answer"] = changed      # the change is recorded in the conversation and its export
        st.rerun()
"""
from __future__ import annotations

import streamlit as st

from assistant.assessment_text import FACT_NAMES, fact_value
from assistant.check import FACT_VALUES
from assistant.contract import Answer
from assistant.refacts import lang_of, reassess


def render_facts(index, result: Answer, key) -> Answer | None:
    """The facts as selectboxes ("not said" = not known); returns the recomputed answer when one was changed."""
    if result.assessment is None:
        return None
    lang = lang_of(result)
    facts = result.assessment["facts"]
    title = "Facts read from the question — change one to recompute the verdict" if lang == "en" else \
        "Dữ kiện đọc từ câu hỏi — thay đổi để tính lại kết luận"
    changes = {}
    with st.expander(title, icon=":material/tune:"):
        cols = st.columns(3)
        for n, (name, values) in enumerate(FACT_VALUES.items()):
            options = [None, *values]
            current = facts.get(name)
            changes[name] = cols[n % 3].selectbox(
                FACT_NAMES.get(name, (name, name))[0 if lang == "en" else 1], options,
                index=options.index(current) if current in options else 0,
                format_func=lambda v: fact_value(v, lang), key=f"fact-{key}-{name}")
    if all(changes[k] == facts.get(k) for k in changes):
        return None
    return reassess(index, result, changes)
