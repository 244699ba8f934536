"""Parse Vietnamese statute text into the Instrument -> Article -> Clause -> Point tree.

The sources are copies of official texts in several shapes (consolidations with footnotes, Markdown
exports, a gazette PDF extraction); the parser works line by line with a small state machine so that
each quirk is one rule. Numbers and labels are kept exactly as printed because provision ids are
built from them (`ip-law:25.1.đ`, `ip-law:109.2.c1`).
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

from ingest.errors import CorpusError
from ingest.records import Article, Clause, Instrument, Point
from ingest.references import ARTICLE_HEADING, CLAUSE_HEADING, POINT_HEADING

PDF_INSTRUMENTS = {"digital-tech-law"}

_ARTICLE_RE, _CLAUSE_RE, _POINT_RE = ARTICLE_HEADING, CLAUSE_HEADING, POINT_HEADING   # ingest/references.py
_HEADING_RE = re.compile(r"^(Phần thứ \w+|Chương [IVXLCDM]+|Mục \d+)\s*\.?\s*(.*)$")
_HEADING_LEVEL = {"Phần": 0, "Chương": 1, "Mục": 2}
_FOOTNOTE_RE = re.compile(r"\[(\d+)\]")
_FOOTNOTE_LINE_RE = re.compile(r"^\[(\d+)\]$")
_REPEAL_RE = re.compile(r"^\(?(?:Điều này |Khoản này |Điểm này )?được bãi bỏ\)?\.?$", re.IGNORECASE)
# A line that ends the enacting text: signature block, consolidation certificate, annexes.
_STOP_RE = re.compile(
    r"^(?:TM\.|KT\.|Q\.\s|Nơi nhận|XÁC THỰC VĂN BẢN HỢP NHẤT|Phụ lục\b|PHỤ LỤC\b|Mẫu số\b|_{3,}$"
    r"|(?:CHỦ TỊCH(?: QUỐC HỘI)?|CHỦ NHIỆM|THỦ TƯỚNG|PHÓ THỦ TƯỚNG|VĂN|VĂN PHÒNG QUỐC HỘI)$"
    r"|(?:Luật|Nghị quyết|Pháp lệnh) này (?:đã )?được Quốc hội .*)"
)
_SENTENCE_END = (".", ";", ":", "!", "?")
_CLOSING_PUNCT = ".,;:!?)]”…"
# Point letters in the order Vietnamese drafting uses them (no f, j, w, z).
_POINT_ORDER = "a b c d đ e g h i k l m n o p q r s t u v x y".split()


@dataclass
class _Line:
    text: str
    start: int      # first source line (index into the raw lines)
    end: int        # last source line, inclusive


# ---------------------------------------------------------------- text normalisation


def _norm(line: str) -> str:
    line = unicodedata.normalize("NFC", line).replace("\xa0", " ")
    line = re.sub(r"^#+\s+", "", line.strip())   # Markdown heading marks of the web exports
    return re.sub(r"\s+", " ", line).strip()


def _starts_lower_or_punct(frag: str) -> bool:
    # Opening quotes and brackets are left out: after a finished sentence “…” or (…) opens a new
    # paragraph (quoted new text, "(được bãi bỏ)"); after an unfinished one it continues anyway.
    ch = frag[0]
    return ch.islower() or not ch.isalnum() and ch not in "“(\"'"


def _continues(prev: str, frag: str) -> bool:
    """A fragment continues the previous paragraph (space) unless the paragraph reads as finished."""
    return not prev.rstrip().endswith(_SENTENCE_END) or _starts_lower_or_punct(frag)


def _glue(prev: str, frag: str) -> str:
    if frag[0] in _CLOSING_PUNCT:
        return prev + frag
    left, _, last = prev.rpartition(" ")
    first, _, rest = frag.partition(" ")
    if _is_split_syllable(last, first):   # a title broken mid-syllable ("Đơn đăng k" / "ý")
        return f"{left} {last}{first} {rest}".strip()
    return f"{prev} {frag}"


def _is_open(text: str) -> bool:
    """The text ends mid-sentence (so the next line most likely continues it)."""
    last = text.rpartition("\n")[2]
    return bool(last) and not last.endswith(_SENTENCE_END) and not _REPEAL_RE.match(last)


def _append(text: str, frag: str) -> str:
    if not text:
        return frag
    return _glue(text, frag) if _continues(text, frag) else f"{text}\n{frag}"


# ---------------------------------------------------------------- Vietnamese syllables (for repairs)

_VOWELS = "aăâeêioôơuưy"
_TONED = {}
for _base, _forms in {
    "a": "àáảãạ", "ă": "ằắẳẵặ", "â": "ầấẩẫậ", "e": "èéẻẽẹ", "ê": "ềếểễệ", "i": "ìíỉĩị",
    "o": "òóỏõọ", "ô": "ồốổỗộ", "ơ": "ờớởỡợ", "u": "ùúủũụ", "ư": "ừứửữự", "y": "ỳýỷỹỵ",
}.items():
    for _tone, _ch in zip("`'?~.", _forms):
        _TONED[_ch] = (_base, _tone)
_INITIALS = {"b", "c", "ch", "d", "đ", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh",
             "p", "ph", "q", "qu", "r", "s", "t", "th", "tr", "v", "x"}
_FINALS = {"", "c", "ch", "m", "n", "ng", "nh", "p", "t"}
_SYLLABLE_RE = re.compile(r"^([^aăâeêioôơuưy]*)([aăâeêioôơuưy]{1,3})([^aăâeêioôơuưy]*)$")


def _strip_tones(word: str) -> tuple[str, list[str]]:
    bases, tones = [], []
    for ch in word:
        base, tone = _TONED.get(ch, (ch, ""))
        bases.append(base)
        if tone:
            tones.append(tone)
    return "".join(bases), tones


def _is_syllable(word: str) -> bool:
    base, tones = _strip_tones(word.lower())
    m = _SYLLABLE_RE.match(base)
    if not m or len(tones) > 1:
        return False
    initial, nucleus, final = m.groups()
    if initial not in _INITIALS | {""} or final not in _FINALS:
        return False
    if final in {"nh", "ch"} and (nucleus[-1] not in "aêiy" or nucleus.endswith(("iê", "yê"))):
        return False
    # Stop finals only carry the sắc or nặng tone: "vàc" is no syllable, "chức" is.
    return not (final in {"c", "ch", "p", "t"} and tones and tones[0] not in "'.")


def _has_vowel(word: str) -> bool:
    return any(_strip_tones(ch)[0] in _VOWELS for ch in word.lower())


def _is_split_syllable(left: str, right: str) -> bool:
    """`left right` is one syllable cut in two: one side has no vowel at all ("ngh ệ", "chứ c")."""
    if not (left.isalpha() and right.isalpha()) or not _is_syllable(left + right):
        return False
    if not _has_vowel(left):
        return left.lower() in _INITIALS and _has_vowel(right)
    return not _has_vowel(right) and _has_vowel(left)


# ---------------------------------------------------------------- PDF artefacts

_PAGE_HEADER_RE = re.compile(r"^(?:\d+\s+)?CÔNG BÁO/Số [\d +]+/Ngày [\d-]+(?:\s+\d+)?$")
# The title block of the act that the PDF extractor dropped into the middle of Art. 3.
_STRAY_RE = re.compile(r"^(?:QUỐC HỘI|Luật số: \d+/\d{4}/QH\d+|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
                       r"|Độc lập - Tự do - Hạnh phúc)$")


def _is_structural(line: str) -> bool:
    return bool(_ARTICLE_RE.match(line) and _looks_like_article(line) or _CLAUSE_RE.match(line)
                or _POINT_RE.match(line) or _heading_match(line) or _is_title_line(line)
                or _STOP_RE.match(line))


def _pdf_lines(raw_lines: list[str]) -> list[_Line]:
    out: list[_Line] = []
    for i, raw in enumerate(raw_lines):
        line = _norm(raw)
        if not line or _PAGE_HEADER_RE.match(line) or _STRAY_RE.match(line):
            continue
        line = re.sub(r"\s+([,;:.)])(?=\s|$)", r"\1", line)   # "luật , chiến" -> "luật, chiến"
        line = re.sub(r"(?<=\d/) (?=[A-ZĐ]{2})", "", line)     # "43/2024/ QH15"
        prev = out[-1] if out else None
        if prev and not _is_structural(line) and _pdf_continues(prev.text, line):
            prev.text, prev.end = _glue(prev.text, line), i
        else:
            out.append(_Line(line, i, i))
    return out


def _pdf_continues(prev: str, line: str) -> bool:
    if _ARTICLE_RE.match(prev) or _heading_match(prev) or _is_title_line(prev):
        return _starts_lower_or_punct(line)   # a wrapped heading continues in lower case only
    return _continues(prev, line)


def _repair_line(line: str, vocab: Counter) -> str:
    tokens = line.split(" ")
    out: list[str] = []
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if out and not _opens_next(out[-1], tok, nxt, vocab) and _should_merge(out[-1], tok, vocab):
            out[-1] += tok
        else:
            out.append(tok)
    return " ".join(out)


def _word(token: str) -> str:
    return token.rstrip(_CLOSING_PUNCT)


def _opens_next(prev: str, tok: str, nxt: str, vocab: Counter) -> bool:
    """"vụ c ông": the lone consonant opens the next syllable rather than closing the previous one."""
    if _has_vowel(tok) or not _should_merge(tok, nxt, vocab):
        return False
    return vocab[(tok + _word(nxt)).lower()] >= vocab[(prev + tok).lower()]


def _should_merge(left: str, right: str, vocab: Counter) -> bool:
    core = _word(right)
    if not (left.isalpha() and core.isalpha()):
        return False
    whole = (left + core).lower()
    # A lone letter is often a point label ("điểm c", "và n"): rejoin it only into a common word,
    # or, as an initial, onto a fragment seen nowhere else ("suy l uận").
    if len(core) == 1 and _has_vowel(left) and vocab[whole] < 3:
        return False
    if len(left) == 1 and vocab[whole] < 3 and vocab[core.lower()] > 2:
        return False
    if _is_split_syllable(left, core):
        return True
    # Both halves look like syllables ("khu yến", "tư ớng", "hộ i"): merge only when the whole word is
    # common in this very text while one half is rare (a fragment), and the right half starts with a vowel.
    return (_is_syllable(whole) and _has_vowel(core[0]) and vocab[whole] >= 2
            and min(vocab[left.lower()], vocab[core.lower()]) <= 2)


def clean_pdf_text(text: str) -> str:
    """Repair PDF-extraction artefacts: page headers, the stray title block, broken lines, split syllables.

    Returns one line per paragraph/heading. Conservative: a split is rejoined only when one half
    cannot be a syllable on its own, or when the joined word is common in the same text.
    """
    return "\n".join(line.text for line in _pdf_paragraphs(unicodedata.normalize("NFC", text).splitlines()))


def _pdf_paragraphs(raw_lines: list[str]) -> list[_Line]:
    lines = _pdf_lines(raw_lines)
    # Most occurrences of a word are intact, so the text's own vocabulary tells fragments from words.
    vocab = Counter(re.findall(r"\w+", " ".join(line.text for line in lines).lower()))
    for line in lines:
        line.text = _repair_line(line.text, vocab)
    return lines


# ---------------------------------------------------------------- line classification


def _heading_match(line: str) -> re.Match | None:
    m = _HEADING_RE.match(line)
    # "Chương trình ..." or a sentence starting "Mục 2 của ..." is text; a heading stands alone or
    # carries an upper-case title.
    if m and (not m.group(2) or m.group(2) == m.group(2).upper()):
        return m
    return None


def _is_title_line(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 3 and line == line.upper() and not _STOP_RE.match(line)


def _looks_like_article(line: str) -> bool:
    m = _ARTICLE_RE.match(line)
    title = m.group(3)
    # "Điều 44 của Luật này." is a cross-reference continuing the previous line, not a heading.
    return not title or bool(m.group(2)) and not title[0].islower()


def _join_split_footnotes(lines: list[_Line]) -> list[_Line]:
    """Rejoin markers broken across lines: "[2" / "06]", "[" / "94] text", "[185" / "] text"."""
    out: list[_Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev and re.search(r"\[\d*$", prev.text) and re.match(r"^\d*\]", line.text):
            prev.text, prev.end = prev.text + line.text, line.end
        else:
            out.append(line)
    return out


def _take_footnotes(text: str) -> tuple[str, list[str]]:
    notes = _FOOTNOTE_RE.findall(text)
    if notes:
        text = re.sub(r"\s*\[\d+\]\s*", " ", text)
        text = re.sub(r"\s+([.,;:)])", r"\1", text)
    return re.sub(r"\s+", " ", text).strip(), notes


def _split_footnote_section(lines: list[_Line]) -> tuple[list[_Line], dict[str, str]]:
    """The 2025 consolidation appends its notes after a rule line; they quote articles of amending laws."""
    for i in range(1, len(lines)):
        if _FOOTNOTE_LINE_RE.match(lines[i].text) and re.fullmatch(r"_{10,}", lines[i - 1].text):
            return lines[: i - 1], _parse_footnotes(lines[i:])
    return lines, {}


def _parse_footnotes(lines: list[_Line]) -> dict[str, str]:
    notes: dict[str, list[str]] = {}
    current = None
    for line in lines:
        if line.text == "(*)":   # the data-source credit that closes the file
            break
        m = re.match(r"^\[(\d+)\]\s*(.*)$", line.text)
        if m:
            current = notes.setdefault(m.group(1), [])
            if m.group(2):
                current.append(m.group(2))
        elif current is not None:
            current.append(line.text)
    return {k: "\n".join(v) for k, v in notes.items()}


# ---------------------------------------------------------------- the tree builder


def _article_key(number: str) -> tuple[int, str]:
    m = re.match(r"(\d+)(.*)", number)
    return int(m.group(1)), m.group(2)


def _point_key(label: str) -> tuple[int, str]:
    return _POINT_ORDER.index(label[0]), label[1:]


class _Builder:
    def __init__(self, instrument_id: str, raw_lines: list[str], source: str):
        self.inst = Instrument(id=instrument_id)
        self.raw_lines = raw_lines
        self.source = source
        self.line = 0                              # 1-based source line being read, for errors
        self.first_line: dict[str, int] = {}       # provision -> the line it was first seen on
        self.restart: tuple[str, int] | None = None   # numbering went back here: annexes, or a duplicate
        self.path: list[str | None] = [None, None, None]
        self.heading: list[str] | None = None     # a heading still collecting its title lines
        self.level = 0
        self.article: Article | None = None
        self.span = (0, 0)
        self.want_title = False
        self.want_dot = False
        self.quote_depth = 0
        self.stopped = False

    # -- nodes

    def _clause(self) -> Clause | None:
        return self.article.clauses[-1] if self.article and self.article.clauses else None

    def _point(self) -> Point | None:
        clause = self._clause()
        return clause.points[-1] if clause and clause.points else None

    def _node(self):
        return self._point() or self._clause() or self.article

    def _body(self) -> Clause:
        if not self.article.clauses:
            self.article.clauses.append(Clause(number="", text=""))
        return self.article.clauses[-1]

    # -- dispatch

    def feed(self, line: _Line) -> None:
        self.line = line.start + 1
        if self.stopped:
            return self._check_after_stop(line)
        text, notes = _take_footnotes(line.text)
        if self.want_dot and text == ".":      # "Điều 1" / "." / "Phạm vi điều chỉnh"
            self.want_dot = False
            return self._extend(line)
        if text:
            self.want_dot = False
        if self.quote_depth > 0 or text.startswith("“") and self._opens_quote(text):
            self._quoted(text)
        elif not text:
            pass
        elif self._try_heading(text) or self._try_article(text, line):
            pass
        elif self.stopped or self.article is None:
            return     # preamble
        elif _STOP_RE.match(text):
            self.stopped = True
            return
        elif not (self._try_clause(text) or self._try_point(text)):
            self._text(text)
        self._attach(notes)
        self._extend(line)

    def _check_after_stop(self, line: _Line) -> None:
        """Numbering that went back and then continues past the last article was no annex: an article is
        duplicated or out of place, and everything after it would be lost."""
        if self.restart is None or self.article is None:
            return
        text = _take_footnotes(line.text)[0]
        m = _ARTICLE_RE.match(text)
        if m and _looks_like_article(text) and _article_key(m.group(1)) > _article_key(self.article.number):
            number, at = self.restart
            first = self.first_line.get(number)
            where = f" (first at line {first})" if first else ""
            raise CorpusError(self.source, at, f"Điều {number} comes after Điều {self.article.number}{where}, and "
                              f"the numbering goes on with Điều {m.group(1)} at line {line.start + 1}: a duplicated "
                              "or misplaced article", "remove the duplicate, or put the article back in its place")

    def _duplicate(self, what: str, key: str) -> CorpusError:
        return CorpusError(self.source, self.line, f"{what} appears twice in Điều {self.article.number} (first at "
                           f"line {self.first_line.get(key, '?')})", "remove the duplicate or correct its number")

    def _opens_quote(self, text: str) -> bool:
        return self.article is not None and text.count("“") > text.count("”")

    def _extend(self, line: _Line) -> None:
        if self.article is not None:
            self.span = (self.span[0], line.end)

    def _attach(self, notes: list[str]) -> None:
        node = self._node()
        if node is not None:
            node.footnotes.extend(n for n in notes if n not in node.footnotes)

    # -- rules

    def _quoted(self, text: str) -> None:
        """Text quoted by an amending act belongs to the operation that quotes it, verbatim."""
        self.quote_depth = max(0, self.quote_depth + text.count("“") - text.count("”"))
        self.want_title = False
        target = self._point() or self._body()
        bare = text.lstrip("“")
        structural = _ARTICLE_RE.match(bare) or _CLAUSE_RE.match(bare) or _POINT_RE.match(bare)
        if structural and target.text:
            target.text += "\n" + text
        else:
            target.text = _append(target.text, text)

    def _try_heading(self, text: str) -> bool:
        if self.heading is not None and _is_title_line(text):
            self.heading.append(text)
            self._set_heading_path()
            return True
        m = _heading_match(text)
        if not m:
            self.heading = None
            return False
        self._finish_article()
        label = m.group(1)
        self.heading = [label] + ([m.group(2)] if m.group(2) else [])
        self.level = _HEADING_LEVEL[label.split()[0]]
        self.path[self.level:] = [None] * (3 - self.level)
        self._set_heading_path()
        return True

    def _set_heading_path(self) -> None:
        label, *title = self.heading
        self.path[self.level] = f"{label}. {' '.join(title)}" if title else label

    def _try_article(self, text: str, line: _Line) -> bool:
        m = _ARTICLE_RE.match(text)
        if not m or not _looks_like_article(text) or not self._is_new_article(m.group(1), text):
            return False
        self._finish_article()
        number, dot, title = m.groups()
        self.article = Article(number=number, title="", chapter_path=[p for p in self.path if p])
        self.first_line[number] = self.line
        self.span = (line.start, line.end)
        self.want_dot = not dot and not title
        self.want_title = not title
        if title:
            self._title(title)
        return True

    def _is_new_article(self, number: str, text: str) -> bool:
        if self.article is None:
            return True
        node = self._point() or self._clause()
        open_text = bool(node) and _is_open(node.text)
        if _article_key(number) <= _article_key(self.article.number):
            # Numbering restarts after a finished text: annex forms with their own "Điều 1".
            self.stopped = not open_text
            if self.stopped:
                self.restart = (number, self.line)
            return False
        # A bare "Điều 44." inside an unfinished sentence is a cross-reference split by the source.
        return not (open_text and not _ARTICLE_RE.match(text).group(3))

    def _title(self, title: str) -> None:
        if _REPEAL_RE.match(title):
            self.article.repealed = True
            self._body().text = title
        else:
            self.article.title = title
        self.want_title = False

    def _try_clause(self, text: str) -> bool:
        m = _CLAUSE_RE.match(text)
        if not m:
            return False
        number, rest = m.group(1), m.group(2) or ""
        numbered = [c.number for c in self.article.clauses if c.number]
        key = f"{self.article.number}.{number}"
        if number in numbered and not _is_open((self._point() or self._clause()).text):
            raise self._duplicate(f"Clause {number}", key)
        # Out of sequence means text that happens to start with a number; but a lettered clause
        # may precede its base ("1a." before "1." in IP law Art. 110).
        if number in numbered or numbered and _article_key(number)[0] < _article_key(numbered[-1])[0]:
            return False
        self.want_title = False
        self.first_line[key] = self.line
        self.article.clauses.append(Clause(number=number, text=rest))
        return True

    def _try_point(self, text: str) -> bool:
        m = _POINT_RE.match(text)
        if not m or m.group(1)[0] not in _POINT_ORDER:
            return False
        clause = self._body()
        label = m.group(1)
        key = f"{self.article.number}.{clause.number}.{label}"
        if any(p.label == label for p in clause.points) and not _is_open(clause.points[-1].text):
            raise self._duplicate(f"Point {label}) of clause {clause.number or '(body)'}", key)
        if clause.points and _point_key(label) <= _point_key(clause.points[-1].label):
            return False
        self.want_title = False
        self.first_line[key] = self.line
        clause.points.append(Point(label=label, text=m.group(2) or ""))
        return True

    def _text(self, text: str) -> None:
        if self.want_title and not self.article.clauses:
            return self._title(text)
        if not self.article.clauses and self.article.title and _starts_lower_or_punct(text):
            self.article.title = _glue(self.article.title, text)    # title wrapped onto a new line
            return
        node = self._point() or self._body()
        node.text = _append(node.text, text)

    def _finish_article(self) -> None:
        art = self.article
        if art is None:
            return
        start, end = self.span
        art.raw = "\n".join(self.raw_lines[start:end + 1]).strip("\n")
        if len(art.clauses) == 1 and not art.clauses[0].number and _REPEAL_RE.match(art.full_text()):
            art.repealed = True
        self.inst.articles.append(art)
        self.article = None

    def finish(self) -> Instrument:
        self._finish_article()
        return self.inst


def _source_lines(text: str, instrument_id: str) -> tuple[list[str], list[_Line]]:
    raw_lines = unicodedata.normalize("NFC", text).splitlines()
    if instrument_id in PDF_INSTRUMENTS:
        lines = _pdf_paragraphs(raw_lines)
    else:
        lines = [_Line(_norm(raw), i, i) for i, raw in enumerate(raw_lines)]
    return raw_lines, [line for line in lines if line.text]


def parse_instrument(text: str, instrument_id: str, source: str | None = None) -> Instrument:
    """Parse a whole statute file into an Instrument; preamble, signature, annexes and notes are left out
    of the articles (the consolidation's footnote bodies go to Instrument.footnotes). A provision numbered twice
    raises CorpusError naming `source` (the file) and the line."""
    raw_lines, lines = _source_lines(text, instrument_id)
    lines, footnotes = _split_footnote_section(_join_split_footnotes(lines))
    builder = _Builder(instrument_id, raw_lines, source or instrument_id)
    for line in lines:
        builder.feed(line)
    inst = builder.finish()
    inst.footnotes = footnotes
    return inst
