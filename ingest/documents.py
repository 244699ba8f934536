"""The user's own PDFs (contracts, guidelines, court decisions): a folder beside the index, never inside corpus/.
They are indexed as "document" chunks, page by page, and shown apart from the law. A PDF that cannot be read
faithfully (encrypted, cut off, scanned, garbled fonts, old Vietnamese encodings) is refused with its file name,
the page where relevant, what is wrong and how to fix it; the other documents and the statutes are indexed as usual."""
from __future__ import annotations

import hashlib
import json
import logging
import os
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest import garbled

MAX_BYTES = 200 * 1024 * 1024   # beyond this an upload is more likely a mistake than a contract
MAX_PAGES = 2000                # ~6,000 chunks: about six minutes of embedding on a 2-core CPU
MAX_NAME = 150
STATUS_FILE = "documents.json"  # in each index generation: what the last refresh made of each document


class DocumentError(Exception):
    """Names the file, the page where relevant, what is wrong and how to fix it (like CorpusError)."""

    def __init__(self, file: str, page: int | None, problem: str, fix: str):
        self.file, self.page, self.problem, self.fix = file, page, problem, fix
        where = f"{file}, page {page}" if page else file
        super().__init__(f"{where}: {problem}. Fix: {fix}")


@dataclass(frozen=True)
class Page:
    number: int          # 1-based, as a reader counts
    text: str            # NFC


@dataclass
class DocumentInfo:
    name: str
    size: int
    sha256: str
    added: str               # ISO time the file was put in the folder
    pages: int | None = None  # known once a refresh has read it
    status: str = "pending"  # "ok" | "refused" | "pending" (not yet indexed)
    reason: str = ""         # why it was refused


def documents_dir(home: Path) -> Path:
    return Path(home) / "documents"


def safe_name(name: str) -> str:
    """A plain file name ending in .pdf: no folders, no "..", no hidden or control characters."""
    name = unicodedata.normalize("NFC", str(name)).strip()
    fix = "give a plain file name such as contract-2026.pdf"
    if not name or "/" in name or "\\" in name or name in (".", "..") or name.startswith("."):
        raise DocumentError(name or "(empty name)", None, "not a plain file name (folders and hidden names are not "
                            "allowed)", fix)
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise DocumentError(repr(name), None, "the name contains control characters", fix)
    if not name.lower().endswith(".pdf"):
        raise DocumentError(name, None, "only PDF files can be added (the name must end in .pdf)",
                            "export the document as PDF, or rename it if it is one")
    if len(name) > MAX_NAME:
        raise DocumentError(name[:40] + "…", None, f"the name is longer than {MAX_NAME} characters", fix)
    return name


def add_document(home: Path, name: str, data: bytes) -> DocumentInfo:
    """Write the PDF into the folder (replacing one of the same name); the next refresh indexes it."""
    name = safe_name(name)
    check_size(name, len(data))
    if not data.lstrip()[:5] == b"%PDF-":
        raise DocumentError(name, None, "this is not a PDF file (it does not start with %PDF-)",
                            "export the document as PDF and add that file")
    folder = documents_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".{name}.{os.getpid()}.tmp"   # hidden, so a refresh running meanwhile never sees half a file
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, folder / name)
    return _info(folder / name, {})


def check_size(name: str, size: int) -> None:
    if size > MAX_BYTES:
        raise DocumentError(name, None, f"the file has {size / 2**20:.1f} MB; the limit is {MAX_BYTES // 2**20} MB",
                            "split it into parts and add each part")


def delete_document(home: Path, name: str) -> None:
    name = safe_name(name)
    path = documents_dir(home) / name
    if not path.is_file():
        raise DocumentError(name, None, "no such document", "see the names with `vnip docs list`")
    path.unlink()


def document_paths(home: Path) -> list[Path]:
    folder = documents_dir(home)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                  and p.suffix.lower() == ".pdf")


def list_documents(home: Path) -> list[DocumentInfo]:
    """Every PDF in the folder, with what the last refresh made of it (matched by content hash)."""
    status = {}
    live = Path(home) / "index" / "current" / STATUS_FILE
    if live.exists():
        status = {r["name"]: r for r in json.loads(live.read_text(encoding="utf-8"))}
    return [_info(p, status) for p in document_paths(home)]


