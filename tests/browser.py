"""Shared by the browser tests: the real app served by `streamlit run` on loopback, and Debian's Chromium driven by
Playwright (never a downloaded browser)."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"]


def require_browser() -> None:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it with apt-get install chromium)")
    pytest.importorskip("playwright", reason="playwright is installed by `pip install -e '.[test]'`")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(home: Path, env: dict | None = None):
    """`streamlit run app.py` as a user would start it, on a free loopback port, its settings (telemetry off,
    loopback, headless) from .streamlit/config.toml; yields its URL. `env` replaces the test's environment."""
    port = free_port()
    base = {**os.environ, "HF_HUB_OFFLINE": "1"} if env is None else env
    env = {**base, "VNIP_HOME": str(home)}
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / f"streamlit-{port}.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.port",
                             str(port)], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"streamlit did not start; see {log.name}") from None
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


def user_data_dir(tmp_path: Path) -> Path:
    """A fresh, empty Chromium profile for every test."""
    path = tmp_path / "chromium-profile"
    shutil.rmtree(path, ignore_errors=True)
    return path


def page_text(page) -> str:
    """The whole app as text, closed cards and sidebar included (textContent, not what happens to be visible)."""
    return page.evaluate("document.querySelector('[data-testid=\"stApp\"]').textContent")


def full_page_screenshot(page, path: Path, width: int = 1400) -> None:
    """Streamlit scrolls inside its own container, so a plain full-page screenshot shows one window's worth: size
    the viewport to the tallest scrolling container, then take the screenshot."""
    height = page.evaluate("""() => Math.max(window.innerHeight, ...Array.from(document.querySelectorAll('*'))
        .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowY))
        .map(e => e.scrollHeight - e.clientHeight + window.innerHeight))""")
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 16000)})
    page.wait_for_timeout(500)
    page.screenshot(path=path, full_page=True)
    page.set_viewport_size({"width": width, "height": 1000})
