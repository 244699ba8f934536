"""Is what an answer shows valid law on its as-of date? Checked from the answer object alone against the corpus's
provision versions, read here from the index generation's provisions.jsonl — not through the retrieval or answer
code, so that `vnip eval` cannot report 1.0 by construction (the citations an answer was built from are not
necessarily the ones it shows, and a shown card may carry dates or text that no version has).

A shown citation is checked by its role (records.Citation.role): "not_in_force" is shown *as* not law (the
provision asked about, repealed or not yet in force) and is only checked to exist; "assessment" and "retrieved"
must name a provision version that exists, has the dates and the verbatim text shown, and is in force on as_of.
Commentary (the project's notes) must be the version dated for as_of; the user's own documents are not checked
(not law, not in the corpus). Every marker [n] in the answer text must point to a shown citation."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ingest.index import provision_from_json, read_jsonl
from ingest.records import IN_FORCE, Provision

# [3] or [1, 3] or [2-4] (not a Markdown link "[text](url)"); statute text itself never carries bracketed digits
MARKER = re.compile(r"\[(\d{1,3}(?:\s*[,;–-]\s*\d{1,3})*)\](?!\()")
NOT_LAW_ROLES = {"not_in_force"}


@dataclass
class Check:
    valid: bool
    problems: list[str] = field(default_factory=list)
    checked: int = 0                 # citations checked as law (roles "assessment" and "retrieved")


class CorpusVersions:
    """Every provision version of the corpus (statutes, commentary), keyed by id."""

    def __init__(self, generation: Path):
        self.versions: dict[str, list[Provision]] = {}
        for row in read_jsonl(Path(generation) / "provisions.jsonl"):
            p = provision_from_json(row)
            self.versions.setdefault(p.id, []).append(p)

    def in_force(self, pid: str, as_of: date) -> bool:
        """The provision (any level: article, clause, point) has a version in force on as_of."""
        return any(v.in_force_on(as_of) and v.status == IN_FORCE for v in self.versions.get(pid, []))

    def check_answer(self, answer: dict, as_of: date) -> Check:
        """`answer`: the JSON answer object of `vnip ask --json`."""
        shown = answer.get("citations") or []
        problems: list[str] = []
        checked = 0
        for n, c in enumerate(shown, 1):
            if c.get("kind") == "document" or c.get("role") in NOT_LAW_ROLES:
                if c.get("kind") != "document" and c.get("id") not in self.versions:
                    problems.append(f"[{n}] {c.get('id')}: shown as not in force, but no such provision")
                continue
            checked += 1
            problems += [f"[{n}] {c.get('id')}: {p}" for p in self._check_citation(c, as_of)]
        for marker in MARKER.findall(answer.get("answer") or ""):
            for number in _numbers(marker):
                if not 1 <= number <= len(shown):
                    problems.append(f"marker [{number}] points to no shown citation ({len(shown)} shown)")
        return Check(not problems, problems, checked)

    def _check_citation(self, c: dict, as_of: date) -> list[str]:
        versions = self.versions.get(c.get("id"), [])
        if not versions:
            return ["no such provision in the corpus"]
        try:
            start = date.fromisoformat(c["valid_from"])
        except (KeyError, TypeError, ValueError):
            return [f"no valid_from shown ({c.get('valid_from')!r})"]
        version = next((v for v in versions if v.valid_from == start), None)
        if version is None:
            return [f"no version takes effect on {start}"]
        out = []
        shown_end = c.get("valid_to")
        if shown_end != (version.valid_to.isoformat() if version.valid_to else None):
            out.append(f"shown in force until {shown_end}, the corpus says {version.valid_to}")
        if not version.in_force_on(as_of) or version.status != IN_FORCE:
            out.append(f"the version shown ({start}–{version.valid_to or 'open'}, {version.status}) is not in force "
                       f"on {as_of}")
        if c.get("text") != version.text:
            out.append("the text shown is not the corpus text of that version")
        return out


def _numbers(marker: str) -> list[int]:
    out = []
    for part in re.split(r"[,;]", marker):
        ends = [int(x) for x in re.split(r"[–-]", part.strip()) if x.strip()]
        out += list(range(ends[0], ends[-1] + 1)) if len(ends) == 2 and ends[0] <= ends[1] <= ends[0] + 20 else ends
    return out