def _info(path: Path, status: dict) -> DocumentInfo:
    st = path.stat()
    info = DocumentInfo(path.name, st.st_size, file_sha256(path),
                        time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(st.st_mtime)))
    seen = status.get(path.name)
    if seen and seen["sha256"] == info.sha256:
        info.pages, info.status, info.reason = seen["pages"], seen["status"], seen["reason"]
    return info


def file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def extract(path: Path) -> list[Page]:
    """The text of each page that has text (NFC, 1-based numbers). Raises DocumentError when the document cannot
    be read faithfully; pages without text (a scanned signature page) are left out, a document with none refused."""
    return read_document(path)[1]


def read_document(path: Path) -> tuple[int, list[Page]]:
    """(number of pages, the pages that have text); see extract()."""
    path = Path(path)
    name = path.name
    _check_complete(path)
    with path.open("rb") as stream:   # a file, not bytes: pypdf then reads objects as pages need them
        reader = _open(path, stream)
        count = _page_count(reader, name)
        pages = _pages(reader, count, name)
    if not pages:
        raise DocumentError(name, None, f"no page has extractable text ({count} pages): it is probably a scan "
                            "(images of pages)", "run OCR on it (e.g. ocrmypdf) or export the original document")
    return count, pages


def _pages(reader, count: int, name: str) -> list[Page]:
    pages = []
    for number in range(1, count + 1):
        text = _page_text(reader, number, name)
        found = garbled.problem(text)
        if found:
            raise DocumentError(name, number, *found)
        if text.strip():
            pages.append(Page(number, text))
        # pypdf keeps every object it resolved, images included; dropping them per page bounds memory by the
        # largest page rather than the file (a 55 MB scan annex: 83 MB peak without this, 33 MB with it)
        cache = getattr(reader, "resolved_objects", None)
        if isinstance(cache, dict):
            cache.clear()
    return pages


def _check_complete(path: Path) -> None:
    """A PDF ends with %%EOF; a download or copy cut short does not (pypdf would quietly read what is left)."""
    size = path.stat().st_size
    with path.open("rb") as f:
        head = f.read(1024)
        f.seek(max(0, size - 2048))
        tail = f.read()
    if b"%PDF-" not in head:
        raise DocumentError(path.name, None, "this is not a PDF file (no %PDF- header)",
                            "export the document as PDF and add that file")
    if b"%%EOF" not in tail:
        raise DocumentError(path.name, None, "the file is truncated (it has no %%EOF end marker)",
                            "the download or copy was cut short: get the file again")


def _open(path: Path, stream):
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    logging.getLogger("pypdf").setLevel(logging.ERROR)   # recoverable quirks are common and not the user's concern
    try:
        reader = PdfReader(stream)
        if reader.is_encrypted and not reader.decrypt(""):
            raise FileNotDecryptedError("a password is needed")
    except (FileNotDecryptedError, DependencyError):
        raise DocumentError(path.name, None, "the PDF is encrypted with a password",
                            "remove the password (open it and print or save it as a new PDF), then add it "
                            "again") from None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as e:
        raise DocumentError(path.name, None, f"the PDF is damaged and cannot be read ({e})",
                            "get the file again, or open and save it again as PDF") from None
    return reader


def _page_count(reader, name: str) -> int:
    try:
        count = len(reader.pages)
    except Exception as e:   # pypdf raises many kinds on a broken page tree
        raise DocumentError(name, None, f"the PDF's page tree is damaged ({e})",
                            "open and save it again as PDF") from None
    if count > MAX_PAGES:
        raise DocumentError(name, None, f"it has {count} pages; the limit is {MAX_PAGES}",
                            "split it and add the parts you need")
    return count


def _page_text(reader, number: int, name: str) -> str:
    try:
        text = reader.pages[number - 1].extract_text() or ""
    except Exception as e:   # a damaged content stream, an unsupported filter
        raise DocumentError(name, number, f"the page cannot be read ({type(e).__name__}: {e})",
                            "open and save the PDF again, or export it again from the original") from None
    return unicodedata.normalize("NFC", text)
