"""Speed benchmark (issue #4 item 5): prints vnip and the naive baseline side by side. Not a test: it measures.

    python scripts/bench.py [--from HOME] [--quick N] [--questions N] [--keep]

A temporary VNIP_HOME is seeded with the converted model only (no embedding cache), so the ingest embeds cold. Each
phase runs in its own process so its peak RSS is its own. --quick N keeps the embedding cache of --from HOME but
drops N chunks of each system from it, so only those are embedded cold (ingest figures then cover N chunks plus the
fixed costs, which inflates the overhead). The machine is shared: run it when it is quiet, and read p95 with care.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)   # Linux: KiB


def our_chunk_texts() -> list[str]:
    from ingest.chunks import chunks_for, note_chunks, translation_chunks
    from ingest.versions import build_corpus

    corpus = build_corpus()
    chunks = (chunks_for(corpus.provisions) + translation_chunks(corpus.provisions, corpus.translations)
              + note_chunks(corpus.notes))
    return [c.text for c in chunks]


# --- phases, each in a child process; each prints one JSON object -----------------------------------------------
def phase_ingest(home: Path) -> dict:
    from ingest.index import current_generation, refresh

    started = time.perf_counter()
    summary = refresh(home)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "provisions": summary.provisions, "versions": summary.versions,
            "chunks": summary.chunks, "embedded": summary.embedded, "rss_mb": rss_mb(),
            "disk_mb": du_mb(current_generation(home))}


def phase_encode(home: Path, texts_file: Path) -> dict:
    """The ceiling: raw model.encode on the texts the ingest embedded, with the ingest's settings."""
    from ingest.model import load_model

    texts = json.loads(texts_file.read_text(encoding="utf-8"))
    model = load_model(home)
    model.encode(texts[:8], prompt_name="passage", batch_size=32, normalize_embeddings=True)   # warm-up
    started = time.perf_counter()
    model.encode(texts, prompt_name="passage", batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    return {"seconds": time.perf_counter() - started, "n": len(texts), "rss_mb": rss_mb()}


def phase_baseline_ingest(home: Path) -> dict:
    from assistant.baseline import NaiveRAG, naive_chunks
    from ingest.embeddings import EmbeddingCache

    texts = set(naive_chunks()[0])
    cache = EmbeddingCache(home)
    cold = len(texts) - len(cache.get(list(texts)))
    cache.close()
    started = time.perf_counter()
    rag = NaiveRAG(home, model=None)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "chunks": len(rag.texts), "embedded": cold, "rss_mb": rss_mb(),
            "disk_mb": du_mb(rag.path)}


def questions(n: int) -> list[tuple[str, date]]:
    from assistant.answer import standalone
    from assistant.evaluate import EVAL_DIR, load_items

    items = load_items(EVAL_DIR / "vnip-dev.jsonl")[:n]
    return [(standalone(i.question, i.history), i.as_of) for i in items]


def percentiles(ms: list[float]) -> dict:
    ms = sorted(ms)
    return {"p50": round(statistics.median(ms), 1), "p95": round(ms[min(len(ms) - 1, int(len(ms) * 0.95))], 1),
            "n": len(ms)}


def timed(fn, args_list) -> list[float]:
    out = []
    for args in args_list:
        started = time.perf_counter()
        fn(*args)
        out.append((time.perf_counter() - started) * 1000)
    return out


def phase_query(home: Path, n: int) -> dict:
    from assistant.answer import answer
    from assistant.retrieve import Index

    index = Index(home, build=False)
    qs = questions(n)
    timed(lambda q, d: answer(index, q, d), qs[:3])                     # warm-up
    retrieval = timed(lambda q, d: index.retrieve(q, d, 5), qs)
    full = timed(lambda q, d: answer(index, q, d), qs)
    return {"retrieval": percentiles(retrieval), "answer": percentiles(full), "rss_mb": rss_mb()}


def phase_baseline_query(home: Path, n: int) -> dict:
    from assistant.baseline import NaiveRAG
    from ingest.model import load_model

    rag = NaiveRAG(home, load_model(home))
    qs = questions(n)
    timed(lambda q, d: rag.retrieve(q, 5), qs[:3])
    return {"retrieval": percentiles(timed(lambda q, d: rag.retrieve(q, 5), qs)), "rss_mb": rss_mb()}


def du_mb(path: Path | None) -> float:
    if path is None:
        return 0.0
    total = sum(f.stat().st_size for f in Path(path).resolve().rglob("*") if f.is_file())
    return round(total / 2**20, 1)


# --- orchestration ------------------------------------------------------------------------------------------
def child(*args: str) -> dict:
    run = subprocess.run([sys.executable, __file__, "--phase", *args], capture_output=True, text=True, cwd=ROOT)
    if run.returncode != 0:
        raise SystemExit(f"bench phase {args[0]} failed:\n{run.stderr[-3000:]}")
    return json.loads(run.stdout.strip().splitlines()[-1])


def seed_home(source: Path, quick: int | None) -> Path:
    from ingest.model import model_dir, provision_model

    home = Path(tempfile.mkdtemp(prefix="vnip-bench-"))
    src_model = model_dir(source)
    if src_model.exists():
        shutil.copytree(src_model, model_dir(home))
    else:
        print(f"bench: no model under {source}; converting one (not timed)", file=sys.stderr)
        provision_model(home)
    if quick:
        caches = list((source / "cache").glob("embeddings-*.sqlite"))
        if not caches:
            raise SystemExit(f"bench --quick needs the embedding cache of {source}/cache")
        (home / "cache").mkdir()
        shutil.copy2(caches[0], home / "cache" / caches[0].name)
        drop_from_cache(home / "cache" / caches[0].name, quick)
    return home


