"""The corpus manifest: which instruments exist, where their texts are, and where the texts came from."""
from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ingest.errors import CorpusError
from ingest.textfile import read_text

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
    # How people name it (ingest/references.py): "law" or "decree"; short labels for answers; aliases as typed.
    kind: str = ""
    short_en: str = ""
    short_vi: str = ""
    aliases: tuple[str, ...] = ()
    default: bool = False           # bare references ("Điều 25") mean this instrument


def provenance(metas: dict[str, InstrumentMeta]) -> dict[str, str]:
    """Corpus file name → where its text comes from, in one line a reader can check (shown on every citation)."""
    out = {}
    for meta in metas.values():
        for f in meta.files:
            check = ("a transcription, not checked against the signed gazette" if meta.verification == "transcription"
                     else f"verification: {meta.verification}")
            text = f"; {f.consolidation}" if f.consolidation else ""
            out[f.path.name] = (f"{meta.title_en} No. {meta.number}{text}. Official source: {f.official_source}. "
                                f"Transcribed from {f.transcribed_from}, retrieved {f.retrieved}; {check}.")
    return out


def load_manifest(corpus_dir: Path = CORPUS_DIR, errors: list[CorpusError] | None = None) -> dict[str, InstrumentMeta]:
    """The instruments of manifest.toml. A malformed file raises CorpusError; a malformed [[instrument]] entry
    raises too, unless `errors` is given: then it is recorded there and left out, and the others are kept."""
    path = corpus_dir / "manifest.toml"
    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        # Python 3.11's TOMLDecodeError carries the position only in its message: "... (at line 3, column 11)".
        line = re.search(r"at line (\d+)", str(e))
        raise CorpusError(str(path), int(line.group(1)) if line else None, f"malformed TOML ({e})",
                          "correct the syntax at that line") from e
    tables = data.get("instrument", [])
    if not isinstance(tables, list) or not tables:
        raise CorpusError(str(path), None, "no [[instrument]] tables", "describe each instrument in an "
                          "[[instrument]] table (see README.md, Corpus)")
    lines = text.split("\n")
    starts = [n for n, line in enumerate(lines, 1) if line.strip() == "[[instrument]]"]
    metas = {}
    for i, raw in enumerate(tables, 1):
        line = starts[i - 1] if i <= len(starts) else None
        try:
            meta = _instrument(raw, corpus_dir, path, i, _Locator(lines, line))
            if meta.id in metas:
                raise CorpusError(str(path), line, f"instrument id {meta.id!r} appears twice",
                                  "give each instrument one entry")
        except CorpusError as e:
            if errors is None:
                raise
            errors.append(e)
            continue
        metas[meta.id] = meta
    return metas


class _Locator:
    """Lines of keys inside one [[instrument]] table (tomllib reports no positions)."""

    def __init__(self, lines: list[str], start: int | None):
        self.lines, self.start = lines, start

    def __call__(self, key: str | None = None) -> int | None:
        if self.start is None or key is None:
            return self.start
        for n in range(self.start + 1, len(self.lines) + 1):
            if self.lines[n - 1].strip() == "[[instrument]]":
                break
            if re.match(rf"\s*{re.escape(key)}\s*=", self.lines[n - 1]):
                return n
        return self.start


