"""The dataset page's logic (assistant/dataset.py) without a browser: files into table cells, the table read back
as `vnip check` reads a file, the example file, and the report's CSV."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from assistant.check import COLUMNS, SourcesError, read_sources
from assistant.dataset import read_table, table_cells, to_csv

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "dataset-sources.csv"


def test_the_example_file_has_at_least_20_mixed_sources_and_no_bad_row():
    rows, errors = read_sources(EXAMPLE)
    assert not errors and len(rows) >= 20
    assert len({r.facts["material"] for r in rows}) >= 10, "every kind of material"
    assert {r.facts["purpose"] for r in rows} == {"commercial", "non_commercial", None}
    days = {r.date_of_use.isoformat() for r in rows}
    assert {"2025-12-01", "2026-04-05", "2026-04-09", "2026-12-08"} <= days, "each period of the law"
    assert sum(1 for r in rows if r.url) >= 5


def test_csv_cells_keep_bad_rows_to_be_fixed_in_the_table():
    data = b"Name,material,purpose,date_of_use\nA,literary,commercial,2026-12-08\nB,poem,,not a date\n\n"
    cells, problems = table_cells(data, "s.csv")
    assert problems == [] and [c["name"] for c in cells] == ["A", "B"] and set(cells[0]) == set(COLUMNS)
    rows, errors = read_table(cells)
    assert [r.name for r in rows] == ["A"]
    assert len(errors) == 1 and errors[0].line == 2 and errors[0].file == "table"
    assert "material 'poem' is not one of" in errors[0].message and "date_of_use 'not a date'" in errors[0].message
    cells[1].update(material="literary", date_of_use="2026-04-09")
    rows, errors = read_table(cells)
    assert not errors and rows[1].facts["material"] == "literary" and rows[1].date_of_use.isoformat() == "2026-04-09"


def test_jsonl_cells_and_lines_that_cannot_become_rows():
    data = "\n".join([json.dumps({"name": "A", "published": True, "material": "literary"}), "{broken", "[1]",
                      json.dumps({"name": "C", "colour": "red"})]).encode()
    cells, problems = table_cells(data, "s.jsonl")
    assert [c["name"] for c in cells] == ["A", "C"] and cells[0]["published"] == "true"
    assert problems[0].startswith("s.jsonl:2: not valid JSON") and problems[1].startswith("s.jsonl:3: not a JSON")
    assert "s.jsonl:4: unknown key(s) 'colour' left out" in problems[2]


def test_a_file_that_cannot_be_read_at_all_is_refused_with_the_checks_message():
    with pytest.raises(SourcesError, match="unknown column"):
        table_cells(b"title,material\nA,literary\n", "s.csv")
    with pytest.raises(SourcesError, match="not UTF-8"):
        table_cells("name\nVăn\n".encode("utf-16"), "s.csv")


def test_cells_from_a_table_widget_are_read_as_text():
    import pandas as pd

    frame = pd.DataFrame([{"name": "A", "published": None, "date_of_use": pd.NaT},
                          {"name": "B", "published": "false", "date_of_use": pd.Timestamp("2026-04-09")}],
                         columns=list(COLUMNS))
    rows, errors = read_table(frame.to_dict("records"))
    assert not errors and rows[0].facts["published"] is None and rows[1].facts["published"] is False
    assert rows[1].date_of_use.isoformat() == "2026-04-09"
    assert read_table([{}, {"name": ""}]) == ([], []), "empty rows are skipped"


def test_report_csv_neutralises_formulas():
    from assistant.check import Source, SourceReport
    from datetime import date

    source = Source("=HYPERLINK(\"http://evil\")", 2, date(2026, 12, 8), {"purpose": "commercial"}, "-x")
    report = SourceReport(source, {"verdict": "needs_permission", "summary": "+1", "conditions": [
        {"text": "Lawfully published", "status": "met", "cites": ["decree-17-2023:37a.1.a"]}]})
    out = list(csv.DictReader(io.StringIO(to_csv([report]))))
    assert out[0]["name"].startswith("'=") and out[0]["url"] == "'-x" and out[0]["summary"] == "'+1"
    assert out[0]["conditions"] == "✓ Lawfully published [decree-17-2023:37a.1.a]"


def test_the_page_shares_the_chats_index():
    """st.cache_resource keys a function by module, name and source: the page's loader must be app.py's, character
    for character, or the server holds two indexes and two models."""
    import re

    def loader(path: Path) -> str:
        text = path.read_text(encoding="utf-8")
        return re.search(r"@st\.cache_resource\(.*?\)\ndef load_index\(\).*?\n    return Index\(\)\n", text, re.S)[0]

    assert loader(ROOT / "pages" / "Check_a_dataset.py") == loader(ROOT / "app.py")
