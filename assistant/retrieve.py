"""retrieve(question, as_of, k): exact references first, then dense + keyword search fused by reciprocal rank,
with weights chosen by the language of the question, over provision versions in force on `as_of` only."""
from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from assistant.assess import load_rules
from assistant.keywords import KeywordIndex
from ingest.references import Reference, find_references
from assistant.scope import about_ai_data, about_copyright, missing_instrument
from ingest.text import fold, has_diacritics, words
from ingest.chunks import ARTICLE_KINDS, day_int
from ingest.corpus import amended_instrument, instrument_kind
from ingest.index import COLLECTION, RefreshBusy, chroma_client, current_generation, home_dir, provision_from_json, \
    read_jsonl, read_meta, refresh, server_url
from ingest.records import EARLIER_WORDING_MISSING, IN_FORCE, Provision, version_on
from ingest.settings import RETRIEVAL

RRF_K = RETRIEVAL.rrf_k          # this and the thresholds below: ingest/settings.py, with why
# Weights per query language (RETRIEVAL-NOTES: keyword search over Vietnamese text hurts English questions;
# for Vietnamese typed without diacritics the diacritic-free keyword index leads).
# "art_dense" / "art_bm25": the article units (title + opening, VI and EN; ingest/chunks.py), each article's best
# clause ranked where its article matched. Measured on dev (article R@5 / MRR, base 0.724 / 0.648): English at 0.5
# each 0.758 / 0.672 (1.0: 0.689-0.695, worse); Vietnamese at 0.25 each costs one dev question (VI 0.885 -> 0.846)
# but gains 3 of 68 on the external dev set (hongtuanphat dev_set, all Vietnamese: R@5 0.580 -> 0.626), kept.
# "concepts" (assistant/concepts.py) lowered MRR in every combination measured (EN 0.25-0.5, VI 0.25-1.0: dev MRR
# 0.610-0.644, R@5 0.650-0.745; alone, EN 0.5: 0.733 / 0.663): kept at 0, not deleted, for the record and more data.
WEIGHTS = {
    "en": {"dense": 1.0, "bm25": 0.0, "bm25_folded": 0.0, "notes": 1.0, "art_dense": 0.5, "art_bm25": 0.5,
           "concepts": 0.0},
    "vi": {"dense": 1.0, "bm25": 1.0, "bm25_folded": 0.5, "notes": 1.0, "art_dense": 0.25, "art_bm25": 0.25,
           "concepts": 0.0},
    "vi_folded": {"dense": 0.5, "bm25": 0.0, "bm25_folded": 1.0, "notes": 1.0, "art_dense": 0.0, "art_bm25": 0.0,
                  "concepts": 0.0},
}
# Off-topic anchors: a question closer to these than to the corpus is outside what the corpus covers.
OFF_TOPIC = [
    "traffic fines for speeding", "personal income tax rates", "divorce and child custody", "land use rights",
    "labour contract and overtime pay", "cooking recipe", "weather forecast", "football results",
    "xử phạt vi phạm giao thông", "thuế thu nhập cá nhân", "ly hôn và quyền nuôi con", "quyền sử dụng đất",
    "hợp đồng lao động và tiền lương làm thêm giờ", "công thức nấu ăn", "dự báo thời tiết", "kết quả bóng đá",
    # everyday administrative and private-law matters people also ask a legal assistant about
    "passport and visa applications", "registering a company and business licences", "marriage registration",
    "inheritance and wills", "buying an apartment or a house", "health and social insurance",
    "bank loans and interest rates", "driving licence", "university admission",
    "làm hộ chiếu và thị thực", "đăng ký thành lập doanh nghiệp", "đăng ký kết hôn", "thừa kế và di chúc",
    "bảo hiểm y tế và bảo hiểm xã hội", "vay vốn ngân hàng và lãi suất",
    "giấy phép lái xe",
]
# what each anchor is about, in both languages, for the refusal ("this looks like a question about ...")
_TOPICS = [
    ("traffic fines", "xử phạt giao thông"), ("personal income tax", "thuế thu nhập cá nhân"),
    ("divorce and child custody", "ly hôn và nuôi con"), ("land use rights", "quyền sử dụng đất"),
    ("labour contracts and wages", "hợp đồng lao động và tiền lương"), ("cooking", "nấu ăn"),
    ("the weather", "thời tiết"), ("football", "bóng đá"),
]
_MORE_TOPICS = [
    ("passports and visas", "hộ chiếu và thị thực"), ("registering a company", "đăng ký doanh nghiệp"),
    ("marriage registration", "đăng ký kết hôn"), ("inheritance and wills", "thừa kế và di chúc"),
    ("buying a home", "mua nhà"), ("health and social insurance", "bảo hiểm y tế và xã hội"),
    ("bank loans", "vay vốn ngân hàng"), ("driving licences", "giấy phép lái xe"),
    ("university admission", "tuyển sinh đại học"),
]
OFF_TOPIC_NAMES = _TOPICS + _TOPICS + _MORE_TOPICS + [_MORE_TOPICS[i] for i in (0, 1, 2, 3, 5, 6, 7)]
assert len(OFF_TOPIC_NAMES) == len(OFF_TOPIC)
# Other countries' law is told by name (scope.py): anchors for it ("copyright law of Japan, China or the United
# Kingdom") sat closer to plain copyright questions than the corpus did and refused them.
PER_ARTICLE = 0           # 0: off; else at most this many clauses of one article ahead of other articles
CARRIED_WEIGHT = RETRIEVAL.carried_weight
REFUSE_MARGIN = RETRIEVAL.refuse_margin
# A user's passage is shown when it is at least as close to the question as the closest provision of the law, or
# shares a name with the question that the law never uses (a party's name, "USD"). The off-topic anchors cannot
# gate documents: a fleet policy is about "traffic fines". Measured (tests/test_documents.py): passage minus
# best-law similarity +0.013…+0.089 for matching questions, −0.009…−0.09 for unrelated ones; 8 of 9 matching
# questions show the right page, 0 of 10 unrelated show anything.
DOCUMENT_LEAD, DOCUMENT_SPREAD = RETRIEVAL.document_lead, RETRIEVAL.document_spread
MAX_DOCUMENT_HITS = RETRIEVAL.max_document_hits