def drop_from_cache(path: Path, n: int) -> None:
    from assistant.baseline import naive_chunks
    from ingest.embeddings import EmbeddingCache

    rng = random.Random(4)
    keys = [EmbeddingCache.key(t) for t in rng.sample(our_chunk_texts(), n)]
    keys += [EmbeddingCache.key(t) for t in rng.sample(naive_chunks()[0], n)]
    with sqlite3.connect(path) as db:
        db.executemany("DELETE FROM vec WHERE key = ?", [(k,) for k in keys])


def embedded_texts(home: Path, quick: int | None) -> list[str]:
    """The texts the cold ingest embedded (all chunk texts, or the N dropped ones with --quick)."""
    texts = list(dict.fromkeys(our_chunk_texts()))
    if quick:
        rng = random.Random(4)
        texts = list(dict.fromkeys(rng.sample(our_chunk_texts(), quick)))
    return texts


def no_change_refresh(home: Path) -> float:
    env = {**os.environ, "VNIP_HOME": str(home)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "assistant.cli", "ingest"], check=True, capture_output=True, cwd=ROOT,
                   env=env)
    return time.perf_counter() - started


def report(r: dict) -> str:
    ing, enc, base, q, bq = r["ingest"], r["encode"], r["baseline_ingest"], r["query"], r["baseline_query"]
    overhead = (ing["seconds"] / enc["seconds"] - 1) * 100
    rows = [
        ("cold ingest (whole refresh)", f"{ing['seconds']:.1f} s, {ing['embedded']} of {ing['chunks']} chunks "
         "embedded", f"{base['seconds']:.1f} s, {base['embedded']} of {base['chunks']} chunks embedded"),
        ("ingest throughput", f"{ing['provisions'] / ing['seconds']:.1f} provisions/s, "
                              f"{ing['embedded'] / ing['seconds']:.1f} chunks/s",
         f"{base['embedded'] / base['seconds']:.1f} chunks/s"),
        ("raw model.encode, same texts (ceiling)", f"{enc['n'] / enc['seconds']:.1f} chunks/s ({enc['seconds']:.1f} s)", ""),
        ("ingest overhead above raw encode", f"{overhead:.0f} %", ""),
        ("no-change refresh (whole `vnip ingest`)", f"{r['refresh']:.2f} s", ""),
        ("warm retrieval p50 / p95", f"{q['retrieval']['p50']} / {q['retrieval']['p95']} ms",
         f"{bq['retrieval']['p50']} / {bq['retrieval']['p95']} ms"),
        ("warm full extractive answer p50 / p95", f"{q['answer']['p50']} / {q['answer']['p95']} ms", ""),
        ("full answer p50 / baseline retrieval p50", f"{q['answer']['p50'] / bq['retrieval']['p50']:.2f}x", ""),
        ("peak RSS: ingest", f"{ing['rss_mb']:.0f} MB", f"{base['rss_mb']:.0f} MB"),
        ("peak RSS: load + answer questions", f"{q['rss_mb']:.0f} MB", f"{bq['rss_mb']:.0f} MB (retrieval)"),
        ("index on disk", f"{ing['disk_mb']} MB", f"{base['disk_mb']} MB"),
    ]
    lines = ["| measure | vnip | naive baseline |", "|---|---|---|"] + [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines) + f"\n\nquestions: {q['answer']['n']} dev questions; {r['note']}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", default=os.environ.get("VNIP_HOME", str(Path.home() / ".cache/vnip")),
                        help="a VNIP_HOME whose converted model seeds the temporary home")
    parser.add_argument("--quick", type=int, metavar="N", help="embed only N chunks of each system cold")
    parser.add_argument("--questions", type=int, default=40, help="dev questions timed (default 40)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary home")
    parser.add_argument("--json", action="store_true", help="print the raw figures as JSON too")
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        name, home, *rest = args.phase
        fn = {"ingest": phase_ingest, "encode": phase_encode, "baseline-ingest": phase_baseline_ingest,
              "query": phase_query, "baseline-query": phase_baseline_query}[name]
        conv = [Path(rest[0])] if name == "encode" else [int(x) for x in rest]
        print(json.dumps(fn(Path(home), *conv)))
        return 0
    home = seed_home(Path(args.source), args.quick)
    try:
        r = {"note": f"cold embed of {args.quick} chunks per system (--quick)" if args.quick else "full cold embed"}
        print(f"bench: home {home}; cold ingest…", file=sys.stderr)
        r["ingest"] = child("ingest", str(home))
        texts = home / "embedded.json"
        texts.write_text(json.dumps(embedded_texts(home, args.quick), ensure_ascii=False), encoding="utf-8")
        print("bench: raw encode ceiling…", file=sys.stderr)
        r["encode"] = child("encode", str(home), str(texts))
        print("bench: baseline ingest…", file=sys.stderr)
        r["baseline_ingest"] = child("baseline-ingest", str(home))
        r["refresh"] = no_change_refresh(home)
        print("bench: warm queries…", file=sys.stderr)
        r["query"] = child("query", str(home), str(args.questions))
        r["baseline_query"] = child("baseline-query", str(home), str(args.questions))
        print(report(r))
        if args.json:
            print(json.dumps(r, indent=1))
    finally:
        if not args.keep:
            shutil.rmtree(home, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
