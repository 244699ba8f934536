"""The "Check a dataset" page in a real browser: Debian's Chromium driven by Playwright against `streamlit run app.py`
(the page is pages/Check_a_dataset.py), with a file of 24 mixed sources (one bad row) whose URLs point at a web site
served on 127.0.0.1. Screenshots go to test-artifacts/."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from browser import ARTIFACTS, CHROMIUM, CHROMIUM_FLAGS, require_browser, streamlit_server, user_data_dir
from test_reservations import Site, serve

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "dataset-sources.csv"


@pytest.fixture(scope="module")
def server(home, ingested):
    require_browser()
    with streamlit_server(home) as url:
        yield url


def sources_file(tmp_path: Path, base: str) -> Path:
    """The example's 23 sources with their URLs on the local site (a TDMRep reservation on /reserved/, robots.txt
    against GPTBot on /blog/, nothing on /open/), and one bad row at the end."""
    rows = list(csv.DictReader(EXAMPLE.open(encoding="utf-8")))
    for n, row in enumerate(rows):
        if row["url"]:
            path = "/reserved/news" if "News site" in row["name"] else "/blog/forum" if "Forum" in row["name"] \
                else f"/open/{n}"
            row["url"] = base + path
    rows.append({**rows[0], "name": "Poems typed in wrong", "material": "poem", "url": ""})
    out = tmp_path / "sources.csv"
    with out.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out


def expected_reports(index, path: Path, change=None, readings=None):
    from assistant.check import check_rows, read_sources
    from assistant.reservations import fill

    rows, errors = read_sources(path)
    rows = [change(r) if change else r for r in rows]
    rows, evidence = fill(rows, readings or {})
    return check_rows(rows, index.rules, index), errors, evidence


def titles(page) -> list[str]:
    out = []
    for s in page.locator('[data-testid="stExpander"] summary').all():
        text = s.inner_text()
        out.append(text[text.index("Row "):].strip())
    return out


def expected_titles(reports) -> list[str]:
    from assistant.assessment_text import verdict_label

    return [f"Row {r.source.line - 1} · {r.source.name} · {verdict_label(r.verdict, 'en', short=True)}"
            for r in reports]


def metrics(page) -> dict[str, str]:
    return {m.get_by_test_id("stMetricLabel").inner_text().strip(): m.get_by_test_id("stMetricValue").inner_text()
            for m in page.get_by_test_id("stMetric").all()}


def set_cell(page, row: int, column: int, value: str) -> None:
    """The table is a canvas (glide-data-grid): select the name cell of row 0 by clicking it (after moving the
    mouse over it: the grid reads its position from pointer moves after a scroll), move with the arrow keys like a
    keyboard user, open the cell's editor with Enter, type, and commit with Enter."""
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box = grid.bounding_box()
    x, y = box["x"] + 200, box["y"] + 35 + 17        # header and rows are 35 px high: row 0, the name column
    page.mouse.move(x - 10, y - 2)
    page.wait_for_timeout(300)
    page.mouse.click(x, y)
    page.wait_for_timeout(300)
    for _ in range(row):
        page.keyboard.press("ArrowDown")
    for _ in range(column - 1):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    page.keyboard.type(value)
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")


