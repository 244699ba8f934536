"""Provision versions in time: what was in force on which day."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from ingest.records import AMENDED_TEXT_MISSING, EARLIER_WORDING_MISSING, IN_FORCE
from ingest.versions import CORPUS_DIR, build_corpus, changes_report


@pytest.fixture(scope="module")
def corpus():
    return build_corpus()


@pytest.fixture(scope="module")
def versions(corpus):
    return corpus.by_id()


def in_force(versions, pid, day):
    return [v for v in versions.get(pid, []) if v.in_force_on(day) and v.status == IN_FORCE]


@pytest.mark.parametrize("pid,day,present", [
    ("ip-law:7.5", date(2025, 12, 1), False),
    ("ip-law:7.5", date(2026, 3, 31), False),
    ("ip-law:7.5", date(2026, 4, 1), True),
    ("ip-law:6.5", date(2026, 4, 1), True),
    ("ip-law:15.4", date(2025, 12, 1), False),
    ("ip-law:15.4", date(2026, 11, 28), True),
    ("decree-17-2023:37a", date(2026, 4, 8), False),
    ("decree-17-2023:37a", date(2026, 4, 9), True),
    ("decree-17-2023:37c.2", date(2026, 11, 28), True),
    ("decree-17-2023:5a", date(2026, 4, 9), True),
    ("ai-law:7.3", date(2026, 2, 28), False),
    ("ai-law:7.3", date(2026, 3, 1), True),
    ("decree-142-2026:3", date(2026, 4, 30), False),
    ("decree-142-2026:3", date(2026, 5, 1), True),
    ("digital-tech-law:12.2", date(2026, 11, 28), True),
    ("digital-tech-law:12.6", date(2026, 2, 28), True),
    ("digital-tech-law:12.6", date(2026, 3, 1), False),
    ("ip-law:25a", date(2026, 11, 28), True),
    ("ip-law:20.1.c", date(2026, 11, 28), True),
])
def test_in_force_on(versions, pid, day, present):
    assert bool(in_force(versions, pid, day)) is present


@pytest.mark.parametrize("pid,count,earlier", [("ip-law:20", 1, True), ("ip-law:25", 1, True),
                                               ("ip-law:205", 2, True), ("ip-law:7", 2, True),
                                               ("ip-law:25a", 1, False), ("ip-law:1", 1, False)])
def test_number_of_versions(versions, pid, count, earlier):
    """`count` worded versions; `earlier`: amended after 2006-07-01, so before that the corpus lacks the wording."""
    worded = [v for v in versions[pid] if v.status != EARLIER_WORDING_MISSING]
    flagged = [v for v in versions[pid] if v.status == EARLIER_WORDING_MISSING]
    assert len(worded) == count and len(flagged) == int(earlier)


def test_exactly_one_version_in_force_on_any_day(versions):
    for pid, vs in versions.items():
        for day in (date(2025, 12, 1), date(2026, 4, 1), date(2026, 4, 9), date(2026, 11, 28)):
            assert len([v for v in vs if v.in_force_on(day)]) <= 1, pid


def test_amended_versions_meet_without_gap(versions):
    earlier, old, new = versions["ip-law:7"]
    assert earlier.status == EARLIER_WORDING_MISSING and earlier.valid_to == old.valid_from - timedelta(days=1)
    assert old.valid_to == date(2026, 3, 31) and new.valid_from == date(2026, 4, 1)
    assert new.amended_by == "law-131-2025" and "67/VBHN-VPQH" in new.note


def test_footnote_dates_start_the_2025_wording(versions):
    # Art. 4(10a) was inserted by Law 07/2022 (in force 2023-01-01): before that the corpus has no wording.
    (v,) = versions["ip-law:4.10a"]
    assert v.valid_from == date(2023, 1, 1) and v.amended_by == "law-07-2022"


def test_decree_134_repeals_end_the_day_before(corpus, versions):
    removed = [pid for inst, pid, kind in corpus.changed if inst == "decree-17-2023" and kind == "removed"]
    assert removed, "Decree 134 Art. 35 repeals provisions of Decree 17"
    for pid in removed:
        assert versions[pid][-1].valid_to == date(2026, 4, 8)


def test_operations_not_applied_are_flagged_not_served(corpus, versions):
    flagged = [v for vs in versions.values() for v in vs if v.status == AMENDED_TEXT_MISSING]
    targets = {op.target for op in corpus.not_applied}
    for v in flagged:
        assert v.valid_from == date(2026, 4, 9) and "not in corpus" in v.note
        assert any(v.id == t or v.id.startswith(t + ".") or t.startswith(v.id + ".") for t in targets)


def test_decree_134_is_indexed_only_for_its_own_articles(versions):
    own = {pid.split(":")[1].split(".")[0] for pid in versions if pid.startswith("decree-134-2026:")}
    assert own == {"36", "37", "38"}


def test_changes_file_is_current(corpus):
    committed = (CORPUS_DIR / "changes.md").read_text(encoding="utf-8")
    assert committed == changes_report(corpus), "run `python -m ingest.versions` and commit corpus/changes.md"


@pytest.mark.parametrize("pid", ["ip-law:6.5", "ip-law:7.5", "ip-law:15.4", "ip-law:22.1", "ip-law:198b",
                                 "ip-law:205"])
def test_changes_file_lists(corpus, pid):
    assert f"`{pid}`" in changes_report(corpus)
