"""Apply an amending decree's operations to the parsed tree of the decree it amends.

Decree 134/2026/ND-CP amends Decree 17/2023/ND-CP and there is no official consolidation, so we consolidate it
ourselves. Every article of the amending text (up to the first one that is not an amendment, "Hiệu lực thi hành") is
read as one or more instructions; an instruction has a heading ("Sửa đổi, bổ sung khoản 2 Điều 25") and either a
quoted new text (“…”) or inline phrases ("Thay thế cụm từ “A” bằng cụm từ “B” tại …").

Each instruction yields one `Operation` per target provision. An operation is applied to a deep copy of the base
only when it can be applied faithfully (the target exists, the new text parses, the phrase is found); otherwise it
is returned with applied=False and a reason, so that the caller can flag the target instead of serving stale text.
"""
from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass, field

from ingest.ids import ProvisionId
from ingest.records import Article, Clause, Instrument, Point
from ingest.references import ARTICLE_LINE, CLAUSE_LINE, NUMBER, POINT, POINT_LINE

ACTIONS = ("replace_article", "insert_article", "replace_clause", "insert_clause", "replace_point", "insert_point",
           "replace_phrase", "insert_phrase", "repeal_phrase", "repeal", "annex")


@dataclass(frozen=True)
class Operation:
    source: str      # where the operation is in the amending decree: "decree-134-2026:16.2"
    action: str      # one of ACTIONS
    target: str      # provision id in the base it changes: "decree-17-2023:34.2a"; annexes "decree-17-2023:annex-III-form-01"
    applied: bool
    reason: str = ""  # when not applied: why


# --- Reading the amending text into instructions ---------------------------------------------------------------

@dataclass
class _Instruction:
    """One instruction of the amending text: a heading and, when it brings new text, the quoted text."""
    source: str                          # "13", "16.2", "20.2.a" (article.clause.point of the amending decree)
    heading: str                         # instruction text, trailing ":" removed
    quote: str | None = None             # new text without the “ ” quotes
    parent: _Instruction | None = None   # the enclosing instruction ("… một số khoản của Điều 39")
    children: list[_Instruction] = field(default_factory=list)
    readable: bool = True                # False for a line that fits no shape: reported, never skipped


_ARTICLE_LINE, _CLAUSE_LINE, _POINT_LINE = ARTICLE_LINE, CLAUSE_LINE, POINT_LINE   # ingest/references.py
# A quoted block ends on the line whose last quote mark closes it; the "." or ";" after ” belongs to the amending
# decree's own sentence, not to the new text.
_QUOTE_END = re.compile(r"”\s*[.;,]?\s*$")


def _amending_articles(text: str) -> list[tuple[str, list[str]]]:
    """(article number, lines) of the amending articles, i.e. those before "Hiệu lực thi hành"."""
    out: list[tuple[str, list[str]]] = []
    in_quote = False
    for line in unicodedata.normalize("NFC", text).splitlines():
        line = line.strip()
        if not line:
            continue
        # "Điều 5a. …" inside a quoted new article is new text, not an article of the amending decree.
        m = None if in_quote else _ARTICLE_LINE.match(line)
        if m:
            if "hiệu lực thi hành" in m.group(2).lower():
                break
            out.append((m.group(1), [m.group(2)]))
        elif out:
            out[-1][1].append(line)
        if line.startswith("“") or in_quote:
            in_quote = not _QUOTE_END.search(line)
    return out


def _instructions(number: str, lines: list[str]) -> _Instruction:
    """The instruction tree of one amending article: the article heading, numbered sub-instructions ("1. …:") and
    lettered sub-sub-instructions ("a) …:"), each with the quoted block that follows it."""
    top = _Instruction(number, _clean_heading(lines[0]))
    current = top
    quote: list[str] | None = None
    for line in lines[1:]:
        if quote is not None or line.startswith("“"):
            quote = (quote or []) + [line]
            if _QUOTE_END.search(line):
                current.quote = _unquote("\n".join(quote))
                quote = None
            continue
        m_clause, m_point = _CLAUSE_LINE.match(line), _POINT_LINE.match(line)
        if m_clause:
            current = _Instruction(f"{number}.{m_clause.group(1)}", _clean_heading(m_clause.group(2)), parent=top)
            top.children.append(current)
        elif m_point and current is not top:
            clause = current if current.parent is top else current.parent
            current = _Instruction(f"{clause.source}.{m_point.group(1)}", _clean_heading(m_point.group(2)),
                                   parent=clause)
            clause.children.append(current)
        else:   # a line outside quotes that is no instruction heading
            top.children.append(_Instruction(number, line, parent=top, readable=False))
    return top


