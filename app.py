"""vnip chat: renders what assistant/ returns — answers, citation cards with the verbatim text, what changed between
versions, the date applied. Nothing typed by a user or found in the corpus is rendered as HTML."""
from __future__ import annotations

import re
from datetime import date

import streamlit as st

from ingest.settings import offline_defaults, settings  # noqa: E402

offline_defaults()

from assistant.answer import DISCLAIMER, note_markdown  # noqa: E402
from assistant.assessment_text import VERDICTS  # noqa: E402
from assistant.changes import LEGEND, changes, diff_markdown, word_diff  # noqa: E402
from assistant.export import to_markdown  # noqa: E402
from assistant.llm import LLMConfig, LLMConfigError, LLMStream, configured  # noqa: E402
from assistant.question import QuestionError, neutralise  # noqa: E402
from assistant.contract import Answer, Citation  # noqa: E402
from assistant.retrieve import Index  # noqa: E402
from facts_panel import render_facts  # noqa: E402

st.set_page_config(page_title="vnip — Vietnamese IP law", page_icon="⚖️", layout="wide")
INSTRUMENT_NAMES = {"decree-17-2023": "Decree 17/2023", "decree-134-2026": "Decree 134/2026"}
COMMENTARY = {"en": "Commentary by this project — not law", "vi": "Bình luận của dự án — không phải quy định pháp luật"}
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$])")


@st.cache_resource(show_spinner="Loading the law and the model…")
def load_index() -> Index:
    return Index()