def _spread(hits: list["Hit"], per_article: int) -> list["Hit"]:
    """At most `per_article` clauses of one article before every other article found has had its turn: five
    clauses of one article would hide the second article a question needs."""
    first, rest, count = [], [], {}
    for h in hits:
        a = f"{h.provision.instrument}:{h.provision.article}"
        count[a] = count.get(a, 0) + 1
        (first if count[a] <= per_article else rest).append(h)
    return first + rest


def _covered(pid: str, seen: set[str]) -> bool:
    """Already cited, itself or through an enclosing article or clause."""
    return pid in seen or any(pid.startswith(s + ".") for s in seen)


@dataclass
class Hit:
    provision: Provision
    score: float
    exact: bool = False
    chunk_text: str = ""


@dataclass
class DocumentHit:
    """A passage of one of the user's own documents: not law."""
    name: str
    page: int
    text: str
    score: float


@dataclass
class Retrieval:
    hits: list[Hit]
    language: str
    margin: float | None          # best corpus similarity minus best off-topic similarity
    references: list[Reference]
    unresolved: list[tuple[Reference, str]]   # references we could not serve on as_of, with why
    notes: list[Hit] = field(default_factory=list)   # commentary in force on as_of, closest first (not law)
    documents: list[DocumentHit] = field(default_factory=list)   # the user's documents, closest first (not law)
    gap: str | None = None         # why the question needs an instrument the corpus does not hold (scope.py)
    topic: tuple[str, str] | None = None   # the closest off-topic subject (EN, VI), when nearer than the corpus
    ai_data: bool = False          # about training/testing AI or building datasets: never refused (scope.py)
    copyright: bool = False        # plainly a copyright question: the similarity margin alone does not refuse it

    @property
    def out_of_scope(self) -> bool:
        return not self.references and (self.gap is not None or (not self.ai_data and not self.copyright and
                                                                 self.margin is not None and
                                                                 self.margin < REFUSE_MARGIN[self.language]))


