"""Bad corpus input: each case breaks one file of a copy of the real corpus; build_corpus reports a CorpusError that
names the file (and the line where there is one), leaves out only what the file carries, and builds the rest."""
from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from ingest.corpus import CORPUS_DIR, load_manifest, source_text
from ingest.errors import CorpusError
from ingest.statute import parse_instrument
from ingest.versions import build_corpus

# Unicode -> TCVN3 (ABC), the 8-bit font encoding of pre-Unicode Vietnamese documents: the letter on the left
# is written as the Latin-1 byte on the right. Upper-case toned vowels share the lower-case bytes (TCVN3 had
# separate upper-case fonts), which is what such files contain.
_TCVN3 = {
    "á": "¸", "à": "µ", "ả": "¶", "ã": "·", "ạ": "¹", "ă": "¨", "ắ": "¾", "ằ": "»", "ẳ": "¼", "ẵ": "½", "ặ": "Æ",
    "â": "©", "ấ": "Ê", "ầ": "Ç", "ẩ": "È", "ẫ": "É", "ậ": "Ë", "đ": "®", "é": "Ð", "è": "Ì", "ẻ": "Î", "ẽ": "Ï",
    "ẹ": "Ñ", "ê": "ª", "ế": "Õ", "ề": "Ò", "ể": "Ó", "ễ": "Ô", "ệ": "Ö", "í": "Ý", "ì": "×", "ỉ": "Ø", "ĩ": "Ü",
    "ị": "Þ", "ó": "ã", "ò": "ß", "ỏ": "á", "õ": "â", "ọ": "ä", "ô": "«", "ố": "è", "ồ": "å", "ổ": "æ", "ỗ": "ç",
    "ộ": "é", "ơ": "¬", "ớ": "í", "ờ": "ê", "ở": "ë", "ỡ": "ì", "ợ": "î", "ú": "ó", "ù": "ï", "ủ": "ñ", "ũ": "ò",
    "ụ": "ô", "ư": "\xad", "ứ": "ø", "ừ": "õ", "ử": "ö", "ữ": "÷", "ự": "ù", "ý": "ý", "ỳ": "ú", "ỷ": "û", "ỹ": "ü",
    "ỵ": "þ", "Ă": "¡", "Â": "¢", "Đ": "§", "Ê": "£", "Ô": "¤", "Ơ": "¥", "Ư": "¦",
}
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def tcvn3(text: str) -> bytes:
    out = []
    for ch in unicodedata.normalize("NFC", text):
        mapped = _TCVN3.get(ch) or _TCVN3.get(ch.lower())
        out.append(mapped if mapped else ch if ord(ch) < 128 else "?")
    return "".join(out).encode("latin-1")


def cp1258(text: str) -> bytes:
    """CP1258 has ă â ê ô ơ ư đ precomposed but the five tone marks only as combining characters."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out.append(base + "".join(c for c in parts if c in _TONES))
    return "".join(out).encode("cp1258", errors="replace")


def test_the_tcvn3_table_gives_the_known_garbage():
    assert tcvn3("Pháp luật").decode("latin-1") == "Ph¸p luËt"


# --------------------------------------------------------------------------------------------- helpers

AI_LAW = "statutes/ai-law-134-2025.txt"
DECREE_134 = "statutes/decree-134-2026.txt"
NOTE = "commentary/data-compilations.md"
IP_JSONL = "translations/ip-law.jsonl"
GLOSSARY = "translations/glossary.tsv"


def rehash(root: Path, rel: str) -> None:
    """Record the edited file's hash, as a maintainer would, so the error under test is not the hash check."""
    manifest = root / "manifest.toml"
    text = manifest.read_text(encoding="utf-8")
    block = re.search(rf'path = "{re.escape(rel)}"(.*?)sha256 = "([0-9a-f]+)"', text, re.S)
    new = hashlib.sha256((root / rel).read_bytes()).hexdigest()
    manifest.write_text(text[:block.start(2)] + new + text[block.end(2):], encoding="utf-8")


