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
from ingest.records import Provision, version_on
from ingest.textfile import read_text

CITATION = re.compile(r"\[((?:[a-z0-9-]+:[^\]\s;@]+(?:@\d{4}-\d{2}-\d{2})?)(?:;\s*[a-z0-9-]+:[^\]\s;@]+"
                      r"(?:@\d{4}-\d{2}-\d{2})?)*)\]")


@dataclass(frozen=True)
class Cited:
    provision_id: str
    day: date
    line: int


def citations(text: str, default_day: date) -> list[Cited]:
    """Inline citations with their 1-based line in `text`; a citation date that is no date raises ValueError."""
    out = []
    for n, line in enumerate(text.split("\n"), 1):
        for m in CITATION.finditer(line):
            for ref in m.group(1).split(";"):
                pid, _, day = ref.strip().partition("@")
                try:
                    out.append(Cited(pid, date.fromisoformat(day) if day else default_day, n))
                except ValueError:
                    raise ValueError(f"line {n}: {pid}@{day} has no valid date") from None
    return out


def load(directory: Path, versions: dict[str, list[Provision]],
         skipped: set[str] = frozenset()) -> tuple[list[Provision], list[CorpusError]]:
    """Every note that checks out; every other note becomes one error. `skipped`: instruments left out of this
    build because of their own error, so a note citing them cannot be checked and is left out too."""
    notes, errors, ids = [], [], {}
    for path in sorted(directory.glob("*.md")):
        try:
            note = _note(path, versions, skipped)
            if note.id in ids:
                raise CorpusError(str(path), 2, f"note id {note.id!r} is also the id of {ids[note.id]}",
                                  "give each note its own id")
        except CorpusError as e:
            errors.append(e)
            continue
        ids[note.id] = path.name
        notes.append(note)
    return notes, errors


def _day(value) -> date | None:
    if isinstance(value, date):
        return value
    return date.fromisoformat(value) if value else None


def _front_matter(path: Path, text: str) -> tuple[dict, str, int]:
    """The parsed +++ block, the body, and how many lines come before the body."""
    parts = text.split("+++", 2)
    if len(parts) < 3 or parts[0].strip():
        raise CorpusError(str(path), 1, "no +++ front matter at the top", "start the file with a +++ … +++ block")
    offset = parts[0].count("\n") + parts[1].count("\n")
    try:
        meta = tomllib.loads(parts[1])
    except tomllib.TOMLDecodeError as e:
        line = re.search(r"at line (\d+)", str(e))
        at = int(line.group(1)) + parts[0].count("\n") if line else 2
        raise CorpusError(str(path), at, f"front matter is not valid TOML ({e})", "correct the syntax at that line") \
            from None
    return meta, parts[2], offset


def _note(path: Path, versions: dict[str, list[Provision]], skipped: set[str] = frozenset()) -> Provision:
    meta, body, offset = _front_matter(path, read_text(path))
    try:
        start, end = _day(meta["applies_from"]), _day(meta.get("applies_to"))
        note_id, title_en, title_vi = meta["id"], meta["title_en"], meta["title_vi"]
        if start is None or not all(isinstance(x, str) and x.strip() for x in (note_id, title_en, title_vi)):
            raise ValueError("applies_from, id and the titles must not be empty")
        if not note_id.startswith("commentary:") or len(note_id) == len("commentary:"):
            raise ValueError(f"id {note_id!r} does not start with 'commentary:'")
    except (KeyError, ValueError, TypeError) as e:
        raise CorpusError(str(path), 2, f"front matter is malformed or incomplete ({type(e).__name__}: {e})",
                          "give id (\"commentary:…\"), title_en, title_vi, applies_from (YYYY-MM-DD), applies_to") \
            from None
    if not body.strip():
        raise CorpusError(str(path), offset + 1, "the note has no text after its front matter", "write the note")
    _check_citations(path, body, offset, start, versions, skipped)
    slug = note_id.split(":", 1)[1]
    return Provision(id=note_id, instrument="commentary", article=slug, clause=None, point=None,
                     label=f"Commentary: {title_en}", label_vi=f"Bình luận: {title_vi}", article_title=title_en,
                     chapter_path="", text=body.strip(), valid_from=start, valid_to=end, kind="commentary",
                     source=path.name, note="commentary by the vnip project; not law")


def _check_citations(path: Path, body: str, offset: int, start: date, versions: dict[str, list[Provision]],
                     skipped: set[str]) -> None:
    try:
        cited_all = citations(body, start)
    except ValueError as e:
        line = int(re.match(r"line (\d+)", str(e)).group(1))
        raise CorpusError(str(path), line + offset, f"a citation date is not a date ({e})",
                          "write the date as @YYYY-MM-DD") from None
    for cited in cited_all:
        instrument = cited.provision_id.split(":", 1)[0]
        if instrument in skipped:
            raise CorpusError(str(path), cited.line + offset, f"cites {cited.provision_id}, but {instrument} was "
                              "left out of this build because of an error in its file (reported separately)",
                              "fix that file; this note comes back with it")
        ok = version_on(versions.get(cited.provision_id, []), cited.day) is not None
        if not ok:
            why = "does not exist" if cited.provision_id not in versions else f"is not in force on {cited.day}"
            raise CorpusError(str(path), cited.line + offset, f"cites {cited.provision_id}, which {why}",
                              "correct the id, or add @YYYY-MM-DD for a date on which it is in force")


def sections(note: Provision) -> list[str]:
    """The English and the Vietnamese part of a note, each embedded on its own."""
    parts = re.split(r"^## ", note.text, flags=re.MULTILINE)
    return [p.strip() for p in parts if p.strip()]