def _clean_heading(text: str) -> str:
    return text.strip().rstrip(":").strip()


def _unquote(block: str) -> str:
    """The new text without the opening “ and the closing ” (and the amending sentence's "." or ";" after it)."""
    block = block.strip()
    block = block[1:] if block.startswith("“") else block
    block = _QUOTE_END.sub("", block)
    return unicodedata.normalize("NFC", block.strip())


# --- Targets named in headings and in phrase operations -------------------------------------------------------

_LIST = r"(?:(?:,[ ]|[ ]và[ ])"   # [ ]: also read as a space inside the VERBOSE pattern below
_NUM = NUMBER
_LABEL = rf"{POINT}(?!\w)"
_ROMAN = r"[IVXLC]+"

# One token of a location list ("các điểm a, b khoản 4, các điểm b, d khoản 5 Điều 30, tên Điều 55, …").
_LOCATION = re.compile(rf"""
    (?P<chapter>tên\ Chương\ (?P<chapter_n>{_ROMAN}))
  | (?P<title>tên\ Điều\ (?P<title_n>{_NUM}))
  | (?P<articles>các\ điều\ (?P<articles_l>{_NUM}{_LIST}{_NUM})*))
  | (?P<article>Điều\ (?P<article_n>{_NUM}))
  | (?P<clauses>(?:các\ )?khoản\ (?P<clauses_l>{_NUM}{_LIST}{_NUM})*))
  | (?P<points>(?:các\ )?điểm\ (?P<points_l>{_LABEL}{_LIST}{_LABEL})*))
  | (?P<forms>(?:các\ )?[mM]ẫu\ số\ (?P<forms_l>\d+{_LIST}\d+)*))
  | (?P<annex>Phụ\ lục\ (?P<annex_n>{_ROMAN})(?!\w))
""", re.VERBOSE)


def _split_list(items: str) -> list[str]:
    return [x for x in re.split(r",[ ]|[ ]và[ ]", items) if x]


def _locations(text: str) -> tuple[list[str], list[str]]:
    """Resolve a Vietnamese location list into target suffixes ("23.2", "30.4.a", "55:title", "chapter-V",
    "annex-III-form-01"). Drafting style names the article once, after all the clauses and points that belong to
    it, and the clause after its points; so points wait for the next "khoản", and clauses for the next "Điều".
    Returns (targets, leftovers that could not be tied to an article)."""
    targets: list[str] = []
    points: list[str] = []
    clauses: list[str] = []        # "2" or "4.a", waiting for their article
    forms: list[str] = []
    for m in _LOCATION.finditer(text):
        kind = _kind(m)
        if kind == "chapter":
            targets.append(f"chapter-{m.group('chapter_n')}")
        elif kind == "title":
            targets.append(f"{m.group('title_n')}:title")
        elif kind == "articles":
            targets += _split_list(m.group("articles_l"))
        elif kind == "article":
            n = m.group("article_n")
            targets += [f"{n}.{c}" for c in clauses] if clauses else [n]
            clauses = []
        elif kind == "clauses":
            numbers = _split_list(m.group("clauses_l"))
            if points:   # "các điểm a, b khoản 4": the points of one clause
                clauses += [f"{numbers[0]}.{p}" for p in points]
                points = []
                numbers = numbers[1:]
            clauses += numbers
        elif kind == "points":
            points += _split_list(m.group("points_l"))
        elif kind == "forms":
            forms += _split_list(m.group("forms_l"))
        elif kind == "annex":
            n = m.group("annex_n")
            targets += [f"annex-{n}-form-{f}" for f in forms] if forms else [f"annex-{n}"]
            forms = []
    leftovers = [f"điểm {p}" for p in points] + [f"khoản {c}" for c in clauses] + [f"mẫu số {f}" for f in forms]
    return targets, leftovers


def _kind(m: re.Match) -> str:
    """The name of the alternative of _LOCATION that matched."""
    for name in ("chapter", "title", "articles", "article", "clauses", "points", "forms", "annex"):
        if m.group(name):
            return name
    raise AssertionError(m.group(0))


# --- Headings of structural instructions ------------------------------------------------------------------------

