"""Shared fixtures: one real ingest of the real corpus per test session, shared by the tests that only read."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def home(tmp_path_factory) -> Path:
    """VNIP_TEST_HOME keeps the model and embedding cache between local runs; CI starts from nothing."""
    env = os.environ.get("VNIP_TEST_HOME")
    path = Path(env) if env else tmp_path_factory.mktemp("vnip-home")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def ingested(home):
    from ingest.index import refresh

    return refresh(home)


@pytest.fixture(scope="session")
def index(home, ingested):
    from assistant.retrieve import Index

    return Index(home, build=False)


# The fast lane (`make test-fast`, `pytest -m "not slow"`): everything that needs neither the embedding model nor a
# built index nor a browser. A test is slow when it reaches the model or the index through these fixtures, or when
# its module starts processes that load them (streamlit, a refresh, the CLI).
SLOW_FIXTURES = {"home", "ingested", "index", "model"}
SLOW_MODULES = {"test_browser", "test_crash", "test_load", "test_offline", "test_chroma_server", "test_cli",
                "test_lock"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())) or item.module.__name__ in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