def test_a_team_drops_a_file_of_sources_reads_verdicts_flips_a_fact_reads_reservations_and_downloads(
        server, index, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    from assistant.assessment_text import verdict_label
    from assistant.check import summary
    from assistant.reservations import read_all

    site = Site()
    site.tdmrep([{"location": "/reserved/", "tdm-reservation": 1, "tdm-policy": "https://example.org/tdm"}])
    site.robots("User-agent: GPTBot\nDisallow: /blog/\n")
    with serve(site) as base:
        for path in ("/reserved/news", "/blog/forum", *(f"/open/{n}" for n in range(30))):
            site.page(path)
        path = sources_file(tmp_path, base)
        reports, errors, _ = expected_reports(index, path)
        assert len(reports) == 23 and len(errors) == 1 and errors[0].line == 25
        assert len({r.verdict for r in reports}) == 6, "every verdict, and no verdict before the corpus begins"

        with sync_playwright() as p:
            ctx = p.chromium.launch_persistent_context(user_data_dir(tmp_path), executable_path=CHROMIUM,
                                                       args=CHROMIUM_FLAGS, viewport={"width": 1400, "height": 1000},
                                                       accept_downloads=True)
            page = ctx.new_page()
            page.goto(f"{server}/Check_a_dataset")
            page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(path, timeout=180_000)
            expect(page.get_by_text("23 source(s) checked, 1 row(s) with errors")).to_be_visible(timeout=180_000)
            expect(page.get_by_text("Row 24: material 'poem' is not one of")).to_be_visible()
            expect(page.locator('[data-testid="stExpander"]')).to_have_count(23, timeout=60_000)
            assert titles(page) == expected_titles(reports)
            assert metrics(page) == {verdict_label(None if v == "none" else v, "en", short=True): str(n)
                                     for v, n in summary(reports).items()}
            page.screenshot(path=ARTIFACTS / "08-dataset.png")

            first = page.locator('[data-testid="stExpander"]').first
            first.locator("summary").click()
            text = first.inner_text()
            a = reports[0].assessment
            assert a["conditions"] and a["conditions"][0]["text"] in text
            assert reports[0].citations[0]["text"].split("\n")[0] in text, "the card quotes the provision verbatim"
            assert "Tiếng Việt (official text)" in text and "English (unofficial translation)" in text
            first.screenshot(path=ARTIFACTS / "09-dataset-source.png")

            # Flip a fact in place: row 1 becomes non-commercial, and its verdict follows.
            set_cell(page, 0, 2, "non_commercial")
            flipped = replace(reports[0].source, facts={**reports[0].source.facts, "purpose": "non_commercial"})
            change = (lambda r: flipped if r.line == flipped.line else r)
            reports, _, _ = expected_reports(index, path, change)
            assert reports[0].verdict != "needs_permission"
            expect(page.locator('[data-testid="stExpander"] summary').first).to_contain_text(
                expected_titles(reports)[0], timeout=60_000)
            assert titles(page) == expected_titles(reports)

            # Filter by name.
            page.get_by_label("Name or URL contains").fill("pirated")
            page.get_by_label("Name or URL contains").press("Enter")
            expect(page.locator('[data-testid="stExpander"]')).to_have_count(1, timeout=60_000)
            assert titles(page) == [t for t in expected_titles(reports) if "Pirated" in t]
            page.get_by_label("Name or URL contains").fill("")
            page.get_by_label("Name or URL contains").press("Enter")
            expect(page.locator('[data-testid="stExpander"]')).to_have_count(23, timeout=60_000)

            # Read reservations from the local site.
            page.get_by_role("button", name="Read reservations (").click()
            first = page.locator('[data-testid="stExpander"]').first
            expect(first).to_contain_text("Reservation read: reserved", timeout=120_000)
            assert "/reserved/news" in site.hits and "/.well-known/tdmrep.json" in site.hits
            readings = read_all(sorted({r.source.url for r in reports if r.source.url}))
            reports, errors, evidence = expected_reports(index, path, change, readings)
            forum = next(r for r in reports if "Forum" in r.source.name)
            assert evidence[forum.source.line]["status"] == "possible_reservation"
            assert evidence[reports[0].source.line]["status"] == "reserved"
            expect(page.locator('[data-testid="stExpander"] summary').first).to_contain_text(
                expected_titles(reports)[0], timeout=60_000)
            if first.locator("details").get_attribute("open") is None:       # reruns may close it
                first.locator("summary").click()
            expect(first.get_by_text("Reservation read: reserved")).to_be_visible()
            assert "tdmrep.json at http://127.0.0.1" in first.inner_text()
            page.screenshot(path=ARTIFACTS / "10-dataset-reservations.png")

            files = {}
            for fmt, label in (("md", "Markdown"), ("json", "JSON"), ("csv", "CSV")):
                with page.expect_download() as download:
                    page.get_by_role("button", name=f"Download the report ({label})").click()
                files[fmt] = download.value.path().read_text(encoding="utf-8")
                assert download.value.suggested_filename == f"vnip-check-sources.{fmt}"
            ctx.close()

    doc = json.loads(files["json"])
    assert [s["verdict"] for s in doc["sources"]] == [r.verdict for r in reports]
    assert doc["sources"][0]["assessment"]["facts"]["purpose"] == "non_commercial", "the flipped fact is reported"
    assert doc["sources"][0]["reservation_read"]["mechanism"] == "tdmrep.json"
    assert doc["errors"][0]["line"] == 24 and doc["reservations_read"]["possible_reservation"] == 1
    assert "## Reservations read (vnip check --fetch)" in files["md"] and "table:24: material 'poem'" in files["md"]
    table = list(csv.DictReader(io.StringIO(files["csv"])))
    assert len(table) == 23 and table[0]["reservation_read"] == "reserved"
    assert [t["verdict"] for t in table] == [r.verdict or "none" for r in reports]
