"""The dated assessment against the real corpus and the real rules file (built in-process, no model): a table of
facts x dates with every boundary of LEGAL-BRIEF section 6, and the guarantee that every id shown is in force."""
from __future__ import annotations

import itertools
from datetime import date

import pytest

from assistant.assess import Assessment, Rules, assess, assess_facts, facts_from_strings, load_rules
from ingest.records import IN_FORCE
from ingest.rules import FACTS
from ingest.versions import build_corpus


@pytest.fixture(scope="module")
def corpus():
    return build_corpus()


@pytest.fixture(scope="module")
def rules(corpus):
    assert not corpus.errors, [str(e) for e in corpus.errors]
    return Rules(corpus.rules["training-data"])


@pytest.fixture(scope="module")
def versions(corpus):
    return corpus.by_id()


D = date.fromisoformat
C, N = "commercial", "non_commercial"
IP, DEC, AI = "ip-law:", "decree-17-2023:", "ai-law:"
A37 = [DEC + "37a", DEC + "37a.1", DEC + "37a.2", DEC + "37a.1.a", DEC + "37a.2.a", DEC + "37b.1", DEC + "37b.3",
       DEC + "37c.2"]

# (facts, as_of, verdict, ids the verdict cites must include, ids no part of the assessment may show)
CASES = [
    # before the corpus's earliest wording: no verdict, no cites
    ({}, "2022-12-31", None, [], []),
    ({"purpose": C, "material": "literary"}, "2022-12-31", None, [], []),
    ({"material": "legal_text"}, "2022-12-31", None, [], []),
    ({"material": "expired"}, "2022-12-31", None, [], []),
    # 2023-01-01 .. 2026-03-31: no AI exception; the permission rule
    ({"purpose": C, "material": "literary"}, "2023-01-01", "needs_permission",
     [IP + "14.1.a", IP + "20.1.c", IP + "20.2"], [IP + "7.5", DEC + "8.1", AI + "7.3", *A37]),
    ({"purpose": N}, "2023-01-01", "needs_permission", [IP + "20.1.c", IP + "20.2"], [IP + "7.5", *A37]),
    ({"material": "pure_news"}, "2023-01-01", "allowed", [IP + "15.1"], [DEC + "8.1"]),
    ({"material": "pure_news"}, "2023-04-25", "allowed", [IP + "15.1"], [DEC + "8.1"]),
    ({"material": "pure_news"}, "2023-04-26", "allowed", [IP + "15.1", DEC + "8.1"], []),
    ({"material": "legal_text"}, "2023-01-01", "allowed", [IP + "15.2"], []),
    ({"material": "figures"}, "2025-12-01", "allowed", [IP + "15.3"], []),
    ({"material": "expired"}, "2025-12-01", "allowed", [IP + "43.1", IP + "27.2"], []),
    ({"material": "compilation", "purpose": C}, "2025-12-01", "needs_permission",
     [IP + "22.2", IP + "20.1.c", IP + "20.2"], []),
    ({"material": "performance"}, "2025-12-01", "needs_permission", [IP + "29.3.b", IP + "29.4", IP + "29.1"],
     [IP + "20.1.c"]),
    ({"material": "recording"}, "2025-12-01", "needs_permission", [IP + "30.1.a", IP + "30.2"], [IP + "20.2"]),
    ({"material": "broadcast"}, "2025-12-01", "needs_permission", [IP + "31.1.b", IP + "31.2"], []),
    ({"access": "circumvents_protection"}, "2023-01-01", "prohibited", [IP + "28.4"], [AI + "7.3"]),
    ({"access": "circumvents_protection", "material": "recording"}, "2023-01-01", "prohibited", [IP + "35.5"],
     [IP + "28.4"]),
    ({"access": "circumvents_protection"}, "2026-02-28", "prohibited", [IP + "28.4"], [AI + "7.3"]),
    ({"access": "circumvents_protection"}, "2026-03-01", "prohibited", [IP + "28.4", AI + "7.3"], []),
    ({"access": "circumvents_protection"}, "2026-04-08", "prohibited", [IP + "28.4", AI + "7.3"], A37),
    ({"access": "circumvents_protection"}, "2026-04-09", "prohibited", [IP + "28.4", DEC + "37a.1.c"], []),
    ({"access": "circumvents_protection", "purpose": N, "material": "legal_text"}, "2026-12-08", "prohibited",
     [IP + "28.4"], []),
    ({"access": "circumvents_protection", "material": "pure_news"}, "2025-01-01", "prohibited", [IP + "28.4"], []),
    ({"access": "circumvents_protection", "material": "recording"}, "2026-12-08", "prohibited",
     [IP + "35.5", DEC + "37a.1.c"], []),
    ({"access": "circumvents_protection", "material": "broadcast"}, "2026-03-15", "prohibited",
     [IP + "35.5", AI + "7.3"], []),
    ({"purpose": C, "material": "journalistic"}, "2026-02-28", "needs_permission", [IP + "14.1.c", IP + "20.2"],
     [AI + "7.3"]),
    ({"purpose": C, "material": "journalistic"}, "2026-03-01", "needs_permission", [AI + "7.3", IP + "20.2"],
     [IP + "7.5"]),
    ({"purpose": C, "material": "journalistic"}, "2026-03-31", "needs_permission", [IP + "20.1.c"], [IP + "7.5"]),
    ({"purpose": C, "material": "journalistic"}, "2023-04-25", "needs_permission", [IP + "14.1.c"], []),
    ({"purpose": N, "material": "literary"}, "2023-04-26", "needs_permission", [IP + "20.2"], [IP + "7.5"]),
    ({"purpose": C, "reservation": True}, "2026-03-31", "needs_permission", [IP + "20.2"], A37),
    ({}, "2026-03-31", "needs_permission", [IP + "20.2"], [IP + "7.5"]),
    ({"material": "broadcast", "purpose": C}, "2026-03-01", "needs_permission",
     [IP + "31.1.b", IP + "31.2", AI + "7.3"], []),
    # 2026-04-01 .. 2026-04-08: Art. 7(5) without its Government rules
    ({"purpose": C, "material": "journalistic"}, "2026-04-01", "unsettled", [IP + "7.5"], A37),
    ({"purpose": N, "material": "journalistic"}, "2026-04-01", "unsettled", [IP + "7.5"], A37),
    ({"purpose": N}, "2026-04-08", "unsettled", [IP + "7.5"], A37),
    ({"purpose": C}, "2026-04-08", "unsettled", [IP + "7.5"], A37),
    ({}, "2026-04-08", "unsettled", [IP + "7.5"], A37),
    ({"published": False}, "2026-04-01", "needs_permission", [IP + "7.5", IP + "20.1.c", IP + "20.2"], A37),
    ({"published": False, "purpose": N}, "2026-04-08", "needs_permission", [IP + "7.5", IP + "20.2"], A37),
    ({"purpose": N, "later_commercial": True}, "2026-04-08", "unsettled", [IP + "7.5"], A37),
    ({"purpose": N, "reservation": True}, "2026-04-08", "unsettled", [IP + "7.5"], A37),
    ({"material": "performance", "purpose": N}, "2026-04-01", "unsettled", [IP + "7.5", IP + "29.3.b", IP + "29.4"],
     A37),
    ({"material": "figures", "purpose": C}, "2026-04-05", "allowed", [IP + "15.3"], []),
    # from 2026-04-09: Art. 7(5) with Decree 17 Art. 37a-37c
    ({"purpose": C}, "2026-04-09", "needs_permission", [DEC + "37a.2.a", IP + "20.1.c", IP + "20.2", AI + "7.3"], []),
    ({"purpose": N}, "2026-04-09", "allowed_if", [IP + "7.5", DEC + "37a.1", DEC + "37a.2"], []),
    ({"purpose": N, "published": True, "access": "lawful"}, "2026-12-08", "allowed_if", [IP + "7.5"], []),
    ({"published": False, "purpose": N}, "2026-04-09", "needs_permission", [DEC + "37a.1.a", DEC + "3.8"], []),
    ({"published": False, "purpose": C}, "2026-12-08", "needs_permission", [DEC + "37a.1.a", IP + "20.2"], []),
    ({"purpose": N, "reservation": True}, "2026-04-09", "allowed_if", [DEC + "37b.3", IP + "7.5"], []),
    ({"purpose": C, "reservation": True}, "2026-04-09", "needs_permission", [DEC + "37b.1", DEC + "37a.2.a"], []),
    ({"purpose": N, "later_commercial": True}, "2026-04-09", "allowed_if", [DEC + "37c.2", IP + "7.5"], []),
    ({}, "2026-04-09", "allowed_if", [IP + "7.5", DEC + "37a.2.a", IP + "20.2"], []),
    ({"reservation": True}, "2026-12-08", "allowed_if", [DEC + "37b.3", DEC + "37b.1"], []),
    ({"material": "pure_news", "purpose": C}, "2026-12-08", "allowed", [IP + "15.1", DEC + "8.1"], []),
    ({"material": "pure_news"}, "2026-04-09", "allowed", [IP + "15.1", DEC + "8.1"], []),
    ({"material": "legal_text", "purpose": C}, "2026-12-08", "allowed", [IP + "15.2"], [IP + "20.2"]),
    ({"material": "expired", "purpose": C}, "2026-12-08", "allowed", [IP + "43.1"], []),
    ({"material": "performance", "purpose": C}, "2026-12-08", "needs_permission",
     [IP + "29.3.b", IP + "29.4", DEC + "37a.2.a"], []),
    ({"material": "recording", "purpose": N}, "2026-12-08", "allowed_if", [IP + "7.5", DEC + "37a.2"], []),
    ({"material": "software", "purpose": C}, "2026-12-08", "needs_permission", [IP + "14.1.m", IP + "20.2"], []),
    ({"material": "software", "purpose": N}, "2026-12-08", "allowed_if", [IP + "7.5"], []),
    ({"material": "compilation", "purpose": N}, "2026-04-09", "allowed_if", [IP + "7.5"], []),
    ({"material": "compilation", "purpose": C}, "2026-04-09", "needs_permission", [IP + "22.2", IP + "20.2"], []),
    ({"material": "journalistic", "purpose": C, "published": True, "access": "lawful"}, "2026-12-08",
     "needs_permission", [IP + "14.1.c", DEC + "37a.2.a"], []),
]


