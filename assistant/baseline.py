"""The naive RAG that issue #4 measures us against: RecursiveCharacterTextSplitter(1000, 200) over the raw source
texts, the same embedding model, Chroma, top-k by similarity, citations = article numbers read out of the chunk."""
from __future__ import annotations

import hashlib
from pathlib import Path

from ingest.corpus import CORPUS_DIR, load_manifest
from ingest.embeddings import PassageEmbedder
from ingest.index import chroma_client
from ingest.references import ARTICLE_MENTION

_ARTICLE = ARTICLE_MENTION


def naive_chunks(corpus_dir: Path = CORPUS_DIR) -> tuple[list[str], list[str]]:
    """The baseline's chunk texts and the instrument each comes from."""
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    texts, instruments = [], []
    for meta in load_manifest(corpus_dir).values():
        for f in meta.files:
            for piece in splitter.split_text(f.path.read_text(encoding="utf-8")):
                texts.append(piece)
                instruments.append(meta.id)
    return texts, instruments


class NaiveRAG:
    def __init__(self, home: Path, model, corpus_dir: Path = CORPUS_DIR):
        self.texts, self.instruments = naive_chunks(corpus_dir)
        key = hashlib.sha256("\n".join(self.texts).encode()).hexdigest()[:12]
        self.path = Path(home) / "baseline" / key
        client = chroma_client(self.path)
        self.collection = client.get_or_create_collection("naive", embedding_function=None,
                                                          configuration={"hnsw": {"space": "cosine"}})
        if self.collection.count() != len(self.texts):
            vectors = PassageEmbedder(home).embed(self.texts)
            for i in range(0, len(self.texts), 1000):
                self.collection.upsert(ids=[str(j) for j in range(i, min(i + 1000, len(self.texts)))],
                                       embeddings=vectors[i:i + 1000], documents=self.texts[i:i + 1000])
        self.model = model

    def retrieve(self, question: str, k: int = 10) -> list[str]:
        """Article ids in rank order, as a naive RAG would cite them."""
        vector = self.model.encode([question], prompt_name="query", normalize_embeddings=True)[0]
        res = self.collection.query(query_embeddings=[vector.tolist()], n_results=k, include=["documents"])
        out = []
        for cid, doc in zip(res["ids"][0], res["documents"][0]):
            instrument = self.instruments[int(cid)]
            for number in _ARTICLE.findall(doc):
                aid = f"{instrument}:{number}"
                if aid not in out:
                    out.append(aid)
        return out
