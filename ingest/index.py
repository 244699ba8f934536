"""The index: a Chroma collection of chunks plus the provision records and keyword-index texts beside it.

Each refresh builds a complete new *generation* folder beside the live one and then switches the `current`
symlink with one atomic rename, so a refresh killed at any moment leaves the previous index answering as before.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from ingest.checkpoints import reached
from ingest.chunks import article_chunks, chunks_for, document_chunks, note_chunks, translation_chunks
from ingest.corpus import CORPUS_DIR, provenance
from ingest.documents import STATUS_FILE, DocumentError, document_paths, file_sha256, read_document
from ingest.model import MODEL_ID
from ingest.jsonl import read_jsonl, write_jsonl
from ingest.records import Provision
from ingest.settings import settings

COLLECTION = "provisions"
RULES_FILE = "rules.json"
INGEST_DIR = Path(__file__).resolve().parent


def home_dir() -> Path:
    return settings().home


class ChromaUnavailable(RuntimeError):
    pass


def chroma_client(path: Path):
    """The embedded store in `path`, or, when VNIP_CHROMA_URL is set, a Chroma server (path unused); the server's
    token, if any, comes from VNIP_CHROMA_TOKEN and is sent as a bearer header, never logged."""
    import chromadb
    from chromadb.config import Settings

    chroma_settings = Settings(anonymized_telemetry=False, allow_reset=False)
    url = server_url()
    if not url:
        return chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    from urllib.parse import urlparse

    u = urlparse(url)
    token = settings().chroma_token
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        return chromadb.HttpClient(host=u.hostname, port=u.port or (443 if u.scheme == "https" else 8000),
                                   ssl=u.scheme == "https", headers=headers, settings=chroma_settings)
    except Exception as e:      # the client checks the server on creation; say which setting to fix
        if _refused(e):
            why = ("the server refused the token: set VNIP_CHROMA_TOKEN to the token the server expects"
                   if token else "the server requires a token: set VNIP_CHROMA_TOKEN")
        else:
            why = f"cannot reach it ({type(e).__name__}); check that it runs and VNIP_CHROMA_URL is right"
        raise ChromaUnavailable(f"Chroma server {url}: {why}") from None


def _refused(error: Exception) -> bool:
    """A 401/403 however it comes back: Chroma's own auth errors, or a proxy's plain HTTP status."""
    from chromadb.errors import AuthorizationError, ChromaAuthError

    status = getattr(getattr(error, "response", None), "status_code", None)
    return (isinstance(error, (AuthorizationError, ChromaAuthError)) or status in (401, 403)
            or re.search(r"\b40[13]\b|Unauthorized|Forbidden", str(error)) is not None)


def server_url() -> str | None:
    return settings().chroma_url


def collection_name(gen: Path) -> str:
    """On a shared server every generation has its own collection, so building one never touches the live one;
    the embedded store has one collection per generation folder anyway."""
    return f"{COLLECTION}-{gen.name}" if server_url() else COLLECTION


def fingerprint(corpus_dir: Path = CORPUS_DIR, home: Path | None = None) -> str:
    """Changes when any corpus file (statutes, translations, commentary, rules/*.toml), the ingest code, the model
    or the user's documents change: then, and only then, a refresh works."""
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
        skipped = (f" {len(self.errors)} corpus problem(s): the files concerned were left out (listed on stderr)."
                   if self.errors else "")
        if not self.changed:
            return f"Nothing changed: the index is current ({self.generation}); {self.seconds:.2f} s.{skipped}"
        return (f"Indexed {self.instruments} instruments: {self.provisions} provisions in {self.versions} versions, "
                f"{self.chunks} chunks (added {self.added}, updated {self.updated}, deleted {self.deleted}, "
                f"unchanged {self.unchanged}; {self.embedded} embedded)"
                + (f", {self.documents} of your documents" if self.documents else "")
                + ". Amendment operations not applied: "
                f"{len(self.not_applied)}. {self.seconds:.1f} s.{skipped}")


class RefreshBusy(RuntimeError):
    pass


class _Lock:
    """One refresh at a time. flock(2), not the file's existence or content, is the lock: the kernel releases it
    when its holder dies, however it dies, so a stale lock file (a killed holder's pid, or junk) never blocks."""

    def __init__(self, path: Path):
        self.path = path

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = self._holder()
            os.close(self.fd)
            raise RefreshBusy(f"another refresh is running ({holder}, lock {self.path}); wait for it to finish, "
                              "or stop that process") from None
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}".encode(), 0)
        return self

    def _holder(self) -> str:
        # The holder writes "pid N since T" just after taking the lock: allow it a moment to do so.
        for _ in range(10):
            text = os.pread(self.fd, 200, 0).decode(errors="replace").strip()
            if text.startswith("pid "):
                return text
            time.sleep(0.05)
        return "a process that has not said who it is"

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
    if server_url():
        chroma_client(home)         # an unreachable server or a refused token stops us before any work
    with _Lock(home / "index" / "refresh.lock"):
        reached("locked")
        live = current_generation(home)
        _remove_leftovers(home, live)
        fp = fingerprint(corpus_dir, home)
        if live and not force and read_meta(live).get("fingerprint") == fp:
            # The errors of the build that made the live index still hold: the files have not changed.
            errors = read_meta(live).get("summary", {}).get("errors", [])
            return Summary(False, generation=live.name, errors=errors, seconds=time.perf_counter() - started)
        summary = _build(home, corpus_dir, fp, live, progress)
    summary.seconds = time.perf_counter() - started
    return summary


def _build(home: Path, corpus_dir: Path, fp: str, live: Path | None, progress) -> Summary:
    from ingest.embeddings import PassageEmbedder
    from ingest.versions import build_corpus

    corpus = build_corpus(corpus_dir)
    chunks = (chunks_for(corpus.provisions) + translation_chunks(corpus.provisions, corpus.translations)
              + note_chunks(corpus.notes) + article_chunks(corpus.provisions, corpus.translations))
    doc_chunks, doc_status = _documents(home)
    reached("parsed")
    gen = _new_generation(home / "index" / "generations")
    embedder = PassageEmbedder(home)
    stored = chunks + doc_chunks
    vectors = embedder.embed([c.text for c in stored], progress=progress)
    reached("embedded")
    _write_chroma(gen, stored, vectors)
    write_jsonl(gen / "provisions.jsonl", (provision_json(p) for p in corpus.provisions + corpus.notes))
    reached("jsonl")
    write_jsonl(gen / "translations.jsonl", ({"version_id": k, **v} for k, v in corpus.translations.items()))
    write_jsonl(gen / "chunks.jsonl", ({"id": c.id, "provision_id": c.provision_id, "text": c.text,
                                         **c.metadata} for c in chunks))
    # documents apart from chunks.jsonl: the law's keyword index and statistics stay exactly as without them
    write_jsonl(gen / "documents.jsonl", ({"id": c.id, "text": c.text, **c.metadata} for c in doc_chunks))
    # the checked assessment rules (ingest.rules); absent when the rules file failed its checks (error reported)
    (gen / RULES_FILE).write_text(json.dumps(corpus.rules, ensure_ascii=False, indent=1), encoding="utf-8")
    (gen / STATUS_FILE).write_text(json.dumps(doc_status, ensure_ascii=False, indent=1), encoding="utf-8")
    summary = _diff(live, chunks + doc_chunks, corpus, gen.name)
    summary.documents = sum(1 for d in doc_status if d["status"] == "ok")
    summary.errors += [d["reason"] for d in doc_status if d["status"] == "refused"]
    summary.embedded = embedder.computed
    meta = {"fingerprint": fp, "model": MODEL_ID, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "collection": collection_name(gen), "chroma": "server" if server_url() else "embedded",
            "replaces": live.name if live else None, "sources": provenance(corpus.metas),
            "instruments": {m.id: [m.label_en, m.label_vi] for m in corpus.metas.values()},
            "summary": asdict(summary)}
    # meta.json is written last and whole (rename), so a generation folder with meta.json is complete.
    tmp = gen / "meta.json.tmp"
    with tmp.open("w", encoding="utf-8") as f:
        f.write(json.dumps(meta, ensure_ascii=False, indent=1))
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, gen / "meta.json")
    _fsync_dir(gen)
    reached("meta")
    _switch(home, gen, keep=live)
    return summary


def _new_generation(gens: Path) -> Path:
    """A new folder named by time and pid; a counter when one process refreshes twice within a second."""
    gens.mkdir(parents=True, exist_ok=True)
    stamp = f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}"
    for n in range(1000):
        gen = gens / (f"{stamp}-{n}" if n else stamp)
        try:
            gen.mkdir()
            return gen
        except FileExistsError:
            continue
    raise RuntimeError(f"cannot create a new generation folder in {gens}")


def _write_chroma(gen: Path, chunks, vectors) -> None:
    client = chroma_client(gen / "chroma")
    name = collection_name(gen)
    collection = client.create_collection(name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}})
    reached("chroma-created")
    for i in range(0, len(chunks), 1000):
        part = chunks[i:i + 1000]
        collection.add(ids=[c.id for c in part], embeddings=vectors[i:i + 1000], documents=[c.text for c in part],
                       metadatas=[c.metadata for c in part])
    reached("chroma-written")


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
    reached("link-made")
    os.replace(tmp, index / "current")
    _fsync_dir(index)           # the switch survives a power cut, not only a killed process
    reached("switched")
    for old in (index / "generations").iterdir():
        if old not in (gen, keep):
            _remove_generation(old)
    reached("cleaned")


def _remove_leftovers(home: Path, live: Path | None) -> None:
    """What a killed refresh left: its temporary symlink, and every generation folder but the live one and the one
    it replaced (half-built ones, whole ones never made live, and the one before if the kill came after the
    switch). Called under the refresh lock, so no refresh is writing them."""
    index = home / "index"
    for link in index.glob(".current-*"):
        link.unlink(missing_ok=True)
    gens = index / "generations"
    if not gens.is_dir():
        return
    keep = {live, gens / (read_meta(live).get("replaces") or live.name)} if live else set()
    for gen in gens.iterdir():
        if gen not in keep:
            _remove_generation(gen)


def _remove_generation(gen: Path) -> None:
    """The folder, and in server mode its collection on the server (named after the folder, so a half-built
    generation without meta.json is found too)."""
    if server_url():
        try:
            chroma_client(gen / "chroma").delete_collection(f"{COLLECTION}-{gen.name}")
        except ChromaUnavailable:
            raise
        except Exception:       # never created (killed before) or already deleted
            pass
    shutil.rmtree(gen, ignore_errors=True)


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


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