def _shown(a: Assessment) -> set[str]:
    return set(a.all_cites())


@pytest.mark.parametrize("facts,day,verdict,cites,absent", CASES,
                         ids=[f"{d}-{'-'.join(f'{k}={v}' for k, v in f.items()) or 'nothing'}" for f, d, *_ in CASES])
def test_verdict_and_cites(rules, versions, facts, day, verdict, cites, absent):
    a = assess_facts(facts, D(day), rules)
    assert a.verdict == verdict, a.summary
    assert [c for c in cites if c not in a.cites] == [], a.cites
    assert _shown(a).isdisjoint(absent), _shown(a) & set(absent)
    if verdict is None:
        assert not _shown(a) and "does not hold" in a.summary
    _assert_in_force(a, versions)


def test_the_table_covers_every_boundary_and_verdict():
    days = {d for _, d, *_ in CASES}
    assert {"2022-12-31", "2023-01-01", "2026-02-28", "2026-03-01", "2026-03-31", "2026-04-01", "2026-04-08",
            "2026-04-09"} <= days
    assert {v for _, _, v, *_ in CASES} == {None, "allowed", "allowed_if", "needs_permission", "prohibited",
                                            "unsettled"}
    assert len(CASES) >= 60


def _assert_in_force(a: Assessment, versions) -> None:
    day = D(a.as_of)
    for pid in a.all_cites():
        assert any(v.in_force_on(day) and v.status == IN_FORCE for v in versions[pid]), (pid, a.as_of)


