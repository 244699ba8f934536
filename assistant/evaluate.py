"""`vnip eval`: retrieval quality and speed of vnip and of the naive baseline, on the same questions in one run.

For vnip each question is asked twice: retrieval alone (k = 10, ranked ids for the recall figures, timed) and the whole
`ask` the user waits for (retrieve, compose, assess, verify: `answer_llm` without a model, as `vnip ask` runs it,
timed). Refusal accuracy is read off that answer object, and citation validity is checked on what it shows, against
the corpus, by assistant/citecheck.py (which does not use the retrieval or answer code)."""
from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from assistant.answer import standalone
from assistant.citecheck import CorpusVersions
from assistant.retrieve import Index
from ingest.ids import ProvisionId
from ingest.jsonl import read_jsonl

EVAL_DIR = Path(__file__).resolve().parent.parent / "evals"


@dataclass
class Item:
    id: str
    question: str
    as_of: date
    gold: list[str]
    refuse: bool
    history: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)


def load_items(path: Path) -> list[Item]:
    items = []
    for d in read_jsonl(path):
        # calibration.jsonl labels scope (`in_scope`) and asks as of the day it is run
        refuse = d["refuse"] if "refuse" in d else not d.get("in_scope", True)
        as_of = date.fromisoformat(d["as_of"]) if d.get("as_of") else date.today()
        items.append(Item(d["id"], d["question"], as_of, d.get("gold", []), bool(refuse),
                          d.get("history") or [], d.get("tags") or []))
    return items


def article_of(pid: str) -> str:
    return ProvisionId.parse(pid).article_id if ProvisionId.is_valid(pid) else pid


def clause_of(pid: str) -> str:
    return ProvisionId.parse(pid).clause_id if ProvisionId.is_valid(pid) else pid


def _rank_metrics(ranked: list[str], gold: list[str], level) -> dict[str, float]:
    want = list(dict.fromkeys(level(g) for g in gold))
    got = list(dict.fromkeys(level(r) for r in ranked))
    recall = {k: sum(1 for g in want if g in got[:k]) / len(want) for k in (1, 5, 10)}
    first = next((i for i, r in enumerate(got[:10]) if r in want), None)
    return {"R@1": recall[1], "R@5": recall[5], "R@10": recall[10], "MRR@10": 0.0 if first is None else 1 / (first + 1)}


@dataclass
class Run:
    name: str
    rows: list[dict] = field(default_factory=list)

    def summary(self) -> dict:
        # an answerable item without gold (an external set's "must not refuse") counts for refusal only
        answered = [r for r in self.rows if not r["refuse"] and r["gold"]]
        out = {"questions": len(self.rows), "answerable": len(answered)}
        for level in ("article", "clause"):
            for m in ("R@1", "R@5", "R@10", "MRR@10"):
                out[f"{level} {m}"] = _mean([r[level][m] for r in answered])
        exact = [r for r in answered if "exact" in r["tags"]]
        out["exact@1"] = _mean([r["article"]["R@1"] > 0 for r in exact])
        out["exact n"] = len(exact)
        out["citation validity"] = _mean([r["valid"] for r in self.rows if r["cited"]])
        out["citations checked"] = sum(r.get("checked", 0) for r in self.rows)
        out["refusal accuracy"] = _mean([r["refused"] == r["refuse"] for r in self.rows])
        out["p50 ms"], out["p95 ms"] = _percentiles([r["ms"] for r in self.rows])
        if any("retrieval ms" in r for r in self.rows):
            out["retrieval p50 ms"], out["retrieval p95 ms"] = _percentiles([r["retrieval ms"] for r in self.rows])
        return out


def _percentiles(values: list[float]) -> tuple[float, float]:
    lat = sorted(values)
    if not lat:
        return 0, 0
    return lat[len(lat) // 2], lat[min(len(lat) - 1, int(len(lat) * 0.95))]


def _mean(values) -> float:
    values = list(values)
    return round(statistics.fmean(values), 3) if values else float("nan")


def evaluate(index: Index, items: list[Item], baseline=None, ask=None) -> list[Run]:
    """`ask(index, question, as_of, k, history=...)` -> Answer: the answer function `vnip ask` uses (default: the
    extractive answer through assistant.llm.answer_llm without a model)."""
    if ask is None:
        from assistant.llm import answer_llm as ask
    corpus = CorpusVersions(index.generation)
    ours, naive = Run("vnip"), Run("naive RAG")
    for item in items:
        question = standalone(item.question, item.history)
        started = time.perf_counter()
        r = index.retrieve(question, item.as_of, 10)
        retrieval_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        shown = ask(index, item.question, item.as_of, 5, history=item.history).to_json()
        ms = (time.perf_counter() - started) * 1000
        check = corpus.check_answer(shown, item.as_of)
        row = _row(item, [h.provision.id for h in r.hits], shown["refused"], check.valid, ms)
        row.update({"retrieval ms": round(retrieval_ms, 1), "cited": bool(shown["citations"]),
                    "checked": check.checked, "problems": check.problems,
                    "shown": [c["id"] for c in shown["citations"]]})
        ours.rows.append(row)
        if baseline is not None:
            started = time.perf_counter()
            ranked = baseline.retrieve(question, 10)
            ms = (time.perf_counter() - started) * 1000
            valid = all(corpus.in_force(a, item.as_of) for a in ranked)
            naive.rows.append(_row(item, ranked, False, valid, ms))
    return [ours] + ([naive] if baseline is not None else [])


def _row(item: Item, ranked: list[str], refused: bool, valid: bool, ms: float) -> dict:
    gold = item.gold or ["-"]
    return {"id": item.id, "refuse": item.refuse, "refused": refused, "tags": item.tags, "cited": bool(ranked),
            "valid": valid, "ms": round(ms, 1), "article": _rank_metrics(ranked, gold, article_of),
            "clause": _rank_metrics(ranked, gold, clause_of), "ranked": ranked[:10], "gold": item.gold}


def table(runs: list[Run]) -> str:
    summaries = [r.summary() for r in runs]
    keys = list(summaries[0])
    lines = ["| metric | " + " | ".join(r.name for r in runs) + " |", "|---|" + "---|" * len(runs)]
    lines += [f"| {k} | " + " | ".join(str(s.get(k, "")) for s in summaries) + " |" for k in keys]
    return "\n".join(lines)
