"""The README's evaluation table, printed from the output of `vnip eval --json` (one or more files; "-" for stdin):
one column per set, cells "vnip · naive" when the baseline ran.

    vnip eval --set dev --set test --file evals/calibration.jsonl --json > eval.json
    python scripts/eval_table.py eval.json
"""
from __future__ import annotations

import json
import sys

ROWS = [
    ("article Recall@1", "article R@1"), ("article Recall@5", "article R@5"), ("article Recall@10", "article R@10"),
    ("article MRR@10", "article MRR@10"), ("clause Recall@1", "clause R@1"), ("clause Recall@5", "clause R@5"),
    ("clause Recall@10", "clause R@10"), ("clause MRR@10", "clause MRR@10"),
]


def _cell(summaries: list[dict], key: str, fmt=str) -> str:
    values = [s.get(key) for s in summaries]
    if all(v is None or v != v for v in values):       # nan: no item of that kind
        return "–"
    return " · ".join("–" if v is None or v != v else fmt(v) for v in values)


def _name(set_name: str) -> str:
    return set_name.removeprefix("vnip-").split("@")[0]


def table(report: dict) -> str:
    names = list(report)
    head = "| metric | " + " | ".join(_name(n) for n in names) + " |"
    lines = [head, "|---|" + "---|" * len(names)]

    def row(label: str, cell) -> None:
        lines.append(f"| {label} | " + " | ".join(cell(report[n]) for n in names) + " |")

    def systems(r: dict) -> list[dict]:
        return [r[k] for k in ("vnip", "naive RAG") if k in r]

    def counts(r: dict) -> str:
        c = r["items"]
        return " / ".join(str(c.get(k, 0)) for k in ("retrieval", "refusal", "answer-only", "skipped"))

    row("questions: retrieval / refusal / answer-only / skipped", counts)
    for label, key in ROWS:
        row(label, lambda r, key=key: _cell(systems(r), key, lambda v: f"{v:.3f}"))
    row("exact references at rank 1 (n)",
        lambda r: f"{_cell(systems(r), 'exact@1', lambda v: f'{v:.2f}')} ({r['vnip']['exact n']})")
    row("citation validity of the answer shown (citations checked)",
        lambda r: f"{_cell(systems(r), 'citation validity', lambda v: f'{v:.2f}')} "
                  f"({r['vnip'].get('citations checked', '–')})")
    row("refusal accuracy (n)",
        lambda r: f"{_cell(systems(r), 'refusal accuracy', lambda v: f'{v:.3f}')} ({r['vnip']['questions']})")
    row("whole `ask` p50 / p95, ms (vnip)", lambda r: f"{r['vnip']['p50 ms']:.0f} / {r['vnip']['p95 ms']:.0f}")
    row("retrieval alone p50 / p95, ms (vnip · naive)", lambda r: " · ".join(
        f"{s.get('retrieval p50 ms', s['p50 ms']):.0f} / {s.get('retrieval p95 ms', s['p95 ms']):.0f}"
        for s in systems(r)))
    return "\n".join(lines)


def main(paths: list[str]) -> int:
    report: dict = {}
    for path in paths or ["-"]:
        text = sys.stdin.read() if path == "-" else open(path, encoding="utf-8").read()
        report.update(json.loads(text))
    print(table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