def lines_of(root: Path, rel: str) -> list[str]:
    return (root / rel).read_text(encoding="utf-8").split("\n")


def write_lines(root: Path, rel: str, lines: list[str], *, hashed: bool = True) -> None:
    (root / rel).write_text("\n".join(lines), encoding="utf-8")
    if hashed:
        rehash(root, rel)


def first_line(root: Path, rel: str, pattern: str) -> int:
    """1-based number of the first line matching `pattern` in the real file."""
    return next(n for n, line in enumerate(lines_of(root, rel), 1) if re.search(pattern, line))


def first_non_ascii_line(root: Path, rel: str) -> int:
    return next(n for n, line in enumerate(lines_of(root, rel), 1) if any(ord(c) > 127 for c in line))


def insert(root: Path, rel: str, at: int, new: list[str]) -> int:
    """Insert `new` before 1-based line `at`; returns the line number of the first inserted line."""
    lines = lines_of(root, rel)
    write_lines(root, rel, lines[:at - 1] + new + lines[at - 1:])
    return at


# --------------------------------------------------------------------------------------------- breakers
# Each takes the corpus copy and returns the line the error must name (None: the whole file is wrong).

def empty(rel):
    def breaker(root):
        (root / rel).write_bytes(b"")
    return breaker


def binary(rel):
    def breaker(root):
        (root / rel).write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)) * 8)
        return 3      # the first NUL follows two line ends of the PNG signature
    return breaker


def reencode(rel, encode: Callable[[str], bytes], line: Callable[[Path], int | None] = lambda root: None):
    def breaker(root):
        expected = line(root)
        (root / rel).write_bytes(encode((root / rel).read_text(encoding="utf-8")))
        return expected
    return breaker


def tcvn3_as_latin1(text: str) -> bytes:
    """TCVN3 bytes read as Latin-1 and saved as UTF-8: valid UTF-8 that shows "Ph¸p luËt"."""
    return tcvn3(text).decode("latin-1").encode("utf-8")


def first_tcvn3_line(rel):
    def line(root):
        return next(n for n, text in enumerate(lines_of(root, rel), 1)
                    if sum(1 for c in tcvn3(text).decode("latin-1") if c in "¸µ¶·¹¨¾»¼½Æ©ÇË®ÐÎÏÑªÖ×ØÜÞßäåæç«¬ëîïñö÷ûüþ\xad¡¢§£¤¥¦") >= 2)
    return line


def tampered(rel):
    def breaker(root):
        with (root / rel).open("a", encoding="utf-8") as f:
            f.write("\nMột dòng thêm vào sau khi băm.\n")
    return breaker


def duplicate_article(root):
    """Art. 5 of the AI law copied again before Art. 8: numbering goes back, then goes on."""
    lines = lines_of(root, AI_LAW)
    start, end = first_line(root, AI_LAW, r"^#+ Điều 5\."), first_line(root, AI_LAW, r"^#+ Điều 6\.")
    return insert(root, AI_LAW, first_line(root, AI_LAW, r"^#+ Điều 8\."), lines[start - 1:end - 1])


def duplicate_clause(root):
    return insert(root, AI_LAW, first_line(root, AI_LAW, r"^2\. Hoạt động trí tuệ nhân tạo chỉ phục vụ") + 1,
                  ["2. Khoản này bị chép trùng số."])


def duplicate_point(root):
    return insert(root, AI_LAW, first_line(root, AI_LAW, r"^b\) Lĩnh vực giáo dục") + 1,
                  ["a) Điểm này bị chép trùng nhãn."])


def missing(rel):
    return lambda root: (root / rel).unlink()


def replace_line(rel, pattern, new, *, hashed=False):
    def breaker(root):
        at = first_line(root, rel, pattern)
        lines = lines_of(root, rel)
        lines[at - 1] = new if isinstance(new, str) else new(lines[at - 1])
        write_lines(root, rel, lines, hashed=hashed)
        return at
    return breaker


