"""The honest evaluation (assistant/citecheck.py) and the LangChain retriever, on the real corpus, model and index."""
from __future__ import annotations

import copy
from datetime import date

import pytest

from assistant.answer import answer
from assistant.citecheck import CorpusVersions

TODAY = date(2026, 11, 27)


@pytest.fixture(scope="module")
def corpus(index):
    return CorpusVersions(index.generation)


def test_a_real_answer_passes_the_independent_check(index, corpus):
    shown = answer(index, "Can a company train a commercial AI model on copyrighted works?", TODAY).to_json()
    check = corpus.check_answer(shown, TODAY)
    assert check.valid, check.problems
    assert check.checked == len([c for c in shown["citations"] if c["kind"] != "document"])


def test_what_the_answer_shows_is_checked_not_what_it_was_built_from(index, corpus):
    good = answer(index, "What does Article 7(5) say?", TODAY).to_json()
    assert corpus.check_answer(good, TODAY).valid
    # a card shown with dates of no version, wording of no version, or as of a day it was not in force
    for field, value, problem in [("valid_from", "2020-01-01", "no version takes effect on 2020-01-01"),
                                  ("text", "Paraphrased.", "not the corpus text"),
                                  ("id", "ip-law:7.99", "no such provision")]:
        bad = copy.deepcopy(good)
        bad["citations"][0][field] = value
        check = corpus.check_answer(bad, TODAY)
        assert not check.valid and any(problem in p for p in check.problems), check.problems
    early = corpus.check_answer(good, date(2025, 12, 1))
    assert not early.valid and any("not in force on 2025-12-01" in p for p in early.problems)
    # a marker pointing past the citations shown
    bad = copy.deepcopy(good)
    bad["answer"] += f"\n\nSee [{len(good['citations']) + 1}]."
    assert any("points to no shown citation" in p for p in corpus.check_answer(bad, TODAY).problems)
    # a provision shown as not in force is not law: excluded from the check (but must exist)
    shown_as_old = copy.deepcopy(good)
    shown_as_old["citations"][0]["role"] = "not_in_force"
    assert corpus.check_answer(shown_as_old, date(2025, 12, 1)).problems == [] or \
        all(not p.startswith("[1]") for p in corpus.check_answer(shown_as_old, date(2025, 12, 1)).problems)


def test_the_retriever_works_inside_a_langchain_chain(index):
    from langchain_core.runnables import RunnableLambda

    from assistant.lc_retriever import VnipRetriever

    retriever = VnipRetriever(index=index, as_of=TODAY, k=4)

    def cite(docs):
        return "\n".join(f'[{d.metadata["id"]}] {d.metadata["label"]} ({d.metadata["valid_from"]}–'
                         f'{d.metadata["valid_to"] or "open"}): {d.page_content[:60]}' for d in docs)

    chain = retriever | RunnableLambda(cite)
    text = chain.invoke("khoản 5 Điều 7 Luật Sở hữu trí tuệ")
    assert text.startswith("[ip-law:7.5] Art. 7(5)"), text
    docs = retriever.invoke("What are the economic rights of a copyright owner?")
    assert 1 <= len(docs) <= 4
    for d in docs:
        v = index.version_on(d.metadata["id"], TODAY)
        assert v is not None and v.text == d.page_content and d.metadata["valid_from"] == v.valid_from.isoformat()
        assert d.metadata["kind"] == "statute" and set(d.metadata) >= {"label", "label_vi", "translation", "status"}
    assert any(d.metadata["translation"] for d in docs)
    # the date per call: Art. 7(5) did not exist on 2025-12-01
    before = retriever.invoke("khoản 5 Điều 7 Luật Sở hữu trí tuệ", as_of=date(2025, 12, 1))
    assert all(d.metadata["id"] != "ip-law:7.5" for d in before)
    assert all(date.fromisoformat(d.metadata["valid_from"]) <= date(2025, 12, 1) for d in before)
    # other law: no documents, and why
    assert retriever.invoke("How do I renew a passport?") == [] and retriever.last_refusal


@pytest.mark.parametrize("question,article", [
    ("How long are the rights of performers and record producers protected?", "ip-law:34"),
    ("Which acts infringe copyright?", "ip-law:28"),
    ("Who owns copyright in a work created under a contract with the author?", "ip-law:39"),
])
def test_a_question_naming_an_articles_subject_reaches_the_article(index, question, article):
    """The article units: the title says what the clauses do not ("term of protection", "acts of infringement")."""
    hits = index.retrieve(question, TODAY, 5).hits
    assert any(h.provision.id.startswith(article + ".") or h.provision.id == article for h in hits), \
        [h.provision.id for h in hits]


def test_the_concept_map_finds_the_governing_article(index):
    from assistant.concepts import build

    concepts = build(index)
    in_force = lambda a: index.version_on(a, TODAY) is not None      # noqa: E731
    for question, article in [("What are the exclusive economic rights of the copyright owner?", "ip-law:20"),
                              ("Which uses are copyright exceptions?", "ip-law:25"),
                              ("What is the term of related rights?", "ip-law:34"),
                              ("Who owns a commissioned work?", "ip-law:39"),
                              ("I hired a freelancer to write software: who owns it?", "ip-law:39")]:
        assert concepts.articles(question, in_force)[0][0] == article, question
    assert concepts.articles("What is the weather tomorrow?", in_force) == []
