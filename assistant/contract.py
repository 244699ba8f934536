"""What the assistant returns: `Answer` with ranked `Citation`s (the JSON contract of `vnip ask --json`)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Citation:
    id: str
    instrument: str
    article: str | None
    clause: str | None
    point: str | None
    label: str
    label_vi: str
    kind: str                      # "statute" | "translation" | "commentary" | "document"
    text: str                      # verbatim
    translation: str | None        # unofficial English of the same provision version, where the project has one
    page: int | None
    valid_from: str | None         # ISO dates; valid_to None while open
    valid_to: str | None
    amended_by: str | None
    verified: bool
    score: float
    status: str = "in_force"
    later_version_from: str | None = None     # a later wording exists from this date
    note: str = ""
    provenance: str = ""                      # where the text comes from: instrument, consolidation, source, date
    # why it is shown: "assessment" (grounds the dated verdict), "retrieved" (found for the question; in force on
    # as_of) or "not_in_force" (the provision asked about, shown although repealed or not yet in force)
    role: str = "retrieved"
    title: str | None = None                  # the article's title: the project's unofficial English, where it has one
    title_vi: str | None = None               # the article's title, verbatim (statutes only)

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Answer:
    question: str
    as_of: str
    answer: str                    # Markdown
    refused: bool
    mode: str                      # "extractive" | "llm"
    corpus_horizon: str
    citations: list[Citation] = field(default_factory=list)
    id: str | None = None
    warnings: list[str] = field(default_factory=list)
    model: str | None = None       # the language model that wrote `answer` (mode "llm"), as PROVIDER:MODEL
    assessment: dict | None = None  # the dated verdict on a training-data question (README "Assessment"), else None

    def to_json(self) -> dict:
        d = {"id": self.id} if self.id is not None else {}
        d.update(question=self.question, as_of=self.as_of, answer=self.answer, refused=self.refused, mode=self.mode,
                 corpus_horizon=self.corpus_horizon, citations=[c.to_json() for c in self.citations],
                 warnings=self.warnings, model=self.model, assessment=self.assessment)
        return d
