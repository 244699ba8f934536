"""`vnip eval`, assessment half: verdict accuracy and grounding-cite recall, read from the answer object a user gets
(`answer(...).assessment` and its `citations`), on evals/assess-{dev,test}.jsonl.

A line: {"id", "question", "as_of", "history"?: [...], "verdict": one of the five or null (null: no assessment is
expected — not a training-data question), "cites": [ids that must appear in assessment.cites], "facts"?: {name:
value}, "lang"}."""
from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from assistant.answer import answer
from assistant.evaluate import clause_of
from assistant.verdict import cited_ids, within

VERDICTS = ("allowed", "allowed_if", "needs_permission", "prohibited", "unsettled")


class AssessSetError(ValueError):
    """A line of an assessment set that cannot be used; the message names file and line."""


@dataclass
class AssessItem:
    id: str
    question: str
    as_of: date
    verdict: str | None              # None: no assessment expected
    cites: list[str]
    history: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)
    lang: str | None = None


def load_assess_items(path: Path) -> list[AssessItem]:
    items = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            verdict = d.get("verdict")
            if verdict is not None and verdict not in VERDICTS:
                raise ValueError(f"verdict {verdict!r} is not one of {', '.join(VERDICTS)} or null")
            items.append(AssessItem(str(d["id"]), d["question"], date.fromisoformat(d["as_of"]), verdict,
                                    list(d.get("cites") or []), list(d.get("history") or []),
                                    dict(d.get("facts") or {}), d.get("lang")))
        except (ValueError, KeyError, TypeError, AttributeError) as e:
            raise AssessSetError(f"{path}:{n}: {type(e).__name__}: {e}; expected {{id, question, as_of, verdict, "
                                 "cites, history?, facts?, lang}}") from None
    return items


def _recall(want: list[str], got: list[str], level=lambda x: x) -> float | None:
    want = list(dict.fromkeys(level(w) for w in want))
    got_set = {level(g) for g in got}
    return sum(1 for w in want if w in got_set) / len(want) if want else None


def score(item: AssessItem, result, index) -> dict:
    """One row: what the answer object shows against what the item expects."""
    a = result.assessment
    got_verdict = a.get("verdict") if a else None
    cites = list(a.get("cites") or []) if a else []
    row = {"id": item.id, "expected": item.verdict, "got": got_verdict if a else "no assessment",
           "given ok": (a is not None) == (item.verdict is not None),
           "verdict ok": (a is None) if item.verdict is None else (a is not None and got_verdict == item.verdict),
           # items expecting no assessment have no cites to recall
           "cite recall": _recall(item.cites, cites) if item.verdict is not None else None,
           "cite recall (clause)": _recall(item.cites, cites, clause_of) if item.verdict is not None else None,
           "expected cites": item.cites, "cites": cites}
    if a is not None:
        ids = cited_ids(a)
        cards = [c for c in result.citations if c.role == "assessment"]
        row["shown"] = all(any(within(pid, c.id) for c in cards) for pid in ids)
        day = date.fromisoformat(result.as_of)
        row["valid"] = all(index.version_on(pid, day) is not None for pid in ids)
        if item.facts:
            got = a.get("facts") or {}
            row["facts ok"] = sum(1 for k, v in item.facts.items() if got.get(k) == v) / len(item.facts)
    return row


@dataclass
class AssessRun:
    name: str
    rows: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        rows = self.rows
        with_cites = [r for r in rows if r["cite recall"] is not None]
        lat = sorted(r["ms"] for r in rows)
        return {
            "questions": len(rows),
            "assessment expected": sum(1 for r in rows if r["expected"] is not None),
            "verdict accuracy": _mean(r["verdict ok"] for r in rows),
            "verdict accuracy (assessed items)": _mean(r["verdict ok"] for r in rows if r["expected"] is not None),
            "assessment given / null accuracy": _mean(r["given ok"] for r in rows),
            "grounding-cite recall": _mean(r["cite recall"] for r in with_cites),
            "grounding-cite recall (clause)": _mean(r["cite recall (clause)"] for r in with_cites),
            "facts accuracy": _mean(r["facts ok"] for r in rows if "facts ok" in r),
            "assessment cites shown": _mean(r["shown"] for r in rows if "shown" in r),
            "assessment cite validity": _mean(r["valid"] for r in rows if "valid" in r),
            "p50 ms": lat[len(lat) // 2] if lat else 0,
        }


def _mean(values) -> float:
    values = [float(v) for v in values]
    return round(statistics.fmean(values), 3) if values else float("nan")


def evaluate_assessments(index, items: list[AssessItem], name: str = "vnip") -> AssessRun:
    """The extractive answer to every item (what `vnip ask --json` returns), scored."""
    run = AssessRun(name)
    for item in items:
        started = time.perf_counter()
        result = answer(index, item.question, item.as_of, 5, history=item.history)
        ms = (time.perf_counter() - started) * 1000
        run.rows.append({**score(item, result, index), "ms": round(ms, 1)})
    return run


def table(run: AssessRun) -> str:
    lines = ["| metric | vnip |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in run.summary().items()]
    return "\n".join(lines)
