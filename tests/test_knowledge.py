"""The project's own layers: unofficial translations linked to provision versions, and commentary whose every
citation exists and is in force on the date it is cited for."""
from __future__ import annotations

from datetime import date

import pytest

from ingest import commentary
from ingest.errors import CorpusError
from ingest.versions import CORPUS_DIR, build_corpus


@pytest.fixture(scope="module")
def corpus():
    return build_corpus()


def test_every_corpus_file_loads_without_error(corpus):
    assert [str(e) for e in corpus.errors] == []


def test_commentary_notes_are_bilingual_and_dated(corpus):
    assert len(corpus.notes) >= 18
    for note in corpus.notes:
        assert note.kind == "commentary" and "not law" in note.note
        assert "## English" in note.text and "## Tiếng Việt" in note.text
        assert "### What the law says" in note.text and "### Analysis" in note.text


def test_every_commentary_citation_is_in_force_on_its_date(corpus):
    versions = corpus.by_id()
    for note in corpus.notes:
        cited = commentary.citations(note.text, note.valid_from)
        assert cited, note.id
        for c in cited:
            assert any(v.in_force_on(c.day) for v in versions.get(c.provision_id, [])), (note.id, c)


def test_a_note_citing_a_missing_provision_is_refused_with_file_and_line(corpus, tmp_path):
    good = (CORPUS_DIR / "commentary" / "exclusivity-default.md").read_text(encoding="utf-8")
    (tmp_path / "good.md").write_text(good, encoding="utf-8")
    (tmp_path / "bad.md").write_text(good.replace("[ip-law:20.2]", "[ip-law:20.9]", 1), encoding="utf-8")
    (tmp_path / "early.md").write_text(good.replace("[ip-law:20.2]", "[ip-law:7.5@2025-12-01]", 1),
                                       encoding="utf-8")
    notes, errors = commentary.load(tmp_path, corpus.by_id())
    assert [n.source for n in notes] == ["good.md"]
    messages = sorted(str(e) for e in errors)
    assert "bad.md:" in messages[0] and "ip-law:20.9, which does not exist" in messages[0]
    assert "early.md:" in messages[1] and "not in force on 2025-12-01" in messages[1]


@pytest.mark.parametrize("pid,day,phrase", [
    ("ip-law:7.5", date(2026, 11, 28), "artificial intelligence"),
    ("decree-17-2023:37a.2", date(2026, 11, 28), "commercial"),
    ("ip-law:25.1.đ", date(2026, 11, 28), "quot"),
    ("ai-law:7.3", date(2026, 11, 28), "train"),
])
def test_translation_follows_the_provision_version(corpus, pid, day, phrase):
    version = next(v for v in corpus.by_id()[pid] if v.in_force_on(day))
    english = corpus.translations[version.version_id]
    assert phrase in english["text"].lower() and english["reviewed"] is False


def test_translation_of_7_before_and_after_the_reform_differ(corpus):
    _, old, new = corpus.by_id()["ip-law:7"]      # the first: wording before 2023-01-01, not in the corpus
    assert corpus.translations[old.version_id]["text"] != corpus.translations[new.version_id]["text"]
    assert "5." in corpus.translations[new.version_id]["text"] and "5." not in corpus.translations[old.version_id]["text"]


def test_glossary_terms_are_used_for_their_vietnamese_counterparts(corpus):
    rows = [line.split("\t") for line in (CORPUS_DIR / "translations" / "glossary.tsv").read_text(
        encoding="utf-8").splitlines()[1:] if "\t" in line]
    seed = {"tác phẩm phái sinh": "derivative work", "biện pháp công nghệ bảo vệ quyền": "technological protection measure",
            "thông tin quản lý quyền": "rights management information", "tiền bản quyền": "royalties",
            # IP Law Art. 7(5) and Decree 17 Art. 37a–37b use "thử nghiệm" as the AI law's "nghiên cứu, thử nghiệm"
            # and Decree 142's "thử nghiệm có kiểm soát" do: testing. "kiểm thử", the AI law's technical step beside
            # training ("huấn luyện, kiểm thử hoặc vận hành"; "nền tảng huấn luyện, kiểm thử và môi trường thử
            # nghiệm"), is "test" (training and test platforms, testing environments).
            "thử nghiệm": "testing", "kiểm thử": "test"}
    glossary = dict((vi.strip(), en.strip()) for vi, en in rows)
    by_version = {v.version_id: v for v in corpus.provisions}
    for vi, en in seed.items():
        assert glossary.get(vi) == en
        # a longer glossary term containing this one fixes its own rendering ("kết quả thử nghiệm": test results)
        longer = {v: e for v, e in glossary.items() if vi in v and v != vi}
        for vid, english in corpus.translations.items():
            p = by_version.get(vid)
            if p is None or not p.clause or p.point:
                continue
            text = p.text.lower()
            for v, e in longer.items():
                if v.lower() in text and e.lower() in english["text"].lower():
                    text = text.replace(v.lower(), "")
            if vi in text:
                assert en.lower() in english["text"].lower(), (vid, vi, en)


@pytest.mark.parametrize("pid,opening,clause_phrase", [
    ("ip-law:4", "construed as follows", "1. Intellectual property rights"),
    ("ip-law:198a", "unless there is evidence to the contrary", "1. "),
])
def test_an_article_with_opening_words_is_translated_whole(corpus, pid, opening, clause_phrase):
    """The article's own record holds only the words before clause 1; shown alone they would pass for the article."""
    version = next(v for v in corpus.by_id()[pid] if v.in_force_on(date(2026, 11, 28)))
    english = corpus.translations[version.version_id]["text"]
    assert english.startswith(english.split("\n")[0]) and opening in english.split("\n")[0]
    assert clause_phrase in english and english.count("\n") >= 2


@pytest.mark.parametrize("instrument", ["ip-law", "decree-17-2023", "ai-law", "decree-142-2026", "digital-tech-law"])
def test_whole_instruments_have_english(corpus, instrument):
    today = date(2026, 11, 28)
    units = [p for p in corpus.provisions if p.instrument == instrument and p.kind == "statute" and p.clause
             and not p.point and p.in_force_on(today)]
    assert units and [p.id for p in units if p.version_id not in corpus.translations] == []


def test_english_clauses_keep_the_point_letters_of_the_vietnamese(corpus):
    """A translated clause lists the same points, in the same order: nothing dropped, merged or relettered."""
    import re

    point = re.compile(r"^([a-zđ]\d?)\)\s", re.M)
    by_version = {v.version_id: v for v in corpus.provisions}
    wrong = []
    for vid, english in corpus.translations.items():
        p = by_version.get(vid)
        if p is None or p.point or not p.clause or not english["text"]:
            continue
        if point.findall(p.text) != point.findall(english["text"]):
            wrong.append(p.id)
    assert wrong == []
