"""answer(question, as_of): an extractive, offline answer — a short lead naming the governing provisions, each
quoted verbatim with its citation and dates, the date applied, the corpus horizon and a disclaimer."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assistant.question import QuestionError, neutralise, read_question
from assistant.contract import Answer, Citation
from assistant.retrieve import DocumentHit, Hit, Index, Retrieval
from assistant.scope import gaps
from ingest.corpus import holdings

DISCLAIMER = {
    "en": "Information, not legal advice. Statute texts are transcriptions, not checked against the official gazette.",
    "vi": "Thông tin tham khảo, không phải tư vấn pháp lý. Văn bản là bản chép lại, chưa đối chiếu với Công báo.",
}
# Topics the corpus does not hold, so a refusal can say where the answer lives ("not in the corpus" is not "no rule").
FOLLOW_UP = re.compile(r"^(and|what if|what about|if|but|so|then|how about|còn|vậy|thế|nếu|nhưng|và)\b|"
                       r"\b(it|that|this|they|those|same|đó|này|ấy|như vậy|trên)\b", re.IGNORECASE)


def standalone(question: str, history: list[str] | None) -> str:
    """A follow-up ("and if the model is only for research?") is read together with the previous question."""
    if history and (len(question.split()) <= 12 or FOLLOW_UP.search(question.strip())):
        return f"{history[-1]} {question}"
    return question


def language(retrieval: Retrieval) -> str:
    return "en" if retrieval.language == "en" else "vi"


@dataclass
class Grounds:
    """What both answer modes start from: the retrieval, the provisions to cite (numbered from 1) and the fields
    every answer carries. Built once, so the extractive and the language-model answer cite the same sources."""
    question: str                  # as shown: neutralised, safe in Markdown
    text: str                      # as read: NFC, control characters removed (what a language model is given)
    search_text: str               # what retrieval read: `text`, or its head and tail when long
    as_of: date
    retrieval: Retrieval
    lang: str
    warnings: list[str]
    corpus_horizon: str
    citations: list[Citation]
    notices: list[str]             # about the question itself (e.g. shortened), repeated in refusals

    @property
    def refused(self) -> bool:
        return self.retrieval.out_of_scope or not self.retrieval.hits

    def answer(self, body: str, citations: list[Citation], mode: str = "extractive", refused: bool = False,
               warnings: list[str] | None = None, model: str | None = None) -> Answer:
        return Answer(question=self.question, as_of=self.as_of.isoformat(), answer=body, refused=refused, mode=mode,
                      corpus_horizon=self.corpus_horizon, citations=citations,
                      warnings=self.warnings if warnings is None else warnings, model=model)


def ground(index: Index, question: str, as_of: date | None = None, k: int = 5,
           history: list[str] | None = None, carry: list[str] | None = None) -> Grounds:
    """`history`: the earlier questions; `carry`: the provision ids the previous answer cited (a follow-up keeps
    them in view). Raises QuestionError (a ValueError) for an empty question or one longer than
    assistant.question.MAX_CHARS."""
    as_of = as_of or date.today()
    q = read_question(question)
    read_as = standalone(q.search_text, _earlier(history))
    follow_up = read_as != q.search_text
    retrieval = index.retrieve(read_as, as_of, k, carry=tuple(carry or ()) if follow_up else ())
    refused = retrieval.out_of_scope or not retrieval.hits
    # passages of the user's documents take citation slots from the law (up to half of k); when the law has
    # nothing to say they are all there is, and a passage may still be what the user looks for
    docs = [document_citation(d) for d in retrieval.documents[:max(1, k) if refused else k // 2]]
    n_law = k - 1 if retrieval.notes and k >= 3 else k
    law_hits = [] if refused else retrieval.hits[:max(1, n_law - len(docs)) if docs else n_law]
    citations = [citation(index, h) for h in law_hits + retrieval.notes[:1 if law_hits else 0]] + docs
    notices = [q.notice] if q.notice else []
    return Grounds(neutralise(q.text), q.text, q.search_text, as_of, retrieval, language(retrieval),
                   notices + _horizon_warnings(index, as_of), index.horizon.isoformat(), citations, notices)


def extractive(g: Grounds) -> Answer:
    if g.refused:
        body = _refusal(g.search_text, g.lang, g.as_of, g.notices)
        if g.citations:      # only passages of the user's documents: shown, still not law
            section = _documents_section(g.citations, 1, g.lang == "en")
            body = body.replace(f"\n\n_{DISCLAIMER[g.lang]}_", f"\n\n{section}\n_{DISCLAIMER[g.lang]}_")
        return g.answer(body, g.citations, refused=True)
    return g.answer(_compose(g.retrieval, g.citations, g.as_of, g.lang, g.warnings), g.citations)


def answer(index: Index, question: str, as_of: date | None = None, k: int = 5,
           history: list[str] | None = None, carry: list[str] | None = None) -> Answer:
    """The extractive answer to `question` as of `as_of`. The Markdown in `Answer.answer` is safe to render: text
    quoted from the question, the corpus or the commentary cannot become a tag, a link or an image."""
    return extractive(ground(index, question, as_of, k, history, carry))


def _earlier(history: list[str] | None) -> list[str]:
    """Earlier questions, read like the question itself; empty ones are dropped rather than refused."""
    out = []
    for h in history or []:
        try:
            out.append(read_question(h).search_text)
        except QuestionError:
            continue
    return out


def citation(index: Index, hit: Hit) -> Citation:
    p = hit.provision
    later = index.later_version(p)
    return Citation(
        id=p.id, instrument=p.instrument, article=p.article, clause=p.clause, point=p.point, label=p.label,
        label_vi=p.label_vi, kind=p.kind, text=p.text, translation=index.translation(p), page=None,
        valid_from=p.valid_from.isoformat(), valid_to=p.valid_to.isoformat() if p.valid_to else None,
        amended_by=p.amended_by, verified=p.verified, score=round(float(hit.score), 4), status=p.status,
        later_version_from=later.valid_from.isoformat() if later else None, note=p.note,
        provenance=index.provenance(p),
    )


def document_citation(hit: DocumentHit) -> Citation:
    return Citation(
        id=f"doc:{hit.name}#p{hit.page}", instrument="document", article=None, clause=None, point=None,
        label=f"{hit.name}, p. {hit.page}", label_vi=f"{hit.name}, tr. {hit.page}", kind="document", text=hit.text,
        translation=None, page=hit.page, valid_from=None, valid_to=None, amended_by=None, verified=False,
        score=round(float(hit.score), 4), status="document", note="your document; not law")


def _documents_section(docs: list[Citation], first: int, en: bool) -> str:
    lines = ["### From your documents (not law)" if en else
             "### Từ tài liệu của bạn (không phải quy định pháp luật)", ""]
    for n, c in enumerate(docs, first):
        lines += [f"[{n}] **{neutralise(c.label if en else c.label_vi)}**", "",
                  *("> " + neutralise(line) for line in c.text.split("\n")), ""]
    return "\n".join(lines)


def _period(c: Citation, lang: str) -> str:
    end = c.valid_to or ("open" if lang == "en" else "nay")
    return (f"in force {c.valid_from} – {end}" if lang == "en" else f"hiệu lực {c.valid_from} – {end}")


def _compose(retrieval: Retrieval, citations: list[Citation], as_of: date, lang: str, warnings: list[str]) -> str:
    en = lang == "en"
    law = [(n, c) for n, c in enumerate(citations, 1) if c.kind not in ("commentary", "document")]
    notes = [(n, c) for n, c in enumerate(citations, 1) if c.kind == "commentary"]
    lines = [(f"**Law applied as of {as_of.isoformat()}.** The provisions that govern this question:" if en else
              f"**Pháp luật áp dụng tại ngày {as_of.isoformat()}.** Các quy định điều chỉnh vấn đề này:")]
    for n, c in law:
        title = neutralise(c.label if en else c.label_vi)
        lines.append(f"- {title} [{n}] — {_period(c, lang)}")
    for ref, why in retrieval.unresolved:
        lines.append(f"- {neutralise(ref.id)}: {why}" if en else f"- {neutralise(ref.id)}: {_vi_why(why)}")
    lines += ["", "### What the law says" if en else "### Quy định pháp luật", ""]
    for n, c in law:
        head = f"[{n}] **{neutralise(c.label)}** · {neutralise(c.label_vi)} · {_period(c, lang)}"
        lines += [head, "", *("> " + neutralise(line) for line in c.text.split("\n")), ""]
        if c.later_version_from:
            lines += [(f"*A later version of this provision applies from {c.later_version_from}.*" if en else
                       f"*Quy định này có phiên bản mới áp dụng từ {c.later_version_from}.*"), ""]
    for n, c in notes:
        lines += _note_lines(n, c, as_of, lang)
    docs = [c for c in citations if c.kind == "document"]
    if docs:
        lines.append(_documents_section(docs, len(citations) - len(docs) + 1, en))
    lines += [f"_{neutralise(w)}_" for w in warnings]
    lines.append(f"_{DISCLAIMER[lang]}_")
    return "\n".join(lines)


def _note_lines(n: int, c: Citation, as_of: date, lang: str) -> list[str]:
    en = lang == "en"
    lines = ["### Commentary (the vnip project's analysis, not law)" if en else
             "### Bình luận (phân tích của dự án vnip, không phải quy định pháp luật)", "",
             f"[{n}] **{neutralise(c.label if en else c.label_vi)}** — {_period(c, lang)}", ""]
    later = _later_law(c, as_of)
    if later:
        day, since = as_of.isoformat(), later.isoformat()
        lines += [(f"*This note also discusses law that took effect only after {day} (cited with dates from "
                   f"{since}); on {day}, the provisions quoted above apply.*" if en else
                   f"*Bình luận này có đề cập quy định chỉ có hiệu lực sau ngày {day} (trích dẫn có ngày từ "
                   f"{since}); tại ngày {day}, áp dụng các quy định được trích ở trên.*"), ""]
    return lines + [neutralise(_note_part(c.text, en)), ""]


def _later_law(note: Citation, as_of: date) -> date | None:
    """The earliest date after `as_of` among the note's dated citations: a note written for a span of time may
    discuss what changes later, and the reader must not take that for the law on `as_of`."""
    from ingest.commentary import citations

    start = date.fromisoformat(note.valid_from) if note.valid_from else as_of
    return min((c.day for c in citations(note.text, start) if c.day > as_of), default=None)


def _note_part(text: str, en: bool) -> str:
    """The note's part in the question's language, headings demoted so they sit under the section heading."""
    parts = re.split(r"^## ", text, flags=re.MULTILINE)
    part = next((p for p in parts if p.startswith("English" if en else "Tiếng Việt")), text)
    body = part.split("\n", 1)[1] if "\n" in part else part
    return body.replace("### ", "#### ").strip()


def _vi_why(why: str) -> str:
    return why.replace("not in the corpus", "không có trong kho văn bản")


def _refusal(question: str, lang: str, as_of: date, warnings: list[str]) -> str:
    hints = [gap.en if lang == "en" else gap.vi for gap in gaps(question)]
    if lang == "en":
        msg = f"This question is outside what the corpus covers (Vietnamese law: {holdings('en')}), so no provision is cited."
    else:
        msg = f"Câu hỏi nằm ngoài phạm vi kho văn bản ({holdings('vi')}), nên không trích dẫn quy định nào."
    if hints:
        hint = "; ".join(hints)
        msg += " " + hint[0].upper() + hint[1:] + "."      # not str.capitalize(): it lowers "Criminal Code"
    notes = "".join(f"\n\n_{neutralise(w)}_" for w in warnings)
    return msg + notes + f"\n\n_{DISCLAIMER[lang]}_"


def _horizon_warnings(index: Index, as_of: date) -> list[str]:
    out = []
    if as_of > index.horizon:
        out.append(f"The latest change in the corpus took effect on {index.horizon.isoformat()}; later changes to "
                   f"the law, if any, are not reflected.")
    if as_of < index.oldest:
        out.append(f"{as_of.isoformat()} is before the oldest text in the corpus ({index.oldest.isoformat()}).")
    return out
