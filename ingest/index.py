"""The index: a Chroma collection of chunks plus the provision records and keyword-index texts beside it.

Each refresh builds a complete new *generation* folder beside the live one and then switches the `current`
symlink with one atomic rename, so a refresh killed at any moment leaves the previous index answering as before.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from ingest.chunks import chunks_for, document_chunks, note_chunks, translation_chunks
from ingest.corpus import CORPUS_DIR
from ingest.documents import STATUS_FILE, DocumentError, document_paths, file_sha256, read_document
from ingest.model import MODEL_ID
from ingest.records import Provision

COLLECTION = "provisions"
INGEST_DIR = Path(__file__).resolve().parent


def home_dir() -> Path:
    env = os.environ.get("VNIP_HOME")
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "vnip"


def chroma_client(path: Path):
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    url = os.environ.get("VNIP_CHROMA_URL")
    if url:
        from urllib.parse import urlparse

        u = urlparse(url)
        return chromadb.HttpClient(host=u.hostname, port=u.port or 8000, ssl=u.scheme == "https", settings=settings)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def fingerprint(corpus_dir: Path = CORPUS_DIR, home: Path | None = None) -> str:
    """Changes when any corpus file, the ingest code, the model or the user's documents change: then, and only
    then, a refresh works."""
    h = hashlib.sha256(MODEL_ID.encode())
    for root in (corpus_dir, INGEST_DIR):
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(root)).encode())
                h.update(path.read_bytes())
    for path in document_paths(home) if home else []:
        h.update(f"documents/{path.name}\n{file_sha256(path)}".encode())
    return h.hexdigest()


@dataclass
class Summary:
    changed: bool
    instruments: int = 0
    provisions: int = 0          # distinct provision ids
    versions: int = 0            # provision versions
    chunks: int = 0
    documents: int = 0           # user documents indexed (refused ones are in errors)
    added: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    embedded: int = 0            # chunks whose embedding had to be computed
    not_applied: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)      # corpus files skipped, each with file, line and fix
    seconds: float = 0.0
    generation: str = ""

    def text(self) -> str:
        if not self.changed:
            return f"Nothing changed: the index is current ({self.generation}); {self.seconds:.2f} s."
        return (f"Indexed {self.instruments} instruments: {self.provisions} provisions in {self.versions} versions, "
                f"{self.chunks} chunks (added {self.added}, updated {self.updated}, deleted {self.deleted}, "
                f"unchanged {self.unchanged}; {self.embedded} embedded)"
                + (f", {self.documents} of your documents" if self.documents else "")
                + ". Amendment operations not applied: "
                f"{len(self.not_applied)}. {self.seconds:.1f} s.")


class RefreshBusy(RuntimeError):
    pass


class _Lock:
    """One refresh at a time; a lock left by a dead process is released by the kernel with its file descriptor."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(self.fd, 200, 0).decode(errors="replace").strip() or "another process"
            os.close(self.fd)
            raise RefreshBusy(f"another refresh is running ({holder}); wait for it to finish, or stop it") from None
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}".encode(), 0)
        return self

    def __exit__(self, *exc):
        os.ftruncate(self.fd, 0)
        os.close(self.fd)


def current_generation(home: Path) -> Path | None:
    link = Path(home) / "index" / "current"
    return link.resolve() if link.exists() else None


def read_meta(gen: Path) -> dict:
    return json.loads((gen / "meta.json").read_text(encoding="utf-8"))


def refresh(home: Path | None = None, corpus_dir: Path = CORPUS_DIR, progress=None, force: bool = False) -> Summary:
    """Bring the index up to date with the corpus; returns what it did."""
    started = time.perf_counter()
    home = Path(home or home_dir())
    with _Lock(home / "index" / "refresh.lock"):
        live = current_generation(home)
        fp = fingerprint(corpus_dir, home)
        if live and not force and read_meta(live).get("fingerprint") == fp:
            return Summary(False, generation=live.name, seconds=time.perf_counter() - started)
        summary = _build(home, corpus_dir, fp, live, progress)
    summary.seconds = time.perf_counter() - started
    return summary