def reports_line(breaker, line):
    """The error names `line` (e.g. the front matter's first line for a key that is missing from it)."""
    def wrapped(root):
        breaker(root)
        return line
    return wrapped


def note_citing(pid):
    def breaker(root):
        lines = lines_of(root, NOTE)
        at = next(n for n, line in enumerate(lines, 1) if line.startswith("## English")) + 2
        write_lines(root, NOTE, lines[:at - 1] + [f"This sentence cites [{pid}]."] + lines[at - 1:], hashed=False)
        return at
    return breaker


def manifest_entry_without(key, instrument):
    def breaker(root):
        lines = lines_of(root, "manifest.toml")
        start = first_line(root, "manifest.toml", rf'^id = "{instrument}"') - 1   # the [[instrument]] line
        at = next(n for n in range(start, len(lines) + 1) if lines[n - 1].startswith(f"{key} ="))
        write_lines(root, "manifest.toml", lines[:at - 1] + lines[at:], hashed=False)
        return start
    return breaker


@dataclass(frozen=True)
class Case:
    name: str
    file: str                      # the broken file, relative to the corpus
    breaker: Callable
    message: str                   # a phrase the error must contain
    skipped: tuple[str, ...] = ()  # instruments left out
    notes_lost: int = 0            # commentary notes left out because of the error itself
    translations_kept: float = 1.0   # the least share of the IP-law translations kept


