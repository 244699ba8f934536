"""What a question may be, and how text is made safe to show as Markdown.

A question is read as NFC with control characters removed (a NUL or an escape sequence pasted from a terminal
carries no meaning). An empty question is refused with QuestionError. A very long one — a whole contract pasted in —
is answered, not refused: the head and the tail are used to find provisions (what people ask is usually said before
or after what they paste), and the answer says so. Past MAX_CHARS the question is refused: that is no question
but a document, and reading it would only slow every other user down.

Anything quoted from the question, the corpus or the commentary into the Markdown answer goes through
`neutralise()`: HTML and link/image syntax become character references, which Markdown shows as the characters
themselves but never as a tag, a link or an image.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_CHARS = 100_000          # refused beyond this
RETRIEVAL_CHARS = 2_000      # used to find provisions: the first and the last half of this
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


class QuestionError(ValueError):
    """The question cannot be answered as given; the message says what to do."""


@dataclass(frozen=True)
class Question:
    text: str                # NFC, control characters removed, white space trimmed
    search_text: str         # what retrieval reads: `text`, or its head and tail when it is long
    shortened: bool

    @property
    def notice(self) -> str | None:
        return self.notice_in("en")

    def notice_in(self, lang: str) -> str | None:
        """The shortening notice in the answer's language ("en", else Vietnamese)."""
        if not self.shortened:
            return None
        half = RETRIEVAL_CHARS // 2
        if lang == "en":
            return (f"The question has {len(self.text):,} characters; only the first {half:,} and the last {half:,} "
                    f"were used to find provisions. Ask about the clause that matters for a more precise answer.")
        n, h = (f"{x:,}".replace(",", ".") for x in (len(self.text), half))      # Vietnamese groups with dots
        return (f"Câu hỏi có {n} ký tự; chỉ {h} ký tự đầu và {h} ký tự cuối được dùng để tìm quy định. Hãy hỏi "
                f"về điều khoản cần quan tâm để có câu trả lời chính xác hơn.")


def read_question(raw) -> Question:
    """Validate and normalise a question; QuestionError for what cannot be answered."""
    if not isinstance(raw, str):
        raise QuestionError("the question must be text")
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", raw).replace("\r\n", "\n"))
    text = re.sub(r"[ \t]+", " ", text).strip()
    if not text:
        raise QuestionError("the question is empty; ask something, e.g. \"Can I train an AI model on news "
                            "articles?\"")
    if len(text) > MAX_CHARS:
        raise QuestionError(f"the question has {len(text):,} characters; the limit is {MAX_CHARS:,}. Ask about the "
                            "clause that matters rather than pasting a whole document.")
    if len(text) <= RETRIEVAL_CHARS:
        return Question(text, text, False)
    half = RETRIEVAL_CHARS // 2
    return Question(text, f"{text[:half]}\n…\n{text[-half:]}", True)


_ACTIVE = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "[": "&#91;", "]": "&#93;"}
_ACTIVE_RE = re.compile(r"[&<>\[\]]")


def neutralise(text: str) -> str:
    """Text that Markdown shows as written: no HTML, no links, no images. Emphasis and line breaks stay."""
    return _ACTIVE_RE.sub(lambda m: _ACTIVE[m.group()], text)
