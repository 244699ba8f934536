"""A question about a provision that is not in force on the date asked is answered about that provision.

"Điều 85 Nghị định 17/2023" as of 2026-12-08: Art. 85 was repealed from 2026-04-09 by Decree 134/2026 Art. 35(1),
and the answer says so, naming the repealing article, and shows its last wording as a labelled, not-in-force
citation (role "not_in_force") — not a list of unrelated provisions in force. The same for a provision that takes
effect later (Decree 17 Art. 37a as of 2026-04-08: inserted by Decree 134/2026 Art. 13 from 2026-04-09), and for a
date on which the provision was in force in a wording the corpus does not hold (IP Law Art. 25 as of 2022-06-01).
Everything is said in the question's language.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from assistant.question import neutralise
from assistant.contract import Citation
from ingest.references import Reference
from ingest.text import fold
from ingest.provisions import labels
from ingest.records import EARLIER_WORDING_MISSING, REPEALED, Provision

NOT_IN_FORCE = "not_in_force"
REPEALED_STATE, NOT_YET, EARLIER_MISSING = "repealed", "not_yet", "earlier_missing"
REPEALED_LATER = "repealed_later"      # asked before a repeal whose earlier wording the corpus does not hold

# Words that only ask for a provision's text ("what does Article 85 of Decree 17 say?", "nội dung Điều 85"): a
# question with nothing else is about the provision alone, so no other provision is listed beside it.
_ASKING = set("""what whats which does do did is was say says said provide provides provided state states text
content contents of the a an in on about under me show tell please quote full wording read rule rules and or
noi dung gi quy dinh the nao la cua trong theo ve cho xem toan van van ban hien hanh co hieu luc va hoac""".split())
_REFERENCE = re.compile(r"(diem|khoan|dieu|point|clause|article|art)\.?\s*\(?[0-9a-z]{1,4}\)?|\(\w{1,3}\)")
_INSTRUMENT_WORDS = re.compile(r"\b(nghi dinh|decree|nd-cp|nd|cp|luat|law|so huu tri tue|intellectual property|ip|"
                               r"tri tue nhan tao|artificial intelligence|ai|cong nghiep cong nghe so|digital|"
                               r"technology|industry|on|so|no)\b|\d+(/\d+)*(/[a-z0-9-]+)?")


@dataclass(frozen=True)
class Away:
    """A provision asked about that is not in force on `as_of`, and what to show instead."""
    ref: Reference
    state: str                  # REPEALED_STATE | NOT_YET | EARLIER_MISSING
    since: date                 # repealed from / takes effect on / first wording in the corpus from
    by: str                     # the source: "decree-134-2026:35.1", "footnote:39", "law-131-2025", "" if unknown
    shown: Provision | None     # the wording to show (last before, first after), None when the corpus has none
    act: str | None = None      # the amending act a footnote source names ("law-07-2022")
    words: tuple = ()           # (lang, the provision's name, the source's name) for "en" and "vi", set by find()
    pid: str = ""               # the provision id in the corpus


def find(index, refs: list[Reference], as_of: date) -> list[Away]:
    """The referenced provisions that exist in the corpus but are not in force on `as_of`."""
    out = []
    for ref in refs:
        pid = index._existing_id(ref)
        versions = sorted(index.versions.get(pid, []), key=lambda v: v.valid_from) if pid else []
        worded = [v for v in versions if v.status != EARLIER_WORDING_MISSING]
        on = next((v for v in versions if v.in_force_on(as_of)), None)
        if not worded:
            continue
        if on is not None and on.status == EARLIER_WORDING_MISSING:
            first = next(v for v in worded if v.valid_from > as_of)
            if first.status == REPEALED:     # known only as repealed: its wording (and whether it existed) unknown
                out.append(Away(ref, REPEALED_LATER, first.valid_from, first.started_by, None, first.amended_by))
            else:
                out.append(Away(ref, EARLIER_MISSING, first.valid_from, first.started_by, first, first.amended_by))
        elif on is not None and on.status == REPEALED:
            before = [v for v in worded if v.valid_from < on.valid_from and v.status != REPEALED]
            out.append(Away(ref, REPEALED_STATE, on.valid_from, on.started_by, before[-1] if before else None,
                            on.amended_by))
        elif on is None and worded[0].valid_from > as_of:
            out.append(Away(ref, NOT_YET, worded[0].valid_from, worded[0].started_by, worded[0], worded[0].amended_by))
        elif on is None:
            last = [v for v in worded if v.valid_to is not None and v.valid_to < as_of][-1]
            out.append(Away(ref, REPEALED_STATE, date.fromordinal(last.valid_to.toordinal() + 1), last.ended_by,
                            last))
    return [replace(a, pid=index._existing_id(a.ref), words=tuple((lang, _name(index, a.ref, lang == "en"), _source(index, a.by, lang == "en", a.act))
                                   for lang in ("en", "vi"))) for a in out]


def others(cited: list[Citation], away: list[Away], hits: list, question: str) -> list[Citation]:
    """The citations kept beside the provisions asked about: not those (a repeal stub "(được bãi bỏ)" is one), and,
    when the question asks for nothing but provisions, only the other provisions it names that are in force."""
    kept = [c for c in cited if all(c.id != a.pid for a in away)]
    if about_only(question):
        named = {h.provision.id for h in hits if h.exact}
        kept = [c for c in kept if c.id in named]
    return kept


def about_only(question: str) -> bool:
    """True when the question names provisions and asks for nothing else (then nothing else is listed)."""
    rest = _INSTRUMENT_WORDS.sub(" ", _REFERENCE.sub(" ", fold(question)))
    return all(w in _ASKING for w in re.findall(r"[a-z]+", rest))


def citations(index, away: list[Away]) -> list[Citation]:
    """The wordings shown, labelled: role "not_in_force", the only role whose dates may lie outside as_of."""
    from assistant.answer import citation
    from assistant.retrieve import Hit

    out = []
    for a in away:
        if a.shown is not None and all(c.id != a.shown.id for c in out):
            out.append(replace(citation(index, Hit(a.shown, 1.0, exact=True, chunk_text=a.shown.text)),
                               role=NOT_IN_FORCE))
    return out


def body(g, compose, disclaimer: str) -> str:
    """The whole extractive answer: each provision asked about first, with its shown wording quoted under a
    not-in-force label; then, if the question asked more, the law in force found for it (`compose`, answer.py's)."""
    lines = lead(g.away, g.citations, g.as_of, g.lang)
    if any(c.role != NOT_IN_FORCE for c in g.citations):
        return "\n".join(lines) + "\n" + compose(g.retrieval, g.citations, g.as_of, g.lang, g.warnings,
                                                   tuple(a.ref for a in g.away))
    lines += [f"_{neutralise(w if g.lang == 'en' else _vi_warning(w))}_" for w in g.warnings]
    return "\n".join(lines + [f"_{disclaimer}_"])


_HORIZON = re.compile(r"The latest change in the corpus took effect on (\S+); later changes to the law, if any, are "
                      r"not reflected\.")
_OLDEST = re.compile(r"(\S+) is before the oldest text in the corpus \((\S+)\)\.")


def _vi_warning(warning: str) -> str:
    """answer.py's date warnings, said in Vietnamese so that a Vietnamese answer is Vietnamese throughout."""
    warning = _HORIZON.sub(r"Thay đổi gần nhất trong kho văn bản có hiệu lực từ ngày \1; các thay đổi sau đó của pháp "
                           r"luật, nếu có, chưa được phản ánh.", warning)
    return _OLDEST.sub(r"Ngày \1 trước văn bản cũ nhất trong kho văn bản (\2).", warning)


def lead(away: list[Away], cited: list[Citation], as_of: date, lang: str) -> list[str]:
    """The answer's opening about each provision, then its shown wording quoted under a not-in-force label."""
    en = lang == "en"
    number = {c.id: n for n, c in enumerate(cited, 1)}
    lines: list[str] = []
    for a in away:
        c = next((c for c in cited if a.shown is not None and c.id == a.shown.id), None)
        lines += [_sentence(a, c, as_of, lang, number.get(c.id) if c else None), ""]
        if c is not None:
            lines += [_card_head(c, number[c.id], as_of, en), "",
                      *("> " + neutralise(line) for line in c.text.split("\n")), ""]
    return lines


def _sentence(a: Away, c: Citation | None, as_of: date, lang: str, n: int | None) -> str:
    en = lang == "en"
    name, by = next((name, by) for code, name, by in a.words if code == lang)
    day, since = as_of.isoformat(), a.since.isoformat()
    period = (f"{c.valid_from} – {c.valid_to or ('open' if en else 'nay')}" if c else "")
    mark = f" [{n}]" if n else ""
    if a.state == NOT_YET:
        if en:
            return (f"**{name} takes effect on {since}**" + (f", inserted by {by}" if by else "") +
                    f"; it is not in force on {day}. Its wording from {since}{mark}:")
        return (f"**{name} có hiệu lực từ ngày {since}**" + (f", được bổ sung theo {by}" if by else "") +
                f"; chưa có hiệu lực tại ngày {day}. Nội dung từ ngày {since}{mark}:")
    if a.state == REPEALED_LATER:
        if en:
            return (f"**On {day}, the corpus does not hold the wording of {name}**: the corpus knows it only as "
                    f"repealed from {since}" + (f" by {by}" if by else "") + "; its wording before that is not in "
                    "the corpus.")
        return (f"**Tại ngày {day}, kho văn bản không có nội dung của {name}**: kho văn bản chỉ ghi nhận quy định "
                f"này đã bị bãi bỏ từ ngày {since}" + (f" theo {by}" if by else "") + "; nội dung trước đó không có "
                "trong kho văn bản.")
    if a.state == EARLIER_MISSING:
        if en:
            return (f"**On {day}, {name} was in force in a wording the corpus does not hold**: the wording before "
                    f"{since} is not in the corpus" + (f" (it was amended on {since} by {by})" if by else "") +
                    f". The wording from {since}, which was not in force on {day}, for reference{mark}:")
        return (f"**Tại ngày {day}, {name} có hiệu lực theo nội dung không có trong kho văn bản**: nội dung trước "
                f"ngày {since} không có trong kho văn bản" + (f" (được sửa đổi từ ngày {since} theo {by})" if by else "")
                + f". Nội dung từ ngày {since}, chưa có hiệu lực tại ngày {day}, để tham khảo{mark}:")
    # "repealed" where a repealing article, a footnote or a "(được bãi bỏ)" stub says so; an article simply absent
    # from the 2026 consolidation "no longer applies"
    explicit = ":" in a.by or a.shown is None
    verb_en, verb_vi = ("was repealed", "đã bị bãi bỏ") if explicit else ("no longer applies", "không còn áp dụng")
    if en:
        head = f"**{name} {verb_en} from {since}**" + (f" by {by}" if by else "") + f"; it is not in force on {day}."
        return head + (f" Its last wording (in force {period}) was{mark}:" if c else
                       " Its wording before that is not in the corpus.")
    head = f"**{name} {verb_vi} từ ngày {since}**" + (f" theo {by}" if by else "") + f"; không còn hiệu lực tại ngày {day}."
    return head + (f" Nội dung cuối cùng (hiệu lực {period}) là{mark}:" if c else
                   " Nội dung trước đó không có trong kho văn bản.")


def _card_head(c: Citation, n: int, as_of: date, en: bool) -> str:
    period = f"{c.valid_from} – {c.valid_to or ('open' if en else 'nay')}"
    flag = (f"NOT IN FORCE on {as_of.isoformat()} (in force {period})" if en else
            f"KHÔNG có hiệu lực tại ngày {as_of.isoformat()} (hiệu lực {period})")
    return f"[{n}] **{neutralise(c.label if en else c.label_vi)}** · {flag}"


def _instrument(index, instrument: str, en: bool) -> str:
    pair = index.meta.get("instruments", {}).get(instrument)
    return (pair[0] if en else pair[1]) if pair else instrument


def _name(index, ref: Reference, en: bool) -> str:
    en_label, vi_label = labels(_instrument(index, ref.instrument, True), _instrument(index, ref.instrument, False),
                                ref.article, ref.clause, ref.point)
    if en:          # "Art. 85 of Decree 17/2023/ND-CP", as a lawyer writes it in a sentence
        instrument = _instrument(index, ref.instrument, True)
        return en_label[: -len(instrument)].rstrip() + " of " + instrument
    return vi_label


def _source(index, by: str, en: bool, act: str | None = None) -> str:
    """"decree-134-2026:35.1" -> "Decree 134/2026/ND-CP Art. 35(1)"; "footnote:39" -> the amending law `act` with
    the footnote of 155/VBHN-VPQH that records it; "law-131-2025" -> "Law 131/2025/QH15"."""
    if not by:
        return ""
    if by.startswith("footnote:"):
        n = by.split(":")[1]
        law = _instrument(index, act, en) if act else ("the amending law" if en else "luật sửa đổi")
        return f"{law}, footnote [{n}] of 155/VBHN-VPQH" if en else f"{law}, chú thích [{n}] của 155/VBHN-VPQH"
    instrument, _, path = by.partition(":")
    name = _instrument(index, instrument, en)
    if not path:
        return name
    article, *rest = path.split(".")
    clause, point = (rest + [None, None])[:2]
    if en:
        return f"{name} Art. {article}" + (f"({clause})" if clause else "") + (f"({point})" if point else "")
    vi = labels("", name, article, clause, point)[1]
    return vi[0].lower() + vi[1:] if vi.startswith(("Khoản", "Điểm")) else vi   # "theo khoản 1 Điều 35 …"
