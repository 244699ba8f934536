"""Typed records of the ingestion pipeline.

The parsed law is a tree (Instrument -> Article -> Clause -> Point); at the index seam it is flattened into
`Provision` records (one per article, clause and point version) and `Chunk` records (what gets embedded).
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date


@dataclass
class Point:
    label: str                      # "a", "đ", "c1"
    text: str                       # verbatim, without the "a)" marker, footnote markers removed
    footnotes: list[str] = field(default_factory=list)   # footnote numbers found in this point


@dataclass
class Clause:
    number: str                     # "1", "10a"; "" for the body of an article that has no numbered clauses
    text: str                       # chapeau and any unnumbered paragraphs of the clause, "\n"-joined, no points
    points: list[Point] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)

    def full_text(self) -> str:
        """The clause as printed: chapeau, then each point with its letter."""
        parts = [self.text] if self.text else []
        parts += [f"{p.label}) {p.text}" for p in self.points]
        return "\n".join(parts)


@dataclass
class Article:
    number: str                     # "7", "25a"
    title: str                      # "Giới hạn quyền sở hữu trí tuệ"
    clauses: list[Clause] = field(default_factory=list)
    chapter_path: list[str] = field(default_factory=list)   # ["Phần thứ hai ...", "Chương I ...", "Mục 1 ..."]
    footnotes: list[str] = field(default_factory=list)
    repealed: bool = False          # a "(được bãi bỏ)" stub
    raw: str = ""                   # the source lines of the article before cleaning, for audit

    def full_text(self) -> str:
        out = []
        for c in self.clauses:
            body = c.full_text()
            out.append(f"{c.number}. {body}" if c.number else body)
        return "\n".join(out)


@dataclass
class Instrument:
    id: str                         # "ip-law"
    articles: list[Article] = field(default_factory=list)
    footnotes: dict[str, str] = field(default_factory=dict)   # "12" -> footnote text (amendment notes)

    def article(self, number: str) -> Article | None:
        return next((a for a in self.articles if a.number == number), None)


# Status of a provision version.
IN_FORCE = "in_force"
REPEALED = "repealed"                       # a stub left where the text was repealed
AMENDED_TEXT_MISSING = "amended_text_missing"   # known to be amended on valid_from, new text not in corpus
# the provision existed then (a footnote says it was amended on the next version's valid_from, not inserted), but the
# wording of that period is not in the corpus: the version carries no text and is never quoted as law
EARLIER_WORDING_MISSING = "earlier_wording_missing"


@dataclass(frozen=True)
class Provision:
    """One version of one article, clause or point, as it stands in the index."""
    id: str                         # "ip-law:25.1.đ"
    instrument: str
    article: str
    clause: str | None
    point: str | None
    label: str                      # "Art. 25(1)(đ) Law on IP"
    label_vi: str                   # "Điểm đ khoản 1 Điều 25 Luật Sở hữu trí tuệ"
    article_title: str
    chapter_path: str               # " › "-joined headings
    text: str                       # verbatim statute text of this unit (a clause includes its points)
    valid_from: date
    valid_to: date | None           # None while open
    amended_by: str | None = None   # instrument id of the amending act that gave this wording
    status: str = IN_FORCE
    verified: bool = False          # checked against the signed gazette text (none are, today)
    source: str = ""                # corpus file the text came from
    note: str = ""                  # e.g. "text as consolidated in 67/VBHN-VPQH (2026)"
    kind: str = "statute"
    # the source that dates this version: the amending provision that gave or inserted the wording (an id such as
    # "decree-134-2026:34.3"), a 2025 footnote ("footnote:39"), or an amending act known by effect ("law-131-2025");
    # empty when the wording is the instrument's own from its entry into force
    started_by: str = ""
    ended_by: str = ""              # what ended it (repealed or replaced), in the same form; empty while open

    @property
    def version_id(self) -> str:
        return f"{self.id}@{self.valid_from.isoformat()}"

    def in_force_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


@dataclass(frozen=True)
class Chunk:
    """The unit that is embedded and keyword-indexed: a clause with its points (or a short article)."""
    id: str                         # provision version id + content hash, stable across refreshes
    provision_id: str
    text: str                       # what is embedded: article title + label + text
    metadata: dict                  # flat, no None; dates as ints (20260401)


def version_on(versions: Iterable[Provision], day: date) -> Provision | None:
    """The version in force on `day` among the versions of one provision (their periods never overlap), or None
    when none is: not yet in force, or repealed before. The one place this question is answered."""
    return next((v for v in versions if v.in_force_on(day)), None)
