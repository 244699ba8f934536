"""Vietnamese legal references, in one module: every pattern that reads "Điều 25a", "khoản 5 Điều 7",
"điểm đ khoản 1 Điều 25 Luật Sở hữu trí tuệ", "Art. 25(1)(đ)", "Article 37b of Decree 17", typed with or without
diacritics, and the names of the instruments (from corpus/manifest.toml: `kind`, `number`, `aliases`).

Used by the statute parser and the amendment reader (the structure lines of a statute), by retrieval (references
in a question, and a decree's links to the law it details) and by the naive baseline. tests/test_references.py holds
a table of real phrasings. A reference without an instrument means the manifest's `default` one (the Law on IP).
"""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from ingest.text import fold

# --- Atoms ---------------------------------------------------------------------------------------------------------
# An article or clause number; a letter suffix marks one inserted by an amendment ("Điều 25a", "khoản 1a").
NUMBER = r"\d+[a-z]?"
# A point label as printed: a Vietnamese letter ("đ" included), a digit for an inserted one ("c1").
POINT = r"[a-zđ]\d?"
# The same after fold(): "đ" has become "d"; find_references() reads the original letter back from the question.
POINT_FOLDED = r"[a-z]\d?"

# --- Structure lines of a statute's text (ingest/statute.py, ingest/amendments.py) ----------------------------------
# "Điều 25a. Title" — the tolerant form: OCR'd texts drop the full stop or the space ("Điều 7Title" never occurs).
ARTICLE_HEADING = re.compile(rf"^Điều\s+({NUMBER})\s*(\.?)\s*(.*)$")
# "Điều 25a. Title" exactly as the gazette prints it (the amending decree's quoted new articles).
ARTICLE_LINE = re.compile(rf"^Điều ({NUMBER})\. (.*)$")
# "1. text" / "1a. text": a clause; the text may start on the next line.
CLAUSE_HEADING = re.compile(rf"^({NUMBER})\.(?:\s+(.*))?$")
CLAUSE_LINE = re.compile(rf"^({NUMBER})\. (.*)$")
# "đ) text": a point.
POINT_HEADING = re.compile(rf"^({POINT})\)(?:\s*(.*))?$")
POINT_LINE = re.compile(rf"^({POINT})\) (.*)$")

# --- References in running text ------------------------------------------------------------------------------------
# "Điều 25" in unfolded text (the baseline reads article numbers out of retrieved chunks).
ARTICLE_MENTION = re.compile(rf"Điều\s+({NUMBER})\b")
# Vietnamese order, smallest unit first, on folded text: "diem d khoan 1 dieu 25", "khoan 5, dieu 7",
# "diem a khoan 2 cua dieu 37a"; "của" (folded "cua") and commas may join the parts.
_VI = re.compile(rf"(?:diem\s+(?P<pt>{POINT_FOLDED})\s*,?\s*(?:cua\s+)?)?(?:khoan\s+(?P<cl>{NUMBER})\s*,?\s*(?:cua\s+)?)?"
                 rf"dieu\s+(?P<art>{NUMBER})\b")
# English forms on folded text: "point d of clause 1 of article 25", "clause 5, article 7", "art. 25(1)(d)",
# "article 25a", and the id-like "article 7.5".
_EN = re.compile(rf"(?:point\s+\(?(?P<pt>{POINT_FOLDED})\)?\s*,?\s*(?:of\s+)?)?"
                 rf"(?:clause\s+(?P<cl>{NUMBER})\s*,?\s*(?:of\s+)?)?"
                 rf"\b(?:article|art\.?)\s*(?P<art>{NUMBER})\b"
                 rf"(?:\s*\((?P<cl2>{NUMBER})\))?(?:\s*\((?P<pt2>{POINT_FOLDED})\))?"
                 rf"(?:\.(?P<cl3>{NUMBER}))?")
