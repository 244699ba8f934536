"""vnip's retrieval as a LangChain retriever: `VnipRetriever(index=Index(), as_of=date(2026, 4, 1)).invoke(question)`
returns one `Document` per provision, ranked as `vnip ask` ranks them (exact references first, then fused search,
only versions in force on `as_of`). `page_content` is the verbatim statute text; the metadata carries what a citation
needs: id, labels, dates, kind, status, the project's unofficial English, the score. A question outside the corpus
returns no documents (the refusal reason is on the retriever's `last_refusal`, never invented law).

The date can also be given per call: `retriever.invoke(question, as_of=date(...))`. Usable in any runnable chain:
`retriever | RunnableLambda(format_docs)`."""
from __future__ import annotations

from datetime import date
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from assistant.retrieve import Hit, Index


class VnipRetriever(BaseRetriever):
    index: Any                       # assistant.retrieve.Index (loaded once, shared; read-only)
    as_of: date | None = None        # default: today
    k: int = 5
    include_notes: bool = False      # the project's commentary (not law), after the provisions
    last_refusal: str | None = None

    model_config = ConfigDict(arbitrary_types_allowed=True)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun,
                                as_of: date | None = None, **_: Any) -> list[Document]:
        day = as_of or self.as_of or date.today()
        r = self.index.retrieve(query, day, self.k)
        if r.out_of_scope:
            self.last_refusal = r.gap or "outside what the corpus covers"
            return []
        self.last_refusal = None
        docs = [document(self.index, h, day) for h in r.hits[:self.k]]
        if self.include_notes:
            docs += [document(self.index, h, day) for h in r.notes]
        return docs


def document(index: Index, hit: Hit, as_of: date) -> Document:
    p = hit.provision
    return Document(page_content=p.text, id=p.version_id, metadata={
        "id": p.id, "version_id": p.version_id, "instrument": p.instrument, "article": p.article,
        "clause": p.clause, "point": p.point, "label": p.label, "label_vi": p.label_vi,
        "article_title": p.article_title, "kind": p.kind, "status": p.status,
        "valid_from": p.valid_from.isoformat(), "valid_to": p.valid_to.isoformat() if p.valid_to else None,
        "as_of": as_of.isoformat(), "exact": hit.exact, "score": round(float(hit.score), 4),
        "translation": index.translation(p) if p.kind == "statute" else None,
        "translation_status": "unofficial (vnip project), not law" if p.kind == "statute" else None,
        "law": p.kind == "statute",
    })
