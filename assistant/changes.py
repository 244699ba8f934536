"""What changed in a provision between its versions: every version with its dates, and word-level differences
between consecutive versions (e.g. Art. 7 of the IP law before and after 2026-04-01)."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from ingest.records import Provision

EQUAL, DELETE, INSERT = "equal", "delete", "insert"
# words and punctuation apart: "ngắn;" → "ngắn, truyện tranh;" is the insertion ", truyện tranh", not a new word
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$])")
LEGEND = "Removed: :red-background[~~struck through, red~~] · added: :green-background[**bold, green**]"


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


def diff_markdown(segments: list[Segment]) -> str:
    """The differences as Streamlit Markdown: deletions struck through on red, insertions bold on green (so they
    differ without colour too), a space between a deletion and the insertion that replaces it, and every Markdown
    character of the statute text escaped, so corpus text never becomes a link or a directive."""
    out: list[str] = []
    for n, s in enumerate(segments):
        if s.op == EQUAL:
            out.append(escape(s.text))
            continue
        if s.op == INSERT and n and segments[n - 1].op == DELETE:
            out.append(" ")
        out.append("  \n".join(_marked(line, s.op) for line in s.text.split("\n")))
    return "".join(out)


def _marked(line: str, op: str) -> str:
    """One line of a change, marked; the white space around it stays outside the marks (`~~ x~~` is not struck)."""
    core = line.strip()
    if not core:
        return line
    lead, trail = line[:len(line) - len(line.lstrip())], line[len(line.rstrip()):]
    mark = f":red-background[~~{escape(core)}~~]" if op == DELETE else f":green-background[**{escape(core)}**]"
    return lead + mark + trail


def escape(text: str) -> str:
    """Statute text inside our own Markdown: every special character escaped, line breaks kept."""
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")
