"""The assessment inside an answer: computed for the question (read with its history) by the rules engine, and the
provisions it names turned into citation cards with role "assessment", shown before the retrieved ones.

Card rules (README "Assessment"):
- order: the verdict's cites, then each condition's, then each duty's, then each open question's; first occurrence
  only;
- a card covers the provisions within it: when `ip-law:20.1` is itself cited, `ip-law:20.1.c` gets no card of its
  own and its marker is the card of 20.1 (cited in either order; the card takes the place of the first of them);
- a retrieved provision that an assessment card covers is not shown again; a retrieved clause or article that
  contains an assessment card is kept (it carries more text than the card);
- every card is the version in force on `as_of` (`Index.version_on`); an id without one (the engine guarantees
  there is none) is left out of the cards rather than shown in another version.
"""
from __future__ import annotations

import logging
from datetime import date
from typing import Sequence

from assistant.contract import Citation

log = logging.getLogger("vnip.verdict")

ASSESSMENT = "assessment"


def assess_question(index, text: str, history: Sequence[str], as_of: date, lang: str) -> dict | None:
    """The assessment's JSON object for a training-data question, else None. Deterministic: the same in the
    extractive and the language-model answer."""
    from assistant.assess import assess

    rules = getattr(index, "rules", None)
    if rules is None:       # an index built before the rules existed: no verdict rather than a guess
        log.warning("the index holds no rules (run `vnip ingest`); no assessment given")
        return None
    result = assess(text, as_of, rules, history=tuple(history), lang=lang)
    return None if result is None else result.to_json()


def cited_ids(assessment: dict) -> list[str]:
    """Every id the assessment names, in card order (verdict, conditions, duties, open questions), first
    occurrence only."""
    ids = list(assessment.get("cites") or [])
    for key in ("conditions", "duties", "open_questions"):
        for item in assessment.get(key) or []:
            ids += item.get("cites") or []
    return list(dict.fromkeys(ids))


def within(pid: str, outer: str) -> bool:
    """`pid` is `outer` or a clause or point inside it."""
    return pid == outer or pid.startswith(outer + ".")


def card_ids(assessment: dict) -> list[str]:
    """The ids that get a card: every cited id not inside another cited id, at the place of the first id it
    covers."""
    ids = cited_ids(assessment)
    out: list[str] = []
    for pid in ids:
        card = min((o for o in ids if within(pid, o)), key=lambda o: o.count("."))   # the outermost cited
        if card not in out:
            out.append(card)
    return out


def card_of(pid: str, citations: Sequence[Citation]) -> int | None:
    """The 1-based number of the card that shows `pid` (itself or a provision containing it)."""
    return next((n for n, c in enumerate(citations, 1) if within(pid, c.id)), None)


def assessment_citations(index, assessment: dict, as_of: date) -> list[Citation]:
    from assistant.answer import citation
    from assistant.retrieve import Hit

    out = []
    for pid in card_ids(assessment):
        version = index.version_on(pid, as_of)
        if version is None:
            log.error("assessment cites %s, which has no version in force on %s; card left out", pid, as_of)
            continue
        c = citation(index, Hit(version, 1.0))
        c.role = ASSESSMENT
        out.append(c)
    return out


def with_assessment(cards: list[Citation], retrieved: list[Citation]) -> list[Citation]:
    """The assessment's cards first, then the retrieved citations that no card already shows."""
    return cards + [c for c in retrieved if not any(within(c.id, a.id) for a in cards)]


def markers(pids: Sequence[str], citations: Sequence[Citation]) -> str:
    """"[1][3]" for these ids, each the number of the card that shows it, in card order, once each."""
    numbers = sorted({n for n in (card_of(p, citations) for p in pids) if n is not None})
    return "".join(f"[{n}]" for n in numbers)
