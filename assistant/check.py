"""`vnip check FILE`: the sources of a dataset, one per row of a CSV or JSON Lines file, each assessed under the law
in force on its date of use — verdict, conditions, citations — and a summary by verdict.

    rows, errors = read_sources(path_or_bytes, name)     # bad rows become RowErrors (file, line, what, how to fix)
    reports = check_rows(rows, index.rules, index)       # one SourceReport per good row; .to_json()
    to_markdown(reports, errors, name) / to_json(reports, errors, name)

Columns (header row in a CSV, keys in JSON Lines): name (required), material, purpose, published, access,
reservation, date_of_use (YYYY-MM-DD, default today), url, later_commercial. An empty value means "not known": the
assessment then says what it depends on. Values are the fact values of the assessment (README "Assessment")."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from assistant.assessment_text import STATUS_MARK, fact_value, verdict_label
from assistant.question import neutralise
from assistant.verdict import card_ids, within
from ingest.rules import FACTS

FACT_VALUES = FACTS          # the fact names and values of the rules (ingest/rules.py)
COLUMNS = ("name", *FACT_VALUES, "date_of_use", "url")
VERDICT_ORDER = ("prohibited", "needs_permission", "unsettled", "allowed_if", "allowed", None)
TRUE, FALSE = {"true", "yes", "y", "1", "có", "co"}, {"false", "no", "n", "0", "không", "khong"}
UNKNOWN = {"", "unknown", "null", "none", "?"}        # as assistant.assess.facts_from_strings reads them
MAX_BYTES = 20_000_000


class SourcesError(ValueError):
    """The file as a whole cannot be read (not UTF-8, no header, unknown format); the message says how to fix it."""


@dataclass(frozen=True)
class RowError:
    file: str
    line: int
    message: str             # what is wrong and how to fix it

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"

    def to_json(self) -> dict:
        return {"file": self.file, "line": self.line, "error": self.message}


@dataclass(frozen=True)
class Source:
    name: str
    line: int                # where the row starts in its file
    date_of_use: date
    facts: dict              # fact name -> value or None (not known)
    url: str | None = None


@dataclass
class SourceReport:
    source: Source
    assessment: dict                  # Assessment.to_json() under the law in force on date_of_use
    citations: list[dict] = field(default_factory=list)   # the cards: ids in force on date_of_use, with text

    @property
    def verdict(self) -> str | None:
        return self.assessment.get("verdict")

    def to_json(self) -> dict:
        s = self.source
        return {"name": s.name, "line": s.line, "url": s.url, "date_of_use": s.date_of_use.isoformat(),
                "verdict": self.verdict, "assessment": self.assessment, "citations": self.citations}


# --- reading -----------------------------------------------------------------------------------------------------

def read_sources(data: str | Path | bytes, name: str | None = None,
                 today: date | None = None) -> tuple[list[Source], list[RowError]]:
    """The rows of a CSV or JSON Lines file (told apart by the name's extension: .csv, .jsonl/.ndjson/.json; else
    by the first character). `data`: a path, or the file's bytes with `name` (an upload). Raises SourcesError when
    nothing can be read; otherwise every bad row is a RowError and the good rows are returned."""
    if isinstance(data, (str, Path)):
        path = Path(data)
        name = name or str(path)
        try:
            if path.stat().st_size > MAX_BYTES:
                raise SourcesError(f"{name}: larger than {MAX_BYTES // 1_000_000} MB; split it into several files")
            data = path.read_bytes()
        except OSError as e:
            raise SourcesError(f"{name}: cannot be read ({e.strerror or e})") from None
    name = name or "sources"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[:e.start].count(b"\n") + 1
        raise SourcesError(f"{name}:{line}: not UTF-8 text (byte {e.start}); save the file as UTF-8 "
                           "(in a spreadsheet: CSV UTF-8)") from None
    if not text.strip():
        raise SourcesError(f"{name}: empty; give a header row (name,material,purpose,…) and one row per source")
    today = today or date.today()
    suffix = Path(name).suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json") or (suffix != ".csv" and text.lstrip().startswith("{")):
        return _read_jsonl(text, name, today)
    return _read_csv(text, name, today)


def _read_csv(text: str, name: str, today: date) -> tuple[list[Source], list[RowError]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header, rows, errors = None, [], []
    start = 1
    for cells in reader:
        line, start = start, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip().lower() for c in cells]
            unknown = [c for c in header if c not in COLUMNS]
            if unknown or "name" not in header:
                raise SourcesError(_header_problem(name, line, unknown, header))
            continue
        if len(cells) > len(header):
            errors.append(RowError(name, line, f"{len(cells)} cells but the header has {len(header)} columns; "
                                               "quote values that contain commas"))
            continue
        _add(dict(zip(header, cells)), name, line, today, rows, errors)
    if header is None:
        raise SourcesError(f"{name}: no header row; the first line names the columns: {', '.join(COLUMNS)}")
    return rows, errors


def _header_problem(name: str, line: int, unknown: list[str], header: list[str]) -> str:
    what = (f"unknown column(s) {', '.join(repr(c) for c in unknown)}" if unknown else "no 'name' column")
    return f"{name}:{line}: {what}; the columns are {', '.join(COLUMNS)} (name required, the rest optional)"


def _read_jsonl(text: str, name: str, today: date) -> tuple[list[Source], list[RowError]]:
    rows, errors = [], []
    for line, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            item = json.loads(raw)
        except json.JSONDecodeError as e:
            errors.append(RowError(name, line, f"not valid JSON ({e.msg} at column {e.colno}); write one object "
                                               "per line, e.g. {\"name\": \"…\", \"material\": \"literary\"}"))
            continue
        if not isinstance(item, dict):
            errors.append(RowError(name, line, "not a JSON object; write one {\"name\": …} object per line"))
            continue
        unknown = [k for k in item if k not in COLUMNS]
        if unknown:
            errors.append(RowError(name, line, f"unknown key(s) {', '.join(repr(k) for k in unknown)}; the keys "
                                               f"are {', '.join(COLUMNS)}"))
            continue
        _add(item, name, line, today, rows, errors)
    return rows, errors


def _add(cells: dict, name: str, line: int, today: date, rows: list, errors: list) -> None:
    problems = []
    source_name = _text(cells.get("name"))
    if not source_name:
        problems.append("no name; give each source a name (e.g. the site or corpus)")
    facts = {}
    for fact, allowed in FACT_VALUES.items():
        value, problem = _fact(fact, cells.get(fact), allowed)
        facts[fact] = value
        if problem:
            problems.append(problem)
    day, problem = _day(cells.get("date_of_use"), today)
    if problem:
        problems.append(problem)
    if problems:
        errors.append(RowError(name, line, "; ".join(problems)))
        return
    rows.append(Source(source_name, line, day, facts, _text(cells.get("url")) or None))


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _fact(fact: str, raw, allowed: tuple) -> tuple[object, str | None]:
    if raw is None or _text(raw).lower() in UNKNOWN:
        return None, None
    if allowed == (True, False):
        if isinstance(raw, bool):
            return raw, None
        word = _text(raw).lower()
        if word in TRUE or word in FALSE:
            return word in TRUE, None
        return None, f"{fact} {_text(raw)!r} is not true or false; write true, false, or leave it empty if not known"
    word = _text(raw).lower().replace("-", "_").replace(" ", "_")
    if word in allowed:
        return word, None
    return None, (f"{fact} {_text(raw)!r} is not one of {', '.join(allowed)}; use one of them, or leave it empty "
                  "if not known")


def _day(raw, today: date) -> tuple[date, str | None]:
    text = _text(raw)
    if not text:
        return today, None
    try:
        return date.fromisoformat(text), None
    except ValueError:
        return today, f"date_of_use {text!r} is not a date; write YYYY-MM-DD, e.g. 2026-04-09"


REPORT_TEXT = ({
    "title": "Dataset check", "summary": "Summary by verdict", "errors": "Rows not checked", "sources": "Sources",
    "intro": "{n} source(s) checked, {e} row(s) with errors. Each source is assessed under the law in force on its "
             "date of use. Information, not legal advice.",
    "table": "| line | source | date of use | verdict |", "line": "line", "as_of": "as of", "facts": "Facts",
    "cited": "Provisions cited (verbatim, in the version in force on the date of use)", "duty": "Duty",
    "open": "Open question", "english": "Unofficial English (vnip project)",
}, {
    "title": "Kiểm tra bộ dữ liệu", "summary": "Tổng hợp theo kết luận", "errors": "Dòng không kiểm tra được",
    "sources": "Nguồn dữ liệu",
    "intro": "Đã kiểm tra {n} nguồn, {e} dòng có lỗi. Mỗi nguồn được đánh giá theo pháp luật có hiệu lực vào ngày "
             "sử dụng. Thông tin tham khảo, không phải tư vấn pháp lý.",
    "table": "| dòng | nguồn | ngày sử dụng | kết luận |", "line": "dòng", "as_of": "tại ngày", "facts": "Dữ kiện",
    "cited": "Quy định được trích dẫn (nguyên văn, phiên bản có hiệu lực vào ngày sử dụng)", "duty": "Nghĩa vụ",
    "open": "Vấn đề còn để ngỏ", "english": "Bản tiếng Anh không chính thức (dự án vnip)",
})


# --- checking ----------------------------------------------------------------------------------------------------

def check_rows(rows: list[Source], rules, index, lang: str = "en") -> list[SourceReport]:
    """One report per source: the assessment of its facts on its date of use, and its cards — every provision the
    assessment names, in the version in force on that date (assistant/verdict.py orders and merges them)."""
    from assistant.assess import assess_facts

    reports = []
    for source in rows:
        assessment = assess_facts(dict(source.facts), source.date_of_use, rules, lang=lang).to_json()
        reports.append(SourceReport(source, assessment, _cards(index, assessment, source.date_of_use)))
    return reports


def _cards(index, assessment: dict, day: date) -> list[dict]:
    out = []
    for pid in card_ids(assessment):
        p = index.version_on(pid, day)
        if p is None:
            continue
        out.append({"id": p.id, "label": p.label, "label_vi": p.label_vi, "valid_from": p.valid_from.isoformat(),
                    "valid_to": p.valid_to.isoformat() if p.valid_to else None, "text": p.text,
                    "translation": index.translation(p), "role": "assessment"})
    return out


def summary(reports: list[SourceReport]) -> dict[str, int]:
    """Sources per verdict, most restrictive first ("none": the corpus does not hold the law of that date)."""
    counts = {v: sum(1 for r in reports if r.verdict == v) for v in VERDICT_ORDER}
    return {("none" if v is None else v): n for v, n in counts.items() if n}


def to_json(reports: list[SourceReport], errors: list[RowError], file: str) -> dict:
    return {"file": file, "checked": len(reports), "errors": [e.to_json() for e in errors],
            "summary": summary(reports), "sources": [r.to_json() for r in reports]}


def to_markdown(reports: list[SourceReport], errors: list[RowError], file: str, lang: str = "en") -> str:
    """The report: summary by verdict, one line per source, then per source its conditions with markers into the
    list of provisions, each quoted verbatim once per version at the end."""
    t = REPORT_TEXT[0 if lang == "en" else 1]
    lines = [f"# {t['title']} — {neutralise(file)}", "", t["intro"].format(n=len(reports), e=len(errors)), "",
             f"## {t['summary']}", ""]
    lines += [f"- {verdict_label(v if v != 'none' else None, lang, short=True)}: {n}"
              for v, n in summary(reports).items()] + [""]
    if errors:
        lines += [f"## {t['errors']}", ""] + [f"- {neutralise(str(e))}" for e in errors] + [""]
    refs: dict[tuple[str, str], int] = {}       # (id, valid_from) -> number in the list of provisions
    cited: list[dict] = []
    body = []
    for r in reports:
        for c in r.citations:
            if (c["id"], c["valid_from"]) not in refs:
                refs[(c["id"], c["valid_from"])] = len(refs) + 1
                cited.append(c)
        numbers = {c["id"]: refs[(c["id"], c["valid_from"])] for c in r.citations}
        body += _source_lines(r, numbers, lang)
    lines += [f"## {t['sources']}", "", t["table"], "|---|---|---|---|"]
    lines += [f"| {r.source.line} | {_cell(r.source.name)} | {r.source.date_of_use.isoformat()} | "
              f"{verdict_label(r.verdict, lang, short=True)} |" for r in reports]
    lines += [""] + body
    if cited:
        lines += [f"## {t['cited']}", ""]
        for n, c in enumerate(cited, 1):
            lines += [f"[{n}] **{neutralise(c['label'])}** · {neutralise(c['label_vi'])} · `{c['id']}` · in force "
                      f"{c['valid_from']} – {c['valid_to'] or 'open'}", ""]
            lines += ["> " + neutralise(t) for t in c["text"].split("\n")] + [""]
            if c.get("translation"):
                lines += [f"*{t['english']}:*", ""]
                lines += ["> " + neutralise(t) for t in c["translation"].split("\n")] + [""]
    return "\n".join(lines).rstrip() + "\n"


def _source_lines(r: SourceReport, numbers: dict[str, int], lang: str) -> list[str]:
    a, s = r.assessment, r.source

    def marks(pids) -> str:
        found = sorted({numbers[c["id"]] for p in pids for c in r.citations if within(p, c["id"])})
        return "".join(f"[{n}]" for n in found)

    t = REPORT_TEXT[0 if lang == "en" else 1]
    head = f"### {neutralise(s.name)} ({t['line']} {s.line})"
    lines = [head, "", f"**{verdict_label(r.verdict, lang)}** ({t['as_of']} {s.date_of_use.isoformat()}) — "
                       f"{neutralise(a.get('summary') or '')} {marks(a.get('cites') or [])}".rstrip(), ""]
    if s.url:
        lines += [f"URL: `{s.url.replace('`', '')}`", ""]
    facts = "; ".join(f"{k}: {fact_value(v, lang)}" for k, v in s.facts.items())
    lines += [f"*{t['facts']}: {neutralise(facts)}.*", ""]
    for item in a.get("conditions") or []:
        lines.append(f"- {STATUS_MARK.get(item['status'], '?')} {neutralise(item['text'])} "
                     f"{marks(item.get('cites') or [])}".rstrip())
    for key, title in (("duties", t["duty"]), ("open_questions", t["open"])):
        for item in a.get(key) or []:
            lines.append(f"- {title}: {neutralise(item['text'])} {marks(item.get('cites') or [])}".rstrip())
    return lines + [""]


def _cell(text: str) -> str:
    return neutralise(text).replace("|", "\\|").replace("\n", " ")


__all__ = ["FACT_VALUES", "COLUMNS", "RowError", "Source", "SourceReport", "SourcesError", "read_sources",
           "check_rows", "summary", "to_json", "to_markdown"]