_N = rf"({_NUM})"
_OF = r"(?: của)?"
_IN_ARTICLE = rf"(?:{_OF} Điều {_N})?"
_IN_CLAUSE = rf"(?:{_OF} khoản {_N})?"
_LABELS = rf"({_LABEL}{_LIST}{_LABEL})*)"

_REPLACE_ARTICLE = re.compile(rf"^Sửa đổi, bổ sung Điều {_N}$")
_INSERT_ARTICLE = re.compile(rf"^Bổ sung Điều {_N} vào (?:Mục (\d+) Chương ({_ROMAN}) và )?sau Điều {_N}$")
_INSERT_SECTION = re.compile(rf"^Bổ sung Mục (\d+) vào sau Mục (\d+) Chương ({_ROMAN})$")
_GROUP = re.compile(rf"^Sửa đổi, bổ sung (?:một số|các) (?:điểm, khoản|điểm|khoản){_OF} (?:khoản {_N}|Điều {_N})$")
_REPLACE_CLAUSE = re.compile(rf"^Sửa đổi, bổ sung khoản {_N}{_IN_ARTICLE}$")
_INSERT_CLAUSE = re.compile(rf"^Bổ sung khoản {_N} vào sau khoản {_N}{_IN_ARTICLE}$")
_REPLACE_POINTS = re.compile(rf"^Sửa đổi, bổ sung (?:các )?điểm {_LABELS}{_IN_CLAUSE}{_IN_ARTICLE}$")
_INSERT_POINTS = re.compile(rf"^Bổ sung (?:các )?điểm {_LABELS} vào sau điểm ({_LABEL}){_IN_CLAUSE}{_IN_ARTICLE}$")
_ANNEX = re.compile(rf"Phụ lục ({_ROMAN})(?!\w)")

# Inline phrase operations (Art. 34, 35): verb, then one or more phrase pairs, then "tại" and the locations.
_VERB = re.compile(r"^(bổ sung|thay thế|bãi bỏ)\b", re.IGNORECASE)
_PHRASE = r"(?:cụm từ|từ) “([^”]*)”"
_INSERT_PAIR = re.compile(rf"{_PHRASE} vào (sau|trước) {_PHRASE}")
_REPLACE_PAIR = re.compile(rf"{_PHRASE} bằng {_PHRASE}")


@dataclass
class _Context:
    """What an instruction inherits from its enclosing instructions."""
    article: str | None = None
    clause: str | None = None


