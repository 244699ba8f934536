"""answer(question, as_of): an extractive, offline answer — a short lead naming the governing provisions, each
quoted verbatim with its citation and dates, the date applied, the corpus horizon and a disclaimer."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from assistant import not_in_force
from assistant.question import QuestionError, neutralise, read_question
from assistant.contract import Answer, Citation
from assistant.retrieve import DocumentHit, Hit, Index, Retrieval
from assistant.scope import FOREIGN_LAW, gaps
from assistant.assessment_text import lead
from assistant.verdict import assess_question, assessment_citations, with_assessment
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
    away: list = field(default_factory=list)   # provisions asked about, not in force on as_of (not_in_force.py)
    assessment: dict | None = None  # the dated verdict (assistant/verdict.py); its cards lead `citations`

    @property
    def refused(self) -> bool:
        # a training-data question is always answered: the verdict does not depend on retrieval's similarity
        return (self.retrieval.out_of_scope or not self.retrieval.hits) and not self.away and self.assessment is None

    def answer(self, body: str, citations: list[Citation], mode: str = "extractive", refused: bool = False,
               warnings: list[str] | None = None, model: str | None = None) -> Answer:
        return Answer(question=self.question, as_of=self.as_of.isoformat(), answer=body, refused=refused, mode=mode,
                      corpus_horizon=self.corpus_horizon, citations=citations,
                      warnings=self.warnings if warnings is None else warnings, model=model,
                      assessment=None if refused else self.assessment)


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
    # the answer speaks the question's language, also when a follow-up is read with an earlier one in another
    lang = language(retrieval) if not follow_up else "en" if index.language(q.search_text) == "en" else "vi"
    # an assessment applies Vietnamese law: a question about another country's law is refused as before
    foreign = any(gap.en == FOREIGN_LAW for gap in gaps(read_as))
    assessment = None if foreign else assess_question(index, q.text, _earlier(history), as_of, lang)
    refused = (retrieval.out_of_scope or not retrieval.hits) and assessment is None
    # passages of the user's documents take citation slots from the law (up to half of k); when the law has
    # nothing to say they are all there is, and a passage may still be what the user looks for
    docs = [document_citation(d) for d in retrieval.documents[:max(1, k) if refused else k // 2]]
    n_law = k - 1 if retrieval.notes and k >= 3 else k
    law_hits = [] if refused else retrieval.hits[:max(1, n_law - len(docs)) if docs else n_law]
    citations = [citation(index, h) for h in law_hits + retrieval.notes[:1 if law_hits else 0]] + docs
    notices = [q.notice_in(lang)] if q.shortened else []
    away = not_in_force.find(index, retrieval.references, as_of)
    if away:     # answered about the provision asked for; others only when the question asks more than its text
        citations = not_in_force.citations(index, away) + not_in_force.others(citations, away, retrieval.hits,
                                                                              q.search_text)
    warnings = notices + _horizon_warnings(index, as_of, lang)
    if assessment is not None:   # `--k` bounds the retrieved citations only; the assessment's cards come first
        citations = with_assessment(assessment_citations(index, assessment, as_of), citations)
        warnings += [f"Not answered here: {gap.en}." if lang == "en" else
                     f"Không trả lời ở đây: {gap.vi}." for gap in gaps(q.search_text)]
    return Grounds(neutralise(q.text), q.text, q.search_text, as_of, retrieval, lang, warnings,
                   index.horizon.isoformat(), citations, notices, away=away, assessment=assessment)


def extractive(g: Grounds) -> Answer:
    if g.away:       # the provision asked about is not in force on as_of: said first, then any law in force
        body = not_in_force.body(g, _compose, DISCLAIMER[g.lang])
        if g.assessment is not None:
            body = lead(g.assessment, g.citations, g.lang) + "\n" + body
        return g.answer(body, g.citations)
    if g.refused:
        body = _refusal(g.search_text, g.lang, g.as_of, g.notices, g.retrieval.topic)
        if g.citations:      # only passages of the user's documents: shown, still not law
            section = _documents_section(g.citations, 1, g.lang == "en")
            body = body.replace(f"\n\n_{DISCLAIMER[g.lang]}_", f"\n\n{section}\n_{DISCLAIMER[g.lang]}_")
        return g.answer(body, g.citations, refused=True)
    body = _compose(g.retrieval, g.citations, g.as_of, g.lang, g.warnings)
    if g.assessment is not None:
        body = lead(g.assessment, g.citations, g.lang) + "\n" + body
    return g.answer(body, g.citations)


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
    title, title_vi = _titles(index, p)
    return Citation(
        id=p.id, instrument=p.instrument, article=p.article, clause=p.clause, point=p.point, label=p.label,
        label_vi=p.label_vi, kind=p.kind, text=p.text, translation=index.translation(p), page=None,
        valid_from=p.valid_from.isoformat(), valid_to=p.valid_to.isoformat() if p.valid_to else None,
        amended_by=p.amended_by, verified=p.verified, score=round(float(hit.score), 4), status=p.status,
        later_version_from=later.valid_from.isoformat() if later else None, note=p.note,
        provenance=index.provenance(p), title=title, title_vi=title_vi,
    )


def _titles(index: Index, p) -> tuple[str | None, str | None]:
    """The article's title verbatim and in the project's English: that of this version, else of any version of the
    article with the same Vietnamese title (same words, same translation). Commentary and documents have none."""
    if p.kind != "statute":
        return None, None
    versions = [p, *(v for v in index.versions.get(f"{p.instrument}:{p.article}", [])
                     if v.article_title == p.article_title)]
    titles = ((index.english.get(v.version_id) or {}).get("title") for v in versions)
    return next((t for t in titles if t), None), p.article_title or None


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


def _compose(retrieval: Retrieval, citations: list[Citation], as_of: date, lang: str, warnings: list[str],
             skip_refs: tuple = ()) -> str:
    en = lang == "en"
    law = [(n, c) for n, c in enumerate(citations, 1)
           if c.kind not in ("commentary", "document") and c.role != not_in_force.NOT_IN_FORCE]
    notes = [(n, c) for n, c in enumerate(citations, 1) if c.kind == "commentary"]
    lines = [(f"**Law applied as of {as_of.isoformat()}.** Relevant provisions:" if en else
              f"**Pháp luật áp dụng tại ngày {as_of.isoformat()}.** Các quy định liên quan:")]
    for n, c in law:
        title = neutralise(c.label if en else c.label_vi)
        lines.append(f"- {title} [{n}] — {_period(c, lang)}")
    for ref, why in (r for r in retrieval.unresolved if r[0] not in skip_refs):
        lines.append(f"- {neutralise(ref.id)}: {why}" if en else f"- {neutralise(ref.id)}: {_vi_why(why)}")
    lines += ["", "### What the law says" if en else "### Quy định pháp luật", ""]
    for n, c in law:
        head = (f"[{n}] **{_named(c, en)}** · {neutralise(c.label_vi)} · {_period(c, lang)}" if en else
                f"[{n}] **{_named(c, en)}** · {_period(c, lang)}")
        # a hard break ends each quoted line, so the points a), b), c) stay on lines of their own when rendered;
        # "1." escaped, or Markdown would make a list and renumber clauses 1, 2, 4 as 1, 2, 3
        lines += [head, "", *("> " + _LIST_MARKER.sub(r"\1\\\2", neutralise(line)) + "  "
                              for line in c.text.split("\n")), ""]
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


_LIST_MARKER = re.compile(r"^(\d+)([.)])")


def _named(c: Citation, en: bool) -> str:
    """The provision's label and its article's title in the answer's language ("Art. 25a Law on IP — Rights of
    persons with disabilities…"); the verbatim title when the project has no English for it."""
    title = (c.title or c.title_vi) if en else c.title_vi
    return neutralise(c.label if en else c.label_vi) + (f" — {neutralise(title)}" if title else "")


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
    return lines + [note_markdown(c.text, lang), ""]