GRID_DAYS = ["2022-12-31", "2023-01-01", "2023-04-25", "2023-04-26", "2026-02-28", "2026-03-01", "2026-03-31",
             "2026-04-01", "2026-04-08", "2026-04-09", "2026-05-01", "2026-12-08"]


def test_every_id_shown_is_in_force_on_the_date_for_every_combination_of_facts(rules, versions):
    values = {k: (None, *v) for k, v in FACTS.items()}
    seen = set()
    for combo in itertools.product(*values.values()):
        facts = dict(zip(values, combo))
        for day in GRID_DAYS:
            a = assess_facts(facts, D(day), rules)
            _assert_in_force(a, versions)
            assert (a.verdict is None) == (day == "2022-12-31")
            assert a.summary and a.summary.endswith(".")
            seen.add(a.verdict)
    assert seen == {None, "allowed", "allowed_if", "needs_permission", "prohibited", "unsettled"}


def test_an_unknown_purpose_gives_both_branches(rules):
    a = assess_facts({"material": "journalistic"}, D("2026-12-08"), rules)
    assert a.verdict == "allowed_if"
    assert a.summary.startswith("If the use is commercial: ") and "; if it is non-commercial research" in a.summary
    purpose = [c for c in a.conditions if "decree-17-2023:37a.2.a" in c.cites]
    assert purpose and all(c.status == "unknown" for c in purpose)
    vi = assess_facts({"material": "journalistic"}, D("2026-12-08"), rules, lang="vi")
    assert vi.summary.startswith("Nếu sử dụng vì mục đích thương mại: ") and vi.lang == "vi"