def md_escape(text: str) -> str:
    """Corpus text shown inside our own Markdown (diff highlighting) must not become links, images or directives."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def text_heading(c: Citation) -> str:
    """What the Vietnamese text is, no more: an official consolidation's text, or wording this project put
    together by applying an amending decree itself (no official consolidation exists)."""
    if "applied by this project" in c.note:
        return f"**{consolidated_by_project(c)}**"
    return "**Tiếng Việt (official text)**"


def consolidated_by_project(c: Citation) -> str:
    return (f"{INSTRUMENT_NAMES.get(c.instrument, c.instrument)} as amended by "
            f"{INSTRUMENT_NAMES.get(c.amended_by or '', c.amended_by)}, applied by this project; "
            "no official consolidation")


def status_badges(c: Citation, as_of: str) -> str:
    badges = [f":red-badge[not in force on {as_of} — shown because asked about]" if c.role == "not_in_force" else
              f":green-badge[in force on {as_of}]" if c.status == "in_force" else
              f":red-badge[{c.status.replace('_', ' ')}]"]
    if c.later_version_from:
        badges.append(f":orange-badge[a later version exists from {c.later_version_from} — see What changed]")
    if not c.verified:
        badges.append(":gray-badge[transcription, not checked against the gazette]")
    return " ".join(badges)


def render_text(c: Citation) -> None:
    left, right = st.columns(2)
    left.markdown(text_heading(c))
    left.text(c.text)
    right.markdown("**English (unofficial translation)**" + (" :gray-badge[translation not reviewed]"
                                                               if c.translation else ""))
    right.text(c.translation or "No translation of this provision yet.")


def render_changes(index: Index, c: Citation) -> None:
    versions = index.wordings(c.id)
    st.caption(" · ".join(f"{v.valid_from} – {v.valid_to or 'open'}"
                          + (f" ({v.amended_by})" if v.amended_by else "") for v in versions))
    st.caption(LEGEND)
    for change in reversed(changes(versions)):
        old, new = change.before, change.after
        st.markdown(f"**{old.valid_from} – {old.valid_to or 'open'} → from {new.valid_from}**"
                    + (f" ({md_escape(new.amended_by)})" if new.amended_by else ""))
        if not change.changed:
            st.caption("Same wording; only the status or the dates changed.")
            continue
        left, right = st.columns(2)
        left.markdown("**Tiếng Việt**")
        left.markdown(diff_markdown(change.segments))
        before, after = index.translation(old), index.translation(new)
        right.markdown("**English (unofficial translation)**")
        if before and after:
            right.markdown(diff_markdown(word_diff(before, after)))
        else:
            right.caption("No English for " + ("either version" if not (before or after) else
                                               "the earlier version" if not before else "the later version") + ".")


def render_document(n: int, c: Citation) -> None:
    with st.expander(f"[{n}] {md_escape(c.label)} · your document, not law"):
        st.markdown(":violet-badge[your document — not law]")
        st.text(c.text)
        st.code(c.label, language=None)


def render_note(n: int, c: Citation, lang: str) -> None:
    """The project's commentary: its part in the answer's language, as Markdown; no statute badges, never law."""
    label = COMMENTARY[lang]
    with st.expander(f"[{n}] {md_escape(c.label if lang == 'en' else c.label_vi)} · {label}"):
        st.markdown(f":blue-badge[{label}]")
        st.caption((f"Speaks to {c.valid_from} – {c.valid_to or 'open'}" if lang == "en" else
                    f"Áp dụng cho giai đoạn {c.valid_from} – {c.valid_to or 'nay'}"))
        st.markdown(note_markdown(c.text, lang))


def render_citation(index: Index, n: int, c: Citation, as_of: str, lang: str = "en") -> None:
    if c.kind == "document":
        render_document(n, c)
        return
    if c.kind == "commentary":
        render_note(n, c, lang)
        return
    with st.expander(f"[{n}] {c.label} · {c.label_vi}"):
        st.markdown(status_badges(c, as_of))
        st.caption(f"In force {c.valid_from} – {c.valid_to or 'open'}"
                   + (f" · wording from {c.amended_by}" if c.amended_by else "") + (f" · {c.note}" if c.note else ""))
        several = len(index.wordings(c.id)) > 1
        tabs = st.tabs(["Text", "What changed"] if several else ["Text"])
        with tabs[0]:
            render_text(c)
        if several:
            with tabs[1]:
                render_changes(index, c)
        if c.provenance:
            st.caption(f"Source: {md_escape(c.provenance)}")
        st.caption("Citation label (copy):")
        st.code(c.label, language=None)


VERDICT_BADGE = {"allowed": "green", "allowed_if": "blue", "needs_permission": "orange", "prohibited": "red",
                 "unsettled": "violet"}


def verdict_badge(result: Answer, lang: str) -> str | None:
    a = result.assessment
    if not a:
        return None
    verdict, en = a.get("verdict"), lang == "en"
    if verdict is None:
        label = "no verdict: the law of that date is not in the corpus" if en else \
            "không kết luận: kho văn bản không có pháp luật của ngày đó"
    else:
        label = VERDICTS.get(verdict, (verdict, verdict))[0 if en else 1]
    head = f"Verdict as of {a['as_of']}" if en else f"Kết luận tại ngày {a['as_of']}"
    return f":{VERDICT_BADGE.get(verdict, 'gray')}-badge[{head}: {md_escape(label)}]"


def render_answer(index: Index, result: Answer, key: int, lang: str = "en") -> None:
    model = f" ({result.model})" if result.model else ""
    st.caption(f"Law applied as of **{result.as_of}** · {result.mode} answer{model}")
    badge = verdict_badge(result, lang)
    if badge:
        st.markdown(badge)
    st.markdown(result.answer)
    for n, c in enumerate(result.citations, 1):
        render_citation(index, n, c, result.as_of, lang)
    st.download_button("Export as Markdown", to_markdown(result), file_name=f"vnip-answer-{result.as_of}.md",
                       mime="text/markdown", key=f"export-{key}", icon=":material/download:")


def _draft(stream: LLMStream):
    """What streams into the chat while the answer is written: a model's tokens, made inert (its citations are
    checked only at the end, when the verified answer replaces this draft), or the extractive answer word by word."""
    from_model = stream.config is not None and not stream.grounds.refused
    for text in stream.stream():
        for piece in re.findall(r"\S+\s*|\s+", text):
            yield neutralise(piece) if from_model else piece


def llm_setting() -> LLMConfig | None:
    spec = st.text_input("Language model (optional)", value=settings().llm_spec,
                         placeholder="e.g. ollama:qwen2.5:7b", help="Empty: offline extractive answers. "
                         "`ollama:MODEL`, or `openai:MODEL` with OPENAI_BASE_URL set for any OpenAI-compatible server. "
                         "The model sees the question, the conversation and the retrieved provisions; every "
                         "citation it writes is checked.")
    try:
        return configured(spec)
    except LLMConfigError as e:
        st.error(str(e))
        return None


def sidebar(index: Index, messages: list[dict]) -> tuple[date, LLMConfig | None, bool]:
    """The date applied, the language model, and whether the user asked for the last question again on that date."""
    with st.sidebar:
        as_of = date_setting()
        again = False
        if messages and messages[-1]["answer"].as_of != as_of.isoformat():
            again = st.button(f"Ask the last question again as of {as_of.isoformat()}", icon=":material/event:",
                              type="primary")
        config = llm_setting()
        summary = index.meta.get("summary", {})
        st.markdown("**Corpus**")
        st.caption(f"{summary.get('instruments', '?')} instruments · {summary.get('provisions', '?')} provisions in "
                   f"{summary.get('versions', '?')} versions · refreshed {index.meta.get('created', '?')} · "
                   f"model: {index.meta.get('model', '?')} · latest change in force {index.horizon.isoformat()}")
        documents_panel(index)
        refresh_button(index)
        for line in st.session_state.get("refresh_report", []):
            st.caption(line)
        st.info(DISCLAIMER["en"] + "\n\n" + DISCLAIMER["vi"])
    return as_of, config, again


FIRST_DAY, LAST_DAY = date(2006, 7, 1), date(2100, 12, 31)


def date_setting() -> date:
    """A text field rather than st.date_input: Streamlit's date field commits a typed date only when it loses
    focus, and a lawyer types a date and presses Enter. A date that cannot be read keeps the last one applied."""
    applied = st.session_state.setdefault("as_of", date.today())
    typed = st.text_input("Apply the law as of", value=date.today().isoformat(), key="as_of_text",
                          placeholder="YYYY-MM-DD", help="Type a date (YYYY-MM-DD) and press Enter: answers apply the law in force that day.")
    try:
        day = date.fromisoformat(typed.strip())
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValueError
    except ValueError:
        st.error(f"“{typed}” is not a date between {FIRST_DAY} and {LAST_DAY}: type it as YYYY-MM-DD, e.g. "
                 f"2025-12-01. The law is still applied as of {applied.isoformat()}.")
        return applied
    st.session_state["as_of"] = day
    return day


def refresh_button(index: Index) -> None:
    if st.button("Refresh the index", icon=":material/refresh:", help="Re-read corpus/ and your documents; only "
                 "what changed is embedded again. The current index keeps answering meanwhile."):
        run_refresh(index)


def run_refresh(index: Index) -> None:
    """The same refresh as `vnip ingest`: a new generation is built beside the live one, then switched to."""
    from ingest.index import RefreshBusy, refresh

    try:
        with st.spinner("Refreshing… the current index keeps answering meanwhile."):
            summary = refresh(index.home)
    except RefreshBusy as e:
        st.warning(str(e))
        return
    st.session_state["refresh_report"] = [summary.text(), *summary.errors]
    if summary.changed:
        load_index.clear()
        st.rerun()


def documents_panel(index: Index) -> None:
    """The user's PDFs: cited by page in a section of their own, never as law."""
    from ingest.documents import DocumentError, add_document, delete_document, list_documents

    st.markdown("**Your documents (not law)**")
    st.caption("PDFs you add are searched with the law and cited by page. On a shared server, documents uploaded "
               "here are visible to everyone using it.")
    round_ = st.session_state.setdefault("upload_round", 0)
    uploads = st.file_uploader("Add PDFs", type=["pdf"], accept_multiple_files=True, key=f"upload-{round_}")
    if uploads and st.button("Add and refresh", icon=":material/upload_file:"):
        for f in uploads:
            try:
                add_document(index.home, f.name, f.getvalue())
            except DocumentError as e:
                st.error(str(e))
        st.session_state["upload_round"] = round_ + 1      # a fresh uploader once the files are in the folder
        run_refresh(index)
    for d in list_documents(index.home):
        left, right = st.columns([3, 2])
        left.caption(f"{d.name} · {d.pages or '?'} p. · {d.status}" + (f": {d.reason}" if d.reason else ""))
        if right.button("Delete", key=f"delete-{d.name}"):
            delete_document(index.home, d.name)
            run_refresh(index)


