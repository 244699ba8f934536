"""Checks every citation a language model wrote against the sources it was given: a citation stands only if it
names a retrieved provision whose cited version is in force on the as-of date. The rest are removed and the place is
flagged; the citations that stand are renumbered in order of first use, matching the citation cards kept."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from assistant.contract import Citation
from assistant.retrieve import Index

# [1], [1, 3], [2-4], [ip-law:7.5], [ip-law:7.5@2026-04-01]; not Markdown links ("[text](url)").
BRACKET = re.compile(r"\[([^\[\]\n]{1,160})\](?!\()")
NUMBER = re.compile(r"^\d{1,3}$")
RANGE = re.compile(r"^(\d{1,3})\s*[-–]\s*(\d{1,3})$")
ID = re.compile(r"^([a-z][a-z0-9-]*:[\w.\-]+?)(?:@(\d{4}-\d{2}-\d{2}))?$")
UNCITED = "⚠ *no citation*"
MIN_CLAIM_WORDS = 8        # shorter lines are headings, greetings or connectives, not claims worth a flag


@dataclass
class Removed:
    token: str
    reason: str


@dataclass
class Verified:
    text: str
    citations: list[Citation]              # the sources actually cited, in the order of the new numbers
    removed: list[Removed] = field(default_factory=list)
    uncited: int = 0                        # passages flagged for stating something without a citation
    used: int = 0                           # distinct sources the text cites


def _parts(content: str) -> list[str] | None:
    """The citation tokens inside one bracket, or None when the bracket is ordinary text."""
    out = []
    for part in (p.strip() for p in re.split(r"[,;]", content)):
        span = RANGE.match(part)
        if span and int(span[1]) <= int(span[2]) <= int(span[1]) + 20:
            out += [str(n) for n in range(int(span[1]), int(span[2]) + 1)]
        elif NUMBER.match(part) or ID.match(part):
            out.append(part)
        else:
            return None
    return out


class _Checker:
    def __init__(self, sources: list[Citation], index: Index, as_of: date, keep: int = 0):
        self.sources, self.index, self.as_of = sources, index, as_of
        # position in sources -> new citation number; the first `keep` sources keep theirs
        self.numbers: dict[int, int] = {i: i + 1 for i in range(keep)}
        self.used: set[int] = set()
        self.removed: list[Removed] = []

    def resolve(self, token: str) -> int | str:
        """The position of the source the token names, or why it cannot stand."""
        if NUMBER.match(token):
            n = int(token)
            return n - 1 if 1 <= n <= len(self.sources) else "no source was given with this number"
        pid, day = ID.match(token).groups()
        pos = next((i for i, s in enumerate(self.sources) if pid == s.id), None)
        if pos is None:        # a point or clause inside a retrieved clause or article
            pos = next((i for i, s in enumerate(self.sources) if pid.startswith(s.id + ".")), None)
        if pos is not None and pid == self.sources[pos].id and day in (None, self.sources[pos].valid_from):
            return pos         # a source given (statute, note or document), in force on as_of by construction
        if pid not in self.index.versions:
            return "no such provision in the corpus"
        version = self._version(pid, day)
        if version is None:
            return f"no version of {pid} took effect on {day}"
        if not version.in_force_on(self.as_of):
            return f"the cited version is not in force on {self.as_of.isoformat()}"
        if pos is None:
            return "not among the provisions retrieved"
        return pos

    def _version(self, pid: str, day: str | None):
        if day is None:
            versions = self.index.versions[pid]
            return self.index.version_on(pid, self.as_of) or versions[-1]
        return next((v for v in self.index.versions[pid] if v.valid_from.isoformat() == day), None)

    def replace(self, match: re.Match) -> str:
        tokens = _parts(match[1])
        if tokens is None:
            return match[0]
        kept, flags = [], []
        for token in tokens:
            found = self.resolve(token)
            if isinstance(found, int):
                self.used.add(found)
                number = self.numbers.setdefault(found, len(self.numbers) + 1)
                if number not in kept:
                    kept.append(number)
            else:
                self.removed.append(Removed(token, found))
                flags.append(f"⚠ *citation removed (`{token}`): {found}*")
        return " ".join(["".join(f"[{n}]" for n in kept), *flags]).strip()


def _flag_uncited(text: str) -> tuple[str, int]:
    """A passage (paragraph or list item) long enough to state the law, with no citation left, is marked."""
    lines, flagged = text.split("\n"), 0
    for i, line in enumerate(lines):
        bare = line.strip()
        if (len(bare.split()) >= MIN_CLAIM_WORDS and not bare.startswith(("#", ">", "|", "```"))
                and not re.search(r"\[\d+\]", bare)):
            lines[i], flagged = f"{line.rstrip()} {UNCITED}", flagged + 1
    return "\n".join(lines), flagged


def verify(text: str, sources: list[Citation], index: Index, as_of: date, keep: int = 0) -> Verified:
    """`keep`: the first sources (the assessment's cards) stay, numbered 1..keep, whether the text cites them or
    not; the others are kept only when cited, numbered after them in order of first use."""
    checker = _Checker(sources, index, as_of, keep)
    checked, uncited = _flag_uncited(BRACKET.sub(checker.replace, text))
    cited = [sources[pos] for pos, _ in sorted(checker.numbers.items(), key=lambda item: item[1])]
    return Verified(checked, cited, checker.removed, uncited, len(checker.used))
