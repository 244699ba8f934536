"""Check a dataset: the sources of a training dataset in a table (uploaded as CSV or JSON Lines, or typed in), each
assessed under the law in force on its date of use, with the verdicts summarised, filtered, opened to their
conditions and provisions, and downloaded as a report. Renders what assistant/ returns (assistant.dataset,
assistant.check, assistant.reservations); nothing typed or uploaded is rendered as HTML."""
from __future__ import annotations

import os
import re
from pathlib import Path

import streamlit as st

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import altair as alt  # noqa: E402
import pandas as pd  # noqa: E402

from assistant.answer import DISCLAIMER  # noqa: E402
from assistant.assessment_text import FACT_NAMES, STATUS_MARK, fact_value, verdict_label  # noqa: E402
from assistant.check import COLUMNS, FACT_VALUES, SourcesError, check_rows  # noqa: E402
from assistant.dataset import (downloads, read_table, results_table, table_cells, table_row,  # noqa: E402
                               verdict_counts)
from assistant.reservations import STATUS_LABEL, fill, read_all  # noqa: E402
from assistant.retrieve import Index  # noqa: E402

st.set_page_config(page_title="Check a dataset — vnip", page_icon="⚖️", layout="wide")
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "dataset-sources.csv"
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$])")
VERDICT_COLOUR = {"prohibited": "red", "needs_permission": "orange", "unsettled": "gray", "allowed_if": "blue",
                  "allowed": "green", None: "gray"}
CHART_COLOUR = {"red": "#d62728", "orange": "#ff7f0e", "gray": "#7f7f7f", "blue": "#1f77b4", "green": "#2ca02c"}
MAX_OPEN = 200      # sources listed with their conditions and cards (the table and the downloads hold them all)


# The same function, same source, as app.py's: Streamlit keys st.cache_resource by module, name and source, so the
# chat and this page share one Index (one model in memory) per server process.
@st.cache_resource(show_spinner="Loading the law and the model…")
def load_index() -> Index:
    return Index()


