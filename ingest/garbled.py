"""Is extracted PDF text readable? Two failures are common in Vietnamese PDFs and both extract as "text":
fonts without a Unicode map (control, private-use or replacement characters, or pdfminer-style "(cid:NN)" runs),
and documents typed in the pre-Unicode TCVN3 (ABC) or VNI encodings, whose letters come out as Latin-1 symbols
("Lu\u00cbt" for "Luật", "§iÒu" for "Điều", "Luaät" for "Luật"). Either would index noise, so the page is refused."""
from __future__ import annotations

import re
import unicodedata

MIN_CHARS = 20            # shorter pages say too little to judge
MAX_BAD_SHARE = 0.10      # bullets from a Symbol font are a few percent of a page; an unmapped font is most of it
MAX_LEGACY_SHARE = 0.10   # share of words bearing a TCVN3/VNI mark; measured: Unicode statutes 0, TCVN3/VNI ≥ 0.35
MIN_LEGACY_WORDS = 5      # and at least this many: one "Acme®" in a short line is not an encoding

CID = re.compile(r"\(cid:\d+\)")
# TCVN3 puts Vietnamese letters on Latin-1 symbols (¨ © ª « ¬ ® µ ¶ · ¸ ¹ …) and on capitals (Ò Þ Ë …) that then
# sit inside lower-case words; VNI writes a base vowel followed by a Latin-1 letter carrying the tone or the hat.
TCVN3_SYMBOLS = set("¡¢£¤¥¦§¨©ª«¬\u00ad®µ¶·¸¹»¼½¾")
LOWER_THEN_LATIN1_CAPITAL = re.compile(r"[a-zà-ÿ][À-ÖØ-Þ]")
# Only the VNI marks that are not themselves Vietnamese letters count: "quân", "hoàn", "tiên" are real words.
VNI_MARKS = re.compile(r"[aeiouyâêôöAEIOUYÂÊÔÖ][øûïåäëüæØÛÏÅÄËÜÆ]|^[ñÑ]\w|\w[öÖ][ôõøùûïâ]")


def unmapped_share(text: str) -> float:
    """Share of non-space characters that no reader can read: the font had no Unicode map."""
    cid_chars = sum(len(m) for m in CID.findall(text))
    rest = CID.sub("", text)
    bad = sum(1 for ch in rest if _unreadable(ch))
    total = cid_chars + sum(1 for ch in rest if not ch.isspace())
    return (cid_chars + bad) / total if total else 0.0


def _unreadable(ch: str) -> bool:
    if ch in "\n\r\t":
        return False
    cat = unicodedata.category(ch)
    return ch == "\ufffd" or cat in ("Cc", "Co", "Cs") or (cat == "Cf" and ch != "\u00ad")


def legacy_words(text: str) -> tuple[int, int]:
    """(words that carry a TCVN3 or VNI mark, words): none are marked in Unicode Vietnamese, English or French."""
    tokens = [t for t in text.split() if any(ch.isalpha() for ch in t)]
    return sum(1 for t in tokens if _legacy_word(t)), len(tokens)


def legacy_share(text: str) -> float:
    marked, total = legacy_words(text)
    return marked / total if total else 0.0


def _legacy_word(token: str) -> bool:
    if LOWER_THEN_LATIN1_CAPITAL.search(token) or VNI_MARKS.search(token):
        return True
    # a TCVN3 symbol touching a letter ("c¸c", "§iÒu"); a free-standing "©" or "®" after a name is rare enough
    return any(ch in TCVN3_SYMBOLS and _touches_letter(token, i) for i, ch in enumerate(token))


def _touches_letter(token: str, i: int) -> bool:
    if token[i] == "®":    # TCVN3's đ starts a syllable; "Acme®" ends a name
        return i + 1 < len(token) and token[i + 1].isalpha()
    return any(0 <= j < len(token) and token[j].isalpha() and token[j] not in TCVN3_SYMBOLS for j in (i - 1, i + 1))


def problem(text: str) -> tuple[str, str] | None:
    """(what is wrong, how to fix it) for unreadable page text, or None when it reads as text."""
    if sum(1 for ch in text if not ch.isspace()) < MIN_CHARS:
        return None
    share = unmapped_share(text)
    if share > MAX_BAD_SHARE:
        return (f"the text cannot be read: {share:.0%} of its characters come from a font without a Unicode map",
                "export the PDF again from the original document (\"Save as PDF\" with embedded Unicode fonts), "
                "or run OCR on it")
    marked, total = legacy_words(text)
    share = marked / total if total else 0.0
    if share > MAX_LEGACY_SHARE and marked >= MIN_LEGACY_WORDS:
        return (f"the text is in an old Vietnamese encoding (TCVN3/ABC or VNI): {share:.0%} of its words read as "
                "Latin-1 symbols instead of Vietnamese letters",
                "convert the source document to Unicode (e.g. UniKey's converter, TCVN3 or VNI → Unicode) and "
                "export the PDF again")
    return None