class _Consolidation:
    """The working copy of the base and the operations recorded on it, in the order of the amending text."""

    def __init__(self, base: Instrument, amending_id: str):
        self.tree = copy.deepcopy(base)
        self.base_id = base.id
        self.amending_id = amending_id
        self.operations: list[Operation] = []
        self.sections: dict[tuple[str, str], tuple[str, str]] = {}   # (chapter, Mục) -> (number, title) inserted
        self.rewritten: dict[str, str] = {}              # target suffix -> source that gave it new text

    # -- recording

    def record(self, source: str, action: str, target: str, error: str | None = None) -> None:
        """Record one operation; `error` is None when it was applied."""
        self.operations.append(Operation(f"{self.amending_id}:{source}", action, f"{self.base_id}:{target}",
                                         error is None, error or ""))
        if error is None and action != "repeal":
            self.rewritten[target] = source

    # -- walking the instructions

    def run(self, instruction: _Instruction, context: _Context) -> None:
        heading = instruction.heading
        if not instruction.readable:
            self.not_understood(instruction.source, heading)
        elif instruction.children:
            m = _GROUP.match(heading)
            if m:   # "Sửa đổi, bổ sung một số điểm, khoản của Điều 8" / "… một số điểm của khoản 2"
                context = _Context(m.group(2) or context.article, m.group(1) or context.clause)
            for child in instruction.children:
                self.run(child, context)
        elif instruction.quote is not None:
            self.structural(instruction, context)
        else:
            self.inline(instruction)

    def structural(self, ins: _Instruction, ctx: _Context) -> None:
        h, q, src = ins.heading, ins.quote, ins.source
        if m := _REPLACE_ARTICLE.match(h):
            self.replace_article(src, m.group(1), q)
        elif m := _INSERT_ARTICLE.match(h):
            self.insert_article(src, m.group(1), m.group(4), q, section=(m.group(3), m.group(2)) if m.group(2) else None)
        elif m := _INSERT_SECTION.match(h):
            self.insert_section(m.group(3), m.group(1), q)
        elif m := _REPLACE_CLAUSE.match(h):
            self.replace_clause(src, m.group(2) or ctx.article, m.group(1), q)
        elif m := _INSERT_CLAUSE.match(h):
            self.insert_clause(src, m.group(3) or ctx.article, m.group(1), m.group(2), q)
        elif m := _REPLACE_POINTS.match(h):
            self.replace_points(src, m.group(3) or ctx.article, m.group(2) or ctx.clause, _split_list(m.group(1)), q)
        elif m := _INSERT_POINTS.match(h):
            self.insert_points(src, m.group(4) or ctx.article, m.group(3) or ctx.clause, _split_list(m.group(1)),
                               m.group(2), q)
        elif m := _ANNEX.search(h):
            self.record(src, "annex", f"annex-{m.group(1)}", f"{h}: the annexes are not in the corpus")
        else:
            self.not_understood(src, h)

    def not_understood(self, src: str, heading: str) -> None:
        """An instruction none of the patterns reads: flag the article it names (the whole of it, to be safe)."""
        m = re.search(rf"Điều {_N}", heading)
        self.record(src, "replace_article", m.group(1) if m else f"unresolved-{src}",
                    f"instruction not understood: {heading!r}")

    # -- articles

    def replace_article(self, src: str, number: str, quote: str) -> None:
        old = self.tree.article(number)
        new, error = _quoted_article(quote, number)
        error = error or (None if old else f"Điều {number} not found in {self.base_id}")
        if error is None:
            new.chapter_path = list(old.chapter_path)   # the heading path is not part of the quoted text
            self.tree.articles[self.tree.articles.index(old)] = new
        self.record(src, "replace_article", number, error)

    def insert_article(self, src: str, number: str, after: str, quote: str,
                       section: tuple[str, str] | None) -> None:
        anchor = self.tree.article(after)
        new, error = _quoted_article(quote, number)
        if error is None and anchor is None:
            error = f"Điều {after}, after which Điều {number} is inserted, not found in {self.base_id}"
        if error is None and self.tree.article(number):
            error = f"Điều {number} already exists in {self.base_id}"
        if error is None:
            new.chapter_path = self.section_path(anchor.chapter_path, section)
            self.tree.articles.insert(self.tree.articles.index(anchor) + 1, new)
        self.record(src, "insert_article", number, error)

    def insert_section(self, chapter: str, number: str, quote: str) -> None:
        """Remember an inserted "Mục" heading; it has no provision of its own and is applied to the chapter path of
        the articles that are inserted "vào Mục N Chương X" (Decree 134 Art. 13–15)."""
        m = re.match(r"^Mục\s*(\d+)\s*\.?\s*(.*)$", " ".join(quote.split()))
        self.sections[(chapter, number)] = (m.group(1), m.group(2)) if m else (number, quote)

    def section_path(self, anchor_path: list[str], section: tuple[str, str] | None) -> list[str]:
        """The chapter path of an inserted article: its anchor's, with the section replaced when it goes into a new
        one, the heading written the way the parser writes the base's own ("Mục 2. GIỚI HẠN …")."""
        if section is None or section not in self.sections:
            return list(anchor_path)
        chapter, _ = section
        number, title = self.sections[section]
        kept = [h for h in anchor_path if not re.match(r"Mục \d", h)]
        if not any(re.match(rf"Chương {chapter}(?!\w)", h) for h in kept):
            return list(anchor_path)
        sibling = next((h for h in anchor_path if re.match(r"Mục \d", h)), "Mục 0. ")
        separator = re.match(r"Mục \d+(\W*)", sibling).group(1) or " "
        return kept + [f"Mục {number}{separator}{title}" if title else f"Mục {number}"]

    # -- clauses

    def replace_clause(self, src: str, art: str | None, number: str, quote: str) -> None:
        article, error = self.article(art)
        new, qerror = _quoted_clause(quote, number)
        error = error or qerror
        old = _clause(article, number) if article else None
        if error is None and old is None:
            error = f"khoản {number} Điều {art} not found in {self.base_id}"
        if error is None:
            article.clauses[article.clauses.index(old)] = new
        self.record(src, "replace_clause", f"{art}.{number}", error)

    def insert_clause(self, src: str, art: str | None, number: str, after: str, quote: str) -> None:
        article, error = self.article(art)
        new, qerror = _quoted_clause(quote, number)
        error = error or qerror
        anchor = _clause(article, after) if article else None
        if error is None and anchor is None:
            error = f"khoản {after} Điều {art}, after which khoản {number} is inserted, not found in {self.base_id}"
        if error is None and _clause(article, number):
            error = f"khoản {number} Điều {art} already exists in {self.base_id}"
        if error is None:
            article.clauses.insert(article.clauses.index(anchor) + 1, new)
        self.record(src, "insert_clause", f"{art}.{number}", error)

    # -- points

    def replace_points(self, src: str, art: str | None, clause_no: str | None, labels: list[str], quote: str) -> None:
        clause, error = self.clause(art, clause_no)
        points, qerror = _quoted_points(quote)
        for label in labels:
            e = error or qerror
            new = points.get(label) if e is None else None
            old = _point(clause, label) if clause else None
            if e is None and new is None:
                e = f"điểm {label} is not in the quoted text"
            if e is None and old is None:
                e = f"điểm {label} khoản {clause_no} Điều {art} not found in {self.base_id}"
            if e is None:
                clause.points[clause.points.index(old)] = new
            self.record(src, "replace_point", f"{art}.{clause_no}.{label}", e)

    def insert_points(self, src: str, art: str | None, clause_no: str | None, labels: list[str], after: str,
                      quote: str) -> None:
        clause, error = self.clause(art, clause_no)
        points, qerror = _quoted_points(quote)
        for label in labels:   # "các điểm đ, e vào sau điểm d": đ after d, then e after đ
            e = error or qerror
            new = points.get(label) if e is None else None
            anchor = _point(clause, after) if clause else None
            if e is None and new is None:
                e = f"điểm {label} is not in the quoted text"
            if e is None and anchor is None:
                e = f"điểm {after} khoản {clause_no} Điều {art}, after which điểm {label} is inserted, not found"
            if e is None and _point(clause, label):
                e = f"điểm {label} khoản {clause_no} Điều {art} already exists in {self.base_id}"
            if e is None:
                clause.points.insert(clause.points.index(anchor) + 1, new)
                after = label
            self.record(src, "insert_point", f"{art}.{clause_no}.{label}", e)

    # -- lookups that explain a miss

    def article(self, number: str | None) -> tuple[Article | None, str | None]:
        if number is None:
            return None, "the article is not named in the instruction"
        article = self.tree.article(number)
        return article, None if article else f"Điều {number} not found in {self.base_id}"

    def clause(self, art: str | None, number: str | None) -> tuple[Clause | None, str | None]:
        article, error = self.article(art)
        if error:
            return None, error
        if number is None:
            return None, f"the clause of Điều {art} is not named in the instruction"
        clause = _clause(article, number)
        return clause, None if clause else f"khoản {number} Điều {art} not found in {self.base_id}"

    # -- inline operations: phrases, repeals, annexes (Decree 134 Art. 34, 35)

    def inline(self, ins: _Instruction) -> None:
        verb = None
        for segment in _segments(ins.heading):
            m = _VERB.match(segment)
            if m:
                verb, rest = m.group(1).lower(), segment[m.end():].strip()
            else:   # "…; cụm từ “A” bằng cụm từ “B” tại …": the verb of the previous segment carries over
                rest = segment
            if verb == "bổ sung" and (pairs := _INSERT_PAIR.findall(rest)):
                for new, side, anchor in pairs:
                    self.phrase(ins.source, "insert_phrase", rest, anchor, _inserted(anchor, new, side),
                                f"insert “{new}” {'after' if side == 'sau' else 'before'} “{anchor}”")
            elif verb == "thay thế" and (pairs := _REPLACE_PAIR.findall(rest)):
                for old, new in pairs:
                    self.phrase(ins.source, "replace_phrase", rest, old, new, f"replace “{old}” by “{new}”")
            elif verb == "bãi bỏ" and (phrases := re.findall(_PHRASE, rest)):
                for old in phrases:
                    self.phrase(ins.source, "repeal_phrase", rest, old, "", f"repeal “{old}”")
            elif verb == "bãi bỏ":
                self.repeal(ins.source, rest)
            elif verb == "thay thế" and " bằng " in rest:   # "Thay thế Phụ lục I … bằng Phụ lục I …"
                self.whole_annexes(ins.source, rest.split(" bằng ")[0], "replaced")
            else:
                self.not_understood(ins.source, segment)

    def phrase(self, src: str, action: str, rest: str, old: str, new: str, what: str) -> None:
        """One phrase edit at every location listed after the last quoted phrase ("… tại <locations>")."""
        where = rest[rest.rfind("”") + 1:].strip()
        where = where[len("tại "):] if where.startswith("tại ") else where
        targets, leftovers = _locations(where)
        for target in targets:
            if target.startswith("annex-"):
                self.record(src, "annex", target, f"{what} in {_annex_label(target)}: the annexes are not in the corpus")
            else:
                self.record(src, action, target.replace(":title", ""), self.edit(target, old, new, what))
        for leftover in leftovers:
            self.record(src, action, f"unresolved-{src}", f"{what}: location {leftover!r} is not tied to an article")

    def edit(self, target: str, old: str, new: str, what: str) -> str | None:
        """Replace every occurrence of `old` in the texts `target` covers; an error when there is none."""
        slots = self.slots(target)
        if slots is None:
            return f"{what}: {_label(target)} not found in {self.base_id}"
        # the phrase as quoted first; only where it is nowhere, the same words in another letter case or with other
        # trailing punctuation (the drafter's "Chi cục Hải quan" for the text's "Chi cục hải quan")
        for pattern in (_phrase_pattern(old), _tolerant_pattern(old)):
            if any(pattern.search(get()) for get, _ in slots):
                for get, put in slots:
                    text = get()
                    put(_tidy(pattern.sub(lambda m: _same_case(m, text, old, _same_ending(m.group(0), old, new)),
                                          text)))
                return None
        return f"{what}: phrase “{old}” not found in {_label(target)}" + self.why_missing(target, old, slots)

    def why_missing(self, target: str, old: str, slots: list[tuple]) -> str:
        """A hint for the reviewer: a near miss in letter case, or new text this decree already gave the target."""
        for get, _ in slots:
            m = re.search(re.escape(old), get(), re.IGNORECASE)
            if m:
                return f" (the text has “{m.group(0)}”, which differs in letter case)"
        core = old.strip(" ,.;:")
        for get, _ in slots:
            m = re.search(r"\W?" + re.escape(core) + r"\W?", get(), re.IGNORECASE) if core else None
            if m:
                return f" (the text has “{m.group(0).strip()}”, which differs in case or punctuation)"
        if target in self.rewritten:
            return f" (its text was already rewritten by {self.amending_id}:{self.rewritten[target]})"
        return ""

    def slots(self, target: str) -> list[tuple] | None:
        """(getter, setter) of every text the target covers, None when the target is missing. An article ("tại
        Điều 96") covers its clauses and points but not its title, which the drafter names apart ("tên Điều 55")."""
        if target.startswith("chapter-"):
            return self.chapter_slots(target.split("-", 1)[1])
        if target.endswith(":title"):
            article = self.tree.article(target.split(":")[0])
            return [(lambda: article.title, lambda v: setattr(article, "title", v))] if article else None
        art, *rest = ProvisionId.local(target).parts
        article = self.tree.article(art)
        clauses = article.clauses if article else []
        if rest:
            clauses = [c for c in clauses if c.number == rest[0]]
        if not clauses:
            return None
        if len(rest) == 2:
            points = [p for p in clauses[0].points if p.label == rest[1]]
            return [_slot(points[0], "text")] if points else None
        return [s for c in clauses for s in [_slot(c, "text")] + [_slot(p, "text") for p in c.points]]

    def chapter_slots(self, roman: str) -> list[tuple] | None:
        """The chapter heading as it stands in the chapter path of each of its articles."""
        out = []
        for article in self.tree.articles:
            for i, heading in enumerate(article.chapter_path):
                if re.match(rf"Chương {roman}(?!\w)", heading):
                    out.append((lambda a=article, i=i: a.chapter_path[i],
                                lambda v, a=article, i=i: a.chapter_path.__setitem__(i, v)))
        return out or None

    def repeal(self, src: str, where: str) -> None:
        """Remove repealed articles, clauses and points from the tree; annex forms are only recorded."""
        targets, leftovers = _locations(where)
        for target in targets:
            if target.startswith("annex-"):
                self.record(src, "annex", target, f"{_annex_label(target)} repealed: the annexes are not in the corpus")
            else:
                self.record(src, "repeal", target, self.remove(target))
        for leftover in leftovers:
            self.record(src, "repeal", f"unresolved-{src}", f"repeal: location {leftover!r} is not tied to an article")

    def remove(self, target: str) -> str | None:
        art, *rest = ProvisionId.local(target).parts
        article = self.tree.article(art)
        clause = _clause(article, rest[0]) if article and rest else None
        point = _point(clause, rest[1]) if clause and len(rest) == 2 else None
        if not rest and article:
            self.tree.articles.remove(article)
        elif len(rest) == 1 and clause:
            article.clauses.remove(clause)
        elif len(rest) == 2 and point:
            clause.points.remove(point)
        else:
            return f"repeal: {_label(target)} not found in {self.base_id}"
        return None

    def whole_annexes(self, src: str, where: str, what: str) -> None:
        targets, _ = _locations(where)
        for target in targets:
            self.record(src, "annex", target, f"{_annex_label(target)} {what}: the annexes are not in the corpus")
        if not targets:
            self.not_understood(src, where)


