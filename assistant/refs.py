"""Exact references in a question: "Điều 25a", "khoản 5 Điều 7", "Art. 25(1)(đ)", "Article 37b of Decree 17",
typed with or without diacritics. A bare article number means the Law on IP."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from assistant.text import fold

DEFAULT_INSTRUMENT = "ip-law"

# Folded (no diacritics, lower case) names of instruments, most specific first.
_INSTRUMENTS = [
    ("decree-17-2023", r"(nghi dinh|decree|nd)\s*(so\s*|no\.?\s*)?17(/2023)?\b|17/2023/nd-cp"),
    ("decree-134-2026", r"(nghi dinh|decree|nd)\s*(so\s*|no\.?\s*)?134(/2026)?\b|134/2026/nd-cp"),
    ("decree-142-2026", r"(nghi dinh|decree|nd)\s*(so\s*|no\.?\s*)?142(/2026)?\b|142/2026/nd-cp"),
    ("ai-law", r"luat\s+(tri tue nhan tao|ttnt)|\bai\s+law|law\s+on\s+(artificial intelligence|ai)\b"
               r"|artificial intelligence law|134/2025/qh15"),
    ("digital-tech-law", r"cong nghiep cong nghe so|digital technology|71/2025/qh15"),
    ("ip-law", r"luat\s+(so huu tri tue|shtt)|\bip\s+law|law\s+on\s+(intellectual property|ip)\b"
               r"|intellectual property law|50/2005/qh11"),
]

_VI = re.compile(r"(?:diem\s+(?P<pt>[a-z]\d?)\s*,?\s*(?:cua\s+)?)?(?:khoan\s+(?P<cl>\d+[a-z]?)\s*,?\s*(?:cua\s+)?)?"
                 r"dieu\s+(?P<art>\d+[a-z]?)\b")
_EN = re.compile(r"(?:point\s+\(?(?P<pt>[a-z]\d?)\)?\s*,?\s*(?:of\s+)?)?(?:clause\s+(?P<cl>\d+[a-z]?)\s*,?\s*(?:of\s+)?)?"
                 r"\b(?:article|art\.?)\s*(?P<art>\d+[a-z]?)\b(?:\s*\((?P<cl2>\d+[a-z]?)\))?(?:\s*\((?P<pt2>[a-z]\d?)\))?"
                 r"(?:\.(?P<cl3>\d+[a-z]?))?")


@dataclass(frozen=True)
class Reference:
    instrument: str
    article: str
    clause: str | None = None
    point: str | None = None
    explicit_instrument: bool = False

    @property
    def id(self) -> str:
        return f"{self.instrument}:" + ".".join(x for x in (self.article, self.clause, self.point) if x)


def find_references(question: str) -> list[Reference]:
    original = unicodedata.normalize("NFC", question)
    folded = fold(original)
    # fold() keeps one character per NFC character, so spans in `folded` index `original` too (for "đ").
    aligned = len(folded) == len(original)
    whole = _instrument_in(folded)
    refs, seen = [], set()
    for pattern in (_VI, _EN):
        for m in pattern.finditer(folded):
            g = m.groupdict()
            clause = g.get("cl") or g.get("cl2") or g.get("cl3")
            point_key = "pt" if g.get("pt") else "pt2" if g.get("pt2") else None
            point = None
            if point_key:
                point = original[m.start(point_key):m.end(point_key)].lower() if aligned else g[point_key]
            near = _instrument_in(folded[m.end():m.end() + 60])
            ref = Reference(near or whole or DEFAULT_INSTRUMENT, g["art"], clause, point, bool(near))
            if ref.id not in seen:
                seen.add(ref.id)
                refs.append(ref)
    return refs


def _instrument_in(folded: str) -> str | None:
    for instrument, pattern in _INSTRUMENTS:
        if re.search(pattern, folded):
            return instrument
    return None
