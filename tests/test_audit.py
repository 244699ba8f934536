"""The corpus audit (ingest.audit): every provision version's validity interval traced to a source line that states
its dates — a footnote of the 2025 consolidation, an amending article with its instrument's effect article, or the
instrument's own effect article. The audit prints what it cannot trace; the corpus must have nothing untraced."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from ingest.audit import audit, untraced
from ingest.versions import build_corpus


@pytest.fixture(scope="module")
def corpus():
    return build_corpus()


@pytest.fixture(scope="module")
def traces(corpus):
    return {t.version_id: t for t in audit(corpus.provisions, corpus.metas)}


def test_every_interval_is_traced(corpus, traces):
    missing = untraced(list(traces.values()))
    for t in missing:
        print(f"untraced: {t.version_id} from {t.start or '?'} to {t.end or '?'}: {t.why}")
    assert len(traces) == sum(1 for p in corpus.provisions if p.kind == "statute") > 5000
    assert missing == []


@pytest.mark.parametrize("version_id,start,end", [
    # the law's own entry into force, then footnote [39]'s second amendment (line 2426, "lần thứ hai … 2023")
    ("ip-law:25@2006-07-01", "ip-law-vbhn-155-2025.txt:9", "ip-law-vbhn-155-2025.txt:2426"),
    ("ip-law:25@2023-01-01", "ip-law-vbhn-155-2025.txt:2426", "open"),
    # footnote [229], whose marker is split over two lines ("[229" / "] Điều này …")
    ("ip-law:214@2023-01-01", "ip-law-vbhn-155-2025.txt:2819", "open"),
    # Law 131/2025, dated by the 2026 consolidation's preamble
    ("ip-law:7.5@2026-04-01", "ip-law-vbhn-67-2026.txt:10", "open"),
    # Decree 17: its Art. 115(1); repealed by Decree 134 Art. 35(1) (line 330) with Decree 134 Art. 36(1) (line 335)
    ("decree-17-2023:85@2023-04-26", "decree-17-2023.txt:1209", "decree-134-2026.txt:330 + decree-134-2026.txt:335"),
    ("decree-17-2023:89.6@2026-04-09", "decree-134-2026.txt:324 + decree-134-2026.txt:335", "open"),
    # the digital technology law: Art. 50(2)'s early effect; repealed by the AI law's Art. 33, in force per Art. 34
    ("digital-tech-law:11@2025-07-01", "digital-tech-law-71-2025.txt:1122", "open"),
    ("digital-tech-law:12.6@2026-01-01", "digital-tech-law-71-2025.txt:1120",
     "ai-law-134-2025.txt:556 + ai-law-134-2025.txt:562"),
])
def test_traces_cite_the_line(traces, version_id, start, end):
    t = traces[version_id]
    assert (t.start, t.end) == (start, end)


def _one(corpus, version_id):
    return next(p for p in corpus.provisions if p.version_id == version_id)


def test_a_footnote_dated_wording_must_take_the_last_amendment(corpus):
    # the defect of issue 14: dating Art. 25's 2023 wording from the first amendment (2010) is not traced
    wrong = replace(_one(corpus, "ip-law:25@2023-01-01"), valid_from=date(2010, 1, 1))
    (t,) = audit([wrong], corpus.metas)
    assert not t.traced and "footnote [39] does not state 2010-01-01 as its last amendment" in t.why


@pytest.mark.parametrize("change", [
    {"valid_from": date(2023, 4, 27)},                      # a day off the decree's entry into force
    {"valid_to": date(2026, 4, 7)},                          # a day off the repeal
    {"ended_by": ""},                                        # an end with no source
    {"ended_by": "decree-134-2026:99"},                      # a source that does not exist
])
def test_an_interval_the_sources_do_not_state_is_untraced(corpus, change):
    wrong = replace(_one(corpus, "decree-17-2023:85@2023-04-26"), **change)
    (t,) = audit([wrong], corpus.metas)
    assert not t.traced and t.why