# --- Small helpers ----------------------------------------------------------------------------------------------

def _segments(line: str) -> list[str]:
    """Split an inline instruction at ";" outside quotes (a quoted phrase may itself end in ";")."""
    out, depth, start = [], 0, 0
    for i, ch in enumerate(line):
        depth += {"“": 1, "”": -1}.get(ch, 0)
        if ch == ";" and depth == 0:
            out.append(line[start:i].strip())
            start = i + 1
    out.append(line[start:].strip())
    return [s for s in out if s]


def _inserted(anchor: str, new: str, side: str) -> str:
    """The anchor phrase with the new words put before or after it, one space apart (none before punctuation)."""
    if side == "trước":
        return f"{new} {anchor}"
    return f"{anchor}{'' if new[:1] in ',.;:)' else ' '}{new}"


def _phrase_pattern(phrase: str) -> re.Pattern:
    """The phrase as a whole-word match ("20 ngày" must not match inside "120 ngày"). A phrase quoted in lower case
    also matches with a capital first letter where a sentence starts (text start, after ". " or ": "), which is how
    the drafter's lower-case phrase appears there ("Cơ quan chuyên môn …" opening Art. 96)."""
    left = r"(?<!\w)" if phrase[:1].isalnum() else ""
    right = r"(?!\w)" if phrase[-1:].isalnum() else ""
    exact = left + re.escape(phrase) + right
    capital = phrase[:1].upper() + phrase[1:]
    if capital == phrase:
        return re.compile(exact)
    return re.compile(rf"{exact}|(?:^|(?<=\. )|(?<=: )){re.escape(capital)}{right}", re.MULTILINE)


