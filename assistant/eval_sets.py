"""Evaluation sets written by others, read into our `Item`s so `vnip eval --file PATH` scores them like our own.

Each adapter maps the set's gold references onto our provision ids where the gold lies in our corpus (retrieval is
scored on those), marks items that are outside the corpus as "must refuse", and keeps a reason for every item it cannot
use, so nothing is dropped silently. Which format a file is in is decided by its shape, not its name.

Their labels predate Law 131/2025 and Decree 134/2026, and their "refuse" is broader than ours (false premises and
industrial property are in our corpus and must be answered), so each set's own behaviour label is re-read by the rules
below; the reasons are printed with the counts.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from assistant.evaluate import Item, load_items
from ingest.jsonl import JsonlError, read_jsonl

# The as-of date of an item when its set gives none: the last day on which the text its labels cite was in force.
HORIZON = date(2026, 5, 1)          # every text of the corpus in force (Decree 142/2026 from 2026-05-01)
BEFORE_LAW_131 = date(2026, 3, 31)  # the IP law before Law 131/2025 (consolidations 11/VBHN-VPQH, 155/VBHN-VPQH)

Exists = Callable[[str, date], bool]


@dataclass
class Skipped:
    id: str
    reason: str


@dataclass
class EvalSet:
    name: str
    items: list[Item]
    skipped: list[Skipped] = field(default_factory=list)
    as_of_rule: str = ""

    def counts(self) -> dict[str, int]:
        return {"retrieval": sum(1 for i in self.items if not i.refuse and i.gold),
                "refusal": sum(1 for i in self.items if i.refuse),
                "answer, no gold": sum(1 for i in self.items if not i.refuse and not i.gold),
                "skipped": len(self.skipped)}


class SetFormatError(ValueError):
    pass


def load_set(path: Path, exists: Exists) -> EvalSet:
    """Any supported set: our JSONL, hongtuanphat's JSON (questions, dev_set, heldout), PhuIT2503's benchmark JSON,
    TruongQuangPhat's benchmark folder (or its benchmark_queries.jsonl)."""
    path = Path(path)
    if path.is_dir() or path.name == "benchmark_queries.jsonl":
        folder = path if path.is_dir() else path.parent
        return truongquangphat(folder, exists)
    if path.suffix == ".jsonl":
        return EvalSet(path.stem, load_items(path), as_of_rule="each item's own as_of")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise SetFormatError(f"{path}:{e.lineno}: not valid JSON ({e.msg})") from None
    if isinstance(data, list) and data and isinstance(data[0], dict):
        if "expected_behavior" in data[0]:
            return hongtuanphat(path.stem, data, exists)
        if "expected_articles" in data[0]:
            return phuit(path.stem, data, exists)
    raise SetFormatError(f"{path}: unknown evaluation format; expected our JSONL (id, question, as_of, gold), a JSON "
                         "list with expected_behavior (hongtuanphat) or expected_articles (PhuIT2503), or a folder "
                         "with benchmark_queries.jsonl (TruongQuangPhat)")


def _checked(item_id: str, gold: list[str], as_of: date, exists: Exists) -> str | None:
    """The reason the gold cannot be used, or None: every id must exist and be in force on as_of."""
    missing = [g for g in gold if not exists(g, as_of)]
    return f"gold {', '.join(missing)} not in the corpus on {as_of}" if missing else None


# --- hongtuanphat/software-copyright-ip-rag ---------------------------------------------------------------------
# `134-2026-ND-CP_ArtN` uses Decree 17's numbering (the decree amends Decree 17 in place).
_HTP_INSTRUMENT = {"67-VBHN-VPQH": "ip-law", "17-2023-ND-CP": "decree-17-2023", "134-2026-ND-CP": "decree-17-2023"}
_HTP_ID = re.compile(r"^(?P<code>[0-9A-Z-]+)_Art(?P<art>\d+[a-z]?)(?:_Kh(?P<cl>\d+[a-z]?))?$")

# Their "refuse" items that our corpus answers or that no refusal label fits. Everything else they label "refuse"
# asks for a fine, fee, form, criminal threshold, court fee or another law (tax, labour, land, enterprise).
_HTP_ANSWER = {  # industrial property and false premises on copyright: in our corpus, must not be refused
    **{f"N5_{n:03d}": "industrial property (IP law Parts 3-4)" for n in range(83, 88)},
    **{f"N5_{n:03d}": "false premise on copyright (IP law)" for n in range(93, 97)},
    **{f"H4_{n:03d}": "industrial property, border control or IP enforcement (IP law)" for n in (2, 3, 4, 5, 6, 11, 13)},
    **{f"H5C_{n:03d}": "false premise on copyright (IP law)" for n in range(1, 16)},
}
_HTP_SKIP = {
    **{f"N5_{n:03d}": "prompt injection: the expected behaviour (answer unchanged) is not a refusal label" for n in
       range(97, 101)},
    "H4_014": "ambiguous: IP law Art. 130 defines unfair competition, but its damages follow the Competition Law",
}


def _htp_id(raw: str) -> str | None:
    m = _HTP_ID.match(raw)
    if not m or m["code"] not in _HTP_INSTRUMENT:
        return None
    return f"{_HTP_INSTRUMENT[m['code']]}:{m['art']}" + (f".{m['cl']}" if m["cl"] else "")


