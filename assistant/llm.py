"""Optional language-model answers: the model writes the prose from the provisions retrieved exactly as for the
extractive answer, and every citation it writes is checked before anything is returned.

Configured by `VNIP_LLM=PROVIDER:MODEL` (`ollama:qwen2.5:7b`; `openai:MODEL` with `OPENAI_BASE_URL`/`OPENAI_API_KEY`
for any OpenAI-compatible server) or an explicit spec. Unconfigured, nothing here imports LangChain or opens a
connection. Refusals stay extractive; a model that fails, errors or is silent for `VNIP_LLM_TIMEOUT` seconds
(default 60) yields the extractive answer with a warning saying why. API keys never reach a message or a log."""
from __future__ import annotations

import itertools
import logging
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date

from assistant.answer import DISCLAIMER, Grounds, extractive, ground
from assistant.assessment_text import lead
from assistant.prompt import messages
from assistant.question import neutralise
from assistant.contract import Answer
from assistant.retrieve import Index
from assistant.verdict import ASSESSMENT
from assistant.verify import verify
from ingest.settings import DEFAULT_LLM_TIMEOUT, LLM, LLM_TIMEOUT, settings

log = logging.getLogger("vnip.llm")

ENV_SPEC, ENV_TIMEOUT = LLM, LLM_TIMEOUT
DEFAULT_TIMEOUT = DEFAULT_LLM_TIMEOUT
PROVIDERS = ("openai", "ollama")
EXAMPLES = "e.g. ollama:qwen2.5:7b, or openai:MODEL with OPENAI_BASE_URL set to your server"


class LLMConfigError(ValueError):
    """A language-model setting that cannot work; the message says which and how to fix it."""


@dataclass(frozen=True)
class LLMConfig:
    spec: str                  # PROVIDER:MODEL, shown in answers (never holds a key)
    timeout: float             # seconds without a reply before giving up

    @property
    def provider(self) -> str:
        return self.spec.split(":", 1)[0]


def _timeout(value: float | str | None) -> float:
    raw = value if value is not None else settings().llm_timeout or DEFAULT_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        raise LLMConfigError(f"{ENV_TIMEOUT}={raw!r} is not a number of seconds; use e.g. 60") from None
    if not 0 < seconds <= 3600:
        raise LLMConfigError(f"the language-model timeout must be between 0 and 3600 seconds, got {raw}")
    return seconds


def configured(spec: str | None = None, timeout: float | str | None = None) -> LLMConfig | None:
    """The language model to use: `spec` if given, else `VNIP_LLM`; None when neither is set."""
    spec = (spec if spec is not None else settings().llm_spec).strip()
    if not spec:
        return None
    provider, _, model = spec.partition(":")
    if provider not in PROVIDERS or not model.strip():
        raise LLMConfigError(f"language model {spec!r}: expected PROVIDER:MODEL with PROVIDER one of "
                             f"{', '.join(PROVIDERS)} ({EXAMPLES})")
    if provider == "openai" and not (settings().openai_base_url or settings().openai_api_key):
        raise LLMConfigError(f"language model {spec!r}: set OPENAI_BASE_URL to your OpenAI-compatible server "
                             "(vLLM, llama.cpp, …) and, if it needs one, OPENAI_API_KEY")
    return LLMConfig(spec, _timeout(timeout))


def chat_model(config: LLMConfig):
    """The LangChain chat model; imported here so that an unconfigured vnip never loads LangChain."""
    from langchain.chat_models import init_chat_model

    if config.provider == "openai":
        base_url = settings().openai_base_url
        # Local servers (vLLM, llama.cpp) accept any key, but the client refuses to start without one.
        key = settings().openai_api_key or "no-key"
        return init_chat_model(config.spec, base_url=base_url, api_key=key, timeout=config.timeout,
                               max_retries=0, temperature=0)
    return init_chat_model(config.spec, temperature=0, client_kwargs={"timeout": config.timeout})


@contextmanager
def _no_tracing():
    """LangSmith tracing, if enabled in the environment, would send questions and sources to a third party."""
    from langsmith import tracing_context

    with tracing_context(enabled=False):
        yield


def secrets() -> list[str]:
    return [v for k, v in os.environ.items() if len(v) >= 6 and re.search(r"(KEY|TOKEN|SECRET|PASSWORD)$", k)]


def redact(text: str) -> str:
    for secret in secrets():
        text = text.replace(secret, "***")
    return re.sub(r"(Bearer\s+|sk-)[A-Za-z0-9._\-]{6,}", r"\1***", text)


def why_failed(error: BaseException, config: LLMConfig) -> str:
    names = " ".join(t.__name__ for t in type(error).__mro__)
    if "Timeout" in names:
        return f"no reply within {config.timeout:g} s"
    if "Connect" in names:
        return "could not connect to its endpoint"
    status = getattr(error, "status_code", None)
    if isinstance(status, int):
        return f"its endpoint answered HTTP {status}"
    return redact(f"{type(error).__name__}: {error}")[:300]


def fallback(g: Grounds, config: LLMConfig, why: str) -> Answer:
    warning = f"The language model {config.spec} was not used: {why}. This is the extractive answer."
    log.warning("%s", warning)
    return extractive(replace(g, warnings=[*g.warnings, warning]))