def md_escape(text: str) -> str:
    """Names and URLs typed by users go into our Markdown (expander titles, captions) as text, never as markup."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def load(cells: list[dict], problems: list[str], source: str) -> None:
    """Put rows into the table: a fresh editor, so its own edits of the previous table do not carry over."""
    st.session_state["cells"] = cells
    st.session_state["load_problems"] = problems
    st.session_state["table_name"] = source
    st.session_state["editor_round"] = st.session_state.get("editor_round", 0) + 1


def inputs() -> None:
    st.markdown("**1. The sources** — upload a file, load the example, or type rows into the table.")
    round_ = st.session_state.setdefault("upload_round", 0)
    upload = st.file_uploader("Upload a CSV or JSON Lines file of sources (the `vnip check` format)",
                              type=["csv", "jsonl", "ndjson", "json"], key=f"sources-{round_}")
    if upload is not None:
        try:
            cells, problems = table_cells(upload.getvalue(), upload.name)
        except SourcesError as e:
            st.error(str(e))
        else:
            load(cells, problems, upload.name)
        st.session_state["upload_round"] = round_ + 1     # the file is in the table now: a fresh uploader
        st.rerun()
    left, right, _ = st.columns([2, 2, 5])
    if left.button("Load the example", icon=":material/table_view:", help=f"examples/{EXAMPLE.name}"):
        load(*table_cells(EXAMPLE.read_bytes(), EXAMPLE.name), EXAMPLE.name)
        st.rerun()
    if right.button("Start an empty table", icon=":material/add_row_below:"):
        load([], [], "table")
        st.rerun()
    for problem in st.session_state.get("load_problems", []):
        st.warning(problem)


def editor() -> list[dict]:
    """The table of sources, editable in place: every fact of a row can be changed and the verdicts follow."""
    facts = {f: st.column_config.SelectboxColumn(f, options=[str(v).lower() for v in values],
                                                 help="empty = not known")
             for f, values in FACT_VALUES.items()}
    frame = pd.DataFrame(st.session_state.get("cells", []), columns=list(COLUMNS), dtype="string")
    frame.index = range(1, len(frame) + 1)
    edited = st.data_editor(
        frame, num_rows="dynamic", width="stretch", hide_index=False,
        key=f"editor-{st.session_state.get('editor_round', 0)}",
        column_config={"name": st.column_config.TextColumn("name", required=True, help="the source, e.g. a site"),
                       **facts,
                       "date_of_use": st.column_config.TextColumn("date_of_use", help="YYYY-MM-DD; empty = today"),
                       "url": st.column_config.TextColumn("url", help="read only by “Read reservations”")})
    return edited.to_dict("records")


def reservations_button(rows) -> None:
    urls = sorted({r.url for r in rows if r.url})
    st.markdown("**2. Reservations (optional)** — reads each source URL's machine-readable reservation.")
    st.caption("Sends one GET request for each URL, and for `/.well-known/tdmrep.json` and `/robots.txt` on each "
               "of their sites, from this server, identifying itself as vnip-reservations. Nothing else is sent; "
               "nothing is fetched until you press the button.")
    if st.button(f"Read reservations ({len(urls)} URL{'s' if len(urls) != 1 else ''})", icon=":material/policy:",
                 disabled=not urls):
        with st.spinner(f"Reading {len(urls)} URL(s)…"):
            st.session_state.setdefault("readings", {}).update(read_all(urls))


def summary_chart(reports, lang: str) -> None:
    counts = verdict_counts(reports, lang)
    cols = st.columns(max(1, len(counts)))
    for col, (label, n) in zip(cols, counts.items()):
        col.metric(label, n)
    order = list(counts)
    colours = [CHART_COLOUR[VERDICT_COLOUR[v]] for v in
               (next(r.verdict for r in reports if verdict_label(r.verdict, lang, short=True) == label)
                for label in order)]
    data = pd.DataFrame({"verdict": order, "sources": list(counts.values())})
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("sources:Q", title="sources", axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("verdict:N", sort=order, title=None),
        color=alt.Color("verdict:N", scale=alt.Scale(domain=order, range=colours), legend=None))
    st.altair_chart(chart.properties(height=40 * len(order) + 30), width="stretch")


def filters(reports, lang: str):
    left, mid, right = st.columns([3, 2, 3])
    labels = list(verdict_counts(reports, lang))
    chosen = left.multiselect("Verdict", labels, default=labels, key="filter-verdict")
    materials = sorted({r.source.facts.get("material") or "not said" for r in reports})
    material = mid.multiselect("Material", materials, default=materials, key="filter-material")
    text = right.text_input("Name or URL contains", key="filter-text").strip().lower()
    return [r for r in reports if verdict_label(r.verdict, lang, short=True) in chosen
            and (r.source.facts.get("material") or "not said") in material
            and (not text or text in r.source.name.lower() or text in (r.source.url or "").lower())]


def render_source(r, evidence: dict | None, lang: str) -> None:
    a, s = r.assessment, r.source
    colour = VERDICT_COLOUR.get(r.verdict, "gray")
    with st.expander(f"Row {table_row(s)} · {md_escape(s.name)} · {verdict_label(r.verdict, lang, short=True)}"):
        st.markdown(f":{colour}-badge[{verdict_label(r.verdict, lang)}] as of {s.date_of_use.isoformat()}")
        st.markdown(md_escape(a.get("summary") or ""))
        regime = a.get("regime") or {}
        if regime.get("label"):
            st.caption(f"Law in force: {md_escape(regime['label'])} ({regime.get('from')} – "
                       f"{regime.get('to') or 'open'})")
        names = {k: FACT_NAMES.get(k, (k, k))[0 if lang == "en" else 1] for k in s.facts}
        st.markdown("**Facts:** " + md_escape("; ".join(f"{names[k]}: {fact_value(v, lang)}"
                                                         for k, v in s.facts.items())))
        if evidence:
            st.markdown(f"**Reservation read:** {STATUS_LABEL[evidence['status']]}")
            st.text(evidence["summary"] + (f"\n{evidence['note']}" if evidence.get("note") else ""))   # URLs: no links
        for key, title in (("conditions", "Conditions (✓ met · ✗ not met · ? not known)"), ("duties", "Duties"),
                           ("open_questions", "Open questions")):
            items = a.get(key) or []
            if items:
                st.markdown(f"**{title}**")
                st.markdown("\n".join(
                    f"- {STATUS_MARK.get(i.get('status'), '?') + ' ' if key == 'conditions' else ''}"
                    f"{md_escape(i['text'])} · `{' '.join(i.get('cites') or [])}`" for i in items))
        for n, c in enumerate(r.citations, 1):
            with st.container(border=True):
                st.markdown(f"**[{n}] {md_escape(c['label'])}** · {md_escape(c['label_vi'])} "
                            f":green-badge[in force on {s.date_of_use.isoformat()}]")
                st.caption(f"`{c['id']}` · in force {c['valid_from']} – {c['valid_to'] or 'open'}")
                left, right = st.columns(2)
                left.markdown("**Tiếng Việt (official text)**")
                left.text(c["text"])
                right.markdown("**English (unofficial translation)**")
                right.text(c.get("translation") or "No translation of this provision yet.")


def results(index: Index, rows, errors, lang: str) -> None:
    rows, evidence = fill(rows, st.session_state.get("readings", {}))
    reports = check_rows(rows, index.rules, index, lang=lang)
    name = st.session_state.get("table_name", "table")
    st.markdown(f"**3. Verdicts** — {len(reports)} source(s) checked"
                + (f", {len(errors)} row(s) with errors (fix them in the table above)" if errors else ""))
    for e in errors:
        st.error(f"Row {e.line}: {e.message}")
    if not reports:
        return
    summary_chart(reports, lang)
    shown = filters(reports, lang)
    table = pd.DataFrame(results_table(shown, evidence, lang))
    st.dataframe(table, hide_index=True, width="stretch")
    files = downloads(reports, errors, evidence, name, lang)
    stem = Path(name).stem or "dataset"
    cols = st.columns(3)
    for col, (fmt, label, mime) in zip(cols, (("md", "Markdown", "text/markdown"), ("json", "JSON", "application/json"),
                                              ("csv", "CSV", "text/csv"))):
        col.download_button(f"Download the report ({label})", files[fmt], file_name=f"vnip-check-{stem}.{fmt}",
                            mime=mime, icon=":material/download:", key=f"download-{fmt}")
    st.markdown(f"**Sources** ({len(shown)} shown) — open one for its conditions and the provisions behind them.")
    for r in shown[:MAX_OPEN]:
        render_source(r, evidence.get(r.source.line), lang)
    if len(shown) > MAX_OPEN:
        st.caption(f"The first {MAX_OPEN} are listed here; narrow the filters, or download the report for all.")


def main() -> None:
    st.title("Check a dataset")
    st.caption("Each source of a training dataset assessed under Vietnamese IP law in force on its date of use: "
               "the verdict, its conditions and the provisions that ground it. " + DISCLAIMER["en"])
    index = load_index()
    lang = st.radio("Language of the assessments", ["en", "vi"], horizontal=True,
                    format_func=lambda x: {"en": "English", "vi": "Tiếng Việt"}[x])
    inputs()
    if "cells" not in st.session_state:
        st.info("Upload a file of sources or load the example to begin. Columns: " + ", ".join(COLUMNS)
                + " (name required; an empty value means not known).")
        return
    rows, errors = read_table(editor())
    reservations_button(rows)
    results(index, rows, errors, lang)


main()
