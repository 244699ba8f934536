"""The corpus carries the official texts verbatim, with provenance, and the manifest's hashes hold."""
from __future__ import annotations

import hashlib
from datetime import date

import pytest

from ingest.corpus import CORPUS_DIR, load_manifest, verify_hashes
from ingest.errors import CorpusError

from conftest import SHARED

REQUIRED_IDS = ["ip-law", "decree-17-2023", "ai-law", "digital-tech-law", "decree-142-2026", "law-131-2025",
                "decree-134-2026", "law-36-2009", "law-42-2019", "law-07-2022", "law-93-2025"]


def test_every_file_matches_its_recorded_sha256():
    assert verify_hashes(load_manifest()) == []


@pytest.mark.parametrize("instrument", REQUIRED_IDS)
def test_instrument_has_provenance(instrument):
    meta = load_manifest()[instrument]
    assert meta.number and meta.issuer and meta.title_vi and meta.verification
    assert isinstance(meta.in_force, date) and meta.signed <= meta.in_force
    for f in meta.files:
        assert f.official_source and f.transcribed_from and len(f.sha256) == 64


@pytest.mark.parametrize("instrument,in_force", [
    ("law-131-2025", date(2026, 4, 1)), ("decree-134-2026", date(2026, 4, 9)), ("ai-law", date(2026, 3, 1)),
    ("decree-142-2026", date(2026, 5, 1)), ("decree-17-2023", date(2023, 4, 26)), ("ip-law", date(2006, 7, 1)),
])
def test_in_force_dates_follow_the_brief(instrument, in_force):
    assert load_manifest()[instrument].in_force == in_force


def test_corpus_texts_are_the_shared_sources_verbatim():
    sources = SHARED / "sources"
    if not sources.exists():
        pytest.skip("../shared/sources is not beside this checkout")
    for meta in load_manifest().values():
        for f in meta.files:
            assert hashlib.sha256((sources / f.path.name).read_bytes()).hexdigest() == f.sha256


def test_a_changed_file_is_reported(tmp_path):
    (tmp_path / "statutes").mkdir()
    manifest = (CORPUS_DIR / "manifest.toml").read_text(encoding="utf-8")
    (tmp_path / "manifest.toml").write_text(manifest, encoding="utf-8")
    (tmp_path / "statutes" / "ai-law-134-2025.txt").write_text("tampered", encoding="utf-8")
    problems = verify_hashes(load_manifest(tmp_path))
    assert any("ai-law-134-2025.txt: sha256 differs" in p for p in problems)
    assert any("decree-17-2023.txt: missing" in p for p in problems)


def test_malformed_manifest_names_file_and_line(tmp_path):
    (tmp_path / "manifest.toml").write_text('[[instrument]]\nid = "x"\ntitle_en = \n', encoding="utf-8")
    with pytest.raises(CorpusError) as err:
        load_manifest(tmp_path)
    assert "manifest.toml:3" in str(err.value) and "Fix:" in str(err.value)