_TRAILING = ",.;:"


def _tolerant_pattern(phrase: str) -> re.Pattern:
    """The phrase in any letter case, its trailing punctuation (if any) matching any of , . ; : — the same words as
    the drafter quoted, typed differently. Still whole words: "hải quan" must not match inside "hải quanh"."""
    core = phrase.rstrip(" " + _TRAILING)
    left = r"(?<!\w)" if core[:1].isalnum() else ""
    if core != phrase.rstrip(" "):
        right = f"[{re.escape(_TRAILING)}]"
    else:
        right = r"(?!\w)" if core[-1:].isalnum() else ""
    return re.compile(left + re.escape(core) + right, re.IGNORECASE)


def _same_ending(matched: str, phrase: str, replacement: str) -> str:
    """Where the phrase's trailing punctuation was matched by another mark, the replacement ends with the text's."""
    if phrase[-1:] in _TRAILING and matched[-1:] in _TRAILING and replacement.endswith(phrase[-1:]):
        return replacement[:-1] + matched[-1]
    return replacement


def _same_case(m: re.Match, text: str, phrase: str, replacement: str) -> str:
    """The replacement starts with a capital where it opens the text or a sentence ("Chi cục Hải quan có trách
    nhiệm …" opening a clause becomes "Cơ quan hải quan …"), even when the drafter typed it in lower case."""
    opens = m.start() == 0 or text[:m.start()].endswith((". ", "\n"))
    if replacement[:1].islower() and m.group(0)[:1].isupper() and (phrase[:1].islower() or opens):
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _tidy(text: str) -> str:
    """Repealing a phrase must not leave a double space or a space before punctuation behind."""
    return re.sub(r" +([,.;:])", r"\1", re.sub(r"  +", " ", text))


