"""Reading a corpus text file: UTF-8 or a CorpusError that says which encoding the file is in and how to convert it.

Vietnamese texts travel in several legacy encodings; read as UTF-8 they either fail to decode or, worse, decode into
plausible-looking garbage ("Ph¸p luËt" is TCVN3 read as Latin-1). Every such file is refused with the encoding named,
so nothing wrong is indexed.
"""
from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from ingest.errors import CorpusError

_TO_UTF8 = "convert it to UTF-8 (e.g. `iconv -f {enc} -t UTF-8`) or take the text again from its source"
# TCVN3 (ABC) puts Vietnamese letters on Latin-1 code points; these never occur in Vietnamese written in Unicode
# (Latin-1 letters that are also Vietnamese, like á or Ô, are left out).
_TCVN3_MARKS = set("¸µ¶·¹¨¾»¼½Æ©ÇË®ÐÎÏÑªÖ×ØÜÞßäåæç«¬ëîïñö÷ûüþ\xad¡¢§£¤¥¦")
# Letters only Vietnamese (in Unicode) has: ă đ ơ ư and the precomposed vowels with tone marks.
_VIETNAMESE = re.compile("[ăĂđĐơƠưƯ\u1ea0-\u1ef9]")


def read_text(path: Path) -> str:
    """The file's text, NFC. Raises CorpusError when it is missing, empty, binary or not UTF-8."""
    if not path.exists():
        raise CorpusError(str(path), None, "the file is missing", "restore it, or correct its path in manifest.toml")
    data = path.read_bytes()
    _check_bytes(path, data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise _legacy_encoding(path, data, e) from None
    if not text.strip():
        raise CorpusError(str(path), None, "the file contains only white space", "restore its text")
    line = tcvn3_line(text)
    if line:
        raise CorpusError(str(path), line, "the text is TCVN3 (ABC) Vietnamese read as Latin-1 (it shows as "
                          "\"Ph¸p luËt\" instead of \"Pháp luật\")", _TO_UTF8.format(enc="TCVN3") +
                          "; the Latin-1 garbage must first be turned back into bytes")
    return unicodedata.normalize("NFC", text)


def _check_bytes(path: Path, data: bytes) -> None:
    if not data:
        raise CorpusError(str(path), None, "the file is empty (0 bytes)", "restore its text")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise CorpusError(str(path), None, "the file is UTF-16 (it starts with a UTF-16 byte-order mark)",
                          _TO_UTF8.format(enc="UTF-16"))
    utf16 = _utf16_without_bom(data)
    if utf16:
        raise CorpusError(str(path), None, f"the file looks like {utf16} without a byte-order mark (every other "
                          "byte is NUL)", _TO_UTF8.format(enc=utf16))
    nul = data.find(b"\0")
    controls = sum(1 for b in data[:65536] if b < 32 and b not in b"\t\n\r\f")
    if nul >= 0 or controls > len(data[:65536]) // 100:
        at = nul if nul >= 0 else next(i for i, b in enumerate(data) if b < 32 and b not in b"\t\n\r\f")
        raise CorpusError(str(path), data[:at].count(b"\n") + 1, "the file is binary, not text (control bytes such "
                          "as NUL)", "put the plain-text (UTF-8) version of the document here")


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 of mostly ASCII-range text has NUL in every other byte: the high bytes, odd in LE, even in BE."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 8:
        return None
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    if odd > pairs * 0.3 and even < pairs * 0.05:
        return "UTF-16LE"
    if even > pairs * 0.3 and odd < pairs * 0.05:
        return "UTF-16BE"
    return None


def _legacy_encoding(path: Path, data: bytes, error: UnicodeDecodeError) -> CorpusError:
    line = data[:error.start].count(b"\n") + 1
    # CP1258 first: its combining tone marks sit on Latin-1 code points that TCVN3 uses too.
    if _looks_like_cp1258(data):
        encoding, name = "CP1258", "Windows-1258 (CP1258)"
    elif tcvn3_line(data.decode("latin-1")):
        encoding, name = "TCVN3", "TCVN3 (ABC), the old Vietnamese 8-bit font encoding"
    else:
        encoding, name = "the file's encoding", "an 8-bit encoding, not UTF-8"
    return CorpusError(str(path), line, f"the text is not UTF-8 (byte 0x{data[error.start]:02X} at offset "
                       f"{error.start}); it looks like {name}", _TO_UTF8.format(enc=encoding))


def _looks_like_cp1258(data: bytes) -> bool:
    """CP1258 writes Vietnamese with base letters plus combining tone marks: decoded and composed, its non-ASCII
    characters are Vietnamese letters."""
    text = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    non_ascii = [ch for ch in text if ord(ch) > 127]
    return bool(non_ascii) and sum(1 for ch in non_ascii if _VIETNAMESE.match(ch)) > len(non_ascii) * 0.5


def tcvn3_line(text: str) -> int | None:
    """The first line showing TCVN3 marks, when the text as a whole reads as TCVN3 rather than Vietnamese."""
    marks = sum(1 for ch in text if ch in _TCVN3_MARKS)
    if marks < 5 or marks < len(_VIETNAMESE.findall(text)) * 2:
        return None
    for n, line in enumerate(text.split("\n"), 1):
        if sum(1 for ch in line if ch in _TCVN3_MARKS) >= 2:
            return n
    return None
