"""Provision versions in time: every unit of every instrument gets the period in which its wording was in force.

One mechanism serves every source of change: build the instrument as it stood before and after a change date (two
consolidations of the IP law; Decree 17 before and after Decree 134 is applied; the digital technology law before
and after the AI law's repeals), flatten both into units, and compare unit by unit on their `comparable` form.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from ingest import commentary, glossary, rules, translations
from ingest.corpus import CORPUS_DIR, InstrumentMeta, load_manifest, source_text
from ingest.errors import CorpusError
from ingest.provisions import Unit, comparable, labels, units_of
from ingest.records import AMENDED_TEXT_MISSING, IN_FORCE, REPEALED, Instrument, Provision
from ingest.statute import parse_instrument

IP_LAW_2026 = date(2026, 4, 1)
DECREE_134 = date(2026, 4, 9)
AI_LAW = date(2026, 3, 1)


@dataclass
class Corpus:
    """Everything ingest knows after parsing: the provisions, and what a reviewer should see."""
    provisions: list[Provision]
    metas: dict[str, InstrumentMeta]
    changed: list[tuple[str, str]] = field(default_factory=list)     # (instrument change, provision id, kind)
    not_applied: list = field(default_factory=list)                  # amendment operations not applied
    translations: dict[str, dict] = field(default_factory=dict)      # version_id -> unofficial English
    errors: list = field(default_factory=list)                       # CorpusErrors of files that were skipped
    skipped: set[str] = field(default_factory=set)                   # instruments not built because of an error
    notes: list[Provision] = field(default_factory=list)              # commentary (kind "commentary"), not law
    glossary: dict[str, str] = field(default_factory=dict)           # Vietnamese term -> fixed English term
    rules: dict[str, dict] = field(default_factory=dict)             # assessment rules by id, checked (ingest.rules)

    def by_id(self) -> dict[str, list[Provision]]:
        out: dict[str, list[Provision]] = {}
        for p in self.provisions:
            out.setdefault(p.id, []).append(p)
        return out


def build_corpus(corpus_dir: Path = CORPUS_DIR) -> Corpus:
    """Parse and date everything. A bad file (encoding, hash, duplicate provision, malformed record) becomes a
    CorpusError in `Corpus.errors`; its instrument, and what depends on it, is left out and the rest is built."""
    errors: list[CorpusError] = []
    metas = load_manifest(corpus_dir, errors)
    corpus = Corpus([], metas, errors=errors)
    for instruments, step in _STEPS:
        _step(corpus, instruments, step)
    found, translation_errors = translations.load(corpus_dir / "translations", corpus.by_id(), corpus.skipped)
    corpus.translations = translations.resolve(corpus.provisions, translations.by_version(found))
    notes, note_errors = commentary.load(corpus_dir / "commentary", corpus.by_id(), corpus.skipped)
    corpus.notes = notes
    corpus.glossary, glossary_errors = glossary.load(corpus_dir / "translations" / "glossary.tsv")
    corpus.rules, rule_errors = rules.load_all(corpus_dir, corpus.by_id(), corpus.skipped)
    corpus.errors += translation_errors + note_errors + glossary_errors + rule_errors
    return corpus


def _step(corpus: Corpus, instruments: tuple[str, ...], step) -> None:
    """Runs one build step; on a CorpusError nothing of the step is kept and its instruments are skipped."""
    missing = [i for i in instruments if i not in corpus.metas]
    if missing or corpus.skipped & set(instruments[1:]):
        corpus.skipped.update(instruments[:1])
        return
    kept = len(corpus.provisions), len(corpus.changed), list(corpus.not_applied)
    try:
        step(corpus)
    except CorpusError as e:
        corpus.provisions, corpus.changed = corpus.provisions[:kept[0]], corpus.changed[:kept[1]]
        corpus.not_applied = kept[2]
        corpus.skipped.update(instruments[:1])
        if str(e) not in {str(x) for x in corpus.errors}:
            corpus.errors.append(e)


def _read(meta: InstrumentMeta, index: int = 0) -> str:
    if index >= len(meta.files):
        raise CorpusError("manifest.toml", None, f"instrument {meta.id!r} has no file #{index + 1}",
                          "list its text files under [[instrument.files]]")
    return source_text(meta.files[index])


def _parse(meta: InstrumentMeta, index: int = 0) -> Instrument:
    return parse_instrument(_read(meta, index), meta.id, str(meta.files[index].path))


def _provision(meta: InstrumentMeta, unit: Unit, valid_from: date, valid_to: date | None, *,
               amended_by: str | None = None, status: str = IN_FORCE, note: str = "", source: str = "") -> Provision:
    en, vi = labels(meta.label_en, meta.label_vi, unit.article, unit.clause, unit.point)
    if unit.repealed and status == IN_FORCE:
        status = REPEALED
    return Provision(
        id=unit.id, instrument=meta.id, article=unit.article, clause=unit.clause, point=unit.point,
        label=en, label_vi=vi, article_title=unit.article_title, chapter_path=unit.chapter_path, text=unit.text,
        valid_from=valid_from, valid_to=valid_to, amended_by=amended_by, status=status,
        verified=False, source=source or (meta.files[0].path.name if meta.files else ""), note=note,
    )


def _compare(old: list[Unit], new: list[Unit]) -> list[tuple[str, Unit | None, Unit | None]]:
    """(kind, old, new) by id, in the new text's order with removed units after; kind is "unchanged" when the
    wording is the same after folding punctuation and tone-mark placement, else "amended", "added" or "removed"."""
    old_by_id = {u.id: u for u in old}
    new_ids = {u.id for u in new}
    out = []
    for u in new:
        o = old_by_id.get(u.id)
        if o is None:
            out.append(("added", None, u))
        else:
            out.append(("unchanged" if comparable(o.text) == comparable(u.text) else "amended", o, u))
    return out + [("removed", u, None) for u in old if u.id not in new_ids]


def _versions(corpus: Corpus, meta: InstrumentMeta, old: list[Unit], new: list[Unit], change: date,
              amended_by: str, old_from, *, old_note: str = "", new_note: str = "", old_source: str = "",
              new_source: str = "") -> None:
    """Appends versions for a change on `change`; `old_from(unit)` is when the old wording began."""
    day_before = change - timedelta(days=1)
    for kind, o, n in _compare(old, new):
        if o is not None:
            start, by = old_from(o)
            end = None if kind == "unchanged" else day_before
            corpus.provisions.append(_provision(meta, o, start, end, amended_by=by, note=old_note, source=old_source))
        if kind in ("added", "amended"):
            corpus.provisions.append(_provision(meta, n, change, None, amended_by=amended_by, note=new_note,
                                                source=new_source))
        if kind != "unchanged":
            corpus.changed.append((meta.id, (n or o).id, kind))


def _units(tree: Instrument) -> list[Unit]:
    return [u for a in tree.articles for u in units_of(tree.id, a)]


# --- IP law: two consolidations ------------------------------------------------------------------------------

_LAW_NUMBER = re.compile(r"\b(\d{1,3}/\d{4}/QH\d{2})\b")


def _footnote_laws(tree: Instrument, metas: dict[str, InstrumentMeta]) -> dict[str, InstrumentMeta]:
    """Footnote number -> the amending law it names (the first law number in the note that the manifest knows)."""
    by_number = {m.number: m for m in metas.values()}
    out = {}
    for num, text in tree.footnotes.items():
        for match in _LAW_NUMBER.finditer(text):
            if match.group(1) in by_number and by_number[match.group(1)].id != "ip-law":
                out[num] = by_number[match.group(1)]
                break
    return out


def _ip_law(corpus: Corpus) -> None:
    meta = corpus.metas["ip-law"]
    old_tree, new_tree = _parse(meta, 0), _parse(meta, 1)
    laws = _footnote_laws(old_tree, corpus.metas)

    def old_from(unit: Unit) -> tuple[date, str | None]:
        amending = [laws[f] for f in unit.footnotes if f in laws]
        if not amending:
            return meta.in_force, None
        latest = max(amending, key=lambda m: m.in_force)
        return latest.in_force, latest.id

    _versions(corpus, meta, _units(old_tree), _units(new_tree), IP_LAW_2026, "law-131-2025", old_from,
              old_note="text as consolidated in 155/VBHN-VPQH (2025)",
              new_note="text as consolidated in 67/VBHN-VPQH (2026)",
              old_source=meta.files[0].path.name, new_source=meta.files[1].path.name)


# --- Decree 17 as amended by Decree 134 -----------------------------------------------------------------------

def _decree_17(corpus: Corpus) -> None:
    from ingest.amendments import apply_amendments

    meta, amending = corpus.metas["decree-17-2023"], corpus.metas["decree-134-2026"]
    base = _parse(meta)
    _parse(amending)     # a Decree 134 that does not parse cleanly must not amend Decree 17 either
    amended, operations = apply_amendments(base, _read(amending))
    corpus.not_applied = [op for op in operations if not op.applied]
    start = len(corpus.provisions)
    _versions(corpus, meta, _units(base), _units(amended), DECREE_134, amending.id,
              lambda u: (meta.in_force, None), old_note="original text of 2023-04-26",
              new_note="as amended by Decree 134/2026/ND-CP, applied by this project (no official consolidation)",
              new_source=amending.files[0].path.name)
    _flag_missing(corpus, start, {op.target for op in corpus.not_applied})


def _decree_134(corpus: Corpus) -> None:
    # Decree 134 is indexed only for its own effect and transition articles; what it inserts lives in Decree 17.
    own = _parse(corpus.metas["decree-134-2026"])
    own.articles = [a for a in own.articles if _article_int(a.number) >= 36]
    _single(corpus, "decree-134-2026", own)


def _flag_missing(corpus: Corpus, start: int, targets: set[str]) -> None:
    """A provision whose amendment we could not apply is not served as current: from the amendment date its version
    says 'amended, new text not in corpus'."""
    day_before = DECREE_134 - timedelta(days=1)
    affected = lambda pid: any(pid == t or pid.startswith(t + ".") or t.startswith(pid + ".") for t in targets)
    out = corpus.provisions[:start]
    for p in corpus.provisions[start:]:
        if affected(p.id) and p.in_force_on(DECREE_134) and p.status == IN_FORCE and p.valid_from < DECREE_134:
            out.append(replace(p, valid_to=day_before))
            out.append(replace(p, valid_from=DECREE_134, status=AMENDED_TEXT_MISSING, amended_by="decree-134-2026",
                               note="amended by Decree 134/2026/ND-CP on 2026-04-09; new text not in corpus"))
        else:
            out.append(p)
    corpus.provisions = out


def _article_int(number: str) -> int:
    return int(re.match(r"\d+", number).group())


# --- Instruments with one text ---------------------------------------------------------------------------------

def _single(corpus: Corpus, instrument_id: str, tree: Instrument) -> None:
    meta = corpus.metas[instrument_id]
    for unit in _units(tree):
        start = meta.early_articles.get(unit.article, meta.in_force)
        corpus.provisions.append(_provision(meta, unit, start, None))


def _digital_tech_law(corpus: Corpus) -> None:
    meta = corpus.metas["digital-tech-law"]
    tree = _parse(meta)
    after = _without(tree, [r["target"] for r in meta.repealed])
    _versions(corpus, meta, _units(tree), _units(after), AI_LAW, "ai-law",
              lambda u: (meta.early_articles.get(u.article, meta.in_force), None),
              new_note="as amended by the Law on AI, Art. 33 (repeals)")


def _without(tree: Instrument, targets: list[str]) -> Instrument:
    """A copy of `tree` without the repealed targets ("3.9", "34.2.đ", "chapter:Chương IV")."""
    out = copy.deepcopy(tree)
    for target in targets:
        if target.startswith("chapter:"):
            name = target.split(":", 1)[1]
            out.articles = [a for a in out.articles if not any(h.startswith(name + ".") or h == name
                                                                or h.startswith(name + " ") for h in a.chapter_path)]
            continue
        art, *rest = target.split(".")
        article = out.article(art)
        if article is None:
            continue
        if len(rest) == 1:
            article.clauses = [c for c in article.clauses if c.number != rest[0]]
        elif len(rest) == 2:
            for c in article.clauses:
                if c.number == rest[0]:
                    c.points = [p for p in c.points if p.label != rest[1]]
    return out


def _ai_law(corpus: Corpus) -> None:
    _single(corpus, "ai-law", _parse(corpus.metas["ai-law"]))


def _decree_142(corpus: Corpus) -> None:
    _single(corpus, "decree-142-2026", _parse(corpus.metas["decree-142-2026"]))


# (instrument built, instruments it reads) -> step. Decree 17 without Decree 134 applied would be served as current
# law when it is not, so a bad Decree 134 file leaves Decree 17 out too.
_STEPS = [
    (("ip-law",), _ip_law),
    (("decree-17-2023", "decree-134-2026"), _decree_17),
    (("decree-134-2026",), _decree_134),
    (("ai-law",), _ai_law),
    (("digital-tech-law",), _digital_tech_law),
    (("decree-142-2026",), _decree_142),
]


def changes_report(corpus: Corpus) -> str:
    """The reviewable list of provisions whose wording changed between versions (corpus/changes.md)."""
    lines = ["# Changed provisions", "",
             "Generated by `python -m ingest.versions` from the corpus texts; do not edit by hand. A change is a",
             "difference in wording after folding punctuation, spacing and tone-mark placement (uỷ/ủy).", ""]
    groups: dict[str, list[str]] = {}
    for instrument, pid, kind in corpus.changed:
        groups.setdefault(instrument, []).append(f"- `{pid}` {kind}")
    heading = {"ip-law": "Law on IP: 155/VBHN-VPQH (2025) → 67/VBHN-VPQH (2026), Law 131/2025, from 2026-04-01",
               "decree-17-2023": "Decree 17/2023 → as amended by Decree 134/2026, from 2026-04-09",
               "digital-tech-law": "Law on Digital Technology Industry: repeals by the Law on AI Art. 33, from 2026-03-01"}
    for instrument, rows in groups.items():
        lines += [f"## {heading.get(instrument, instrument)} ({len(rows)} provisions)", "", *rows, ""]
    if corpus.not_applied:
        lines += ["## Decree 134 operations not applied (flagged 'amended, new text not in corpus')", ""]
        lines += [f"- {op.source} {op.action} `{op.target}`: {op.reason}" for op in corpus.not_applied]
    return "\n".join(lines) + "\n"


def main() -> None:
    corpus = build_corpus()
    (CORPUS_DIR / "changes.md").write_text(changes_report(corpus), encoding="utf-8")
    print(f"{len(corpus.provisions)} provision versions; {len(corpus.changed)} changes written to corpus/changes.md")


if __name__ == "__main__":
    main()
