"""The amendment notes of the 2025 IP-law consolidation, read in full.

A footnote may record several amendments of the same provision, in order ("được sửa đổi, bổ sung lần thứ nhất …
Luật số 36/2009/QH12 …, có hiệu lực kể từ ngày 01 tháng 01 năm 2010." then "lần thứ hai … Luật số 07/2022/QH15 …
01 tháng 01 năm 2023."); the wording the consolidation prints is the one given by the LAST of them. Each amendment
is read with the effective date the note itself states, so a provision's date can be traced to that line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# One amendment: the amending law's number, then the first "có hiệu lực (thi hành) (kể) từ ngày D tháng M năm Y"
# after it. Must match a note split over two lines ("… Luật Khoa học," / "công nghệ … số 93/2025/QH15, có hiệu
# lực …"); must not take a later amendment's date (the lazy gap stops at the first date).
_AMENDMENT = re.compile(
    r"số\s+(?P<law>\d{1,3}/\d{4}/QH\d{2})(?P<gap>.*?)có\s+hiệu\s+lực\s+(?:thi\s+hành\s+)?(?:kể\s+)?từ\s+ngày\s+"
    r"(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})", re.DOTALL)
# What the note says happened, read from the words before the law: an insertion ("Khoản này được bổ sung") gives a
# provision that had no earlier wording; "sửa đổi, bổ sung" is an amendment of an existing one.
_INSERTED = re.compile(r"được\s+bổ\s+sung(?!\s+lần)", re.IGNORECASE)
_AMENDED = re.compile(r"sửa\s+đổi,\s+bổ\s+sung|thay\s+(?:thế|bằng)|được\s+bỏ|bãi\s+bỏ", re.IGNORECASE)
_ORDINAL = re.compile(r"lần\s+thứ\s+(\w+)")


@dataclass(frozen=True)
class FootnoteAmendment:
    law: str               # "07/2022/QH15", as printed
    effective: date        # the date the note states
    inserted: bool         # the note's subject was inserted (no earlier wording existed), not amended
    ordinal: str | None    # "nhất", "hai" where the note numbers its amendments
    statement: str         # the note's words for this amendment (quotes removed), for review


def amendments(note: str) -> list[FootnoteAmendment]:
    """Every amendment a footnote records, in the order written (quoted material skipped)."""
    text = _unquoted(note)
    out, start = [], 0
    for m in _AMENDMENT.finditer(text):
        head = text[start:m.start()]
        statement = re.sub(r"\s+", " ", text[start:m.end()]).strip(" .;")
        ordinal = _ORDINAL.search(head)
        out.append(FootnoteAmendment(
            law=m.group("law"), effective=date(int(m.group("y")), int(m.group("m")), int(m.group("d"))),
            inserted=bool(_INSERTED.search(head)) and not _AMENDED.search(head),
            ordinal=ordinal.group(1) if ordinal else None, statement=statement))
        start = m.end()
    return out


def _unquoted(note: str) -> str:
    """The note without quoted material (new wording, or an amending law's articles, which quote in turn): only
    the note's own statement dates a provision. Quotes nest, so they are matched by depth, not by a pattern."""
    out, depth = [], 0
    for ch in note:
        if ch == "“":
            depth += 1
            if depth == 1:
                out.append("“…")
        elif ch == "”" and depth:
            depth -= 1
            if depth == 0:
                out.append("”")
        elif depth == 0:
            out.append(ch)
    return "".join(out)


def last_amendment(note: str) -> FootnoteAmendment | None:
    """The amendment that gave the wording printed: the latest effective date (ties: the last written)."""
    found = amendments(note)
    return max(reversed(found), key=lambda a: a.effective) if found else None


def footnote_lines(raw: str) -> dict[str, list[tuple[int, str]]]:
    """Footnote number -> its body lines in the source file as (1-based line number, text), for citing the line a
    date comes from. The notes follow the last rule line ("____"); a marker may be split over two lines ("[229" /
    "] Điều …", "[" / "12] Khoản …"), and the line cited is then the one holding the text."""
    lines = raw.splitlines()
    rule = max((i for i, line in enumerate(lines) if re.fullmatch(r"\s*_{10,}\s*", line)), default=-1)
    out: dict[str, list[tuple[int, str]]] = {}
    current: list[tuple[int, str]] | None = None
    i = rule + 1
    while i < len(lines):
        line, at = lines[i].strip(), i
        if line == "(*)":                                # the data-source credit that closes the file
            break
        if re.fullmatch(r"\[\d*", line) and i + 1 < len(lines) and re.match(r"^\d*\]", lines[i + 1].strip()):
            i += 1
            line, at = line + lines[i].strip(), i
        m = re.match(r"^\[(\d+)\]\s*(.*)$", line)
        if m:
            current, line = out.setdefault(m.group(1), []), m.group(2)
        if current is not None and line:
            current.append((at + 1, line))
        i += 1
    return out
