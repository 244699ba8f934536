"""A refresh SIGKILLed at any moment never harms the live index, and the next refresh completes and clears its debris.

Each round edits a real excerpt of the corpus (one more article; in some rounds a changed clause that must really be
embedded), starts a refresh in a subprocess and kills it: at a named point of the refresh (ingest/checkpoints.py), or
after a random delay over the whole run. Then the live generation must be complete and answer exactly as it did
before the kill (or, if the kill came after the switch, exactly as a clean build of the new excerpt does); an
in-process refresh must then complete and leave no half-built generation behind.
"""
from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from crash_excerpt import Excerpt, fresh_home

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ["Luật Trí tuệ nhân tạo điều chỉnh những gì?", "What principles govern AI activities?",
             "nguyen tac co ban trong hoat dong tri tue nhan tao", "Điều 3 Luật Trí tuệ nhân tạo",
             "What are the State's policies on artificial intelligence?"]
POINTS = ["locked", "parsed", "embedded", "chroma-created", "chroma-written", "jsonl", "meta", "link-made",
          "switched", "cleaned"]
AS_OF = date(2026, 11, 28)


class Remembering:
    """The real model, remembering what it encoded: the same query gives the same vector, and what these tests
    check is the generation's data (Chroma, JSONL, keyword index), not the model, which the machine runs slowly."""

    def __init__(self, model):
        self.model, self.seen = model, {}

    def encode(self, texts, **kwargs):
        key = (tuple(texts), tuple(sorted(kwargs.items())))
        if key not in self.seen:
            self.seen[key] = self.model.encode(texts, **kwargs)
        return self.seen[key]


def answers(home: Path, model) -> tuple[str, list]:
    from assistant.retrieve import Index

    index = Index(home, build=False, model=model)
    out = []
    for q in QUESTIONS:
        r = index.retrieve(q, AS_OF, k=5)
        out.append(([(h.provision.version_id, h.score) for h in r.hits], r.margin))
    return index.meta["fingerprint"], out


def start(home: Path, corpus: Path, trace: Path, pause: str | None = None) -> subprocess.Popen:
    env = {**os.environ, "VNIP_REFRESH_TRACE": str(trace), "HF_HUB_OFFLINE": "1"}
    env.pop("VNIP_REFRESH_PAUSE", None)
    if pause:
        env["VNIP_REFRESH_PAUSE"] = pause
    code = f"from pathlib import Path; from ingest.index import refresh; refresh(Path({str(home)!r}), Path({str(corpus)!r}))"
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)


def kill_at(proc: subprocess.Popen, trace: Path, point: str | None, delay: float, timeout: float = 120) -> str:
    """SIGKILL the refresh when it pauses at `point`, or after `delay` seconds; returns the last point it reached."""
    deadline = time.monotonic() + (timeout if point else delay)
    while time.monotonic() < deadline and proc.poll() is None:
        if point and trace.exists() and trace.read_text().splitlines()[-1:] == [point]:
            break
        time.sleep(0.01)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    stderr = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    assert proc.returncode in (0, -signal.SIGKILL), stderr
    reached = trace.read_text().splitlines() if trace.exists() else []
    trace.unlink(missing_ok=True)
    where = reached[-1] if reached else "before the lock"
    return where if proc.returncode == -signal.SIGKILL else "finished"


def check_complete(gen: Path) -> None:
    """What makes a generation whole: meta.json, every JSONL file readable, Chroma holding every chunk."""
    from ingest.index import chroma_client, read_jsonl, read_meta

    meta = read_meta(gen)
    chunks = read_jsonl(gen / "chunks.jsonl")
    assert read_jsonl(gen / "provisions.jsonl") and chunks
    assert chroma_client(gen / "chroma").get_collection(meta["collection"]).count() == len(chunks)


def test_refresh_killed_anywhere_leaves_the_live_index_answering(home, tmp_path):
    from ingest.index import current_generation, refresh
    from ingest.model import load_model

    started = time.monotonic()
    crash_home, ref_home = fresh_home(tmp_path / "home", home), fresh_home(tmp_path / "ref", home)
    excerpt = Excerpt(tmp_path / "corpus")
    model = Remembering(load_model(home))
    refresh(crash_home, excerpt.write())
    known = dict([answers(crash_home, model)])          # fingerprint -> answers of a complete build
    trace = tmp_path / "trace"

    # A full uninterrupted run in a subprocess sets the window for random kills.
    excerpt.articles += 1
    t0 = time.monotonic()
    assert kill_at(start(crash_home, excerpt.write(), trace), trace, None, 300) == "finished"
    window = time.monotonic() - t0
    known.update([answers(crash_home, model)])

    rng = random.Random(20261128)
    plan = [("point", p) for p in POINTS] + [("random", None)] * 12 + [("embed", "embedding"), ("embed", None)]
    rng.shuffle(plan)
    kills: list[str] = []
    for kind, point in plan:
        before = current_generation(crash_home)
        if kind == "embed":
            excerpt.edits += 1          # new text: this refresh must load the model and embed it
        else:
            excerpt.articles += 1
        excerpt.write()
        delay = rng.uniform(0, window * 1.2) if kind == "random" else rng.uniform(3, 15)
        where = kill_at(start(crash_home, excerpt.root, trace, point), trace, point, delay)
        if where == "finished":          # the delay outlasted the run: nothing to prove this round
            known.update([answers(crash_home, model)])
            continue
        kills.append(where)
        print(f"round {len(kills)}: killed at {where} ({time.monotonic() - started:.0f} s)", flush=True)
        live = current_generation(crash_home)
        check_complete(live)
        fp, got = answers(crash_home, model)
        if live == before:
            assert got == known[fp], f"killed at {where}: the live generation answers differently"
        else:       # the kill came after the switch: the new generation must equal a clean build of the excerpt
            assert where in ("switched", "cleaned") or kind != "point", where
            refresh(ref_home, excerpt.root, force=True)
            ref_fp, ref = answers(ref_home, model)
            assert (fp, got) == (ref_fp, ref), f"killed at {where}: the new generation differs from a clean build"
            known[fp] = got
        # The next refresh completes and leaves only whole generations: the live one and the one before it.
        refresh(crash_home, excerpt.root)
        live = current_generation(crash_home)
        gens = list((crash_home / "index" / "generations").iterdir())
        assert live in gens and len(gens) <= 2 and all((g / "meta.json").exists() for g in gens), gens
        assert not list((crash_home / "index").glob(".current-*"))
        for g in gens:
            check_complete(g)
        fp, got = answers(crash_home, model)
        assert got == known.setdefault(fp, got)

    seconds = time.monotonic() - started
    summary = {w: kills.count(w) for w in dict.fromkeys(kills)}
    print(f"\n{len(kills)} kills survived in {seconds:.0f} s (window {window:.1f} s); last point reached: "
          f"{json.dumps(summary)}")
    assert len(kills) >= 20
    assert len(set(kills)) >= 10, summary      # spread over the refresh, not bunched at its start
