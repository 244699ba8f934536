"""Provision ids, parsed in one place: `ip-law:7.5`, `ip-law:25.1.đ`, `decree-17-2023:37a.2.a`.

An id names an instrument and a place in it: article, then clause, then point (each level optional below the
article). Articles and clauses may carry a letter suffix (`25a`, inserted by an amendment between 25 and 26);
points are Vietnamese letters in Vietnamese alphabetical order (a, b, c, d, đ, e, g, …), sometimes with a digit
(`a1`, inserted between a and b). Amendment operations name places without an instrument (`30.4.a`): `local()`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Vietnamese alphabetical order of point letters: "đ" follows "d" (Python's code-point order would put it last).
_POINT_ORDER = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_NUMBERED = re.compile(r"(\d+)([a-z]?)")
_ID = re.compile(r"(?P<instrument>[a-z][a-z0-9-]*):(?P<local>\S+)")
_LOCAL = re.compile(r"(?P<article>\d+[a-z]?)(?:\.(?P<clause>\d+[a-z]?)(?:\.(?P<point>[^\W\d_]\d?))?)?")


@dataclass(frozen=True)
class ProvisionId:
    instrument: str
    article: str
    clause: str | None = None
    point: str | None = None

    @classmethod
    def parse(cls, text: str) -> ProvisionId:
        """"ip-law:25.1.đ" -> ProvisionId("ip-law", "25", "1", "đ"); anything else is a ValueError saying why."""
        m = _ID.fullmatch(text.strip()) if isinstance(text, str) else None
        if not m:
            raise ValueError(f"{text!r} is not a provision id; expected INSTRUMENT:ARTICLE[.CLAUSE[.POINT]], "
                             "e.g. ip-law:25.1.đ")
        return cls.local(m["local"], m["instrument"])

    @classmethod
    def local(cls, text: str, instrument: str = "") -> ProvisionId:
        """A place inside one instrument, "25.1.đ" (as amendment operations name them)."""
        m = _LOCAL.fullmatch(text.strip())
        if not m:
            raise ValueError(f"{text!r} is not ARTICLE[.CLAUSE[.POINT]] (e.g. 25.1.đ)")
        return cls(instrument, m["article"], m["clause"], m["point"].lower() if m["point"] else None)

    @classmethod
    def is_valid(cls, text: str) -> bool:
        try:
            cls.parse(text)
        except ValueError:
            return False
        return True

    def __str__(self) -> str:
        return f"{self.instrument}:{self.place}"

    @property
    def place(self) -> str:
        """The id without its instrument: "25.1.đ"."""
        return ".".join(self.parts)

    @property
    def parts(self) -> tuple[str, ...]:
        return tuple(x for x in (self.article, self.clause, self.point) if x)

    @property
    def article_id(self) -> str:
        return f"{self.instrument}:{self.article}"

    @property
    def clause_id(self) -> str:
        """The enclosing clause ("ip-law:25.1" for "ip-law:25.1.đ"), or the article when there is no clause."""
        return f"{self.article_id}.{self.clause}" if self.clause else self.article_id

    @property
    def parent(self) -> ProvisionId | None:
        """One level up: point -> clause -> article -> None."""
        if self.point:
            return ProvisionId(self.instrument, self.article, self.clause)
        if self.clause:
            return ProvisionId(self.instrument, self.article)
        return None

    def within(self, other: ProvisionId | str) -> bool:
        """This provision is `other` or lies inside it ("ip-law:25.1.đ" is within "ip-law:25" and "ip-law:25.1",
        not within "ip-law:2" nor "ip-law:25a")."""
        other = other if isinstance(other, ProvisionId) else ProvisionId.parse(other)
        return self.instrument == other.instrument and self.parts[:len(other.parts)] == other.parts

    def sort_key(self) -> tuple:
        """Document order inside an instrument: 2 < 2a < 10; clause 1 < 1a < 2; point d < đ < e."""
        return (self.instrument, _numbered(self.article), _numbered(self.clause) if self.clause else (-1, ""),
                _point_key(self.point) if self.point else (-1, 0))

    def __lt__(self, other: ProvisionId) -> bool:
        return self.sort_key() < other.sort_key()


def _numbered(text: str) -> tuple[int, str]:
    m = _NUMBERED.fullmatch(text)
    return (int(m[1]), m[2]) if m else (10**9, text)


def _point_key(point: str) -> tuple[int, int]:
    letter, digit = point[0], point[1:]
    rank = _POINT_ORDER.find(letter)
    return (rank if rank >= 0 else len(_POINT_ORDER) + ord(letter), int(digit) if digit else 0)


def sorted_ids(ids) -> list[str]:
    """Provision ids in document order; ids that are not provisions (notes, documents) keep their order, last."""
    law = [i for i in ids if ProvisionId.is_valid(i)]
    rest = [i for i in ids if not ProvisionId.is_valid(i)]
    return sorted(law, key=lambda i: ProvisionId.parse(i).sort_key()) + rest
