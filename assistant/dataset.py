"""The "Check a dataset" page's logic, kept out of the page: a sources file as editable table cells, the table read
back through `vnip check`'s reader, the results as table rows, and the report in Markdown, JSON and CSV.

    cells, problems = table_cells(data, name)          # an upload -> rows of strings for st.data_editor
    rows, errors = read_table(cells)                   # the (edited) table -> check.Source rows + RowErrors
    reports = check.check_rows(rows, index.rules, index)
    results_table(reports, evidence) / downloads(reports, errors, evidence, name, lang)

Every row goes through `assistant.check.read_sources`, so the page and `vnip check` accept and refuse the same
values with the same messages. A table row n is line n + 1 of the CSV the table is read as (line 1 is the header).
"""
from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, datetime

from assistant.assessment_text import STATUS_MARK, fact_value, verdict_label
from assistant.check import COLUMNS, RowError, SourcesError, read_sources, summary, to_json, to_markdown
from assistant.reservations import STATUS_LABEL, evidence_markdown, with_evidence
from ingest.jsonl import JsonlError, parse_lines

TABLE = "table"


def table_cells(data: bytes, name: str) -> tuple[list[dict[str, str]], list[str]]:
    """An uploaded CSV or JSON Lines file as rows of cells (strings, one key per column of `vnip check`), so that
    rows with a bad value stay in the table to be fixed. Raises SourcesError when the file as a whole cannot be
    read; `problems` names the lines that cannot become a row at all (a line that is not a JSON object)."""
    read_sources(data, name)                       # the file-level checks (UTF-8, header, columns) and their errors
    text = data.decode("utf-8-sig")
    if _is_jsonl(text, name):
        cells, problems = [], []
        for line, item in parse_lines(text.splitlines(), name):
            if isinstance(item, JsonlError):
                problems.append(f"{item}; not loaded — fix it in the file")
                continue
            if not isinstance(item, dict):
                problems.append(f"{name}:{line}: not a JSON object; not loaded — fix it in the file")
                continue
            unknown = [k for k in item if k not in COLUMNS]
            if unknown:
                problems.append(f"{name}:{line}: unknown key(s) {', '.join(map(repr, unknown))} left out")
            cells.append({c: _cell(item.get(c)) for c in COLUMNS})
        return cells, problems
    reader = csv.DictReader(io.StringIO(text, newline=""))
    reader.fieldnames = [f.strip().lower() for f in reader.fieldnames or []]
    return [{c: _cell(r.get(c)) for c in COLUMNS} for r in reader if any(_cell(v) for v in r.values())], []


def _is_jsonl(text: str, name: str) -> bool:
    suffix = name.lower().rsplit(".", 1)[-1] if "." in name else ""
    return suffix in ("jsonl", "ndjson", "json") or (suffix != "csv" and text.lstrip().startswith("{"))


def _cell(value) -> str:
    """A cell as text: booleans as true/false, dates as YYYY-MM-DD, empty (None, NaN, NaT) as ""."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("NaT", "nan", "None"):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (date, datetime)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, list):            # a list-valued cell (rows from a table widget): its first value
        return _cell(value[0]) if value else ""
    return str(value).strip()


def read_table(records: list[dict]) -> tuple[list, list[RowError]]:
    """The table's rows (dicts of cells, e.g. from st.data_editor) read as `vnip check` reads a CSV; a row's
    errors name its table row. Empty rows are skipped."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    for r in records:
        writer.writerow([_cell(r.get(c)) for c in COLUMNS])
    rows, errors = read_sources(buf.getvalue().encode(), f"{TABLE}.csv")
    return rows, [RowError(TABLE, e.line - 1, e.message) for e in errors]


def table_row(source) -> int:
    return source.line - 1


def results_table(reports, evidence: dict[int, dict] | None = None, lang: str = "en") -> list[dict]:
    """One row per source for the results table: its table row, name, date of use, verdict, the facts and, after
    "Read reservations", what was read."""
    evidence = evidence or {}
    out = []
    for r in reports:
        s, e = r.source, evidence.get(r.source.line)
        out.append({"row": table_row(s), "source": s.name, "date of use": s.date_of_use.isoformat(),
                    "verdict": verdict_label(r.verdict, lang, short=True),
                    **{k: fact_value(v, lang) for k, v in s.facts.items()},
                    "reservation read": STATUS_LABEL[e["status"]] if e else "",
                    "url": s.url or ""})
    return out


def verdict_counts(reports, lang: str = "en") -> dict[str, int]:
    """Sources per verdict, most restrictive first, labelled as shown."""
    return {verdict_label(None if v == "none" else v, lang, short=True): n for v, n in summary(reports).items()}


CSV_COLUMNS = ("line", "name", "url", "date_of_use", "purpose", "material", "published", "access", "reservation",
               "later_commercial", "verdict", "summary", "law_in_force", "conditions", "duties", "open_questions",
               "cites", "reservation_read", "reservation_mechanism", "reservation_found_at", "reservation_checked_at")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _safe(value) -> str:
    """A CSV cell a spreadsheet will not run: text starting like a formula is prefixed with an apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def to_csv(reports, evidence: dict[int, dict] | None = None) -> str:
    """The report as CSV, one row per source (conditions as "✓ text [ids]" joined by " | ")."""
    evidence = evidence or {}
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CSV_COLUMNS)
    for r in reports:
        s, a, e = r.source, r.assessment, evidence.get(r.source.line) or {}
        regime = a.get("regime") or {}
        facts = {k: ("" if v is None else str(v).lower() if isinstance(v, bool) else v) for k, v in s.facts.items()}
        writer.writerow([_safe(v) for v in (
            s.line, s.name, s.url or "", s.date_of_use.isoformat(), *(facts.get(k, "") for k in CSV_COLUMNS[4:10]),
            r.verdict or "none", a.get("summary") or "",
            f"{regime.get('label', '')} ({regime.get('from', '')} – {regime.get('to') or 'open'})" if regime else "",
            _items(a.get("conditions"), marks=True), _items(a.get("duties")), _items(a.get("open_questions")),
            " ".join(a.get("cites") or []), e.get("status", ""), e.get("mechanism") or "", e.get("found_at") or "",
            e.get("checked_at", ""))])
    return buf.getvalue()


def _items(items, marks: bool = False) -> str:
    return " | ".join((f"{STATUS_MARK.get(i.get('status'), '?')} " if marks else "") + i["text"]
                      + (f" [{', '.join(i.get('cites') or [])}]" if i.get("cites") else "") for i in items or [])


def downloads(reports, errors, evidence: dict[int, dict] | None, name: str, lang: str = "en") -> dict[str, str]:
    """The report in the three formats: {"md", "json", "csv"}; with reservations read, each carries them."""
    md = to_markdown(reports, errors, name, lang)
    doc = to_json(reports, errors, name)
    if evidence:
        md = md.rstrip() + "\n\n" + evidence_markdown([r.source for r in reports], evidence)
        doc = with_evidence(doc, evidence)
    return {"md": md, "json": json.dumps(doc, ensure_ascii=False, indent=1) + "\n", "csv": to_csv(reports, evidence)}


__all__ = ["SourcesError", "table_cells", "read_table", "table_row", "results_table", "verdict_counts", "to_csv",
           "downloads"]
