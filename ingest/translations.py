"""The project's unofficial English translations, linked to the Vietnamese provision *version* they translate.

A record names a provision id and a date on which the translated Vietnamese wording is in force (`as_of`), so a
parser fix that moves validity dates does not orphan it. Records: one per clause (points on their own lines,
"a) …") or article body, plus one per article title.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ingest.errors import CorpusError
from ingest.ids import ProvisionId
from ingest.jsonl import JsonlError, parse_lines
from ingest.records import EARLIER_WORDING_MISSING, Provision, version_on
from ingest.textfile import read_text

REQUIRED = ("id", "as_of", "translation", "reviewed")


@dataclass(frozen=True)
class Translation:
    version_id: str          # the Vietnamese provision version it translates
    provision_id: str
    title: str | None
    text: str | None
    reviewed: bool
    source: str              # file:line


def load(directory: Path, versions: dict[str, list[Provision]],
         skipped: set[str] = frozenset()) -> tuple[list[Translation], list[CorpusError]]:
    """Every record that matches a provision version; every other record becomes an error naming file and line.
    A file that cannot be read (encoding, binary, empty) is one error and contributes nothing. Records of
    `skipped` instruments (left out of this build because of their own error) are passed over silently."""
    out, errors = [], []
    for path in sorted(directory.glob("*.jsonl")):
        try:
            lines = read_text(path).splitlines()
        except CorpusError as e:
            errors.append(e)
            continue
        for n, raw in parse_lines(lines, path):
            if isinstance(raw, JsonlError):
                errors.append(CorpusError(str(path), n, raw.problem, "fix the line's JSON syntax"))
                continue
            try:
                if isinstance(raw, dict) and str(raw.get("id", "")).partition(":")[0] in skipped:
                    continue
                out.append(_record(raw, versions, f"{path.name}:{n}"))
            except CorpusError as e:
                errors.append(CorpusError(str(path), n, e.problem, e.fix))
    return out, errors


def _record(raw: dict, versions: dict[str, list[Provision]], where: str) -> Translation:
    if not isinstance(raw, dict):
        raise CorpusError(where, None, f"the line is JSON {type(raw).__name__}, not an object",
                          "write one {\"id\": …, \"as_of\": …, \"translation\": …, \"reviewed\": …} object per line")
    missing = [k for k in REQUIRED if k not in raw]
    if missing:
        raise CorpusError(where, None, f"record lacks {', '.join(missing)}", "add the missing keys")
    pid = raw["id"]
    if not isinstance(pid, str) or any(not isinstance(raw.get(k), (str, type(None))) for k in ("title", "text")):
        raise CorpusError(where, None, "id, title and text must be strings", "quote them as JSON strings")
    try:
        day = date.fromisoformat(raw["as_of"])
    except (TypeError, ValueError):
        raise CorpusError(where, None, f"as_of {raw['as_of']!r} is not a date", "write it as YYYY-MM-DD") from None
    if pid not in versions:
        raise CorpusError(where, None, f"{pid} is not a provision in the corpus", "correct the id (see vnip ask)")
    version = version_on(versions[pid], day)
    if version is None:
        raise CorpusError(where, None, f"{pid} has no version in force on {day}",
                          "set as_of to a date on which the translated wording was in force")
    return Translation(version.version_id, pid, raw.get("title"), raw.get("text"), bool(raw["reviewed"]), where)


def by_version(translations: list[Translation]) -> dict[str, dict]:
    """version_id -> {"title", "text", "reviewed"}; a title record and a body record of one id merge."""
    out: dict[str, dict] = {}
    for t in translations:
        entry = out.setdefault(t.version_id, {"title": None, "text": None, "reviewed": True})
        entry["title"] = entry["title"] or t.title
        entry["text"] = entry["text"] or t.text
        entry["reviewed"] = entry["reviewed"] and t.reviewed
    return out


def text_for(provision: Provision, table: dict[str, dict], article_version: str | None = None) -> str | None:
    """The English of one provision version: a clause's own record, a point cut out of its clause's record."""
    entry = table.get(provision.version_id)
    if entry and entry["text"]:
        return entry["text"]
    if provision.point and article_version is not None:
        clause = table.get(article_version, {}).get("text") or ""
        for line in clause.split("\n"):
            if re.match(rf"^{re.escape(provision.point)}\)\s", line):
                return line
    return None


def resolve(provisions: list[Provision], table: dict[str, dict]) -> dict[str, dict]:
    """version_id -> {"title", "text", "reviewed"} for every provision version the translations cover, including
    points (cut from their clause) and whole articles (assembled from their clauses)."""
    versions: dict[str, list[Provision]] = {}
    for p in provisions:
        versions.setdefault(p.id, []).append(p)

    clause_ids: dict[str, list[str]] = {}          # article id -> its clause ids, every version's
    for pid, vs in versions.items():
        if vs[0].clause is not None and vs[0].point is None:
            clause_ids.setdefault(ProvisionId.parse(pid).article_id, []).append(pid)

    def on(pid: str, day: date) -> Provision | None:
        return version_on(versions.get(pid, []), day)

    out = {}
    for p in provisions:
        if p.status == EARLIER_WORDING_MISSING:      # no Vietnamese wording of that period, so no English either
            continue
        title = _title(p, table, on)
        clauses = [] if p.clause is not None else \
            [c for c in (on(pid, p.valid_from) for pid in clause_ids.get(p.id, [])) if c is not None]
        if p.point:
            parent = on(ProvisionId.parse(p.id).clause_id, p.valid_from)
            text = text_for(p, table, parent.version_id if parent else None)
        elif clauses:
            # an article's own record holds only its opening words ("In this Law, the terms below are construed
            # as follows:"); shown alone they would read as the whole article
            text = _assembled(clauses, table, (table.get(p.version_id) or {}).get("text"))
        else:
            text = text_for(p, table)
        if text:
            entry = table.get(p.version_id) or {}
            out[p.version_id] = {"title": title, "text": text, "reviewed": entry.get("reviewed", False)}
    return out


def _title(p: Provision, table: dict[str, dict], on) -> str | None:
    article = on(f"{p.instrument}:{p.article}", p.valid_from)
    return (table.get(article.version_id) or {}).get("title") if article else None


def _assembled(clauses: list[Provision], table: dict[str, dict], opening: str | None) -> str | None:
    parts = [opening] if opening else []
    for clause in clauses:
        text = text_for(clause, table)
        if text is None:
            return None          # a partial article would read as the whole article
        parts.append(f"{clause.clause}. {text}")
    return "\n".join(parts)
