"""Flatten a parsed article into provision units (article, clause, point), with labels in English and Vietnamese.

Dates are not decided here: `Unit` is a provision without a validity period; `versions.py` gives it one.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ingest.records import Article


@dataclass(frozen=True)
class Unit:
    id: str
    article: str
    clause: str | None
    point: str | None
    article_title: str
    chapter_path: str
    text: str
    footnotes: tuple[str, ...] = ()      # footnote numbers that bear on this unit (own, enclosing and contained)
    repealed: bool = False
    enclosing: tuple[str, ...] = ()      # those on the unit itself or a unit enclosing it (not on its parts)


def labels(instrument_label_en: str, instrument_label_vi: str, article: str, clause: str | None,
           point: str | None) -> tuple[str, str]:
    en = f"Art. {article}" + (f"({clause})" if clause else "") + (f"({point})" if point else "")
    vi = f"Điều {article} {instrument_label_vi}"
    if clause:
        vi = f"khoản {clause} {vi}"
    if point:
        vi = f"điểm {point} {vi}"
    return f"{en} {instrument_label_en}", vi[0].upper() + vi[1:]


def units_of(instrument_id: str, article: Article) -> list[Unit]:
    """Article-level unit first, then each clause and its points."""
    path = " › ".join(article.chapter_path)
    base = f"{instrument_id}:{article.number}"
    art_text = article.full_text()
    out = [Unit(base, article.number, None, None, article.title, path, art_text,
                tuple(article.footnotes) + tuple(_all_footnotes(article)), article.repealed,
                tuple(article.footnotes))]
    for clause in article.clauses:
        cid = f"{base}.{clause.number}" if clause.number else base
        inherited = tuple(article.footnotes) + tuple(clause.footnotes)
        if clause.number:
            pts = tuple(f for p in clause.points for f in p.footnotes)
            out.append(Unit(cid, article.number, clause.number, None, article.title, path, clause.full_text(),
                            inherited + pts, _is_repeal_stub(clause.text) and not clause.points, inherited))
        for p in clause.points:
            out.append(Unit(f"{cid}.{p.label}", article.number, clause.number or None, p.label, article.title,
                            path, p.text, inherited + tuple(p.footnotes), _is_repeal_stub(p.text),
                            inherited + tuple(p.footnotes)))
    return out


def _all_footnotes(article: Article) -> list[str]:
    return [f for c in article.clauses for f in (*c.footnotes, *(x for p in c.points for x in p.footnotes))]


_REPEAL_STUB = re.compile(r"^\(?\s*(được|đã được)\s+bãi\s+bỏ\s*\)?[.;]?$", re.IGNORECASE)


def _is_repeal_stub(text: str) -> bool:
    return bool(_REPEAL_STUB.match(text.strip()))


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def comparable(text: str) -> str:
    """A form of the text in which only wording counts: punctuation, spacing, case and the old/new placement of
    tone marks (uỷ/ủy, hoà/hòa) are folded, so that comparing two consolidations finds real amendments only."""
    words = []
    for word in re.findall(r"\w+", unicodedata.normalize("NFD", text.lower())):
        tones = sorted(ch for ch in word if ch in _TONES)
        words.append("".join(ch for ch in word if ch not in _TONES) + "".join(tones))
    return " ".join(words)
