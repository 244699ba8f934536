"""The corpus manifest: which instruments exist, where their texts are, and where the texts came from."""
from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ingest.errors import CorpusError

CORPUS_DIR = Path(__file__).resolve().parent.parent / "corpus"


@dataclass(frozen=True)
class SourceFile:
    path: Path
    consolidation: str
    official_source: str
    transcribed_from: str
    retrieved: str
    sha256: str
    consolidation_date: str = ""


@dataclass(frozen=True)
class InstrumentMeta:
    id: str
    title_en: str
    title_vi: str
    number: str
    issuer: str
    signed: date
    in_force: date
    verification: str
    label_en: str = ""
    label_vi: str = ""
    amends: str | None = None
    files: tuple[SourceFile, ...] = ()
    early_articles: dict = field(default_factory=dict)
    repealed: tuple[dict, ...] = ()


def load_manifest(corpus_dir: Path = CORPUS_DIR) -> dict[str, InstrumentMeta]:
    path = corpus_dir / "manifest.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as e:
        # Python 3.11's TOMLDecodeError carries the position only in its message: "... (at line 3, column 11)".
        line = re.search(r"at line (\d+)", str(e))
        raise CorpusError(str(path), int(line.group(1)) if line else None, f"malformed TOML ({e})",
                          "correct the syntax at that line") from e
    metas = {}
    for i, raw in enumerate(data.get("instrument", []), 1):
        meta = _instrument(raw, corpus_dir, path, i)
        if meta.id in metas:
            raise CorpusError(str(path), None, f"instrument id {meta.id!r} appears twice", "give each instrument one entry")
        metas[meta.id] = meta
    return metas


def _instrument(raw: dict, corpus_dir: Path, path: Path, index: int) -> InstrumentMeta:
    required = ("id", "title_en", "title_vi", "number", "issuer", "signed", "in_force", "verification")
    missing = [k for k in required if k not in raw]
    if missing:
        raise CorpusError(str(path), None, f"instrument #{index} lacks {', '.join(missing)}",
                          "add the missing keys to that [[instrument]] table")
    files = tuple(
        SourceFile(path=corpus_dir / f["path"], consolidation=f.get("consolidation", ""),
                   official_source=f.get("official_source", ""), transcribed_from=f.get("transcribed_from", ""),
                   retrieved=f.get("retrieved", ""), sha256=f["sha256"],
                   consolidation_date=f.get("consolidation_date", ""))
        for f in raw.get("files", [])
    )
    return InstrumentMeta(
        id=raw["id"], title_en=raw["title_en"], title_vi=raw["title_vi"], number=raw["number"],
        issuer=raw["issuer"], signed=_date(raw["signed"]), in_force=_date(raw["in_force"]),
        verification=raw["verification"], label_en=raw.get("label_en", raw["title_en"]),
        label_vi=raw.get("label_vi", raw["title_vi"]), amends=raw.get("amends"), files=files,
        early_articles={k: _date(v) for k, v in raw.get("early_articles", {}).items()},
        repealed=tuple(raw.get("repealed", [])),
    )


def _date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def verify_hashes(metas: dict[str, InstrumentMeta]) -> list[str]:
    """Problems found, one line each; empty when every file is present and matches its recorded hash."""
    problems = []
    for meta in metas.values():
        for f in meta.files:
            if not f.path.exists():
                problems.append(f"{f.path}: missing (instrument {meta.id})")
            elif sha256_of(f.path) != f.sha256:
                problems.append(f"{f.path}: sha256 differs from the manifest (instrument {meta.id})")
    return problems