def _slot(obj, attr: str) -> tuple:
    return (lambda: getattr(obj, attr), lambda v: setattr(obj, attr, v))


def _label(target: str) -> str:
    """"30.4.a" -> "điểm a khoản 4 Điều 30", for reasons a reviewer reads."""
    if target.startswith("chapter-"):
        return f"tên Chương {target.split('-', 1)[1]}"
    if target.endswith(":title"):
        return f"tên Điều {target.split(':')[0]}"
    art, *rest = ProvisionId.local(target).parts
    parts = [f"điểm {rest[1]}"] if len(rest) == 2 else []
    parts += [f"khoản {rest[0]}"] if rest else []
    return " ".join(parts + [f"Điều {art}"])


def _annex_label(target: str) -> str:
    m = re.match(r"annex-(\w+?)(?:-form-(\d+))?$", target)
    return f"Mẫu số {m.group(2)} Phụ lục {m.group(1)}" if m.group(2) else f"Phụ lục {m.group(1)}"


def _clause(article: Article | None, number: str) -> Clause | None:
    return next((c for c in article.clauses if c.number == number), None) if article else None


def _point(clause: Clause | None, label: str) -> Point | None:
    return next((p for p in clause.points if p.label == label), None) if clause else None


# --- Parsing quoted new text with the statute parser ------------------------------------------------------------