def _instrument(raw: dict, corpus_dir: Path, path: Path, index: int, where: _Locator) -> InstrumentMeta:
    if not isinstance(raw, dict):
        raise CorpusError(str(path), where(), f"instrument #{index} is not a table", "write it as [[instrument]]")
    required = ("id", "title_en", "title_vi", "number", "issuer", "signed", "in_force", "verification")
    missing = [k for k in required if k not in raw]
    if missing:
        raise CorpusError(str(path), where(), f"instrument #{index} lacks {', '.join(missing)}",
                          "add the missing keys to that [[instrument]] table")
    for key in ("signed", "in_force"):
        try:
            _date(raw[key])
        except (TypeError, ValueError) as e:
            raise CorpusError(str(path), where(key), f"{key} of instrument {raw['id']!r} is not a date ({e})",
                              "write dates as \"YYYY-MM-DD\"") from None
    try:
        early = {k: _date(v) for k, v in raw.get("early_articles", {}).items()}
    except (TypeError, ValueError, AttributeError) as e:
        raise CorpusError(str(path), where("early_articles"), f"early_articles of instrument {raw['id']!r} are not "
                          f"dates ({e})", "write them as article = \"YYYY-MM-DD\"") from None
    signed, in_force = _date(raw["signed"]), _date(raw["in_force"])
    aliases = raw.get("aliases", [])
    if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
        raise CorpusError(str(path), where("aliases"), f"aliases of instrument {raw['id']!r} are not a list of names",
                          "write them as aliases = [\"Luật SHTT\", \"IP Law\"]")
    if raw.get("kind", "") not in ("", "law", "decree"):
        raise CorpusError(str(path), where("kind"), f"kind of instrument {raw['id']!r} is {raw['kind']!r}",
                          "write kind = \"law\" or kind = \"decree\"")
    files = []
    for f in raw.get("files", []):
        if not isinstance(f, dict) or not f.get("path") or not f.get("sha256"):
            raise CorpusError(str(path), where(), f"a file of instrument {raw['id']!r} lacks path or sha256",
                              "give every [[instrument.files]] table a path and the file's sha256")
        files.append(SourceFile(path=corpus_dir / f["path"], consolidation=f.get("consolidation", ""),
                                official_source=f.get("official_source", ""),
                                transcribed_from=f.get("transcribed_from", ""), retrieved=f.get("retrieved", ""),
                                sha256=f["sha256"], consolidation_date=f.get("consolidation_date", "")))
    return InstrumentMeta(
        id=raw["id"], title_en=raw["title_en"], title_vi=raw["title_vi"], number=raw["number"],
        issuer=raw["issuer"], signed=signed, in_force=in_force,
        verification=raw["verification"], label_en=raw.get("label_en", raw["title_en"]),
        label_vi=raw.get("label_vi", raw["title_vi"]), amends=raw.get("amends"), files=tuple(files),
        early_articles=early, repealed=tuple(raw.get("repealed", [])), kind=raw.get("kind", ""),
        short_en=raw.get("short_en", raw.get("label_en", raw["title_en"])),
        short_vi=raw.get("short_vi", raw.get("label_vi", raw["title_vi"])), aliases=tuple(aliases),
        default=raw.get("default", False) is True,
    )


@functools.cache
def instruments() -> dict[str, InstrumentMeta]:
    """The instruments of the repository's manifest, read once per process: the corpus facts (names, aliases,
    which instrument a decree amends) that reference parsing and answers use. A bad entry is left out here; the
    refresh reports it with its line."""
    return load_manifest(CORPUS_DIR, errors=[])


def instrument_kind(instrument_id: str) -> str:
    """"law" or "decree" (manifest `kind`); "" for an id the manifest does not know."""
    meta = instruments().get(instrument_id)
    return meta.kind if meta else ""


def amended_instrument(instrument_id: str) -> str | None:
    """The instrument this one amends (Decree 134/2026 -> Decree 17/2023), from the manifest's `amends`."""
    meta = instruments().get(instrument_id)
    return meta.amends if meta else None


def holdings(lang: str) -> str:
    """What the corpus holds, in words for an answer: "the Law on IP, Decree 17/2023 as amended, …" (an amending
    instrument with a text of its own is folded into the one it amends)."""
    metas = instruments()
    amended = {m.amends for m in metas.values() if m.files and m.amends}
    names = [(m.short_en + " as amended" if lang == "en" else m.short_vi + " đã sửa đổi") if m.id in amended
             else (m.short_en if lang == "en" else m.short_vi)
             for m in metas.values() if m.files and not m.amends]
    return ", ".join(names[:-1]) + (" and " if lang == "en" else " và ") + names[-1] if len(names) > 1 else \
        "".join(names)


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


def source_text(f: SourceFile) -> str:
    """A statute file's text, refused (CorpusError) when it cannot be read as UTF-8 or differs from its recorded
    hash: the manifest's provenance would then describe a text that is not the one indexed."""
    text = read_text(f.path)
    actual = sha256_of(f.path)
    if actual != f.sha256:
        raise CorpusError(str(f.path), None, f"the file's sha256 is {actual}, the manifest records {f.sha256}",
                          "if the change is intended, record the new sha256 (and where the text came from) in "
                          "manifest.toml; otherwise restore the file")
    return text
