"""From provision versions to the chunks that are embedded: a clause with its points is the unit, the article
title prepended; an article without numbered clauses is one unit; long clauses are split at point boundaries."""
from __future__ import annotations

import hashlib
from datetime import date

from ingest.records import EARLIER_WORDING_MISSING, Chunk, Provision

OPEN_END = 99991231          # Chroma metadata cannot hold None: an open validity period ends on this day
MAX_CHARS = 1500             # e5-small reads 512 tokens; ~1,500 Vietnamese characters fit


def day_int(day: date | None) -> int:
    return OPEN_END if day is None else day.year * 10000 + day.month * 100 + day.day


def chunks_for(provisions: list[Provision]) -> list[Chunk]:
    """Clause-level provisions, and article-level ones of articles that have no numbered clauses. A version whose
    wording the corpus lacks (EARLIER_WORDING_MISSING) has nothing to embed."""
    provisions = [p for p in provisions if p.status != EARLIER_WORDING_MISSING]
    with_clauses = {(p.instrument, p.article) for p in provisions if p.clause is not None}
    units = [p for p in provisions if p.point is None
             and (p.clause is not None or (p.instrument, p.article) not in with_clauses)]
    return [c for p in units for c in chunks_of(p)]


def note_chunks(notes: list[Provision]) -> list[Chunk]:
    """Each commentary note's English and Vietnamese parts, embedded separately."""
    from ingest.commentary import sections

    out = []
    for note in notes:
        for i, part in enumerate(sections(note)):
            text = f"{note.label}\n{part}"[:4000]
            digest = hashlib.sha256(text.encode()).hexdigest()[:16]
            out.append(Chunk(id=f"{note.version_id}#{i}:{digest}", provision_id=note.id, text=text,
                             metadata=metadata(note, part_index=i)))
    return out


def translation_chunks(provisions: list[Provision], english: dict[str, dict]) -> list[Chunk]:
    """The project's English of the same units, so that English questions meet English text (EN↔EN similarity
    separates relevant from irrelevant far better than EN↔VI)."""
    by_version = {p.version_id: p for p in provisions}
    out = []
    for c in chunks_for(provisions):
        p, entry = by_version[c.metadata["version_id"]], english.get(c.metadata["version_id"])
        if c.metadata["part"] or not entry:
            continue
        text = f"{p.label}. {entry['title'] or ''}".strip() + "\n" + entry["text"]
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
        out.append(Chunk(id=f"{p.version_id}~en:{digest}", provision_id=p.id, text=text,
                         metadata={**metadata(p), "kind": "translation"}))
    return out


ARTICLE_CHARS = 300          # an article unit: its title and the opening of its text, enough to say what it is about
ARTICLE_KINDS = ("article", "article_en")


def article_chunks(provisions: list[Provision], english: dict[str, dict]) -> list[Chunk]:
    """Each titled article as a unit of its own, in Vietnamese and in the project's English: its label, title and
    the opening of its text. Questions name an article's subject ("the term of related rights") in words its
    clauses do not use; the title does. Retrieval ranks the article's clauses by the unit's match."""
    out = []
    for p in provisions:
        if p.clause is not None or p.point is not None or p.kind != "statute" or not p.article_title.strip():
            continue
        entry = english.get(p.version_id) or {}
        texts = [("article", f"{p.label_vi}. {p.article_title}\n{_opening(p.text)}")]
        if entry.get("title"):
            texts.append(("article_en", f"{p.label}. {entry['title']}\n{_opening(entry.get('text') or '')}"))
        for kind, text in texts:
            text = text.strip()
            digest = hashlib.sha256(f"{p.version_id}\n{p.status}\n{text}".encode()).hexdigest()[:16]
            out.append(Chunk(id=f"{p.version_id}~{kind}:{digest}", provision_id=p.id, text=text,
                             metadata={**metadata(p), "kind": kind}))
    return out


def _opening(text: str) -> str:
    """The first ARTICLE_CHARS characters, cut at a word boundary."""
    text = " ".join(text.split())
    return text if len(text) <= ARTICLE_CHARS else text[:ARTICLE_CHARS].rsplit(" ", 1)[0] + " …"


def chunks_of(p: Provision) -> list[Chunk]:
    head = f"{p.label_vi}. {p.article_title}".strip()
    parts = _split(p.text)
    out = []
    for i, part in enumerate(parts):
        text = f"{head}\n{part}"
        digest = hashlib.sha256(f"{p.version_id}\n{p.status}\n{text}".encode()).hexdigest()[:16]
        suffix = f"#{i}" if len(parts) > 1 else ""
        out.append(Chunk(id=f"{p.version_id}{suffix}:{digest}", provision_id=p.id, text=text,
                         metadata=metadata(p, part_index=i)))
    return out


def metadata(p: Provision, part_index: int = 0) -> dict:
    """Flat, no None (Chroma's rule); dates as integers so that the as-of filter is a range query."""
    return {
        "provision_id": p.id, "version_id": p.version_id, "instrument": p.instrument, "article": p.article,
        "clause": p.clause or "", "kind": p.kind, "status": p.status,
        "valid_from": day_int(p.valid_from), "valid_to": day_int(p.valid_to), "part": part_index,
    }


def _split(text: str) -> list[str]:
    """Split at line (point) boundaries into pieces under MAX_CHARS; the chapeau goes with every piece."""
    if len(text) <= MAX_CHARS:
        return [text]
    lines = text.split("\n")
    chapeau, rest = lines[0], lines[1:]
    pieces, current = [], []
    for line in rest:
        if current and len(chapeau) + sum(len(x) + 1 for x in current) + len(line) > MAX_CHARS:
            pieces.append("\n".join([chapeau, *current]))
            current = []
        current.append(line)
    pieces.append("\n".join([chapeau, *current]))
    return pieces


def document_chunks(name: str, sha256: str, pages) -> list[Chunk]:
    """A user's document, page by page (pieces of a long page split at line boundaries). Not law: kind "document",
    no validity dates (the whole range, so the metadata holds no None), the file and page for the citation."""
    out = []
    for page in pages:
        for i, piece in enumerate(_split_lines(page.text.strip())):
            text = f"{name}, p. {page.number}\n{piece}"
            digest = hashlib.sha256(f"{sha256}\n{text}".encode()).hexdigest()[:16]
            out.append(Chunk(id=f"doc:{name}#p{page.number}.{i}:{digest}", provision_id=f"doc:{name}", text=text,
                             metadata={"provision_id": f"doc:{name}", "version_id": f"doc:{name}#p{page.number}",
                                       "instrument": "document", "article": "", "clause": "", "kind": "document",
                                       "status": "document", "valid_from": 0, "valid_to": OPEN_END, "part": i,
                                       "document": name, "page": page.number, "sha256": sha256}))
    return out


def _split_lines(text: str) -> list[str]:
    """Pieces under MAX_CHARS at line boundaries; a single over-long line is cut at the limit."""
    pieces, current = [], ""
    for line in text.split("\n"):
        while len(line) > MAX_CHARS:
            if current:
                pieces.append(current)
                current = ""
            pieces.append(line[:MAX_CHARS])
            line = line[MAX_CHARS:]
        if current and len(current) + 1 + len(line) > MAX_CHARS:
            pieces.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current.strip():
        pieces.append(current)
    return [p for p in pieces if p.strip()]