def note_markdown(text: str, lang: str) -> str:
    """A commentary note's part in the answer's language, as safe Markdown (in answers and on the note's card)."""
    return neutralise(_note_part(text, lang == "en"))


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


_VI_WHY = [  # retrieve.py's reasons for not serving a reference, in Vietnamese answers
    (re.compile(r"not yet in force on (\S+) \(from (\S+)\); earlier wording, if any, is not in the corpus"),
     r"chưa có hiệu lực tại ngày \1 (có hiệu lực từ \2); văn bản trước đó, nếu có, không có trong kho văn bản"),
    (re.compile(r"no longer in force on (\S+) \(until (\S+)\)"), r"không còn hiệu lực tại ngày \1 (hiệu lực đến \2)"),
    (re.compile(r"not in the corpus"), "không có trong kho văn bản"),
]


def _vi_why(why: str) -> str:
    for pattern, vi in _VI_WHY:
        why = pattern.sub(vi, why)
    return why


def _refusal(question: str, lang: str, as_of: date, warnings: list[str],
             topic: tuple[str, str] | None = None) -> str:
    hints = [gap.en if lang == "en" else gap.vi for gap in gaps(question)]
    if not hints and topic:      # refused by similarity: say what the question seems to be about
        hints = [f"this looks like a question about {topic[0]}, which this corpus does not hold" if lang == "en"
                 else f"câu hỏi có vẻ về {topic[1]}, nội dung mà kho văn bản không có"]
    if lang == "en":
        msg = f"This question is outside what the corpus covers (Vietnamese law: {holdings('en')}), so no provision is cited."
    else:
        msg = f"Câu hỏi nằm ngoài phạm vi kho văn bản ({holdings('vi')}), nên không trích dẫn quy định nào."
    if hints:
        hint = "; ".join(hints)
        msg += " " + hint[0].upper() + hint[1:] + "."      # not str.capitalize(): it lowers "Criminal Code"
    notes = "".join(f"\n\n_{neutralise(w)}_" for w in warnings)
    return msg + notes + f"\n\n_{DISCLAIMER[lang]}_"


def _horizon_warnings(index: Index, as_of: date, lang: str = "en") -> list[str]:
    """In the answer's language: an answer says every sentence in one language."""
    en, out = lang == "en", []
    day, horizon, oldest = as_of.isoformat(), index.horizon.isoformat(), index.oldest.isoformat()
    if as_of > index.horizon:
        out.append(f"The latest change in the corpus took effect on {horizon}; later changes to the law, if any, are "
                   "not reflected." if en else f"Thay đổi gần nhất trong kho văn bản có hiệu lực từ ngày {horizon}; "
                   "các thay đổi sau đó của pháp luật, nếu có, chưa được phản ánh.")
    if as_of < index.oldest:
        out.append(f"{day} is before the oldest text in the corpus ({oldest})." if en else
                   f"Ngày {day} sớm hơn văn bản cũ nhất trong kho văn bản ({oldest}).")
    return out
