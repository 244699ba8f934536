"""Every setting vnip takes from its environment, read in this one place, and the retrieval defaults beside them.

`settings()` reads the environment each time it is called (a few dictionary look-ups) rather than once per process:
the app's sidebar and the tests change `VNIP_HOME` or `VNIP_LLM` while the process runs, and each operation
(a refresh, opening the index, one question) should see the environment as it is when it starts. Callers take one
`Settings` per operation and pass values on; nothing else in ingest/ or assistant/ reads `os.environ` for these.

It lives in ingest/, the lowest stage, so both stages may import it (pyproject.toml, [tool.importlinter])."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

# Names of the environment variables, for messages that say which one to fix.
HOME, CHROMA_URL, CHROMA_TOKEN = "VNIP_HOME", "VNIP_CHROMA_URL", "VNIP_CHROMA_TOKEN"
LLM, LLM_TIMEOUT = "VNIP_LLM", "VNIP_LLM_TIMEOUT"
OPENAI_BASE_URL, OPENAI_API_KEY = "OPENAI_BASE_URL", "OPENAI_API_KEY"

DEFAULT_K = 5                 # citations per answer (`vnip ask --k`, the app, the evaluation)
MAX_K = 50
DEFAULT_LLM_TIMEOUT = 60.0    # seconds a language model may stay silent before the extractive answer is used


@dataclass(frozen=True)
class Retrieval:
    """Fusion weights and thresholds of retrieval, calibrated on the dev split (README "Retrieval"); changing one
    changes the evaluation figures, so they are code, not environment."""
    rrf_k: int = 60
    # The previous turn's provisions: kept in view, never ahead of what the follow-up asks.
    carried_weight: float = 0.5
    # Refuse when the best corpus similarity minus the best off-topic anchor's is below this, per query language.
    refuse_margin: Mapping[str, float] = field(default_factory=lambda: {"en": 0.0, "vi": 0.02, "vi_folded": -0.015})
    # A user's passage is shown when at least this much closer than the law's best provision (tests/test_documents.py).
    document_lead: float = 0.0
    document_spread: float = 0.02     # a second passage only when about as close as the first
    max_document_hits: int = 2


RETRIEVAL = Retrieval()


@dataclass(frozen=True)
class Settings:
    home: Path                        # index, model, embedding cache and the user's documents
    chroma_url: str | None = None     # a Chroma server instead of the embedded store
    chroma_token: str | None = None   # sent as a bearer header, never printed
    llm_spec: str = ""                # PROVIDER:MODEL; empty = extractive answers only
    llm_timeout: str | None = None    # raw text: assistant/llm.py checks it and says how to fix a bad one
    openai_base_url: str | None = None
    openai_api_key: str | None = None
    k: int = DEFAULT_K

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(home=_home(env), chroma_url=env.get(CHROMA_URL) or None,
                   chroma_token=env.get(CHROMA_TOKEN) or None, llm_spec=env.get(LLM, "").strip(),
                   llm_timeout=env.get(LLM_TIMEOUT) or None, openai_base_url=env.get(OPENAI_BASE_URL) or None,
                   openai_api_key=env.get(OPENAI_API_KEY) or None)


def settings() -> Settings:
    return Settings.from_env()


def _home(env: Mapping[str, str]) -> Path:
    """`VNIP_HOME`, else the XDG cache folder's `vnip` (default `~/.cache/vnip`)."""
    if env.get(HOME):
        return Path(env[HOME]).expanduser()
    base = env.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "vnip"


def offline_defaults() -> None:
    """No network: the model is local and telemetry is off, unless the user's environment says otherwise. Set
    before transformers, huggingface_hub or chromadb are imported (they read these at import)."""
    for name, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"), ("ANONYMIZED_TELEMETRY", "False")):
        os.environ.setdefault(name, value)
