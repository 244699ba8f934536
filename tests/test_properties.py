"""Property-based tests: random text and random statute-like structure thrown at the parser, the amendments
applier, the corpus loaders and the reference finder. Nothing may fail except with the documented CorpusError,
and what is parsed keeps its invariants (unique ids, clauses in order, the same ids on every parse)."""
from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.question import _CONTROL, QuestionError, neutralise, read_question
from ingest.references import find_references
from ingest import commentary, translations
from ingest.amendments import apply_amendments
from ingest.corpus import load_manifest
from ingest.errors import CorpusError
from ingest.provisions import units_of
from ingest.records import Provision
from ingest.statute import parse_instrument

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])

WORDS = st.sampled_from(["quyền", "tác giả", "Điều", "khoản", "điểm", "được", "sửa đổi", "bổ sung", "“", "”",
                         "của Luật này", ".", ";", ":", "[12]", "(được bãi bỏ)", "Chương II", "Mục 1", "a)", "1.",
                         "Luật", "trí tuệ nhân tạo", "PHỤ LỤC", "TM. CHÍNH PHỦ", "Nghị định", "dữ liệu"])
NOISE = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
SENTENCE = st.lists(st.one_of(WORDS, NOISE), min_size=1, max_size=8).map(" ".join)
POINTS = "a b c d đ e g h i k".split()


@st.composite
def statute_line(draw) -> str:
    kind = draw(st.sampled_from(["article", "clause", "point", "chapter", "section", "text", "footnote", "quote"]))
    n = draw(st.integers(1, 40))
    body = draw(SENTENCE)
    return {
        "article": f"Điều {n}{draw(st.sampled_from(['', 'a', 'b']))}. {body}",
        "clause": f"{n}. {body}",
        "point": f"{draw(st.sampled_from(POINTS))}) {body}",
        "chapter": f"Chương {draw(st.sampled_from(['I', 'II', 'IV', 'IX']))} {body.upper()}",
        "section": f"Mục {n}. {body.upper()}",
        "text": body,
        "footnote": f"{body} [{n}]",
        "quote": f"“{body}",
    }[kind]


def maybe_nfd(text: str, nfd: bool) -> str:
    return unicodedata.normalize("NFD", text) if nfd else text


STATUTE = st.builds(lambda lines, nfd: maybe_nfd("\n".join(lines), nfd), st.lists(statute_line(), max_size=40),
                    st.booleans())


# Noise without line breaks, so that a well-formed statute keeps exactly the lines it was built from.
LINE_NOISE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20)
LINE_SENTENCE = st.lists(st.one_of(WORDS, LINE_NOISE), min_size=1, max_size=8).map(" ".join)


@st.composite
def well_formed(draw) -> str:
    """A statute whose numbering is right: articles, clauses and points ascending."""
    lines, article = [], 0
    for _ in range(draw(st.integers(1, 6))):
        article += draw(st.integers(1, 3))
        lines.append(f"Điều {article}. Tiêu đề {draw(LINE_SENTENCE)}")
        for clause in range(1, draw(st.integers(0, 4)) + 1):
            lines.append(f"{clause}. Nội dung {draw(LINE_SENTENCE)}:")
            for label in POINTS[:draw(st.integers(0, 4))]:
                lines.append(f"{label}) Điểm {draw(LINE_SENTENCE)};")
    return "\n".join(lines)


def ids(tree) -> list[str]:
    return [u.id for a in tree.articles for u in units_of(tree.id, a)]


@FAST
@given(STATUTE)
def test_the_parser_survives_random_structure_and_ids_are_unique_and_stable(text):
    try:
        tree = parse_instrument(text, "x")
    except CorpusError as e:
        assert e.line and e.fix
        return
    first = ids(tree)
    assert len(first) == len(set(first))
    assert ids(parse_instrument(text, "x")) == first
    for article in tree.articles:
        numbered = [int(c.number.rstrip("abcdefghijklmnopqrstuvwxyz")) for c in article.clauses if c.number]
        assert numbered == sorted(numbered)