def _build(home: Path, corpus_dir: Path, fp: str, live: Path | None, progress) -> Summary:
    from ingest.embeddings import PassageEmbedder
    from ingest.versions import build_corpus

    corpus = build_corpus(corpus_dir)
    chunks = (chunks_for(corpus.provisions) + translation_chunks(corpus.provisions, corpus.translations)
              + note_chunks(corpus.notes))
    doc_chunks, doc_status = _documents(home)
    gens = home / "index" / "generations"
    gen = gens / f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    gen.mkdir(parents=True)
    embedder = PassageEmbedder(home)
    stored = chunks + doc_chunks
    vectors = embedder.embed([c.text for c in stored], progress=progress)
    collection = chroma_client(gen / "chroma").create_collection(
        COLLECTION, embedding_function=None, configuration={"hnsw": {"space": "cosine"}})
    for i in range(0, len(stored), 1000):
        part = stored[i:i + 1000]
        collection.add(ids=[c.id for c in part], embeddings=vectors[i:i + 1000], documents=[c.text for c in part],
                       metadatas=[c.metadata for c in part])
    _write_jsonl(gen / "provisions.jsonl", (provision_json(p) for p in corpus.provisions + corpus.notes))
    _write_jsonl(gen / "translations.jsonl", ({"version_id": k, **v} for k, v in corpus.translations.items()))
    _write_jsonl(gen / "chunks.jsonl", ({"id": c.id, "provision_id": c.provision_id, "text": c.text,
                                         **c.metadata} for c in chunks))
    # documents apart from chunks.jsonl: the law's keyword index and statistics stay exactly as without them
    _write_jsonl(gen / "documents.jsonl", ({"id": c.id, "text": c.text, **c.metadata} for c in doc_chunks))
    (gen / STATUS_FILE).write_text(json.dumps(doc_status, ensure_ascii=False, indent=1), encoding="utf-8")
    summary = _diff(live, chunks + doc_chunks, corpus, gen.name)
    summary.documents = sum(1 for d in doc_status if d["status"] == "ok")
    summary.errors += [d["reason"] for d in doc_status if d["status"] == "refused"]
    summary.embedded = embedder.computed
    meta = {"fingerprint": fp, "model": MODEL_ID, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "summary": asdict(summary)}
    (gen / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
    _switch(home, gen, keep=live)
    return summary


def _documents(home: Path) -> tuple[list, list[dict]]:
    """Chunks of every readable document, and what became of each (for `vnip docs list`)."""
    chunks, status = [], []
    for path in document_paths(home):
        try:
            sha = file_sha256(path)
            row = {"name": path.name, "sha256": sha, "pages": None, "status": "ok", "reason": ""}
            row["pages"], pages = read_document(path)
            chunks += document_chunks(path.name, sha, pages)
        except FileNotFoundError:
            continue     # deleted while we read: the fingerprint differs, so the next refresh settles it
        except DocumentError as e:
            row["status"], row["reason"] = "refused", str(e)
        status.append(row)
    return chunks, status


def _diff(live: Path | None, chunks, corpus, name: str) -> Summary:
    old = {}
    for file in ("chunks.jsonl", "documents.jsonl"):
        if live and (live / file).exists():
            for row in read_jsonl(live / file):
                old[row["id"].rsplit(":", 1)[0]] = row["id"]
    new = {c.id.rsplit(":", 1)[0]: c.id for c in chunks}
    same = sum(1 for k, v in new.items() if old.get(k) == v)
    updated = sum(1 for k, v in new.items() if k in old and old[k] != v)
    return Summary(True, instruments=len({p.instrument for p in corpus.provisions}),
                   provisions=len({p.id for p in corpus.provisions}), versions=len(corpus.provisions),
                   chunks=len(chunks), added=sum(1 for k in new if k not in old), updated=updated,
                   deleted=sum(1 for k in old if k not in new), unchanged=same,
                   not_applied=[f"{op.source} {op.action} {op.target}: {op.reason}" for op in corpus.not_applied],
                   errors=[str(e) for e in corpus.errors],
                   generation=name)


def _switch(home: Path, gen: Path, keep: Path | None) -> None:
    """Atomic: a symlink is created under a temporary name and renamed over `current`. The generation that was
    live until now is kept, because processes that loaded it may still be answering from it."""
    index = home / "index"
    tmp = index / f".current-{os.getpid()}"
    if tmp.is_symlink():
        tmp.unlink()
    tmp.symlink_to(Path("generations") / gen.name)
    os.replace(tmp, index / "current")
    for old in (index / "generations").iterdir():
        if old not in (gen, keep):
            shutil.rmtree(old, ignore_errors=True)


def provision_json(p: Provision) -> dict:
    d = asdict(p)
    d["valid_from"] = p.valid_from.isoformat()
    d["valid_to"] = p.valid_to.isoformat() if p.valid_to else None
    return d


def provision_from_json(d: dict) -> Provision:
    d = dict(d)
    d["valid_from"] = date.fromisoformat(d["valid_from"])
    d["valid_to"] = date.fromisoformat(d["valid_to"]) if d["valid_to"] else None
    return Provision(**d)


def _write_jsonl(path: Path, rows) -> None:
    with path.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
        f.flush()
        os.fsync(f.fileno())


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
