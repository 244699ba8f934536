"""The project's commentary notes: not law. Each declares the period it speaks to and cites provisions inline
(`[ip-law:20.1.c]`, `[ip-law:7.5@2026-04-01]`); a note citing a provision that does not exist, or is not in force
on the date it is cited for, is refused with an error naming the file and line (the other notes go on)."""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ingest.errors import CorpusError
from ingest.records import Provision

CITATION = re.compile(r"\[((?:[a-z0-9-]+:[^\]\s;@]+(?:@\d{4}-\d{2}-\d{2})?)(?:;\s*[a-z0-9-]+:[^\]\s;@]+"
                      r"(?:@\d{4}-\d{2}-\d{2})?)*)\]")


@dataclass(frozen=True)
class Cited:
    provision_id: str
    day: date
    line: int


def citations(text: str, default_day: date) -> list[Cited]:
    out = []
    for n, line in enumerate(text.split("\n"), 1):
        for m in CITATION.finditer(line):
            for ref in m.group(1).split(";"):
                pid, _, day = ref.strip().partition("@")
                out.append(Cited(pid, date.fromisoformat(day) if day else default_day, n))
    return out


def load(directory: Path, versions: dict[str, list[Provision]]) -> tuple[list[Provision], list[CorpusError]]:
    notes, errors = [], []
    for path in sorted(directory.glob("*.md")):
        try:
            notes.append(_note(path, versions))
        except CorpusError as e:
            errors.append(e)
    return notes, errors


def _note(path: Path, versions: dict[str, list[Provision]]) -> Provision:
    text = path.read_text(encoding="utf-8")
    parts = text.split("+++", 2)
    if len(parts) < 3 or parts[0].strip():
        raise CorpusError(str(path), 1, "no +++ front matter at the top", "start the file with a +++ … +++ block")
    try:
        meta = tomllib.loads(parts[1])
        start = date.fromisoformat(meta["applies_from"])
        end = date.fromisoformat(meta["applies_to"]) if meta.get("applies_to") else None
        note_id, title_en, title_vi = meta["id"], meta["title_en"], meta["title_vi"]
    except (tomllib.TOMLDecodeError, KeyError, ValueError) as e:
        raise CorpusError(str(path), 2, f"front matter is malformed or incomplete ({e})",
                          "give id, title_en, title_vi, applies_from (YYYY-MM-DD), applies_to") from e
    offset = parts[0].count("\n") + parts[1].count("\n")
    for cited in citations(parts[2], start):
        ok = any(v.in_force_on(cited.day) for v in versions.get(cited.provision_id, []))
        if not ok:
            why = "does not exist" if cited.provision_id not in versions else f"is not in force on {cited.day}"
            raise CorpusError(str(path), cited.line + offset, f"cites {cited.provision_id}, which {why}",
                              "correct the id, or add @YYYY-MM-DD for a date on which it is in force")
    slug = note_id.split(":", 1)[1]
    return Provision(id=note_id, instrument="commentary", article=slug, clause=None, point=None,
                     label=f"Commentary: {title_en}", label_vi=f"Bình luận: {title_vi}", article_title=title_en,
                     chapter_path="", text=parts[2].strip(), valid_from=start, valid_to=end, kind="commentary",
                     source=path.name, note="commentary by the vnip project; not law")


def sections(note: Provision) -> list[str]:
    """The English and the Vietnamese part of a note, each embedded on its own."""
    parts = re.split(r"^## ", note.text, flags=re.MULTILINE)
    return [p.strip() for p in parts if p.strip()]