_WRAPPER = "Điều 0. Văn bản sửa đổi"   # a quoted clause or point is parsed as the body of a dummy article


def _parse(text: str) -> Instrument:
    from ingest.statute import parse_instrument   # imported late: the parser is built alongside this module
    return parse_instrument(text, "quoted")


def _quoted_article(quote: str, number: str) -> tuple[Article | None, str | None]:
    articles = _parse(quote).articles
    if len(articles) != 1 or articles[0].number != number:
        return None, f"the quoted text did not parse as one Điều {number} (got {[a.number for a in articles]})"
    article = articles[0]
    article.raw = quote
    return article, _differs(quote, f"Điều {article.number}. {article.title}\n{article.full_text()}")


def _quoted_clause(quote: str, number: str) -> tuple[Clause | None, str | None]:
    articles = _parse(f"{_WRAPPER}\n{quote}").articles
    clauses = articles[0].clauses if len(articles) == 1 else []
    if len(clauses) != 1 or clauses[0].number != number:
        return None, f"the quoted text did not parse as one khoản {number} (got {[c.number for c in clauses]})"
    return clauses[0], _differs(quote, f"{number}. {clauses[0].full_text()}")


def _quoted_points(quote: str) -> tuple[dict[str, Point], str | None]:
    articles = _parse(f"{_WRAPPER}\n{quote}").articles
    clauses = articles[0].clauses if len(articles) == 1 else []
    if len(clauses) != 1 or clauses[0].number or clauses[0].text:
        return {}, f"the quoted text did not parse as points only (got clauses {[c.number for c in clauses]})"
    return {p.label: p for p in clauses[0].points}, _differs(quote, clauses[0].full_text())


def _differs(quote: str, parsed: str) -> str | None:
    """New text must stay verbatim: the parsed tree, printed again, must give back the quoted words."""
    if " ".join(quote.split()) == " ".join(parsed.split()):
        return None
    a, b = " ".join(quote.split()), " ".join(parsed.split())
    at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    return f"the parsed new text differs from the quoted text at char {at}: {a[at:at + 40]!r} vs {b[at:at + 40]!r}"


# --- Entry point ------------------------------------------------------------------------------------------------

def _amending_id(text: str) -> str:
    """"Số: 134/2026/NĐ-CP" -> "decree-134-2026" (the corpus id scheme)."""
    m = re.search(r"Số:\s*(\d+)/(\d{4})/NĐ-CP", text)
    return f"decree-{m.group(1)}-{m.group(2)}" if m else "amending"


def apply_amendments(base: Instrument, amending_text: str) -> tuple[Instrument, list[Operation]]:
    """A deep copy of `base` with every operation of the amending text applied that can be applied faithfully, and
    all operations in the order of the amending text (one per target), the unapplied ones with a reason."""
    text = unicodedata.normalize("NFC", amending_text)
    consolidation = _Consolidation(base, _amending_id(text))
    for number, lines in _amending_articles(text):
        consolidation.run(_instructions(number, lines), _Context())
    return consolidation.tree, consolidation.operations
