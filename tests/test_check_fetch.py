"""`vnip check --fetch` end to end: the CLI in a subprocess reads the reservations of sources served on 127.0.0.1,
fills the `reservation` fact from them and reports the evidence; without --fetch no request is made."""
from __future__ import annotations

import json

import pytest

from test_check import vnip
from test_reservations import Site, serve

pytestmark = pytest.mark.slow


def test_fetch_reads_reservations_and_without_it_nothing_is_requested(home, ingested, tmp_path):
    site = Site()
    site.tdmrep([{"location": "/reserved/", "tdm-reservation": 1}])
    site.robots("User-agent: CCBot\nDisallow: /\n")
    site.page("/reserved/novel")
    site.page("/open/poem", '<html><head><meta name="tdm-reservation" content="0"></head></html>')
    with serve(site) as base:
        sources = tmp_path / "sources.jsonl"
        sources.write_text("\n".join(json.dumps(r) for r in [
            {"name": "Novels", "material": "literary", "purpose": "commercial", "url": f"{base}/reserved/novel",
             "date_of_use": "2026-12-08"},
            {"name": "Poems", "material": "literary", "purpose": "non_commercial", "url": f"{base}/open/poem",
             "date_of_use": "2026-12-08"},
            {"name": "Gone", "material": "literary", "purpose": "non_commercial", "url": f"{base}/gone",
             "date_of_use": "2026-12-08"},
            {"name": "No URL", "material": "literary", "purpose": "commercial", "date_of_use": "2026-12-08"},
        ]) + "\n", encoding="utf-8")

        plain = vnip(home, "check", str(sources), "--json")
        assert plain.returncode == 0, plain.stderr
        assert site.hits == [], "without --fetch nothing is requested"
        assert "reservations_read" not in json.loads(plain.stdout)

        run = vnip(home, "check", str(sources), "--json", "--fetch")
        assert run.returncode == 0, run.stderr
        doc = json.loads(run.stdout)
        novels, poems, gone, no_url = doc["sources"]
        assert novels["assessment"]["facts"]["reservation"] is True
        assert novels["reservation_read"]["status"] == "reserved"
        assert novels["reservation_read"]["found_at"] == f"{base}/.well-known/tdmrep.json"
        assert novels["reservation_read"]["checked_at"].endswith("Z")
        assert novels["verdict"] == "needs_permission"
        assert "owners reserved their rights" in novels["assessment"]["summary"], "the reserved-commercial rule"
        # TDMRep 0 in the page's meta, with a robots.txt rule against CCBot: TDMRep decides, both are recorded.
        assert poems["reservation_read"]["status"] == "not_reserved"
        assert [s["mechanism"] for s in poems["reservation_read"]["signals"]] == ["html-meta", "robots.txt"]
        assert poems["assessment"]["facts"]["reservation"] is False
        assert gone["reservation_read"]["status"] == "error" and gone["assessment"]["facts"]["reservation"] is None
        assert f"line 3: reservation not read: {base}/gone: answered HTTP 404" in run.stderr
        assert no_url["reservation_read"] is None
        assert doc["reservations_read"] == {"reserved": 1, "not_reserved": 1, "error": 1}

        md = vnip(home, "check", str(sources), "--fetch")
        assert "## Reservations read (vnip check --fetch)" in md.stdout
        assert "- **Novels** (line 1): reserved · reservation not known → true" in md.stdout
