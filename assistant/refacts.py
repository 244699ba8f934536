"""An answer's assessment recomputed with facts changed in place (the chat's fact controls): no new question, the
same retrieved provisions, a new verdict with its cards, and the change said in the answer itself, so that the
conversation and the Markdown export record it.

    new = reassess(index, answer, {"purpose": "non_commercial"})     # -> Answer (unchanged if nothing changed)
"""
from __future__ import annotations

import dataclasses
import re
from datetime import date

from assistant.assessment_text import FACT_NAMES, fact_value, lead
from assistant.contract import Answer
from assistant.verdict import ASSESSMENT, assessment_citations, with_assessment

_MARKER = re.compile(r"\[(\d+)\]")     # quoted text has its "[" made inert (&#91;): a bare [n] is always a marker
CHANGED = ("Facts changed: {changes} — the assessment above is recomputed with them; the provisions quoted below "
           "were found for the question as asked.", "Dữ kiện đã thay đổi: {changes} — phần đánh giá ở trên được tính "
           "lại theo đó; các quy định trích dẫn bên dưới được tìm theo câu hỏi ban đầu.")


def lang_of(result: Answer) -> str:
    return "vi" if result.answer.startswith("**Trả lời ngắn") else "en"


def reassess(index, result: Answer, changes: dict) -> Answer:
    """`result` with its assessment recomputed under the changed facts (fact name -> value or None): the lead and
    the assessment's cards replaced, the retrieved citations kept and renumbered, and a line saying what changed.
    An answer without an assessment, or changes that change nothing, come back as they are."""
    old = result.assessment
    if old is None:
        return result
    facts = {**old["facts"], **changes}
    if facts == old["facts"]:
        return result
    from assistant.assess import assess_facts

    lang = lang_of(result)
    as_of = date.fromisoformat(result.as_of)
    new = assess_facts(facts, as_of, index.rules, lang=lang).to_json()
    # the text below the lead quotes the old assessment's provisions too: they stay as cards (in force on as_of,
    # now merely found for the question), so that every marker keeps a card of its own
    retrieved = [dataclasses.replace(c, role="retrieved") if c.role == ASSESSMENT else c for c in result.citations]
    citations = with_assessment(assessment_citations(index, new, as_of), retrieved)
    head = lead(old, result.citations, lang)
    rest = result.answer[len(head) + 1:] if result.answer.startswith(head + "\n") else result.answer
    rest = _renumber(rest, result.citations, citations)
    said = "; ".join(f"{FACT_NAMES.get(k, (k, k))[0 if lang == 'en' else 1]}: {fact_value(old['facts'].get(k), lang)}"
                     f" → {fact_value(v, lang)}" for k, v in facts.items() if old["facts"].get(k) != v)
    note = f"*{CHANGED[0 if lang == 'en' else 1].format(changes=said)}*\n\n"
    return dataclasses.replace(result, answer=lead(new, citations, lang) + "\n" + note + rest, citations=citations,
                               assessment=new)


def _renumber(text: str, before, after) -> str:
    """Markers [n] point at cards by number: the same provision keeps its card under its new number."""
    number = {c.id: n for n, c in enumerate(after, 1)}

    def swap(m: re.Match) -> str:
        n = int(m.group(1))
        if not 1 <= n <= len(before):
            return m.group(0)
        pid = before[n - 1].id
        # a point whose clause now has a card of its own is shown by that card
        shown = pid if pid in number else next((c for c in number if pid.startswith(c + ".")), None)
        return f"[{number[shown]}]" if shown else m.group(0)

    return _MARKER.sub(swap, text)