class Index:
    """The loaded index: read-only after construction, so one instance serves every thread."""

    def __init__(self, home: Path | None = None, build: bool = True, model=None):
        self.home = Path(home or home_dir())
        if build:
            try:
                refresh(self.home)
            except RefreshBusy as e:     # another process is refreshing: answer from the live generation meanwhile
                if current_generation(self.home) is None:
                    raise
                print(f"vnip: {e}; answering from the current index", file=sys.stderr)
        gen = current_generation(self.home)
        if gen is None:
            raise FileNotFoundError(f"no index under {self.home}; run `vnip ingest` first")
        self.generation, self.meta = gen, read_meta(gen)
        self.provisions = [provision_from_json(d) for d in read_jsonl(gen / "provisions.jsonl")]
        self.versions: dict[str, list[Provision]] = {}
        for p in sorted(self.provisions, key=lambda p: p.valid_from):
            self.versions.setdefault(p.id, []).append(p)
        self.chunks = read_jsonl(gen / "chunks.jsonl")
        self._position = {c["id"]: i for i, c in enumerate(self.chunks)}
        path = gen / "translations.jsonl"
        self.english = {r["version_id"]: r for r in read_jsonl(path)} if path.exists() else {}
        self.rules = load_rules(gen)      # the checked assessment rules (rules.json); None if the build had none
        self._from = np.array([c["valid_from"] for c in self.chunks])
        self._to = np.array([c["valid_to"] for c in self.chunks])
        self._in_force = np.array([c["status"] == IN_FORCE and c["kind"] not in ("commentary", *ARTICLE_KINDS)
                                   for c in self.chunks])
        # the article units have keyword indexes of their own (a title is short: among clauses it would rank low)
        texts = [c["text"] if c["kind"] not in ARTICLE_KINDS else "" for c in self.chunks]
        self.bm25, self.bm25_folded = KeywordIndex(texts, folded=False), KeywordIndex(texts, folded=True)
        self._article_rows = np.array([i for i, c in enumerate(self.chunks) if c["kind"] in ARTICLE_KINDS], dtype=int)
        self.article_bm25 = KeywordIndex([self.chunks[i]["text"] for i in self._article_rows], folded=True) \
            if len(self._article_rows) else None
        self._companions = self._companion_links()
        self._concepts = None           # assistant/concepts.py, built at first use
        self._statute_chunks: dict[str, list[int]] = {}
        self._article_clauses: dict[str, list[int]] = {}     # article id -> its statute chunks (any clause)
        for i, c in enumerate(self.chunks):
            if c["kind"] == "statute":
                self._statute_chunks.setdefault(c["provision_id"], []).append(i)
                self._article_clauses.setdefault(f'{c["instrument"]}:{c["article"]}', []).append(i)
        self._vi_words = {w for c in self.chunks if c["kind"] == "statute" for w in words(fold(c["text"]))}
        self._en_words = {w for c in self.chunks if c["kind"] == "translation" for w in words(c["text"])}
        if self.meta.get("chroma") == "server" and not server_url():
            raise FileNotFoundError(f"{gen.name} was built on a Chroma server: set VNIP_CHROMA_URL (and "
                                    "VNIP_CHROMA_TOKEN) as for `vnip ingest`")
        self.collection = chroma_client(gen / "chroma").get_collection(self.meta.get("collection", COLLECTION),
                                                                        embedding_function=None)
        path = gen / "documents.jsonl"
        self.documents = read_jsonl(path) if path.exists() else []
        self._doc_position = {c["id"]: i for i, c in enumerate(self.documents)}
        self.doc_bm25 = KeywordIndex([c["text"] for c in self.documents], folded=True) if self.documents else None
        self._vectors, self._doc_vectors = self._load_vectors()
        self._kind = np.array([c["kind"] for c in self.chunks])
        self._status_ok = np.array([c["status"] == IN_FORCE for c in self.chunks])
        from ingest.model import load_model

        self.model = model or load_model(self.home)    # a caller with the model loaded already may pass it
        # One BLAS thread: numpy's similarity products are tiny, and OpenBLAS threads spinning after them took the
        # 2 cores from the model's own threads — the query encode ran 2-4x slower (full answer p50 56-98 ms against
        # 29-33 ms with one BLAS thread; scripts/bench.py).
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=1, user_api="blas")
        self._lock = threading.Lock()      # the tokenizer is not safe under concurrent calls
        self._anchors = self._encode(OFF_TOPIC, "query")
        law = [p for p in self.provisions if p.kind == "statute"]
        self.horizon = max(max(p.valid_from for p in law), max((p.valid_to for p in law if p.valid_to),
                                                                 default=date.min))
        self.oldest = min(p.valid_from for p in law)

    def _companion_links(self) -> dict[str, list[str]]:
        """Law article <-> the decree provisions that name it ("khoản 5 Điều 7 của Luật Sở hữu trí tuệ"): a law
        grants, its decree sets conditions, and many questions need the pair."""
        links: dict[str, list[str]] = {}
        for c in self.chunks:
            if c["kind"] != "statute" or instrument_kind(c["instrument"]) != "decree":
                continue
            for ref in find_references(c["text"]):
                if ref.explicit_instrument and instrument_kind(ref.instrument) == "law":
                    law = f"{ref.instrument}:{ref.article}" + (f".{ref.clause}" if ref.clause else "")
                    decree_article = f'{c["instrument"]}:{c["article"]}'
                    for a, b in ((law, c["provision_id"]), (c["provision_id"], law), (decree_article, law)):
                        if b not in links.setdefault(a, []):
                            links[a].append(b)
        return links

    def companions(self, hits: list[Hit], as_of: date, seen: set[str], rank: dict[str, float]) -> list[Hit]:
        """The other side (law/decree) of the best hits: for a decree hit the law provision it details, and then the
        decree provision detailing that law provision; among candidates, the best ranked by the fused score."""
        out: list[Hit] = []
        for hit in hits[:2]:
            if out:
                break
            partner = self._partner(hit.provision, as_of, seen, rank)
            while partner is not None and len(out) < 2:
                out.append(Hit(partner, hit.score, chunk_text=partner.text))
                seen.add(partner.id)
                partner = self._partner(partner, as_of, seen, rank)
        return out

    def _partner(self, p: Provision, as_of: date, seen: set[str], rank: dict[str, float]) -> Provision | None:
        pids = self._companions.get(p.id, []) or self._companions.get(f"{p.instrument}:{p.article}", [])
        found = [v for v in (self.version_on(pid, as_of) for pid in pids)
                 if v is not None and v.status == IN_FORCE and not _covered(v.id, seen)]
        return max(found, key=lambda v: rank.get(v.id, 0.0), default=None)

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        with self._lock:
            return self.model.encode(texts, prompt_name=prompt, normalize_embeddings=True, convert_to_numpy=True)

    def version_on(self, pid: str, as_of: date) -> Provision | None:
        """The wording in force on `as_of`; None also where the corpus lacks that period's wording (a version
        flagged EARLIER_WORDING_MISSING has no text, so nothing may cite it: not_in_force.py explains it)."""
        return version_on(self.wordings(pid), as_of)

    def wordings(self, pid: str) -> list[Provision]:
        """The provision's versions that carry a wording (for "What changed"), oldest first."""
        return [v for v in self.versions.get(pid, []) if v.status != EARLIER_WORDING_MISSING]

    def translation(self, p: Provision) -> str | None:
        entry = self.english.get(p.version_id)
        return entry["text"] if entry else None

    def provenance(self, p: Provision) -> str:
        return self.meta.get("sources", {}).get(p.source, "")

    def later_version(self, p: Provision) -> Provision | None:
        return next((v for v in self.versions.get(p.id, []) if v.valid_from > p.valid_from), None)

    # --- the three signals ---------------------------------------------------------------------------------

    def language(self, question: str) -> str:
        """"vi" when typed with diacritics; otherwise whichever vocabulary, the statutes' (folded) or the English
        translations', knows more of the question's words."""
        if has_diacritics(question):
            return "vi"
        tokens = [t for t in words(fold(question)) if len(t) > 1]
        vi = sum(1 for t in tokens if t in self._vi_words)
        en = sum(1 for t in tokens if t in self._en_words)
        return "vi_folded" if vi > en else "en"

    def _load_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """The embeddings of the law's chunks and of the user's document chunks, read once from the store, in order.

        Dense search is exact, over these, rather than Chroma's HNSW query: measured here, the same filtered
        query against the same persisted collection returned different neighbours in different processes
        (approximate search; top hits at 0.81 missing in one run of four), so the same question could get
        different citations. Exact search over a few thousand 384-d vectors takes well under a millisecond."""
        total = len(self.chunks) + len(self.documents)
        vectors = docs = np.zeros((0, 0), dtype=np.float32)
        for offset in range(0, total, 5000):
            got = self.collection.get(include=["embeddings"], limit=5000, offset=offset)
            if not vectors.size:
                width = len(got["embeddings"][0])
                vectors = np.zeros((len(self.chunks), width), dtype=np.float32)
                docs = np.zeros((len(self.documents), width), dtype=np.float32)
            for cid, emb in zip(got["ids"], got["embeddings"]):
                if cid in self._position:
                    vectors[self._position[cid]] = emb
                else:
                    docs[self._doc_position[cid]] = emb
        return vectors, docs

    def dense(self, vector: np.ndarray, as_of: date, n: int,
              kinds: tuple[str, ...] = ("statute", "translation")) -> list[tuple[int, float]]:
        """Cosine similarity (vectors are normalised) over the chunks in force on `as_of` of the given kinds."""
        day = day_int(as_of)
        mask = (self._from <= day) & (self._to >= day) & self._status_ok & np.isin(self._kind, kinds)
        sims = np.where(mask, self._vectors @ vector.astype(np.float32), -np.inf)
        top = np.argsort(-sims, kind="stable")[:n]
        return [(int(i), float(sims[i])) for i in top if mask[i]]

    def keyword(self, index: KeywordIndex, question: str, as_of: date, n: int) -> list[tuple[int, float]]:
        day = day_int(as_of)
        scores = index.scores(question) * ((self._from <= day) & (self._to >= day) & self._in_force)
        top = np.argsort(-scores)[:n]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]

    def article_keyword(self, question: str, as_of: date, n: int) -> list[tuple[int, float]]:
        """Keyword search (without diacritics) over the article units only; chunk positions, best first."""
        day = day_int(as_of)
        rows = self._article_rows
        ok = (self._from[rows] <= day) & (self._to[rows] >= day) & self._status_ok[rows]
        scores = self.article_bm25.scores(question) * ok
        top = np.argsort(-scores, kind="stable")[:n]
        return [(int(rows[j]), float(scores[j])) for j in top if scores[j] > 0]

    def concept_clauses(self, question: str, vector: np.ndarray, as_of: date) -> list[tuple[int, float]]:
        """The best clause of each article whose title names a concept of the question (assistant/concepts.py)."""
        if self._concepts is None:
            from assistant.concepts import build

            self._concepts = build(self)
        found = self._concepts.articles(question, lambda a: self.version_on(a, as_of) is not None)
        out = []
        for article, score in found:
            out += self.through_articles([(self._article_clauses[article][0], score)], vector, as_of) \
                if article in self._article_clauses else []
        return out

    def through_articles(self, found: list[tuple[int, float]], vector: np.ndarray,
                         as_of: date) -> list[tuple[int, float]]:
        """Article units -> the best clause (by dense similarity to the question) of each article, in force on
        as_of, at the rank its article reached; an article found twice (VI and EN) counts once."""
        day, out, seen = day_int(as_of), [], set()
        for i, score in found:
            article = f'{self.chunks[i]["instrument"]}:{self.chunks[i]["article"]}'
            if article in seen:
                continue
            seen.add(article)
            rows = [j for j in self._article_clauses.get(article, [])
                    if self._from[j] <= day <= self._to[j] and self._in_force[j]]
            if rows:
                best = max(rows, key=lambda j: float(self._vectors[j] @ vector))
                out.append((best, score))
        return out

    # --- retrieval -----------------------------------------------------------------------------------------

    def retrieve(self, question: str, as_of: date, k: int = 5, carry: tuple[str, ...] = ()) -> Retrieval:
        """`carry`: provision ids the previous turn cited; a follow-up keeps them in view as one more ranked list."""
        refs = find_references(question)
        exact, unresolved = self._resolve(refs, as_of)
        lang = self.language(question)
        weights = WEIGHTS[lang]
        qvec = self._encode([question], "query")[0]
        ranked = {"dense": self.dense(qvec, as_of, 60)}
        for name, index in (("bm25", self.bm25), ("bm25_folded", self.bm25_folded)):
            if weights[name]:
                ranked[name] = self.keyword(index, question, as_of, 60)
        if weights.get("art_dense"):
            ranked["art_dense"] = self.through_articles(self.dense(qvec, as_of, 40, kinds=ARTICLE_KINDS), qvec, as_of)
        if weights.get("art_bm25") and self.article_bm25 is not None:
            ranked["art_bm25"] = self.through_articles(self.article_keyword(question, as_of, 40), qvec, as_of)
        if weights.get("concepts"):
            ranked["concepts"] = self.concept_clauses(question, qvec, as_of)
        best = ranked["dense"][0][1] if ranked["dense"] else 0.0
        notes = self.notes(qvec, as_of, best)
        if notes and weights.get("notes"):
            ranked["notes"] = self._cited_chunks(notes[0].provision, as_of)
        if carry:
            ranked["carried"] = self._chunks_of(list(carry), as_of)
        fused: dict[int, float] = {}
        for name, hits in ranked.items():
            for rank, (i, _) in enumerate(hits):
                fused[i] = fused.get(i, 0.0) + weights.get(name, CARRIED_WEIGHT) / (RRF_K + rank + 1)
        hits, seen = list(exact), {h.provision.id for h in exact}
        for i, score in sorted(fused.items(), key=lambda x: -x[1]):
            row = self.chunks[i]
            p = self.version_on(row["provision_id"], as_of)
            if p is None or _covered(p.id, seen):
                continue
            seen.add(p.id)
            hits.append(Hit(p, score, chunk_text=row["text"]))
            if len(hits) >= (3 * k if PER_ARTICLE else k) + len(exact):
                break
        if PER_ARTICLE:
            hits = hits[:len(exact)] + _spread(hits[len(exact):], PER_ARTICLE)[:k]
        rank: dict[str, float] = {}
        for i, score in fused.items():
            pid = self.chunks[i]["provision_id"]
            rank[pid] = max(rank.get(pid, 0.0), score)
        if k > 1:
            at = min(len(exact) + 1, len(hits))
            hits[at:at] = self.companions(hits[len(exact):] or hits, as_of, seen, rank)
        anchor_sims = self._anchors @ qvec
        margin = best - float(np.max(anchor_sims))
        topic = OFF_TOPIC_NAMES[int(np.argmax(anchor_sims))] if margin < 0 else None
        documents = self.document_passages(question, qvec, best)
        return Retrieval(hits[:max(k, len(exact))], lang, margin, refs, unresolved, notes, documents,
                         missing_instrument(question), topic, about_ai_data(question), about_copyright(question))

    def _names(self, question: str) -> set[str]:
        """Capitalised words inside the question that the law never uses ("Zephyr", "USD"): names the user takes
        from their own documents. Generic words ("company") are left to the similarity test."""
        tokens = words(question)
        raw = question.split()
        capitalised = {words(w)[0] for w in raw[1:] if words(w) and w.lstrip("\"'“(")[:1].isupper()}
        return {fold(t) for t in tokens if t in capitalised and len(t) > 2 and fold(t) not in self._vi_words
                and t not in self._en_words}

    def document_passages(self, question: str, vector: np.ndarray, best_law: float) -> list[DocumentHit]:
        """The user's passages closest to the question (dense, then keyword as a tie-break signal), one per page,
        only those as close as the law's best or sharing a word the law never uses; after the first, only those
        about as close as it."""
        if not self.documents:
            return []
        own_words = self._names(question)
        sims = self._doc_vectors @ vector.astype(np.float32)       # exact, as for the law (see _load_vectors)
        dense = {int(i): float(sims[i]) for i in np.argsort(-sims, kind="stable")[:20]}
        keyword = self.doc_bm25.scores(question)
        order = sorted(dense, key=lambda i: -dense[i])
        by_keyword = {i: r for r, i in enumerate(sorted(dense, key=lambda i: -float(keyword[i])))}
        fused = sorted(dense, key=lambda i: -(1 / (RRF_K + order.index(i) + 1) + 0.5 / (RRF_K + by_keyword[i] + 1)))
        out: list[DocumentHit] = []
        for i in fused:
            row = self.documents[i]
            relevant = dense[i] >= best_law + DOCUMENT_LEAD or bool(own_words & set(words(fold(row["text"]))))
            if not relevant or (out and dense[i] < out[0].score - DOCUMENT_SPREAD) or any(
                    (h.name, h.page) == (row["document"], row["page"]) for h in out):
                continue
            out.append(DocumentHit(row["document"], row["page"], row["text"].split("\n", 1)[-1], dense[i]))
            if len(out) >= MAX_DOCUMENT_HITS:
                break
        return out

    def _cited_chunks(self, note: Provision, as_of: date) -> list[tuple[int, float]]:
        """The statute chunks of the provisions a note cites, in the note's order: a relevant note is a map of
        the provisions that answer the question together."""
        from ingest.commentary import citations

        return self._chunks_of([cited.provision_id for cited in citations(note.text, note.valid_from)], as_of)

    def _chunks_of(self, pids: list[str], as_of: date) -> list[tuple[int, float]]:
        """The statute chunks in force on `as_of` of these provisions (a point's or clause's nearest enclosing
        chunked unit), in the order given."""
        out: list[tuple[int, float]] = []
        day = day_int(as_of)
        for pid in pids:
            while pid and pid not in self._statute_chunks:
                pid = pid.rsplit(".", 1)[0] if "." in pid else ""
            for i in self._statute_chunks.get(pid, []):
                if self._from[i] <= day <= self._to[i] and self._in_force[i] and all(i != j for j, _ in out):
                    out.append((i, 1.0))
        return out

    def notes(self, vector: np.ndarray, as_of: date, best_law: float) -> list[Hit]:
        """The closest commentary note, when it is about as close to the question as the best provision."""
        found = self.dense(vector, as_of, 2, kinds=("commentary",))
        out = []
        for i, sim in found:
            note = self.version_on(self.chunks[i]["provision_id"], as_of)
            if note is not None and sim >= best_law - 0.02 and all(h.provision.id != note.id for h in out):
                out.append(Hit(note, sim, chunk_text=self.chunks[i]["text"]))
        return out[:1]

    def _resolve(self, refs: list[Reference], as_of: date) -> tuple[list[Hit], list[tuple[Reference, str]]]:
        hits, unresolved = [], []
        for ref in refs:
            pid = self._existing_id(ref)
            if pid is None:
                unresolved.append((ref, "not in the corpus"))
                continue
            p = self.version_on(pid, as_of)
            if p is None:
                first = next(v for v in self.versions[pid] if v.status != EARLIER_WORDING_MISSING)
                why = (f"not yet in force on {as_of.isoformat()} (from {first.valid_from.isoformat()}); earlier "
                       "wording, if any, is not in the corpus") if first.valid_from > as_of else \
                    f"no longer in force on {as_of.isoformat()} (until {self.versions[pid][-1].valid_to})"
                unresolved.append((ref, why))
                continue
            hits.append(Hit(p, 1.0, exact=True, chunk_text=p.text))
        return hits, unresolved

    def _existing_id(self, ref: Reference) -> str | None:
        """The reference's id, or the same article in the instrument it amends (Decree 134 inserts into Decree
        17), or in the Law on IP when the instrument was only guessed."""
        candidates = [ref.id]
        if amended_instrument(ref.instrument):
            candidates.append(ref.id.replace(f"{ref.instrument}:", f"{amended_instrument(ref.instrument)}:", 1))
        for cid in candidates:
            if cid in self.versions:
                return cid
        return None
