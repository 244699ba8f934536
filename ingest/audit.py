"""The corpus audit: every provision version's validity interval traced to the source line that states it.

`versions.py` decides the dates and records what dates each version (`started_by`, `ended_by`); this module checks
those claims against the texts themselves, independently: a date is traced when a line of the cited source states
that very date — the 2025 consolidation's footnote for a footnote-dated wording, the amending article of Decree 134
together with Decree 134's effect article, the Law on AI's repealing article with its effect article, the 2026
consolidation's line on Law 131/2025, or the instrument's own effect article (an early-effect clause for articles
that started earlier). What cannot be traced is listed, so a reviewer sees exactly which intervals rest on nothing.
`python -m ingest.audit` prints the trace.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ingest.corpus import CORPUS_DIR, InstrumentMeta
from ingest.footnotes import footnote_lines
from ingest.records import Provision


@dataclass(frozen=True)
class Trace:
    version_id: str
    start: str          # "file:line" stating valid_from ("" when untraced)
    end: str            # "file:line" stating valid_to + 1 day; "open" while open; "" when untraced
    why: str = ""       # what is missing, for an untraced interval

    @property
    def traced(self) -> bool:
        return bool(self.start) and bool(self.end)


def _vi_date(day: date) -> re.Pattern:
    """"ngày 01 tháng 7 năm 2006" / "ngày 1 tháng 07 năm 2006", possibly broken over a line (PDF extraction)."""
    return re.compile(rf"ngày\s+0?{day.day}\s+tháng\s+0?{day.month}\s+năm\s+{day.year}\b")


class _Sources:
    """The corpus files as lines, with the few look-ups the audit needs."""

    def __init__(self, metas: dict[str, InstrumentMeta]):
        self.metas = metas
        self.lines: dict[str, list[str]] = {}
        for meta in metas.values():
            for f in meta.files:
                self.lines[f.path.name] = f.path.read_text(encoding="utf-8").splitlines()
        ip = metas.get("ip-law")
        self.footnotes = footnote_lines("\n".join(self.lines[ip.files[0].path.name])) if ip and ip.files else {}
        self.footnote_file = ip.files[0].path.name if ip and ip.files else ""

    def file_of(self, instrument: str, index: int = 0) -> str:
        meta = self.metas.get(instrument)
        return meta.files[index].path.name if meta and len(meta.files) > index else ""

    def effect_line(self, file: str, day: date, *, mentions: str = "") -> str:
        """The first line (joined with the next, for PDF line breaks) that says "hiệu lực" and states `day`."""
        lines = self.lines.get(file, [])
        pattern = _vi_date(day)
        for joined in (False, True):         # the line itself first; joined with the next only for broken lines
            for i, line in enumerate(lines):
                window = line + " " + (lines[i + 1] if joined and i + 1 < len(lines) else "")
                if "hiệu lực" in window and pattern.search(window) and (not mentions or re.search(mentions, window)):
                    return f"{file}:{i + 1}"
        return ""

    def footnote_line(self, number: str, day: date) -> str:
        """The footnote line stating `day`, provided `day` is the latest date the note states: the consolidated
        wording is the one the last amendment gave (a note records "lần thứ nhất … 2010" then "lần thứ hai … 2023")."""
        body = self.footnotes.get(number, [])
        stated = [date(int(y), int(m), int(d)) for _, text in body
                  for d, m, y in re.findall(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", text)]
        if not stated or max(stated) != day:
            return ""
        pattern = _vi_date(day)
        return next((f"{self.footnote_file}:{n}" for n, text in body if pattern.search(text)), "")

    def article_line(self, file: str, article: str, clause: str | None = None) -> str:
        """The heading of `Điều article` in `file` (and, if asked, the line opening its clause)."""
        lines = self.lines.get(file, [])
        head = re.compile(rf"^(?:#+\s*)?Điều\s+{re.escape(article)}\s*\.")
        for i, line in enumerate(lines):
            if head.match(line.strip()):
                if clause is None:
                    return f"{file}:{i + 1}"
                for j in range(i + 1, len(lines)):
                    if re.match(r"^(?:#+\s*)?Điều\s+\d+", lines[j].strip()):
                        break
                    if lines[j].strip().startswith(f"{clause}. "):
                        return f"{file}:{j + 1}"
        return ""


def _source_line(src: _Sources, by: str, day: date, provision: Provision) -> tuple[str, str]:
    """(the line(s) stating that `by` made a change on `day`, or "", and why not)."""
    if by.startswith("footnote:"):
        number = by.split(":", 1)[1]
        line = src.footnote_line(number, day)
        return line, "" if line else f"footnote [{number}] does not state {day.isoformat()} as its last amendment"
    if by == "law-131-2025":       # known only through the 2026 consolidation, whose preamble dates it
        line = src.effect_line(src.file_of("ip-law", 1), day, mentions=r"131/2025/QH15")
        return line, "" if line else "the 2026 consolidation does not date Law 131/2025"
    instrument, _, path = by.partition(":")
    file = src.file_of(instrument)
    if not file or not path:
        return "", f"no text for {by or 'the change'}"
    article, *rest = path.split(".")
    where = src.article_line(file, article, rest[0] if rest else None)
    effect = src.effect_line(file, day)
    if where and effect:
        return f"{where} + {effect}", ""
    return "", f"{by}: " + ("article not found" if not where else f"no effect line for {day.isoformat()}")


def _own_start(src: _Sources, p: Provision) -> tuple[str, str]:
    """A wording in force since the instrument (or, for early-effect articles, that article) took effect."""
    meta = src.metas[p.instrument]
    early = meta.early_articles.get(p.article)
    file = src.file_of(p.instrument)
    if early is not None and early == p.valid_from:
        line = src.effect_line(file, p.valid_from, mentions=rf"\b{re.escape(p.article)}\b")
    elif p.valid_from == meta.in_force:
        line = src.effect_line(file, p.valid_from)
    else:
        return "", f"{p.valid_from.isoformat()} is neither the instrument's entry into force nor a recorded change"
    return line, "" if line else f"no effect line in {file} states {p.valid_from.isoformat()}"


def audit(provisions: list[Provision], metas: dict[str, InstrumentMeta]) -> list[Trace]:
    """One trace per statute provision version."""
    src = _Sources(metas)
    out = []
    for p in provisions:
        if p.kind != "statute":
            continue
        start, why_start = (_source_line(src, p.started_by, p.valid_from, p) if p.started_by
                            else _own_start(src, p))
        if p.valid_to is None:
            end, why_end = "open", ""
        elif p.ended_by:
            end, why_end = _source_line(src, p.ended_by, p.valid_to + timedelta(days=1), p)
        else:
            end, why_end = "", "ends with no recorded source"
        out.append(Trace(p.version_id, start, end, "; ".join(w for w in (why_start, why_end) if w)))
    return out


def untraced(traces: list[Trace]) -> list[Trace]:
    return [t for t in traces if not t.traced]


def main() -> None:
    from ingest.versions import build_corpus

    corpus = build_corpus(CORPUS_DIR)
    traces = audit(corpus.provisions, corpus.metas)
    missing = untraced(traces)
    for t in traces:
        print(f"{t.version_id}\tfrom {t.start or '?'}\tto {t.end or '?'}" + (f"\t{t.why}" if t.why else ""))
    print(f"{len(traces)} provision versions, {len(traces) - len(missing)} traced, {len(missing)} untraced")


if __name__ == "__main__":
    main()