def test_conditions_take_their_status_from_the_facts(rules):
    a = assess_facts({"purpose": N, "published": True, "access": "lawful"}, D("2026-12-08"), rules)
    status = {c.cites[0]: c.status for c in a.conditions}
    assert status["decree-17-2023:37a.1.a"] == "met" and status["decree-17-2023:37a.1.b"] == "met"
    assert status["decree-17-2023:37a.2.a"] == "met" and status["decree-17-2023:37a.2.b"] == "unknown"
    c = assess_facts({"purpose": C}, D("2026-12-08"), rules)
    assert [x.status for x in c.conditions if "decree-17-2023:37a.2.a" in x.cites] == ["not_met"]


def test_open_questions_carry_the_tensions_the_brief_names(rules):
    reserved = assess_facts({"purpose": N, "reservation": True}, D("2026-12-08"), rules)
    assert any({"decree-17-2023:37c.1.b", "decree-17-2023:37b.3"} <= set(o.cites) for o in reserved.open_questions)
    commercial = assess_facts({"purpose": C}, D("2026-12-08"), rules)
    assert any({"decree-17-2023:37c.2", "ip-law:20.2"} <= set(o.cites) for o in commercial.open_questions)
    expired = assess_facts({"material": "expired"}, D("2026-12-08"), rules)
    assert any("ip-law:27.1" in o.cites for o in expired.open_questions)
    code = assess_facts({"material": "software", "purpose": C}, D("2025-06-01"), rules)
    assert any("ip-law:25.3" in o.cites and "No rule is specific" in o.text for o in code.open_questions)


def test_to_json_is_exactly_the_contract(rules):
    a = assess_facts({"purpose": N}, D("2026-12-08"), rules)
    j = a.to_json()
    assert list(j) == ["verdict", "summary", "as_of", "regime", "facts", "cites", "conditions", "duties",
                       "open_questions"]
    assert set(j["regime"]) == {"id", "from", "to", "label"} and j["regime"]["from"] == "2026-04-09"
    assert set(j["facts"]) == set(FACTS) and j["facts"]["purpose"] == N and j["facts"]["material"] is None
    assert all(set(c) == {"text", "status", "cites"} for c in j["conditions"])
    assert all(set(d) == {"text", "cites"} for d in j["duties"] + j["open_questions"])
    import json
    assert json.loads(json.dumps(j)) == j


def test_summaries_are_in_the_language_asked(rules):
    for day in ("2025-01-01", "2026-04-05", "2026-12-08", "2022-01-01"):
        vi = assess_facts({"purpose": C}, D(day), rules, lang="vi")
        en = assess_facts({"purpose": C}, D(day), rules, lang="en")
        assert any(ch in vi.summary for ch in "ăđơưạảấầẩậắằẳẵặẹẻẽếềểễệịọỏốồổỗộớờởỡợụủứừửữự"), vi.summary
        assert en.summary.isascii() or "–" in en.summary, en.summary
        assert vi.verdict == en.verdict and vi.cites == en.cites


def test_bad_fact_values_are_refused_with_the_allowed_values(rules):
    with pytest.raises(ValueError, match="purpose = 'profit'.*commercial, non_commercial"):
        assess_facts({"purpose": "profit"}, D("2026-12-08"), rules)
    with pytest.raises(ValueError, match="unknown fact 'colour'"):
        assess_facts({"colour": "red"}, D("2026-12-08"), rules)


