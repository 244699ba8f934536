"""One refresh at a time: a second one stops at once and names the holder; a dead holder's lock never blocks."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crash_excerpt import Excerpt, fresh_home
from test_crash import ROOT, start


@pytest.fixture
def small(home, tmp_path):
    from ingest.index import refresh

    excerpt = Excerpt(tmp_path / "corpus")
    h = fresh_home(tmp_path / "home", home)
    refresh(h, excerpt.write())
    excerpt.articles += 1          # so that the next refresh has work to do
    excerpt.write()
    return h, excerpt


def hold_lock(h: Path, excerpt: Excerpt, trace: Path) -> subprocess.Popen:
    """A real refresh, paused just after it took the lock."""
    proc = start(h, excerpt.root, trace, pause="locked")
    deadline = time.monotonic() + 60
    while not (trace.exists() and trace.read_text().splitlines()[-1:] == ["locked"]):
        assert proc.poll() is None and time.monotonic() < deadline, "the holder did not reach the lock"
        time.sleep(0.01)
    return proc


def kill(proc: subprocess.Popen) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()


def test_second_refresh_stops_at_once_naming_the_holder(small, tmp_path):
    from ingest.index import RefreshBusy, refresh

    h, excerpt = small
    holder = hold_lock(h, excerpt, tmp_path / "trace")
    try:
        t0 = time.monotonic()
        with pytest.raises(RefreshBusy) as err:
            refresh(h, excerpt.root)
        assert time.monotonic() - t0 < 2
        assert re.search(rf"pid {holder.pid} since \d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d", str(err.value)), err.value
        assert "refresh.lock" in str(err.value)

        # The same through the command line: exit code 1, the holder named on stderr, nothing on stdout.
        env = {**os.environ, "VNIP_HOME": str(h), "HF_HUB_OFFLINE": "1"}
        t0 = time.monotonic()
        run = subprocess.run([sys.executable, "-m", "assistant.cli", "ingest"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
        took = time.monotonic() - t0
        assert run.returncode == 1 and run.stdout == "", (run.returncode, run.stdout, run.stderr)
        assert run.stderr.startswith("vnip ingest: another refresh is running") and f"pid {holder.pid} since" in \
            run.stderr and "Traceback" not in run.stderr, run.stderr
        assert took < 15, took      # start-up of Python and the ingest modules; no waiting on the lock
    finally:
        kill(holder)


def test_ask_during_a_refresh_answers_from_the_live_index(small, tmp_path, capfd):
    from assistant.retrieve import Index
    from ingest.index import current_generation

    h, excerpt = small
    live = current_generation(h)
    holder = hold_lock(h, excerpt, tmp_path / "trace")
    try:
        index = Index(h)            # build=True: its refresh is busy, so it serves the live generation
        assert index.generation == live
        assert f"pid {holder.pid} since" in capfd.readouterr().err
    finally:
        kill(holder)


def test_a_killed_holders_lock_and_a_junk_lock_file_do_not_block(small, tmp_path):
    from ingest.index import current_generation, read_meta, refresh

    h, excerpt = small
    holder = hold_lock(h, excerpt, tmp_path / "trace")
    kill(holder)
    lock = h / "index" / "refresh.lock"
    assert f"pid {holder.pid}" in lock.read_text()          # the dead holder's note is still there
    summary = refresh(h, excerpt.root)
    assert summary.changed and current_generation(h).name == summary.generation
    assert lock.read_text() == ""                              # released cleanly this time

    lock.write_bytes(b"\x00\xffnot a pid\n" * 50)
    excerpt.articles += 1
    summary = refresh(h, excerpt.write())
    assert summary.changed and read_meta(current_generation(h))["fingerprint"] != ""
