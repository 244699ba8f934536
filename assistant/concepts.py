"""Concept -> article: a question that names a legal concept ("the term of related rights", "a commissioned work",
"exclusive economic rights") reaches the article whose title is about it, although the article's clauses use other
words. The map is built, when the index loads, from
- the glossary (corpus/translations/glossary.tsv): the project's fixed English for the law's Vietnamese terms;
- the statutes' own definitions ("Giải thích từ ngữ" articles, e.g. IP Law Art. 4: "X là ..." and its English
  "X means ..."), which add every defined term in both languages;
- a short list of the words people use for a concept the law names otherwise (ASKED_AS below: the project's words);
and every term is matched against the articles' Vietnamese titles. An article ranks by how much of its title the
question's concepts cover, so "Thời hạn bảo hộ quyền liên quan" (term of protection of related rights) comes before a
longer title that only mentions related rights."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

from ingest.text import fold, words

# How people ask -> the Vietnamese term the law uses (folded match on both). Regexes over the question lower-cased
# and without diacritics; each maps to law terms that occur in article titles.
ASKED_AS: list[tuple[str, list[str]]] = [
    (r"\bcommission(ed|ing|s)?\b|\bhired? (a |an )?(freelancer|contractor|agency|studio|developer)|"
     r"\b(freelancer|contractor|outsourc\w*)\b|\bdat hang\b|\bhop dong (dich vu|thue)\b",
     ["giao ket hop dong voi tac gia", "chu so huu quyen tac gia"]),
    (r"\b(employee|employer|employment|staff|work(s)? (made )?for hire|in the course of (their|his|her) (job|work)|"
     r"nhan vien|nguoi lao dong|giao nhiem vu)\b",
     ["giao nhiem vu cho tac gia", "chu so huu quyen tac gia"]),
    (r"\b(how long|duration|expire[sd]?|expiry|last(s)? (for )?how|term of protection|protection term|"
     r"public domain|bao lau|thoi han)\b|\bterm\b",
     ["thoi han bao ho"]),
    (r"\b(exceptions?|fair use|without (permission|consent|asking)|free use|permitted uses?|ngoai le)\b",
     ["cac truong hop ngoai le khong xam pham"]),
    (r"\b(infring\w*|violat\w*|pirat\w*|xam pham|vi pham)\b", ["hanh vi xam pham"]),
    (r"\b(software|source code|computer programs?|apps?|chuong trinh may tinh|phan mem)\b",
     ["chuong trinh may tinh"]),
    (r"\b(database|datasets?|data compilations?|compilation of data|suu tap du lieu)\b", ["suu tap du lieu"]),
    (r"\b(economic rights?|exclusive rights?|exploitation rights?|quyen tai san)\b", ["quyen tai san"]),
    (r"\b(moral rights?|right of attribution|paternity|integrity of the work|quyen nhan than)\b",
     ["quyen nhan than"]),
    (r"\b(regist\w*|certificate|dang ky)\b", ["dang ky quyen tac gia"]),
    (r"\b(performers?|singers?|actors?|nguoi bieu dien)\b", ["quyen cua nguoi bieu dien"]),
    (r"\b(phonograms?|sound recordings?|record labels?|ban ghi am)\b", ["nha san xuat ban ghi am"]),
    (r"\b(broadcast\w*|phat song)\b", ["to chuc phat song"]),
    (r"\b(not protected|unprotected|outside (copyright )?protection|khong thuoc pham vi bao ho)\b",
     ["khong thuoc pham vi bao ho quyen tac gia"]),
    (r"\b(types? of works?|kinds? of works?|loai hinh tac pham)\b", ["cac loai hinh tac pham"]),
    (r"\b(assign\w*|transfer\w* (the |my |our )?(copyright|rights?)|chuyen nhuong)\b",
     ["chuyen nhuong quyen tac gia"]),
    (r"\b(licen[cs]\w*|chuyen quyen su dung|hop dong su dung)\b", ["chuyen quyen su dung quyen tac gia"]),
    (r"\b(co-?authors?|jointly|dong tac gia)\b", ["cac dong tac gia"]),
    (r"\b(inherit\w*|heirs?|thua ke)\b", ["nguoi thua ke"]),
]
MAX_ARTICLES = 10
MIN_TERM_WORDS = 2        # one-word terms are too vague to name a concept
MAX_TITLES = 150          # a term in more titles than this ("tác phẩm") names no article: left out


@dataclass
class Title:
    article: str          # "ip-law:27"
    folded: str           # " thoi han bao ho quyen lien quan " (spaces around, for phrase tests)
    words: int


class ConceptMap:
    def __init__(self, titles: dict[str, str], glossary: dict[str, str], definitions: dict[str, str]):
        """`titles`: article id -> Vietnamese title; `glossary` and `definitions`: Vietnamese term -> English."""
        self.titles = [Title(a, f" {' '.join(words(fold(t)))} ", len(words(t))) for a, t in titles.items()
                       if t.strip()]
        pairs = {**glossary, **definitions}
        # English term -> folded Vietnamese term, only terms that some title holds (else they lead nowhere)
        self.english = {}
        self.vietnamese = set()
        for vi, en in pairs.items():
            vi_f = " ".join(words(fold(vi)))
            if len(vi_f.split()) < MIN_TERM_WORDS or not any(f" {vi_f} " in t.folded for t in self.titles):
                continue
            self.vietnamese.add(vi_f)
            for variant in en.lower().split(";"):
                if variant.strip():
                    self.english[" ".join(words(variant))] = vi_f

    def terms(self, question: str) -> list[str]:
        """The law's (folded Vietnamese) terms the question names, in any of the three ways."""
        q = " ".join(words(fold(question)))
        padded = f" {q} "
        found = [vi for en, vi in self.english.items() if f" {en} " in padded]
        found += [vi for vi in self.vietnamese if f" {vi} " in padded]
        for pattern, targets in ASKED_AS:
            if re.search(pattern, q):
                found += targets
        return list(dict.fromkeys(found))

    def articles(self, question: str, in_force) -> list[tuple[str, float]]:
        """Articles whose titles hold the question's concepts, best covered first; `in_force(article_id)` filters."""
        terms = self.terms(question)
        if not terms:
            return []
        # a rare term (in few titles) says more than a common one; a title the concepts cover more of ranks first
        df = {term: sum(1 for t in self.titles if f" {term} " in t.folded) for term in terms}
        terms = [term for term in terms if 0 < df[term] <= MAX_TITLES]
        scored = []
        for t in self.titles:
            held = [term for term in terms if f" {term} " in t.folded]
            if held and in_force(t.article):
                coverage = sum(len(term.split()) for term in held) / t.words
                scored.append((t.article, sum(math.log(1 + len(self.titles) / df[term]) for term in held)
                               + coverage))
        scored.sort(key=lambda x: -x[1])
        return scored[:MAX_ARTICLES]


