"""vnip chat: renders what assistant/ returns — answers, citation cards with the verbatim text, the date applied."""
from __future__ import annotations

import os
from datetime import date

import streamlit as st

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from assistant.answer import DISCLAIMER, answer  # noqa: E402
from assistant.records import Answer, Citation  # noqa: E402
from assistant.retrieve import Index  # noqa: E402

st.set_page_config(page_title="vnip — Vietnamese IP law", page_icon="⚖️", layout="wide")


@st.cache_resource(show_spinner="Loading the law and the model…")
def load_index() -> Index:
    return Index()


def status_badges(c: Citation, as_of: str) -> str:
    badges = [f":green-badge[in force on {as_of}]" if c.status == "in_force" else f":red-badge[{c.status}]"]
    if c.later_version_from:
        badges.append(f":orange-badge[a later version exists from {c.later_version_from}]")
    if not c.verified:
        badges.append(":gray-badge[transcription, not checked against the gazette]")
    return " ".join(badges)


def render_citation(n: int, c: Citation, as_of: str) -> None:
    with st.expander(f"[{n}] {c.label} · {c.label_vi}"):
        st.markdown(status_badges(c, as_of))
        st.caption(f"In force {c.valid_from} – {c.valid_to or 'open'}"
                   + (f" · wording from {c.amended_by}" if c.amended_by else "") + (f" · {c.note}" if c.note else ""))
        left, right = st.columns(2)
        left.markdown("**Tiếng Việt (official text)**")
        left.text(c.text)
        right.markdown("**English (unofficial translation)**" + (" :gray-badge[translation not reviewed]"
                                                                   if c.translation else ""))
        right.text(c.translation or "No translation of this provision yet.")
        st.code(c.label, language=None)


def render_answer(result: Answer) -> None:
    st.markdown(result.answer)
    for n, c in enumerate(result.citations, 1):
        render_citation(n, c, result.as_of)


def sidebar(index: Index) -> date:
    with st.sidebar:
        as_of = st.date_input("Apply the law as of", value=date.today(), min_value=date(2006, 7, 1),
                              max_value=date(2100, 12, 31), format="YYYY-MM-DD")
        summary = index.meta.get("summary", {})
        st.markdown("**Corpus**")
        st.caption(f"{summary.get('instruments', '?')} instruments · {summary.get('provisions', '?')} provisions in "
                   f"{summary.get('versions', '?')} versions · refreshed {index.meta.get('created', '?')} · "
                   f"model: {index.meta.get('model', '?')} · latest change in force {index.horizon.isoformat()}")
        st.info(DISCLAIMER["en"] + "\n\n" + DISCLAIMER["vi"])
    return as_of


def main() -> None:
    st.title("vnip — Vietnamese IP law, cited")
    index = load_index()
    as_of = sidebar(index)
    messages = st.session_state.setdefault("messages", [])
    for m in messages:
        with st.chat_message(m["role"]):
            render_answer(m["answer"]) if m["role"] == "assistant" else st.text(m["content"])
    question = st.chat_input("Ask about Vietnamese IP law, e.g. Can we train an AI model on news articles?")
    if question:
        history = [m["content"] for m in messages if m["role"] == "user"]
        with st.chat_message("user"):
            st.text(question)
        result = answer(index, question, as_of, history=history)
        with st.chat_message("assistant"):
            render_answer(result)
        messages += [{"role": "user", "content": question}, {"role": "assistant", "answer": result}]


main()