def test_questions_follow_ups_and_explicit_facts(rules):
    q = "Can my company train a commercial AI model on scraped Vietnamese news articles?"
    a = assess(q, D("2026-12-08"), rules)
    assert a.verdict == "needs_permission" and a.facts["material"] == "journalistic"
    assert {"ip-law:14.1.c", "decree-17-2023:37a.2.a", "ip-law:20.1.c", "ip-law:20.2"} <= set(a.cites)
    follow = assess("And if it is only for research?", D("2026-12-08"), rules, history=[q])
    assert follow.verdict == "allowed_if" and follow.facts["purpose"] == N
    assert follow.facts["material"] == "journalistic"
    assert assess("What is a derivative work?", D("2026-12-08"), rules, history=[q]) is None
    assert assess("When did the AI law take effect?", D("2026-12-08"), rules) is None
    override = assess(q, D("2026-12-08"), rules, facts={"purpose": N, "material": None})
    assert override.verdict == "allowed_if" and override.facts["material"] == "journalistic"
    assert assess(q, D("2026-12-08"), None) is None
    vi = assess("Công ty tôi có được huấn luyện mô hình AI thương mại trên các bài báo không?", D("2025-12-01"),
                rules, lang="vi")
    assert vi.verdict == "needs_permission" and vi.regime["id"] == "decree-17" and vi.lang == "vi"


def test_load_rules_reads_a_generation_and_tolerates_none(corpus, tmp_path):
    import json
    (tmp_path / "rules.json").write_text(json.dumps(corpus.rules, ensure_ascii=False), encoding="utf-8")
    loaded = load_rules(tmp_path)
    assert isinstance(loaded, Rules) and loaded.data == corpus.rules["training-data"]
    assert load_rules(tmp_path / "rules.json").data == loaded.data
    assert load_rules(tmp_path / "nowhere") is None


def test_the_refresh_writes_the_checked_rules_and_the_index_loads_them(index, versions):
    """Slow (a real index): rules.json is in the live generation and `Index.rules` answers from it."""
    assert (index.generation / "rules.json").exists()
    assert isinstance(index.rules, Rules) and index.rules.data["id"] == "training-data"
    a = assess("May a university lab train a language model on news articles for non-commercial research?",
               D("2026-12-08"), index.rules)
    assert a.verdict == "allowed_if" and "ip-law:7.5" in a.cites
    for pid in a.all_cites():       # the index's own versions agree with the build the rules were checked against
        assert any(v.in_force_on(D(a.as_of)) for v in index.versions[pid]), pid


def test_the_rules_file_is_in_the_index_fingerprint(tmp_path):
    import shutil
    from ingest.corpus import CORPUS_DIR
    from ingest.index import fingerprint
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, root)
    before = fingerprint(root)
    target = root / "rules" / "training-data.toml"
    target.write_text(target.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert fingerprint(root) != before


def test_facts_typed_as_text():
    got = facts_from_strings({"purpose": "non-commercial", "published": "yes", "access": "", "reservation": "No"})
    assert got == {"purpose": N, "material": None, "published": True, "access": None, "reservation": False,
                   "later_commercial": None}
    with pytest.raises(ValueError, match="published = 'maybe'"):
        facts_from_strings({"published": "maybe"})
    with pytest.raises(ValueError, match="material = 'news'"):
        facts_from_strings({"material": "news"})


def test_vietnamese_follow_ups_carry_the_facts_over(rules):
    first = "Công ty tôi có được huấn luyện mô hình AI thương mại trên bài báo không?"
    a = assess("Còn nếu chỉ dùng cho nghiên cứu thì sao?", D("2026-12-08"), rules, history=[first], lang="vi")
    assert a.verdict == "allowed_if" and a.facts["purpose"] == N and a.facts["material"] == "journalistic"
    b = assess("Con neu ho da bao luu quyen thi sao?", D("2026-12-08"), rules, history=[first], lang="vi")
    assert b.verdict == "needs_permission" and b.facts["reservation"] is True and "decree-17-2023:37b.1" in b.cites
    assert assess("Tác phẩm phái sinh là gì?", D("2026-12-08"), rules, history=[first]) is None
