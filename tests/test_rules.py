"""The rules file is checked like any corpus file: a bad one is refused with file, line, what is wrong and the fix;
the real one passes and its periods split where the brief says."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from ingest.corpus import CORPUS_DIR, sha256_of
from ingest.errors import CorpusError
from ingest.rules import first_gap, load, load_all
from ingest.versions import build_corpus

RULES = CORPUS_DIR / "rules" / "training-data.toml"


@pytest.fixture(scope="module")
def versions():
    return build_corpus().by_id()


def test_the_real_rules_pass_and_split_at_the_brief_boundaries(versions):
    rules = load(RULES, versions)
    starts = [p["from"] for p in rules["periods"]]
    assert {"2023-01-01", "2026-03-01", "2026-04-01", "2026-04-09"} <= set(starts)
    assert rules["periods"][0]["from"] == "2023-01-01" and rules["periods"][-1]["to"] is None
    json.dumps(rules)        # what ingest writes into the generation


def test_the_manifest_records_the_rules_file_hash(versions):
    found, errors = load_all(CORPUS_DIR, versions)
    assert not errors and "training-data" in found


def _line_of(text: str, needle: str, after: str | None = None) -> int:
    lines = text.split("\n")
    start = next(i for i, l in enumerate(lines) if after in l) if after else 0
    return next(i for i, l in enumerate(lines) if i >= start and needle in l) + 1


def _broken(tmp_path: Path, old: str, new: str, count: int = 1) -> tuple[Path, str]:
    text = RULES.read_text(encoding="utf-8")
    assert old in text, old
    text = text.replace(old, new, count)
    path = tmp_path / "training-data.toml"
    path.write_text(text, encoding="utf-8")
    return path, text


# (name, old, new, the line holds this text, (after this text), words the error must say, words of the fix)
BAD = [
    ("toml-syntax", 'id = "ip-law-2023"', 'id = "ip-law-2023', 'id = "ip-law-2023', None,
     "malformed TOML", "correct the syntax"),
    ("missing-id", 'cites = ["ip-law:15.2"]', 'cites = ["ip-law:15.9"]', '"ip-law:15.9"', None,
     "ip-law:15.9, which does not exist", "correct the provision id"),
    ("not-in-force-in-part", 'cites = ["@circumvention", "ai-law:7.3"]', 'cites = ["@circumvention", "ip-law:7.5"]',
     '"ip-law:7.5"]', 'id = "circumvention-ai-law"', "not in force on 2026-03-01", "split the period"),
    ("decree-before-it-existed", 'id = "pure-news-2023"\nperiods = ["ip-law-2023"]\nwhen = { material = "pure_news" }\n'
     'verdict = "allowed"\ncites = ["ip-law:15.1"]', 'id = "pure-news-2023"\nperiods = ["ip-law-2023"]\nwhen = { '
     'material = "pure_news" }\nverdict = "allowed"\ncites = ["ip-law:15.1", "decree-17-2023:8.1"]',
     '"decree-17-2023:8.1"', 'id = "pure-news-2023"', "not in force on 2023-01-01", "cite it only in periods"),
    ("unknown-period", 'periods = ["ip-law-2023", "decree-17"]', 'periods = ["ip-law-2023", "decree-71"]',
     'periods = ["ip-law-2023", "decree-71"]', None, "names period 'decree-71'", "use one of"),
    ("unknown-fact-value", 'when = { purpose = "commercial" }', 'when = { purpose = "comercial" }',
     'when = { purpose = "comercial" }', None, "is not a known fact value", "commercial, non_commercial"),
    ("unknown-verdict", 'verdict = "unsettled"', 'verdict = "unclear"', 'verdict = "unclear"', None,
     "verdict 'unclear' is unknown", "allowed, allowed_if"),
    ("period-gap", 'from = "2026-03-01"', 'from = "2026-03-02"', 'from = "2026-03-02"', None,
     "does not start the day after", "no gap or overlap"),
    ("material-placeholder", '"@permission"]', '"@licence"]', '"@licence"]', None,
     "@licence is not a material placeholder", "@reproduction"),
    ("material-id-missing", 'reproduction = ["ip-law:29.3.b"]', 'reproduction = ["ip-law:29.3.x"]',
     '"ip-law:29.3.x"', None, "ip-law:29.3.x, which does not exist", "correct the provision id"),
    ("condition-fact", 'fact = "published"', 'fact = "publication"', 'fact = "publication"', None,
     "reads fact 'publication'", "use one of"),
]


@pytest.mark.parametrize("name,old,new,needle,after,problem,fix", BAD, ids=[b[0] for b in BAD])
def test_a_bad_rules_file_names_file_line_problem_and_fix(versions, tmp_path, name, old, new, needle, after,
                                                          problem, fix):
    path, text = _broken(tmp_path, old, new)
    with pytest.raises(CorpusError) as err:
        load(path, versions)
    e = err.value
    assert e.path == str(path) and problem in e.problem and fix in e.fix, str(e)
    assert e.line == _line_of(text, needle, after), str(e)
    assert f"training-data.toml:{e.line}: " in str(e) and "Fix:" in str(e)


def test_a_rule_set_without_a_catch_all_rule_is_refused(versions, tmp_path):
    path, text = _broken(tmp_path, 'id = "non-commercial"\nperiods = ["art-7-5-decree-134"]\n',
                         'id = "non-commercial"\nperiods = ["art-7-5-decree-134"]\nwhen = { purpose = "non_commercial" }\n')
    with pytest.raises(CorpusError) as err:
        load(path, versions)
    assert "has no rule without `when`" in str(err.value) and err.value.line == _line_of(text, 'id = "art-7-5-decree-134"') - 1


def test_an_edited_rules_file_must_have_its_hash_recorded(tmp_path, versions):
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, root)
    target = root / "rules" / "training-data.toml"
    target.write_text(target.read_text(encoding="utf-8").replace("Bypassing", "Circumventing"), encoding="utf-8")
    found, errors = load_all(root, versions)
    assert not found and len(errors) == 1
    assert "sha256" in errors[0].problem and "manifest.toml" in errors[0].fix


def test_a_bad_rules_file_leaves_the_rest_of_the_build_alone(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, root)
    target = root / "rules" / "training-data.toml"
    target.write_text(target.read_text(encoding="utf-8").replace('"ip-law:15.2"]', '"ip-law:15.9"]', 1),
                      encoding="utf-8")
    manifest = root / "manifest.toml"
    old_sha = re.search(r'path = "rules/training-data.toml"\n.*\nsha256 = "([0-9a-f]+)"', manifest.read_text()).group(1)
    manifest.write_text(manifest.read_text().replace(old_sha, sha256_of(target)), encoding="utf-8")
    corpus = build_corpus(root)
    assert corpus.rules == {} and corpus.provisions
    assert [e for e in corpus.errors if "ip-law:15.9" in str(e) and "training-data.toml" in str(e)]


def test_first_gap(versions):
    from datetime import date
    assert first_gap(versions["ip-law:7.5"], date(2026, 4, 1), None) is None
    assert first_gap(versions["ip-law:7.5"], date(2026, 3, 31), None) == date(2026, 3, 31)
    assert first_gap(versions["ip-law:22.1"], date(2023, 1, 1), None) is None        # two versions, no gap
    assert first_gap(versions["decree-17-2023:8.1"], date(2023, 1, 1), date(2023, 5, 1)) == date(2023, 1, 1)
    assert first_gap(versions["digital-tech-law:12.6"], date(2026, 1, 1), None) == date(2026, 3, 1)


def test_ingest_never_imports_a_later_stage():
    import ast
    for path in (Path(__file__).resolve().parent.parent / "ingest").glob("*.py"):
        if path.name == "__main__.py":       # `python -m ingest` is a command-line shim, not a pipeline stage
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not [n for n in names if n.split(".")[0] in ("assistant", "app")], path.name
