"""The CI gate on the dev split: hard floors for citation validity and refusal accuracy, and article Recall@5 not more
than a tolerance below the committed figure (one dev question is worth ~0.02, so smaller drops are noise)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Gate:
    set: str
    recall_at_5: float
    tolerance: float
    citation_validity: float
    refusal_accuracy: float
    # floors on the assessment split (evals/assess-<set>.jsonl); None: not gated
    verdict_accuracy: float | None = None
    cite_recall: float | None = None

    @classmethod
    def read(cls, path: Path) -> "Gate":
        try:
            d = json.loads(Path(path).read_text(encoding="utf-8"))
            optional = {k: float(d[k]) if d.get(k) is not None else None
                        for k in ("verdict accuracy", "grounding-cite recall")}
            return cls(d["set"], float(d["article R@5"]), float(d["tolerance"]), float(d["citation validity"]),
                       float(d["refusal accuracy"]), optional["verdict accuracy"], optional["grounding-cite recall"])
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise ValueError(f"{path}: not a gate file ({type(e).__name__}: {e}); expected JSON with set, "
                             "article R@5, tolerance, citation validity, refusal accuracy") from None

    def failures(self, summary: dict, assessment: dict | None = None) -> list[str]:
        """What fails, each with the measured and the required figure; empty when the gate passes. `assessment`:
        the summary of the split's assessment set, when it was run."""
        out = []
        for name, floor in (("verdict accuracy", self.verdict_accuracy), ("grounding-cite recall", self.cite_recall)):
            if floor is None:
                continue
            if assessment is None:
                out.append(f"{name}: no assessment set was run (evals/assess-{self.set}.jsonl missing)")
            elif not assessment[name] >= floor:
                out.append(f"{name} {assessment[name]} < {floor}")
        if not summary["citation validity"] >= self.citation_validity:
            out.append(f"citation validity {summary['citation validity']} < {self.citation_validity}")
        if not summary["refusal accuracy"] >= self.refusal_accuracy:
            out.append(f"refusal accuracy {summary['refusal accuracy']} < {self.refusal_accuracy}")
        floor = round(self.recall_at_5 - self.tolerance, 3)
        if not summary["article R@5"] >= floor:
            out.append(f"article Recall@5 {summary['article R@5']} < {floor} (committed {self.recall_at_5} "
                       f"- {self.tolerance})")
        return out
