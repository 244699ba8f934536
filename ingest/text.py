"""Text folding shared by reference parsing and keyword search."""
from __future__ import annotations

import re
import unicodedata


def fold(text: str) -> str:
    """Lower case without diacritics: how people type Vietnamese on a keyboard without an IME."""
    return unaccented(text.lower())


def unaccented(text: str) -> str:
    """Without diacritics, case kept."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    return _WORD.findall(unicodedata.normalize("NFC", text.lower()))


def has_diacritics(text: str) -> bool:
    return fold(text) != text.lower().replace("đ", "d")
