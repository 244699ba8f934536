"""Keyword (BM25) search over the chunks, twice: on the words as written and on words without diacritics, so
that a question typed without diacritics still finds its provisions."""
from __future__ import annotations

import numpy as np

from ingest.text import fold, words


class KeywordIndex:
    def __init__(self, texts: list[str], folded: bool):
        import bm25s

        self.folded = folded
        self._bm25 = bm25s.BM25()
        self._bm25.index([self._tokens(t) or ["∅"] for t in texts], show_progress=False)
        self.vocabulary = {w for t in texts for w in self._tokens(t)}

    def _tokens(self, text: str) -> list[str]:
        return words(fold(text) if self.folded else text)

    def scores(self, query: str) -> np.ndarray:
        tokens = [t for t in self._tokens(query) if t in self.vocabulary]
        if not tokens:
            return np.zeros(self._bm25.scores["num_docs"], dtype=np.float32)
        return self._bm25.get_scores(tokens)