@FAST
@given(well_formed(), st.booleans())
def test_a_well_formed_statute_parses_to_exactly_its_structure(text, nfd):
    tree = parse_instrument(maybe_nfd(text, nfd), "x")
    expected = [line.split(".")[0].split()[1] for line in text.split("\n") if line.startswith("Điều ")]
    assert [a.number for a in tree.articles] == expected
    clauses = sum(1 for line in text.split("\n") if line[0].isdigit())
    assert sum(1 for a in tree.articles for c in a.clauses if c.number) == clauses
    for a in tree.articles:
        assert all(unicodedata.is_normalized("NFC", c.text) for c in a.clauses)


@pytest.fixture(scope="module")
def decree_17():
    meta = load_manifest()["decree-17-2023"]
    return parse_instrument(meta.files[0].path.read_text(encoding="utf-8"), "decree-17-2023")


AMENDING = st.builds(lambda lines: "\n".join(lines), st.lists(st.one_of(
    statute_line(),
    st.builds(lambda n, c, body: f"{c}. Sửa đổi, bổ sung khoản {c} Điều {n} như sau:\n“{c}. {body}”",
              st.integers(1, 40), st.integers(1, 5), SENTENCE),
    st.builds(lambda n, body: f"Bổ sung Điều {n}a vào sau Điều {n} như sau:\n“Điều {n}a. {body}”",
              st.integers(1, 40), SENTENCE),
    st.builds(lambda n: f"Bãi bỏ khoản 2 Điều {n}.", st.integers(1, 40))), max_size=25))


@FAST
@given(AMENDING)
def test_the_amendments_applier_survives_random_operations(decree_17, text):
    before = ids(decree_17)
    try:
        amended, operations = apply_amendments(decree_17, "Điều 1. Sửa đổi, bổ sung một số điều\n" + text)
    except CorpusError:
        return
    assert ids(decree_17) == before                    # the base is never changed in place
    after = ids(amended)
    assert len(after) == len(set(after))
    assert all(op.applied or op.reason for op in operations)


def provision(pid: str) -> Provision:
    inst, _, rest = pid.partition(":")
    parts = rest.split(".")
    return Provision(id=pid, instrument=inst, article=parts[0], clause=parts[1] if len(parts) > 1 else None,
                     point=parts[2] if len(parts) > 2 else None, label=pid, label_vi=pid, article_title="",
                     chapter_path="", text="x", valid_from=date(2006, 7, 1), valid_to=None)


VERSIONS = {pid: [provision(pid)] for pid in ["ip-law:7", "ip-law:7.5", "ip-law:20.1.c", "ai-law:3"]}
JSON_VALUE = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=10),
                          lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                       max_size=3), max_leaves=6)
RECORD = st.one_of(JSON_VALUE, st.fixed_dictionaries(
    {"id": st.sampled_from(list(VERSIONS) + ["ip-law:999", 5, None]), "as_of": st.sampled_from(
        ["2026-11-28", "2026-13-01", 3, None]), "translation": st.just("unofficial"), "reviewed": st.booleans()},
    optional={"title": st.one_of(st.none(), st.text(max_size=5), st.integers()), "text": st.text(max_size=20)}))


@FAST
@given(st.lists(st.one_of(RECORD.map(json.dumps), st.text(max_size=30)), max_size=8))
def test_the_translations_loader_turns_every_bad_line_into_an_error(tmp_path_factory, lines):
    folder = tmp_path_factory.mktemp("tr")
    (folder / "t.jsonl").write_text("\n".join(x.replace("\n", " ") for x in lines), encoding="utf-8")
    found, errors = translations.load(folder, VERSIONS)
    nonblank = [x for x in "\n".join(x.replace("\n", " ") for x in lines).splitlines() if x.strip()]
    assert len(found) + len(errors) == len(nonblank) or len(errors) == 1 and not found
    assert all(isinstance(e, CorpusError) for e in errors)


