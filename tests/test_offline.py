"""No outbound traffic: `vnip ingest` (a real build) and `vnip ask` run with every non-loopback connection and every
name lookup refused and recorded (tests/netguard/sitecustomize.py), and nothing is attempted. Telemetry is off."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

from crash_excerpt import fresh_home
from browser import streamlit_server

ROOT = Path(__file__).resolve().parent.parent
GUARD = Path(__file__).resolve().parent / "netguard"


def guarded(args: list[str], home: Path, log: Path, **kw) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "TRANSFORMERS_", "ANONYMIZED"))}
    # The commands must keep themselves offline: the test does not set HF_HUB_OFFLINE or telemetry switches.
    env.update({"VNIP_HOME": str(home), "VNIP_NET_LOG": str(log), "PYTHONPATH": str(GUARD)})
    return subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, **kw)


def attempts(log: Path) -> str:
    return log.read_text(encoding="utf-8") if log.exists() else ""


def test_the_guard_catches_an_attempt(tmp_path):
    log = tmp_path / "net.log"
    code = "import socket\ntry:\n    socket.create_connection(('pypi.org', 443), timeout=5)\nexcept OSError as e:\n    print(e)"
    run = guarded([sys.executable, "-c", code], tmp_path, log)
    assert "refused by the offline test" in run.stdout and "getaddrinfo pypi.org" in attempts(log)


def test_ingest_and_ask_make_no_outbound_connection(home, tmp_path):
    h = fresh_home(tmp_path / "home", home)
    log = tmp_path / "net.log"
    ingest = guarded([sys.executable, "-m", "assistant.cli", "ingest"], h, log)
    assert ingest.returncode == 0, ingest.stderr[-3000:]
    assert ingest.stdout.startswith("Indexed 6 instruments"), ingest.stdout      # a real build, not "nothing changed"
    ask = guarded([sys.executable, "-m", "assistant.cli", "ask", "Can we train an AI model on news articles?",
                   "--as-of", "2026-11-28", "--json"], h, log)
    assert ask.returncode == 0, ask.stderr[-3000:]
    assert json.loads(ask.stdout)["citations"]
    assert attempts(log) == "", attempts(log)


def test_telemetry_is_off(tmp_path, monkeypatch):
    from ingest.index import chroma_client

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["browser"]["gatherUsageStats"] is False and config["server"]["address"] == "127.0.0.1"
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "True")      # the client's own setting wins over the environment
    assert chroma_client(tmp_path / "chroma").get_settings().anonymized_telemetry is False


def test_streamlit_server_starts_without_outbound_connection(home, tmp_path):
    """The server side of the app (the browser's own usage statistics are off by config, checked above)."""
    log = tmp_path / "net.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANONYMIZED")}
    env.update({"VNIP_NET_LOG": str(log), "PYTHONPATH": str(GUARD)})
    with streamlit_server(home, env=env) as url:      # waits for /_stcore/health to say "ok"
        assert urllib.request.urlopen(f"{url}/", timeout=10).status == 200
        time.sleep(3)               # let any start-up check (version, metrics) have its chance
    assert attempts(log) == "", attempts(log)
