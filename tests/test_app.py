"""The Streamlit app, driven by Streamlit's AppTest: type a question, get an answer with citation cards."""
from __future__ import annotations

import os

from streamlit.testing.v1 import AppTest

from conftest import ROOT


def test_chat_answers_with_citations(home, ingested, monkeypatch):
    monkeypatch.setenv("VNIP_HOME", str(home))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    assert not at.exception
    at.chat_input[0].set_value("What does Article 25a say?").run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "Art. 25a" in text and "not legal advice" in text
    assert any("Art. 25a" in e.label for e in at.expander)
    assert at.sidebar.date_input[0].value is not None


def test_language_model_mode_streams_a_verified_inert_answer(home, ingested, monkeypatch):
    """With VNIP_LLM set, the app streams the model's answer through the real client (against the scripted
    OpenAI-compatible server on loopback), then shows the verified answer: its citation markers match the cards,
    a made-up citation is removed, and nothing the model wrote becomes HTML or a link."""
    from fake_openai import FakeOpenAI, Reply

    with FakeOpenAI() as server:
        server.script = lambda body: Reply("Training on protected works needs a legal basis [1]. "
                                           "<img src=x onerror=alert(1)> [click](javascript:alert(1)) [9].")
        monkeypatch.setenv("VNIP_HOME", str(home))
        monkeypatch.setenv("VNIP_LLM", "openai:scripted")
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.run()
        # not a training question: its one card is the model's (a training question adds the assessment's cards)
        at.chat_input[0].set_value("Is it legal to copy copyrighted works without the owner's permission?").run()
        assert not at.exception
        assert server.chat_requests(), "the app called the model"
    captions = "\n".join(c.value for c in at.caption)
    assert "llm answer (openai:scripted)" in captions
    text = "\n".join(m.value for m in at.markdown)
    assert "legal basis [1]" in text and "citation removed" in text
    assert "<img" not in text and "](javascript:" not in text
    assert len([e for e in at.expander if e.label.startswith("[")]) == 1