FRONT = st.one_of(st.text(max_size=40), st.builds(
    lambda note_id, start, end: f'id = {note_id}\ntitle_en = "t"\ntitle_vi = "t"\napplies_from = {start}\n'
                                f'applies_to = {end}\n',
    st.sampled_from(['"commentary:x"', '"x"', '""', "5", '"commentary:"']),
    st.sampled_from(['"2026-04-01"', "2026-04-01", '"2026-13-01"', '""', "true"]),
    st.sampled_from(['""', '"2027-01-01"', '"nope"', "2026-05-01"])))
BODY = st.lists(st.one_of(NOISE, st.sampled_from(["[ip-law:7.5]", "[ip-law:999]", "[ip-law:7.5@2026-13-45]",
                                                 "[ai-law:3; ip-law:20.1.c]", "## English", "[x](javascript:1)"])),
                max_size=6).map(" ".join)


@FAST
@given(FRONT, BODY, st.booleans())
def test_the_commentary_loader_gives_a_note_or_an_error(tmp_path_factory, front, body, fenced):
    folder = tmp_path_factory.mktemp("notes")
    text = f"+++\n{front}\n+++\n{body}\n" if fenced else f"{front}\n{body}"
    (folder / "n.md").write_text(text, encoding="utf-8")
    notes, errors = commentary.load(folder, VERSIONS)
    assert len(notes) + len(errors) == 1
    for e in errors:
        assert e.path.endswith("n.md") and e.fix


MANIFEST = st.lists(st.one_of(st.text(max_size=30), st.sampled_from([
    "[[instrument]]", 'id = "a"', 'title_en = "t"', 'title_vi = "t"', 'number = "1"', 'issuer = "i"',
    'signed = "2020-01-01"', 'in_force = "2020-02-30"', 'in_force = 2020-01-01', 'verification = "v"',
    "[[instrument.files]]", 'path = "x.txt"', 'sha256 = "00"', "early_articles = { 3 = \"2020-01-01\" }",
    "instrument = 5"])), max_size=25).map("\n".join)


@FAST
@given(MANIFEST)
def test_the_manifest_loader_gives_instruments_or_errors(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("manifest")
    (folder / "manifest.toml").write_text(text, encoding="utf-8")
    errors: list = []
    try:
        metas = load_manifest(folder, errors)
    except CorpusError as e:
        assert e.path.endswith("manifest.toml")
        return
    assert all(m.in_force and m.signed for m in metas.values())
    assert all(isinstance(e, CorpusError) for e in errors)


QUESTION_PARTS = st.one_of(NOISE, st.sampled_from([
    "Điều 25", "khoản 5 Điều 7", "điểm đ khoản 1 Điều 25", "Art. 25(1)(đ)", "Article 37b of Decree 17", "dieu 7a",
    "Nghị định 17", "Luật trí tuệ nhân tạo", "article", "(", ")", "đ", "Đ", "\u0300", "İ", "ß", "ﬃ"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(QUESTION_PARTS, max_size=10).map(" ".join), st.booleans())
def test_find_references_survives_anything_and_gives_wellformed_ids(question, nfd):
    refs = find_references(maybe_nfd(question, nfd))
    assert len({r.id for r in refs}) == len(refs)
    for r in refs:
        assert r.article and r.article[0].isdigit() and ":" in r.id
        assert r.point is None or unicodedata.is_normalized("NFC", r.point)
    assert [r.id for r in find_references(question)] == [r.id for r in find_references(question)]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_read_question_and_neutralise_never_let_markup_through(text):
    try:
        q = read_question(text)
    except QuestionError:
        assert all(ch.isspace() or _CONTROL.match(ch) for ch in unicodedata.normalize("NFC", text))
        return
    assert q.text and unicodedata.is_normalized("NFC", q.text)
    safe = neutralise(q.text)
    assert "<" not in safe and "[" not in safe and "](" not in safe
