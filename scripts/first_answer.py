"""Time from `make run` to the first answer in a real browser (Debian's Chromium via Playwright).

    .venv/bin/python scripts/first_answer.py [--port 8501]

Starts `make run` as a new user would (install check, `vnip ingest`, `streamlit run`), opens the page, asks the core
question and prints the seconds until the page is up, until the chat input is ready (the index and model loaded)
and until the answer's citation cards are shown. Run it twice: the second run is the warm machine."""
from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Can we train an AI model on copyrighted news articles without permission?"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", "--no-first-run", "--disable-quic"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8501)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    make = subprocess.Popen(["make", "run"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    url = f"http://127.0.0.1:{args.port}"
    try:
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                if make.poll() is not None:
                    print("make run exited early", file=sys.stderr)
                    return 1
                time.sleep(0.2)
        up = time.perf_counter() - started
        with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
            ctx = p.chromium.launch_persistent_context(profile, executable_path="/usr/bin/chromium", args=FLAGS)
            page = ctx.new_page()
            page.goto(url)
            box = page.get_by_test_id("stChatInputTextArea")
            box.wait_for(timeout=600_000)
            ready = time.perf_counter() - started
            box.fill(QUESTION)
            box.press("Enter")
            page.get_by_text("Export as Markdown").first.wait_for(timeout=600_000)
            answered = time.perf_counter() - started
            ctx.close()
    finally:
        os.killpg(make.pid, signal.SIGTERM)
        make.wait()
    print(f"server up {up:.1f} s · chat ready {ready:.1f} s · first answer {answered:.1f} s after `make run`")
    return 0


if __name__ == "__main__":
    sys.exit(main())