CASES = [
    Case("statute empty", AI_LAW, empty(AI_LAW), "empty", ("ai-law",)),
    Case("statute binary", AI_LAW, binary(AI_LAW), "binary", ("ai-law",)),
    Case("statute UTF-16 with BOM", AI_LAW, reencode(AI_LAW, lambda t: t.encode("utf-16")), "UTF-16", ("ai-law",)),
    Case("statute UTF-16LE without BOM", AI_LAW, reencode(AI_LAW, lambda t: t.encode("utf-16-le")),
         "UTF-16LE without a byte-order mark", ("ai-law",)),
    Case("statute CP1258", AI_LAW, reencode(AI_LAW, cp1258, lambda root: first_non_ascii_line(root, AI_LAW)),
         "CP1258", ("ai-law",)),
    Case("statute TCVN3 bytes", AI_LAW, reencode(AI_LAW, tcvn3, lambda root: first_non_ascii_line(root, AI_LAW)),
         "TCVN3", ("ai-law",)),
    Case("statute TCVN3 read as Latin-1", AI_LAW, reencode(AI_LAW, tcvn3_as_latin1, first_tcvn3_line(AI_LAW)),
         "TCVN3 (ABC) Vietnamese read as Latin-1", ("ai-law",)),
    Case("statute sha256 mismatch", AI_LAW, tampered(AI_LAW), "sha256", ("ai-law",)),
    Case("statute missing", AI_LAW, missing(AI_LAW), "missing", ("ai-law",)),
    Case("duplicate article", AI_LAW, duplicate_article, "Điều 5 comes after Điều 7", ("ai-law",)),
    Case("duplicate clause", AI_LAW, duplicate_clause, "Clause 2 appears twice in Điều 1", ("ai-law",)),
    Case("duplicate point", AI_LAW, duplicate_point, "Point a) of clause 2 appears twice in Điều 6", ("ai-law",)),
    # Decree 17 is served as amended by Decree 134: without a readable Decree 134 it is left out too.
    Case("amending decree UTF-16", DECREE_134, reencode(DECREE_134, lambda t: t.encode("utf-16")), "UTF-16",
         ("decree-134-2026", "decree-17-2023")),
    Case("manifest entry lacks a key", "manifest.toml", manifest_entry_without("verification", "ai-law"),
         "lacks verification", ("ai-law",)),
    Case("manifest date is no date", "manifest.toml",
         replace_line("manifest.toml", r'^in_force = "2026-03-01"', 'in_force = "1 March 2026"'),
         "not a date", ("ai-law",)),
    Case("note front matter malformed", NOTE, replace_line(NOTE, r"^title_en = ", 'title_en = "unterminated'),
         "not valid TOML", notes_lost=1),
    Case("note front matter lacks a key", NOTE, reports_line(replace_line(NOTE, r"^applies_from = ", "# removed"), 2),
         "applies_from", notes_lost=1),
    Case("note without front matter", NOTE, replace_line(NOTE, r"^\+\+\+$", "---"), "no +++ front matter",
         notes_lost=1),
    Case("note cites a provision that does not exist", NOTE, note_citing("ip-law:999.9"),
         "cites ip-law:999.9, which does not exist", notes_lost=1),
    Case("note cites on a date that is no date", NOTE, note_citing("ip-law:7.5@2026-13-40"), "not a date",
         notes_lost=1),
    Case("note empty", NOTE, empty(NOTE), "empty", notes_lost=1),
    Case("note binary", NOTE, binary(NOTE), "binary", notes_lost=1),
    Case("note CP1258", NOTE, reencode(NOTE, cp1258, lambda root: first_non_ascii_line(root, NOTE)), "CP1258",
         notes_lost=1),
    Case("translation line not JSON", IP_JSONL, replace_line(IP_JSONL, r'"id": "ip-law:7"', lambda s: s[:-3]),
         "not valid JSON", translations_kept=0.99),
    Case("translation line is a JSON array", IP_JSONL, replace_line(IP_JSONL, r'"id": "ip-law:7"', "[1, 2]"),
         "not an object", translations_kept=0.99),
    Case("translation of a provision that does not exist", IP_JSONL,
         replace_line(IP_JSONL, r'"id": "ip-law:7"', lambda s: s.replace('"ip-law:7"', '"ip-law:999"', 1)),
         "ip-law:999 is not a provision", translations_kept=0.99),
    Case("translations UTF-16 without BOM", IP_JSONL, reencode(IP_JSONL, lambda t: t.encode("utf-16-le")),
         "UTF-16LE", translations_kept=0.0),
    Case("glossary row with one cell", GLOSSARY, replace_line(GLOSSARY, r"^tác phẩm\t", "tác phẩm"),
         "1 cell"),
    Case("glossary TCVN3", GLOSSARY, reencode(GLOSSARY, tcvn3, lambda root: first_non_ascii_line(root, GLOSSARY)),
         "TCVN3"),
]


@pytest.fixture(scope="module")
def baseline():
    return build_corpus()


def counts(corpus) -> Counter:
    return Counter(p.instrument for p in corpus.provisions)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_bad_file_is_reported_and_the_rest_is_built(case, baseline, tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, root)
    line = case.breaker(root)
    corpus = build_corpus(root)

    main = [e for e in corpus.errors if Path(e.path).name == Path(case.file).name]
    assert len(main) == 1, [str(e) for e in corpus.errors]
    error = main[0]
    assert case.message in str(error) and "Fix:" in str(error)
    assert error.line == line
    if line:
        assert f"{Path(case.file).name}:{line}:" in str(error)
    # Every other error is a consequence: a note citing an instrument left out.
    assert all("left out of this build" in str(e) for e in corpus.errors if e is not error)

    assert corpus.skipped == set(case.skipped)
    built, before = counts(corpus), counts(baseline)
    assert {i: n for i, n in before.items() if i not in case.skipped} == dict(built)
    # notes lost because they cite a skipped instrument (the rules file citing one is reported the same way)
    lost_to_skips = sum(1 for e in corpus.errors if "left out of this build" in str(e) and "commentary" in e.path)
    assert len(corpus.notes) == len(baseline.notes) - case.notes_lost - lost_to_skips
    assert set(corpus.translations) <= set(baseline.translations)
    others = {v for v in baseline.translations if v.split(":", 1)[0] not in case.skipped + ("ip-law",)}
    assert others <= set(corpus.translations)
    ip_law = [v for v in baseline.translations if v.startswith("ip-law:")]
    if "ip-law" not in case.skipped:
        assert sum(1 for v in ip_law if v in corpus.translations) >= case.translations_kept * len(ip_law)


