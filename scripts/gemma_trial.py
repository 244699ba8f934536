"""The measured trial of EmbeddingGemma-300m (issue #13): the same retrieval pipeline on the dev split with the
dense signal (chunk vectors, query vectors, off-topic anchors) from EmbeddingGemma instead of multilingual-e5-small.

    python scripts/gemma_trial.py MODEL_DIR WORK_DIR [--set dev]

MODEL_DIR is the folder rebuilt and verified by scripts/gemma_model.py. Chunk vectors are written to WORK_DIR in
slices as they are encoded, so a stopped run resumes where it stopped (the whole corpus takes tens of minutes on two
cores). Prints dev figures for e5 and for EmbeddingGemma side by side, and the encoding speeds.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

SLICE = 128


def encode_corpus(model, texts: list[str], work: Path) -> np.ndarray:
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))    # longest first: batches pad to their own length
    parts = []
    for n, start in enumerate(range(0, len(order), SLICE)):
        path = work / f"slice-{n:04d}.npy"
        if not path.exists():
            ids = order[start:start + SLICE]
            t = time.perf_counter()
            vecs = model.encode([texts[i] for i in ids], prompt_name="document", batch_size=16,
                                normalize_embeddings=True, convert_to_numpy=True)
            np.save(path, vecs.astype(np.float32))
            print(f"slice {n}: {len(ids)} chunks in {time.perf_counter() - t:.0f} s", flush=True)
        parts.append(np.load(path))
    stacked = np.concatenate(parts)
    out = np.zeros_like(stacked)
    out[np.array(order)] = stacked
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("model_dir")
    ap.add_argument("work_dir")
    ap.add_argument("--set", default="dev")
    args = ap.parse_args()
    work = Path(args.work_dir)
    work.mkdir(parents=True, exist_ok=True)

    import torch
    from sentence_transformers import SentenceTransformer

    from assistant.evaluate import EVAL_DIR, evaluate, load_items
    from assistant.retrieve import OFF_TOPIC, Index

    torch.set_num_threads(2)
    index = Index(build=False)
    items = load_items(EVAL_DIR / f"vnip-{args.set}.jsonl")
    before = evaluate(index, items)[0].summary()

    gemma = SentenceTransformer(args.model_dir, device="cpu", local_files_only=True)
    gemma.max_seq_length = 512
    texts = [c["text"] for c in index.chunks]
    t = time.perf_counter()
    vectors = encode_corpus(gemma, texts, work)
    print(f"corpus vectors ready: {len(texts)} chunks ({time.perf_counter() - t:.0f} s this run)")
    index.model, index._vectors = gemma, vectors
    index._anchors = index._encode(OFF_TOPIC, "query")
    after = evaluate(index, items)[0].summary()
    report = {"set": args.set, "e5": before, "embeddinggemma": after}
    (work / f"trial-{args.set}.json").write_text(json.dumps(report, indent=1))
    for key in before:
        print(f"{key:22} {before[key]!s:>8} {after[key]!s:>8}")


if __name__ == "__main__":
    main()