def _footer(g: Grounds, config: LLMConfig, warnings: list[str]) -> str:
    if g.lang == "en":
        lead = (f"_Law applied as of {g.as_of.isoformat()}. Written by the language model {config.spec} from the "
                f"provisions retrieved; every citation was checked against them, and the texts cited are quoted "
                f"below._")
    else:
        lead = (f"_Pháp luật áp dụng tại ngày {g.as_of.isoformat()}. Do mô hình ngôn ngữ {config.spec} viết từ các "
                f"quy định được truy xuất; mọi trích dẫn đã được đối chiếu, văn bản được trích dẫn ở dưới._")
    return "\n\n".join([lead, *(f"_{w}_" for w in warnings), f"_{DISCLAIMER[g.lang]}_"])


def finish(index: Index, g: Grounds, config: LLMConfig, text: str) -> Answer:
    """The model's text with its citations checked; the extractive answer when none stands."""
    keep = sum(1 for c in g.citations if c.role == ASSESSMENT)
    checked = verify(text, g.citations, index, g.as_of, keep=keep)
    if not checked.used:
        return fallback(g, config, "its answer cited none of the provisions retrieved")
    warnings = list(g.warnings)
    if checked.removed:
        tokens = ", ".join(r.token for r in checked.removed)
        warnings.append(f"{len(checked.removed)} citation(s) written by the language model did not stand and were "
                        f"removed ({tokens}); the places are marked ⚠ in the text.")
    if checked.uncited:
        warnings.append(f"{checked.uncited} passage(s) of the language model's answer cite no provision and are "
                        f"marked ⚠; treat them as unsupported.")
    body = safe_markdown(checked.text.strip()) + "\n\n" + _footer(g, config, warnings)
    if g.assessment is not None:      # the deterministic verdict leads, as in the extractive answer
        body = lead(g.assessment, checked.citations, g.lang) + "\n" + body
    return g.answer(body, checked.citations, mode="llm", warnings=warnings, model=config.spec)


_MARKER = re.compile(r"(\[\d+(?:\s*[,\-–]\s*\d+)*\])")


def safe_markdown(text: str) -> str:
    """The model's words cannot become a link, an image or HTML (an injected source may have asked for one); our
    citation markers [n] stay as they are."""
    return "".join(part if _MARKER.fullmatch(part) else neutralise(part) for part in _MARKER.split(text))


def _messages(g: Grounds, history: list[str] | None) -> list[tuple]:
    return messages(g.text, g.as_of.isoformat(), g.citations, history, g.assessment)


def answer_grounded(index: Index, g: Grounds, config: LLMConfig | None, history: list[str] | None = None) -> Answer:
    if config is None or g.refused or g.away:
        return extractive(g)
    try:
        with _no_tracing():
            reply = chat_model(config).invoke(_messages(g, history))
        text = str(reply.text)
    except Exception as e:      # any failure of the model or its transport means: answer without it
        return fallback(g, config, why_failed(e, config))
    return finish(index, g, config, text)


def answer_llm(index: Index, question: str, as_of: date | None = None, k: int = 5, history: list[str] | None = None,
               config: LLMConfig | None = None) -> Answer:
    """One call, no streaming; without a config this is exactly the extractive answer."""
    return answer_grounded(index, ground(index, question, as_of, k, history), config, history)


class LLMStream:
    """Tokens as the model writes them (`stream()`, for st.write_stream), then the verified `result`, which
    replaces the draft. Without a model, or for a refusal, `stream()` yields the extractive answer once.

        s = LLMStream.ask(index, question, as_of, history=history, config=configured(spec))
        st.write_stream(s.stream()); render(s.result)
    """

    def __init__(self, index: Index, grounds: Grounds, config: LLMConfig | None, history: list[str] | None = None):
        self.index, self.grounds, self.config, self.history = index, grounds, config, history
        self._result: Answer | None = None
        self._started = False

    @classmethod
    def ask(cls, index: Index, question: str, as_of: date | None = None, k: int = 5,
            history: list[str] | None = None, config: LLMConfig | None = None,
            carry: list[str] | None = None) -> LLMStream:
        return cls(index, ground(index, question, as_of, k, history, carry), config, history)

    def stream(self) -> Iterator[str]:
        if self._started:
            raise RuntimeError("LLMStream.stream() can be consumed once; read .result")
        self._started = True
        g, config = self.grounds, self.config
        if config is None or g.refused or g.away:
            self._result = extractive(g)
            yield self._result.answer
            return
        parts: list[str] = []
        try:
            tokens = chat_model(config).stream(_messages(g, self.history))
            with _no_tracing():      # the callbacks (and so any tracer) are set up at the first step
                first = next(tokens, None)
            for chunk in itertools.chain([first] if first is not None else [], tokens):
                piece = str(chunk.text)
                if piece:
                    parts.append(piece)
                    yield piece
        except Exception as e:      # as in answer_grounded: fall back, saying why
            self._result = fallback(g, config, why_failed(e, config))
            return
        self._result = finish(self.index, g, config, "".join(parts))

    @property
    def result(self) -> Answer:
        if not self._started:
            for _ in self.stream():
                pass
        if self._result is None:
            raise RuntimeError("the stream was not consumed to the end; iterate stream() first")
        return self._result
