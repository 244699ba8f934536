"""The assessment in words: the short answer an answer leads with ("Short answer (as of DATE): needs permission —
…"), the conditions as a checklist (✓ met, ✗ not met, ? unknown), duties, open questions and the facts read, each
with the markers [n] of the cards that show its provisions. English or Vietnamese, as the question.

Works on the assessment's JSON object (`Answer.assessment`), so the chat, the CLI, the Markdown export and
`vnip check` all say the same thing."""
from __future__ import annotations

from typing import Sequence

from assistant.question import neutralise
from assistant.contract import Citation
from assistant.verdict import markers

VERDICTS = {        # verdict -> (English, Vietnamese), as shown
    "allowed": ("allowed", "được phép"),
    "allowed_if": ("allowed if the conditions below hold", "được phép nếu đáp ứng các điều kiện dưới đây"),
    "needs_permission": ("needs permission", "cần xin phép"),
    "prohibited": ("prohibited", "bị cấm"),
    "unsettled": ("unsettled", "chưa rõ"),
    None: ("no verdict", "không kết luận"),
}
SHORT = {"allowed_if": ("allowed if", "được phép nếu")}     # in tables, where the conditions sit beside it
STATUS_MARK = {"met": "✓", "not_met": "✗", "unknown": "?"}
FACT_NAMES = {
    "purpose": ("purpose", "mục đích"), "material": ("material", "loại tài liệu"),
    "published": ("lawfully published", "đã công bố hợp pháp"), "access": ("access", "cách tiếp cận"),
    "reservation": ("rights reserved (opt-out)", "có bảo lưu quyền (từ chối)"),
    "later_commercial": ("later commercial exploitation", "khai thác thương mại về sau"),
}
VALUES_VI = {
    "commercial": "thương mại", "non_commercial": "phi thương mại", "lawful": "hợp pháp",
    "circumvents_protection": "vượt biện pháp bảo vệ", "literary": "tác phẩm văn học",
    "journalistic": "tác phẩm báo chí", "pure_news": "tin tức thời sự thuần túy", "legal_text": "văn bản pháp luật",
    "figures": "số liệu", "compilation": "tuyển tập, cơ sở dữ liệu", "software": "chương trình máy tính",
    "performance": "cuộc biểu diễn", "recording": "bản ghi âm, ghi hình", "broadcast": "chương trình phát sóng",
    "expired": "hết thời hạn bảo hộ",
}
TEXT = {
    "short": ("Short answer (as of {day})", "Trả lời ngắn (tại ngày {day})"),
    "conditions": ("Conditions", "Điều kiện"),
    "duties": ("Duties", "Nghĩa vụ"),
    "open": ("Open questions", "Vấn đề còn để ngỏ"),
    "facts": ("Facts read from the question", "Dữ kiện đọc từ câu hỏi"),
    "unsaid": ("not said", "chưa nêu"),
    "regime": ("Law in force", "Pháp luật có hiệu lực"),
    "legend": ("✓ met · ✗ not met · ? not known from the question",
               "✓ đáp ứng · ✗ không đáp ứng · ? chưa rõ từ câu hỏi"),
    "yes": ("yes", "có"), "no": ("no", "không"),
}


def _t(key: str, lang: str) -> str:
    return TEXT[key][0 if lang == "en" else 1]


def verdict_label(verdict: str | None, lang: str, short: bool = False) -> str:
    names = (SHORT.get(verdict) if short else None) or VERDICTS.get(verdict, (str(verdict), str(verdict)))
    return names[0 if lang == "en" else 1]


def fact_value(value, lang: str) -> str:
    if value is None:
        return _t("unsaid", lang)
    if isinstance(value, bool):
        return _t("yes" if value else "no", lang)
    text = str(value)
    return text.replace("_", " ") if lang == "en" else VALUES_VI.get(text, text.replace("_", " "))


def facts_line(facts: dict, lang: str) -> str:
    said = [f"{FACT_NAMES.get(k, (k, k))[0 if lang == 'en' else 1]}: {fact_value(v, lang)}"
            for k, v in facts.items() if v is not None]
    unsaid = [FACT_NAMES.get(k, (k, k))[0 if lang == "en" else 1] for k, v in facts.items() if v is None]
    parts = said + ([f"{_t('unsaid', lang)}: {', '.join(unsaid)}"] if unsaid else [])
    return f"*{_t('facts', lang)}: {neutralise('; '.join(parts)) or '—'}.*"


def _items(items: Sequence[dict], citations: Sequence[Citation], mark: bool) -> list[str]:
    lines = []
    for item in items:
        cites = markers(item.get("cites") or [], citations)
        head = f"{STATUS_MARK.get(item.get('status'), '?')} " if mark else ""
        lines.append(f"- {head}{neutralise(item['text'])}{' ' + cites if cites else ''}")
    return lines


def lead(assessment: dict, citations: Sequence[Citation], lang: str) -> str:
    """The Markdown the answer starts with. `citations`: the answer's cards, numbered from 1 (markers point
    at them)."""
    day = assessment["as_of"]
    cites = markers(assessment.get("cites") or [], citations)
    lines = [f"**{_t('short', lang).format(day=day)}: {verdict_label(assessment.get('verdict'), lang)}** — "
             f"{neutralise(assessment.get('summary') or '')}{' ' + cites if cites else ''}", ""]
    regime = assessment.get("regime") or {}
    if regime.get("label"):
        lines += [f"*{_t('regime', lang)}: {neutralise(regime['label'])}.*", ""]      # the label holds the dates
    for key, heading, mark in (("conditions", "conditions", True), ("duties", "duties", False),
                               ("open_questions", "open", False)):
        items = assessment.get(key) or []
        if items:
            lines += [f"**{_t(heading, lang)}**" + (f" ({_t('legend', lang)})" if mark else "") + ":", ""]
            lines += _items(items, citations, mark) + [""]
    if assessment.get("facts"):
        lines += [facts_line(assessment["facts"], lang), ""]
    return "\n".join(lines)