def ask(index: Index, question: str, as_of: date, messages: list[dict], config: LLMConfig | None,
        again: bool = False) -> None:
    history = [m["content"] for m in messages if m["role"] == "user"]
    history = history[:-1] if again else history     # the same question on a new date is not a follow-up
    answers = [m["answer"] for m in messages if m["role"] == "assistant"][:-1 if again else None]
    carry = [c.id for c in answers[-1].citations if c.kind == "statute"] if answers else []
    try:
        stream = LLMStream.ask(index, question, as_of, history=history, config=config, carry=carry)
    except QuestionError as e:
        st.error(str(e))
        return
    with st.chat_message("user"):
        st.text(question)
    with st.chat_message("assistant"):
        draft = st.empty()
        draft.write_stream(_draft(stream))
        result = stream.result
        draft.empty()
        render_answer(index, result, len(messages) + 1, stream.grounds.lang)
        render_facts(index, result, len(messages) + 1)     # a change is applied by the history loop's same widgets
    messages += [{"role": "user", "content": question},
                 {"role": "assistant", "answer": result, "lang": stream.grounds.lang}]


def main() -> None:
    st.title("vnip — Vietnamese IP law, cited")
    index = load_index()
    messages = st.session_state.setdefault("messages", [])
    as_of, config, again = sidebar(index, messages)
    for i, m in enumerate(messages):
        with st.chat_message(m["role"]):
            if m["role"] == "assistant":
                render_answer(index, m["answer"], i, m.get("lang", "en"))
                changed = render_facts(index, m["answer"], i)
                if changed is not None:       # a fact changed in place: the verdict recomputed, kept in the history
                    m["answer"] = changed
                    st.rerun()
            else:
                st.text(m["content"])
    question = st.chat_input("Ask about Vietnamese IP law, e.g. Can we train an AI model on news articles?")
    again = bool(again) and not question    # the date changed: the same question on the new date, not a follow-up
    if again:
        question = messages[-2]["content"]
    if question:
        ask(index, question, as_of, messages, config, again=again)


main()