# How a decree is named before its number: "Nghị định (số) 17", "Decree (No.) 17/2023", "NĐ 17".
_DECREE_WORDS = r"(nghi dinh|decree|nd)\s*(so\s*|no\.?\s*)?"
# How far after a reference its instrument may be named: "khoản 5 Điều 7 của Luật Sở hữu trí tuệ".
INSTRUMENT_WINDOW = 60


@dataclass(frozen=True)
class Reference:
    instrument: str
    article: str
    clause: str | None = None
    point: str | None = None
    explicit_instrument: bool = False      # named next to the reference, not guessed from the question or default

    @property
    def id(self) -> str:
        return f"{self.instrument}:" + ".".join(x for x in (self.article, self.clause, self.point) if x)


def find_references(text: str) -> list[Reference]:
    """Every reference in `text`, in order, once each. Its instrument is the one named just after it, else the
    one named anywhere in the text, else the default instrument."""
    original = unicodedata.normalize("NFC", text)
    folded = fold(original)
    # fold() keeps one character per NFC character, so spans in `folded` index `original` too (for "đ").
    aligned = len(folded) == len(original)
    whole = instrument_named(folded)
    refs, seen = [], set()
    for pattern in (_VI, _EN):
        for m in pattern.finditer(folded):
            g = m.groupdict()
            clause = g.get("cl") or g.get("cl2") or g.get("cl3")
            point_key = "pt" if g.get("pt") else "pt2" if g.get("pt2") else None
            point = None
            if point_key:
                point = original[m.start(point_key):m.end(point_key)].lower() if aligned else g[point_key]
            near = instrument_named(folded[m.end():m.end() + INSTRUMENT_WINDOW], nearest=True)
            ref = Reference(near or whole or default_instrument(), g["art"], clause, point, bool(near))
            if ref.id not in seen:
                seen.add(ref.id)
                refs.append(ref)
    return refs


def instrument_named(folded: str, nearest: bool = False) -> str | None:
    """The instrument named in folded text: the most specific one (decrees before laws, the default law last),
    or with `nearest` the one named first ("Điều 25 Luật SHTT và Điều 37a Nghị định 17": Điều 25 is the law's)."""
    found = []
    for rank, (instrument, pattern) in enumerate(_instrument_patterns()):
        m = pattern.search(folded)
        if m:
            found.append((m.start() if nearest else 0, rank, instrument))
    return min(found)[2] if found else None


def default_instrument() -> str:
    from ingest.corpus import instruments

    return next((m.id for m in instruments().values() if m.default), "ip-law")


@functools.cache
def _instrument_patterns() -> list[tuple[str, re.Pattern]]:
    """One pattern per instrument with a text in the corpus, built from the manifest: decrees by their number
    after a decree word or in full ("17/2023/nd-cp"); laws by their aliases or full number ("50/2005/qh11").
    Decrees are tried first and the default instrument last: a decree's title names the law it details."""
    from ingest.corpus import instruments

    out = []
    for meta in instruments().values():
        if not meta.files:
            continue      # known only by its effect (amending acts): nothing to cite
        names = [_alias(a) for a in meta.aliases] + [re.escape(fold(meta.number))]
        if meta.kind == "decree":
            short, _, rest = meta.number.partition("/")
            year = rest.partition("/")[0]
            names.insert(0, rf"{_DECREE_WORDS}{re.escape(short)}(/{re.escape(year)})?\b")
        out.append(((meta.kind != "decree") + meta.default, meta.id, re.compile("|".join(names))))
    return [(iid, pattern) for _, iid, pattern in sorted(out, key=lambda x: x[0])]


def _alias(name: str) -> str:
    """"Luật SHTT" matches "luat shtt" in folded text, words apart by any space, a plural "s" allowed ("IP laws")."""
    words = [re.escape(w) for w in fold(name).split()]
    return r"\b" + r"\s+".join(words) + r"s?(?!\w)"