def _rows(rows: list[dict], out: EvalSet):
    """(id, question, row) of every row that has a question; the others are recorded as skipped."""
    for n, d in enumerate(rows, 1):
        item_id, question = str(d.get("id", f"line{n}")), d.get("question")
        if not isinstance(question, str) or not question.strip():
            out.skipped.append(Skipped(item_id, "no question"))
            continue
        yield item_id, question, d


def hongtuanphat(name: str, rows: list[dict], exists: Exists) -> EvalSet:
    out = EvalSet(name, [], as_of_rule=f"{HORIZON} (labels cite 67/VBHN-VPQH of 2026 and Decree 134/2026)")
    for item_id, question, d in _rows(rows, out):
        refuse = d.get("expected_behavior") in ("refuse", "tu_choi")
        raw = [str(g) for g in d.get("gold_ids") or []]
        if item_id in _HTP_SKIP:
            out.skipped.append(Skipped(item_id, _HTP_SKIP[item_id]))
            continue
        # a "refuse" item of group 5 with gold is a false premise the law corrects: score retrieval on its gold
        premise = raw and d.get("group") == "Nhóm 5"
        if refuse and not premise and item_id in _HTP_ANSWER:
            out.items.append(Item(item_id, question, HORIZON, [], False, tags=["answer-expected"]))
            continue
        if refuse and not premise:
            out.items.append(Item(item_id, question, HORIZON, [], True, tags=["refuse"]))
            continue
        gold = [_htp_id(g) for g in raw]
        bad = [g for g, m in zip(raw, gold) if m is None]
        reason = (f"malformed or foreign gold id {', '.join(bad)}" if bad else "no gold ids" if not gold
                  else _checked(item_id, gold, HORIZON, exists))
        if reason:
            out.skipped.append(Skipped(item_id, reason))
        else:
            out.items.append(Item(item_id, question, HORIZON, list(dict.fromkeys(gold)), False))
    return out


# --- PhuIT2503/LEGAL_IT_CHATBOT --------------------------------------------------------------------------------
def _phuit_instrument(document: str) -> str | None:
    if "VBHN-VPQH" in document:     # "2023_361 + 362_11-VBHN-VPQH": the IP law consolidated in 2022
        return "ip-law"
    if re.search(r"Nghị [Đđ]ịnh 17 2023", document):
        return "decree-17-2023"
    return None


def phuit(name: str, rows: list[dict], exists: Exists) -> EvalSet:
    out = EvalSet(name, [], as_of_rule=f"{BEFORE_LAW_131} (labels cite 11/VBHN-VPQH, the IP law before Law 131)")
    for item_id, question, d in _rows(rows, out):
        refs = zip(d.get("expected_documents") or [], d.get("expected_articles") or [],
                   d.get("expected_clauses") or [], d.get("expected_points") or [])
        gold = []
        for document, article, clause, point in refs:
            instrument = _phuit_instrument(document)
            if instrument and article:
                gold.append(f"{instrument}:{article}" + (f".{clause}" if clause else "") +
                            (f".{point}" if clause and point else ""))
        if not gold:   # every expected document is a law outside the corpus
            out.items.append(Item(item_id, question, BEFORE_LAW_131, [], True, tags=["refuse"]))
            continue
        reason = _checked(item_id, gold, BEFORE_LAW_131, exists)
        if reason:
            out.skipped.append(Skipped(item_id, reason))
        else:
            out.items.append(Item(item_id, question, BEFORE_LAW_131, list(dict.fromkeys(gold)), False))
    return out


# --- TruongQuangPhat/Vietnamese-Legal-Question-Answering-System -------------------------------------------------
_TQP_INSTRUMENT = {"LSHTT_VBHN": "ip-law"}   # "Luật Sở hữu trí tuệ (VBHN 2025)": the text before Law 131


def truongquangphat(folder: Path, exists: Exists) -> EvalSet:
    queries_path, targets_path = folder / "benchmark_queries.jsonl", folder / "benchmark_targets.jsonl"
    for p in (queries_path, targets_path):
        if not p.exists():
            raise SetFormatError(f"{folder}: missing {p.name} (TruongQuangPhat's benchmark folder holds both "
                                 "benchmark_queries.jsonl and benchmark_targets.jsonl)")
    targets: dict[str, list[dict]] = {}
    for t in _jsonl(targets_path):
        targets.setdefault(t["query_id"], []).append(t)
    out = EvalSet(folder.name, [], as_of_rule=f"{BEFORE_LAW_131} (IP-law labels cite its 2025 consolidation)")
    for q in _jsonl(queries_path):
        mine = [t for t in targets.get(q["id"], []) if t.get("law_id") in _TQP_INSTRUMENT]
        if not mine:   # other laws (labour, civil, land, traffic…) or their fallback items: outside our corpus
            out.items.append(Item(q["id"], q["query"], BEFORE_LAW_131, [], True, tags=["refuse"]))
            continue
        gold = [f"{_TQP_INSTRUMENT[t['law_id']]}:{t['article_number']}" +
                (f".{t['clause_number']}" if t.get("clause_number") else "") +
                (f".{t['point_label']}" if t.get("clause_number") and t.get("point_label") else "") for t in mine]
        reason = _checked(q["id"], gold, BEFORE_LAW_131, exists)
        if reason:
            out.skipped.append(Skipped(q["id"], reason))
        else:
            out.items.append(Item(q["id"], q["query"], BEFORE_LAW_131, list(dict.fromkeys(gold)), False))
    return out


def _jsonl(path: Path) -> list[dict]:
    try:
        return read_jsonl(path)
    except JsonlError as e:
        raise SetFormatError(str(e)) from None
