"""Embeddings with a persistent cache: a chunk whose text did not change is never embedded again.

We keep our own small SQLite cache rather than LangChain's CacheBackedEmbeddings: its stores live in
langchain-classic, and the refresh must decide "nothing changed" without importing torch or LangChain at all.
"""
from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import numpy as np

from ingest.checkpoints import reached
from ingest.model import MODEL_ID, load_model


class EmbeddingCache:
    def __init__(self, home: Path):
        path = Path(home) / "cache" / ("embeddings-" + hashlib.sha256(MODEL_ID.encode()).hexdigest()[:12] + ".sqlite")
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path)
        self._db.execute("CREATE TABLE IF NOT EXISTS vec (key TEXT PRIMARY KEY, data BLOB)")

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get(self, texts: list[str]) -> dict[str, np.ndarray]:
        keys = [self.key(t) for t in texts]
        found = {}
        for i in range(0, len(keys), 500):
            batch = keys[i:i + 500]
            rows = self._db.execute(f"SELECT key, data FROM vec WHERE key IN ({','.join('?' * len(batch))})", batch)
            found.update({k: np.frombuffer(d, dtype=np.float32) for k, d in rows})
        return found

    def put(self, texts: list[str], vectors: np.ndarray) -> None:
        self._db.executemany("INSERT OR REPLACE INTO vec VALUES (?, ?)",
                             [(self.key(t), v.astype(np.float32).tobytes()) for t, v in zip(texts, vectors)])
        self._db.commit()

    def close(self) -> None:
        self._db.close()


class PassageEmbedder:
    """Embeds passages through the cache; loads the model only when something is missing."""

    def __init__(self, home: Path):
        self.home, self.cache, self._model, self.computed = Path(home), EmbeddingCache(home), None, 0

    def embed(self, texts: list[str], progress=None) -> np.ndarray:
        cached = self.cache.get(texts)
        # Longest first, across batches: a batch pads to its longest text, so mixing lengths wastes most of the
        # encode time (the model sorts within one call only).
        missing = sorted(dict.fromkeys(t for t in texts if EmbeddingCache.key(t) not in cached), key=len, reverse=True)
        for i in range(0, len(missing), 256):
            batch = missing[i:i + 256]
            model = self.model
            reached("embedding")
            vecs = model.encode(batch, prompt_name="passage", batch_size=32, normalize_embeddings=True,
                                     convert_to_numpy=True)
            self.cache.put(batch, vecs)
            cached.update({EmbeddingCache.key(t): v for t, v in zip(batch, vecs)})
            self.computed += len(batch)
            if progress:
                progress(len(batch), len(missing))
        return np.stack([cached[EmbeddingCache.key(t)] for t in texts]) if texts else np.zeros((0, 384), np.float32)

    @property
    def model(self):
        if self._model is None:
            self._model = load_model(self.home)
        return self._model
