"""The glossary of fixed English renderings of Vietnamese legal terms (corpus/translations/glossary.tsv)."""
from __future__ import annotations

from pathlib import Path

from ingest.errors import CorpusError
from ingest.textfile import read_text

HEADER = ["vi", "en"]


def load(path: Path) -> tuple[dict[str, str], list[CorpusError]]:
    """Vietnamese term -> English term; each bad row becomes an error naming the line, and the others are kept.
    A file that cannot be read (encoding, binary, empty) or lacks its header is one error and gives nothing."""
    try:
        lines = read_text(path).split("\n")
    except CorpusError as e:
        return {}, [e]
    if lines[0].rstrip("\r").split("\t") != HEADER:
        return {}, [CorpusError(str(path), 1, f"the header is {lines[0][:60]!r}, not 'vi<TAB>en'",
                                "start the file with the line: vi<TAB>en")]
    terms: dict[str, str] = {}
    errors = []
    for n, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.rstrip("\r").split("\t")]
        if len(cells) != 2 or not all(cells):
            errors.append(CorpusError(str(path), n, f"the row has {len(cells)} cell(s), not a Vietnamese and an "
                                      "English term", "write: Vietnamese term<TAB>English term"))
        elif cells[0] in terms and terms[cells[0]] != cells[1]:
            errors.append(CorpusError(str(path), n, f"{cells[0]!r} is given two English terms ({terms[cells[0]]!r}"
                                      f" and {cells[1]!r})", "keep one rendering per term"))
        else:
            terms[cells[0]] = cells[1]
    return terms, errors