def test_a_malformed_manifest_stops_the_build_with_its_line(tmp_path):
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, root)
    lines = lines_of(root, "manifest.toml")
    at = first_line(root, "manifest.toml", r"^number = ")
    lines[at - 1] = "number = 50/2005"
    write_lines(root, "manifest.toml", lines, hashed=False)
    with pytest.raises(CorpusError) as err:
        build_corpus(root)
    assert f"manifest.toml:{at}:" in str(err.value)


# --------------------------------------------------------------------------------------------- no false alarms

def test_the_real_statutes_have_no_duplicates_and_parse_cleanly():
    for meta in load_manifest().values():
        for f in meta.files:
            tree = parse_instrument(source_text(f), meta.id, str(f.path))
            numbers = [a.number for a in tree.articles]
            assert len(numbers) == len(set(numbers)), f.path.name
            for a in tree.articles:
                clauses = [c.number for c in a.clauses if c.number]
                assert len(clauses) == len(set(clauses)), (f.path.name, a.number)
                for c in a.clauses:
                    labels = [p.label for p in c.points]
                    assert len(labels) == len(set(labels)), (f.path.name, a.number, c.number)


def test_annex_forms_numbered_from_one_again_are_not_duplicates():
    """Decree 142's annex forms have their own "Điều 1", "Điều 2": without the signature block and the "Phụ lục"
    line that normally end the text, the numbering restart alone must end it, with no error."""
    f = load_manifest()["decree-142-2026"].files[0]
    lines = source_text(f).split("\n")
    end = next(n for n, line in enumerate(lines) if line.startswith("TM. CHÍNH PHỦ"))
    form = next(n for n, line in enumerate(lines) if re.match(r"^#+ Điều 1\. Thông tin tổ chức và hệ thống", line))
    form_end = next(n for n in range(form, len(lines)) if lines[n].startswith("Nơi nhận"))
    annex = lines[form:form_end]
    assert sum(1 for line in annex if re.match(r"^#+ Điều \d+\.", line)) >= 2
    real = parse_instrument("\n".join(lines), "decree-142-2026")
    cut = parse_instrument("\n".join(lines[:end] + annex), "decree-142-2026")
    assert [a.number for a in cut.articles] == [a.number for a in real.articles]
    assert cut.articles[-1].full_text() == real.articles[-1].full_text()


def test_a_file_with_a_utf8_bom_is_read(tmp_path):
    from ingest.textfile import read_text

    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "Điều 1. Phạm vi".encode())
    assert read_text(path) == "Điều 1. Phạm vi"


def test_refresh_reports_the_skipped_file_and_keeps_reporting_it(home, tmp_path):
    """A real refresh of a corpus with one bad file: the index is built from the rest, and the problem stays in the
    summary on the next run (which has nothing to do) until the file is fixed."""
    from ingest.index import refresh

    own = tmp_path / "home"
    own.mkdir()
    for shared in ("models", "cache"):      # the provisioned model and the embedding cache of the test home
        if (home / shared).exists():
            (own / shared).symlink_to(home / shared)
    root = tmp_path / "corpus"
    shutil.copytree(CORPUS_DIR, root)
    (root / NOTE).write_bytes(cp1258((root / NOTE).read_text(encoding="utf-8")))
    first = refresh(own, corpus_dir=root)
    assert first.changed and first.instruments == 6
    assert any("data-compilations.md" in e and "CP1258" in e for e in first.errors)
    assert "1 corpus problem(s)" in first.text()
    again = refresh(own, corpus_dir=root)
    assert not again.changed and again.errors == first.errors and "1 corpus problem(s)" in again.text()