DEFINITION = re.compile(r"^(?:\d+[a-z]?\.\s*)?(.{3,80}?) (?:là|được hiểu là) ", re.IGNORECASE)
DEFINITION_EN = re.compile(r"^(?:\d+[a-z]?\.\s*)?(.{3,80}?) (?:means?|is|refers to) ", re.IGNORECASE)


def definitions(clauses: list[tuple[str, str | None]]) -> dict[str, str]:
    """(Vietnamese text, English text) of the clauses of the "Giải thích từ ngữ" articles -> {vi term: en term}."""
    out = {}
    for vi, en in clauses:
        m, m_en = DEFINITION.match(vi or ""), DEFINITION_EN.match(en or "")
        if m and m_en:
            out[m[1].strip()] = m_en[1].strip().strip("'\"“”‘’")
    return out


def build(index, day: date | None = None) -> ConceptMap:
    """From the loaded index: titles of the statutes' articles (latest version), the glossary and definitions."""
    from ingest.corpus import CORPUS_DIR
    from ingest.glossary import load

    titles = {}
    for pid, versions in index.versions.items():
        p = versions[-1]
        if p.kind == "statute" and p.clause is None and p.point is None and p.article_title.strip():
            titles[pid] = p.article_title
    glossary, _ = load(CORPUS_DIR / "translations" / "glossary.tsv")
    defined = []
    for pid, versions in index.versions.items():
        p = versions[-1]
        if p.kind == "statute" and p.clause is not None and p.point is None and \
                fold(p.article_title).strip() == "giai thich tu ngu":
            defined.append((p.text.split("\n")[0], (index.translation(p) or "").split("\n")[0]))
    return ConceptMap(titles, glossary, definitions(defined))
