"""`vnip check`: a dataset's sources (CSV or JSON Lines) read row by row — a bad row is reported with its file, line,
what is wrong and how to fix it, and the rest is checked — then each assessed under the law in force on its date of
use, with its provisions in that version. Reading is fast; checking uses the real index and rules."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from assistant.check import SourcesError, check_rows, read_sources, summary, to_json, to_markdown

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "sources.csv"
TODAY = date(2026, 12, 8)

CSV = """name,material,purpose,published,access,reservation,date_of_use,url
News site,journalistic,commercial,true,lawful,,2026-12-08,https://example.vn
Novels,novel,commercial,true,lawful,,2026-12-08,
Forum,literary,non_commercial,yes,lawful,no,2026-04-05,
Lyrics,literary,commercial,maybe,lawful,,2026-13-01,
"Laws, decrees",legal_text,commercial,true,lawful,,,
"""


def test_csv_rows_are_read_and_each_bad_row_is_named_by_line_with_a_fix():
    rows, errors = read_sources(CSV.encode(), "sources.csv", today=TODAY)
    assert [r.name for r in rows] == ["News site", "Forum", "Laws, decrees"]
    assert [r.line for r in rows] == [2, 4, 6]
    assert rows[0].facts == {"purpose": "commercial", "material": "journalistic", "published": True,
                             "access": "lawful", "reservation": None, "later_commercial": None}
    assert rows[1].facts["published"] is True and rows[1].facts["reservation"] is False
    assert rows[1].date_of_use == date(2026, 4, 5) and rows[2].date_of_use == TODAY     # default: today
    assert rows[0].url == "https://example.vn"
    assert [(e.file, e.line) for e in errors] == [("sources.csv", 3), ("sources.csv", 5)]
    assert "material 'novel' is not one of literary, journalistic" in errors[0].message
    assert "leave it empty if not known" in errors[0].message
    assert "published 'maybe' is not true or false" in errors[1].message
    assert "date_of_use '2026-13-01' is not a date; write YYYY-MM-DD" in errors[1].message    # every problem
    assert str(errors[0]).startswith("sources.csv:3: ")


def test_jsonl_rows_accept_json_values_and_report_bad_lines(tmp_path):
    path = tmp_path / "sources.jsonl"
    path.write_text("\n".join([
        json.dumps({"name": "Podcasts", "material": "recording", "purpose": "non_commercial", "published": True,
                    "date_of_use": "2026-04-09"}),
        "{not json",
        json.dumps({"name": "Code", "material": "software", "licence": "MIT"}),
        "",
        json.dumps(["a list"]),
        json.dumps({"name": "", "material": "software"}),
        json.dumps({"name": "Archive", "later_commercial": "true", "reservation": None}),
    ]) + "\n", encoding="utf-8")
    rows, errors = read_sources(path)
    assert [(r.name, r.line) for r in rows] == [("Podcasts", 1), ("Archive", 7)]
    assert rows[0].facts["published"] is True and rows[1].facts["later_commercial"] is True
    assert [e.line for e in errors] == [2, 3, 5, 6]
    assert "not valid JSON" in errors[0].message and "unknown key(s) 'licence'" in errors[1].message
    assert "not a JSON object" in errors[2].message and "no name" in errors[3].message
    assert all(e.file == str(path) for e in errors)


@pytest.mark.parametrize("data,name,message", [
    (b"", "s.csv", "empty"),
    ("name,materal\nX,literary\n".encode(), "s.csv", "unknown column(s) 'materal'"),
    ("material\nliterary\n".encode(), "s.csv", "no 'name' column"),
    ("name\nTác phẩm\n".encode("latin-1", "replace") + b"\xe1\n", "s.csv", "not UTF-8"),
])
def test_a_file_that_cannot_be_used_is_refused_with_how_to_fix(data, name, message):
    with pytest.raises(SourcesError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_sources(data, name)


def test_a_spreadsheet_export_with_a_bom_and_quoted_line_breaks_keeps_its_line_numbers():
    data = '\ufeffname,material\n"Two\nlines",literary\nThird,bogus\n'.encode()
    rows, errors = read_sources(data, "s.csv")
    assert [(r.name, r.line) for r in rows] == [("Two\nlines", 2)] and [e.line for e in errors] == [4]


# --- checked against the real index ----------------------------------------------------------------------------

def test_each_source_is_assessed_on_its_date_of_use_with_provisions_in_force_then(index):
    rows, errors = read_sources(CSV.encode(), "sources.csv", today=TODAY)
    reports = check_rows(rows, index.rules, index)
    assert [r.verdict for r in reports] == ["needs_permission", "unsettled", "allowed"]
    assert summary(reports) == {"needs_permission": 1, "unsettled": 1, "allowed": 1}
    for r in reports:
        assert r.assessment["as_of"] == r.source.date_of_use.isoformat()
        for c in r.citations:
            version = index.version_on(c["id"], r.source.date_of_use)
            assert version is not None and c["valid_from"] == version.valid_from.isoformat()
            assert c["text"] == version.text and c["role"] == "assessment"
    forum = reports[1]
    assert not any(c["id"].startswith("decree-17-2023:37") for c in forum.citations)    # 2026-04-05: not yet
    data = to_json(reports, errors, "sources.csv")
    assert data["checked"] == 3 and [e["line"] for e in data["errors"]] == [3, 5]
    assert data["sources"][0]["assessment"]["facts"]["material"] == "journalistic"
    md = to_markdown(reports, errors, "sources.csv")
    assert "## Summary by verdict" in md and "- needs permission: 1" in md
    assert "sources.csv:3: material 'novel'" in md and "| 2 | News site | 2026-12-08 | needs permission |" in md
    assert "## Provisions cited (verbatim" in md


def vnip(home, *args):
    env = {**os.environ, "VNIP_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True, env=env,
                          timeout=600, cwd=ROOT)


@pytest.mark.slow
def test_vnip_check_end_to_end_on_the_example_and_a_file_with_bad_rows(home, ingested, tmp_path):
    run = vnip(home, "check", str(EXAMPLE), "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["checked"] >= 20 and not data["errors"]
    verdicts = {s["verdict"] for s in data["sources"]}
    assert {"needs_permission", "allowed", "allowed_if", "prohibited", "unsettled", None} <= verdicts
    assert sum(data["summary"].values()) == data["checked"]

    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"name": "A", "material": "literary", "purpose": "commercial"}) + "\n"
                   + json.dumps({"name": "B", "material": "poems"}) + "\n", encoding="utf-8")
    out = tmp_path / "report.md"
    run = vnip(home, "check", str(bad), "--out", str(out))
    assert run.returncode == 1 and run.stdout == ""
    assert f"{bad}:2: material 'poems' is not one of" in run.stderr and "1 source(s) checked" in run.stderr
    md = out.read_text(encoding="utf-8")
    assert md.startswith(f"# Dataset check — {bad}") and "| 1 | A |" in md and f"{bad}:2:" in md

    run = vnip(home, "check", str(tmp_path / "missing.csv"))
    assert run.returncode == 2 and "no such file" in run.stderr
