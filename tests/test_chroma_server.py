"""Scale-out: with VNIP_CHROMA_URL the index lives on a real Chroma server (`chroma run`), behind a token.

Each generation gets its own collection on the server, recorded in its meta.json; the switch stays the local
symlink; a generation's collection is deleted with it. Retrieval through the server gives what the embedded store
gives for the same excerpt. A missing or wrong token fails with a message that says which setting to fix.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from browser import free_port
from crash_excerpt import Excerpt, fresh_home
from test_crash import QUESTIONS, ROOT, Remembering
from token_proxy import start_proxy

TOKEN = "s3cret-token-for-the-test"
CHROMA = Path(sys.executable).with_name("chroma")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`chroma run` on loopback with the token proxy in front; yields the proxy's URL."""
    if not CHROMA.exists():
        pytest.skip(f"no chroma CLI beside {sys.executable}")
    path, port = tmp_path_factory.mktemp("chroma-server"), free_port()
    log = (path / "server.log").open("wb")
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port",
                             str(port)], stdout=log, stderr=subprocess.STDOUT, env={**os.environ,
                                                                                  "ANONYMIZED_TELEMETRY": "False"})
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=2)
            break
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, (path / "server.log").read_text()
            time.sleep(0.2)
    proxy = start_proxy(port, TOKEN)
    yield f"http://127.0.0.1:{proxy.server_address[1]}"
    proxy.shutdown()
    proc.terminate()
    proc.wait(30)
    log.close()


def retrieved(home: Path, model) -> list:
    from assistant.retrieve import Index

    index = Index(home, build=False, model=model)
    return [[(h.provision.version_id, round(h.score, 6)) for h in index.retrieve(q, date(2026, 11, 28)).hits]
            for q in QUESTIONS]


def test_ingest_and_ask_through_a_token_protected_server(server, home, tmp_path, monkeypatch):
    from ingest.index import chroma_client, current_generation, read_meta, refresh
    from ingest.model import load_model

    model = Remembering(load_model(home))
    excerpt = Excerpt(tmp_path / "corpus")
    excerpt.write()
    embedded = fresh_home(tmp_path / "embedded", home)
    refresh(embedded, excerpt.root)
    expected = retrieved(embedded, model)

    monkeypatch.setenv("VNIP_CHROMA_URL", server)
    monkeypatch.setenv("VNIP_CHROMA_TOKEN", TOKEN)
    h = fresh_home(tmp_path / "home", home)
    built = []
    for _ in range(3):
        refresh(h, excerpt.root)
        gen = current_generation(h)
        meta = read_meta(gen)
        assert meta["chroma"] == "server" and meta["collection"] == f"provisions-{gen.name}"
        assert not (gen / "chroma").exists()              # nothing of the store is local in server mode
        assert (gen / "chunks.jsonl").exists()            # the JSONL files and keyword index stay local
        built.append(gen.name)
        if len(built) == 1:
            assert retrieved(h, model) == expected        # the server answers as the embedded store does
        excerpt.articles += 1
        excerpt.write()

    client = chroma_client(h)
    names = sorted(c.name for c in client.list_collections())
    # Generation 1 went with its folder; 2 is kept (readers may still use it) and 3 is live.
    assert names == [f"provisions-{g}" for g in built[1:]], names
    assert sorted(p.name for p in (h / "index" / "generations").iterdir()) == built[1:]
    live = client.get_collection(f"provisions-{built[-1]}")
    assert live.count() == sum(1 for _ in (h / "index" / "current" / "chunks.jsonl").open())

    from assistant.answer import answer
    from assistant.retrieve import Index

    reply = answer(Index(h, build=False, model=model), "Điều 4 Luật Trí tuệ nhân tạo", date(2026, 11, 28))
    assert reply.citations and reply.citations[0].id.startswith("ai-law:4")


@pytest.mark.parametrize("token,message", [(None, "requires a token: set VNIP_CHROMA_TOKEN"),
                                           ("wrong-token", "refused the token: set VNIP_CHROMA_TOKEN")])
def test_a_missing_or_wrong_token_fails_clearly(server, home, tmp_path, token, message):
    env = {**os.environ, "VNIP_HOME": str(fresh_home(tmp_path / "home", home)), "VNIP_CHROMA_URL": server,
           "HF_HUB_OFFLINE": "1"}
    env.pop("VNIP_CHROMA_TOKEN", None)
    if token:
        env["VNIP_CHROMA_TOKEN"] = token
    for args in (["ingest"], ["ask", "What does Article 7(5) say?"]):
        run = subprocess.run([sys.executable, "-m", "assistant.cli", *args], cwd=ROOT, env=env, capture_output=True,
                             text=True, timeout=300)
        assert run.returncode == 1 and run.stdout == "", (args, run.returncode, run.stderr[-2000:])
        assert message in run.stderr and server in run.stderr and "Traceback" not in run.stderr, run.stderr
        assert TOKEN not in run.stderr and (token is None or token not in run.stderr)
