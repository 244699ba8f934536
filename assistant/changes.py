"""What changed in a provision between its versions: every version with its dates, and word-level differences
between consecutive versions (e.g. Art. 7 of the IP law before and after 2026-04-01)."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ingest.records import Provision

EQUAL, DELETE, INSERT = "equal", "delete", "insert"
_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Segment:
    op: str          # EQUAL | DELETE | INSERT
    text: str


@dataclass(frozen=True)
class Change:
    before: Provision
    after: Provision
    segments: list[Segment]

    @property
    def changed(self) -> bool:
        return any(s.op != EQUAL for s in self.segments)


def word_diff(old: str, new: str) -> list[Segment]:
    """Differences by word, whitespace kept, so the joined EQUAL+DELETE segments give back `old` and the joined
    EQUAL+INSERT segments give back `new`. Vietnamese words are syllables, and a rewritten phrase shares many of
    them by chance ("quốc", "và"): an unchanged stretch of one or two words between two changes is folded into the
    change, so a reader sees the old phrase struck out and the new one after it, not a patchwork of syllables."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    runs = [(op, "".join(a[i1:i2]), "".join(b[j1:j2]))
            for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()]
    out: list[Segment] = []
    pending = ["", ""]                               # the change being gathered: deleted, inserted
    for n, (op, old_part, new_part) in enumerate(runs):
        short = op == "equal" and len(old_part.split()) <= 2 and 0 < n < len(runs) - 1
        if op != "equal" or short:
            pending[0] += old_part
            pending[1] += new_part
            continue
        out += [Segment(DELETE, pending[0]), Segment(INSERT, pending[1]), Segment(EQUAL, old_part)]
        pending = ["", ""]
    out += [Segment(DELETE, pending[0]), Segment(INSERT, pending[1])]
    return _merge(out)


def _merge(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for s in segments:
        if merged and merged[-1].op == s.op:
            merged[-1] = Segment(s.op, merged[-1].text + s.text)
        elif s.text:
            merged.append(s)
    return merged


def changes(versions: list[Provision]) -> list[Change]:
    """Consecutive versions of one provision (sorted by valid_from), each pair with its word differences."""
    ordered = sorted(versions, key=lambda p: p.valid_from)
    return [Change(old, new, word_diff(old.text, new.text)) for old, new in zip(ordered, ordered[1:])]
