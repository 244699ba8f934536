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
    assert at.sidebar.text_input(key="as_of_text").value is not None


def page_text(at) -> str:
    """Everything the script put on the page, main area and sidebar, as text."""
    parts = [e.value for kind in ("markdown", "caption", "text", "code", "error", "warning", "info")
             for e in getattr(at, kind) if isinstance(getattr(e, "value", None), str)]
    return "\n".join(parts + [e.label for e in at.expander] + [b.label for b in at.button])


def test_history_questions_once_date_on_enter_ask_again_beside_it_and_honest_labels(home, ingested, monkeypatch):
    """Two questions, a date change, "ask again", a follow-up: the history is drawn again on every rerun and must
    hold each question once and nothing but the conversation (no program output: Streamlit magic is off and the
    history loop has no bare expression)."""
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["runner"]["magicEnabled"] is False and config["client"]["toolbarMode"] == "minimal"
    monkeypatch.setenv("VNIP_HOME", str(home))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    first, second = "Can we train an AI model on news articles?", "Điều 25a quy định gì?"
    at.chat_input[0].set_value(first).run()
    at.chat_input[0].set_value(second).run()
    assert not at.exception
    field = at.sidebar.text_input(key="as_of_text")
    field.set_value("2025-13-01").run()                      # not a date: said so, the last date stays applied
    assert any("is not a date" in e.value for e in at.sidebar.error)
    assert not [b for b in at.sidebar.button if b.label.startswith("Ask the last")]   # the date applied is unchanged
    at.sidebar.text_input(key="as_of_text").set_value("2025-12-01").run()
    again = [b for b in at.sidebar.button if b.label == "Ask the last question again as of 2025-12-01"]
    assert again, "the ask-again button sits in the sidebar, with the date"
    again[0].click().run()
    at.chat_input[0].set_value("and if the model is only for research?").run()
    assert not at.exception
    texts = [t.value for t in at.text]
    assert (texts.count(first), texts.count(second), texts.count("and if the model is only for research?")) == (1, 2, 1)
    shown = page_text(at)
    for leak in ("DeltaGenerator", "Traceback", "render_answer(", "st.text(", "## English", "## Tiếng Việt"):
        assert leak not in shown, leak
    assert "Law applied as of **2025-12-01**" in shown
    notes = [e for e in at.expander if "Commentary" in e.label or "Bình luận" in e.label]
    assert notes, "a commentary card is shown"
    for note in notes:
        assert note.label.endswith(("Commentary by this project — not law",
                                    "Bình luận của dự án — không phải quy định pháp luật"))
        inside = "\n".join(m.value for m in note.markdown)
        assert "official text" not in inside and "transcription" not in inside and "In force" not in inside
    assert "The provisions that govern this question" not in shown


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


def test_decree_17_as_amended_by_this_project_is_not_called_official(home, ingested, monkeypatch):
    """No official consolidation of Decree 17 with Decree 134 exists: the card says who applied the amendment."""
    monkeypatch.setenv("VNIP_HOME", str(home))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.chat_input[0].set_value("What does Article 37a of Decree 17 say?").run()
    assert not at.exception
    card = next(e for e in at.expander if e.label.startswith("[1] Art. 37a Decree 17"))
    heads = [m.value for m in card.markdown]
    assert "**Decree 17/2023 as amended by Decree 134/2026, applied by this project; no official consolidation**" \
        in heads, heads
    assert "**Tiếng Việt (official text)**" not in heads
    text = "\n".join(m.value for m in at.markdown)
    assert "Art. 37a Decree 17/2023/ND-CP — " in text        # the article's title beside the instrument


def test_a_repealed_provision_reads_as_repealed_in_chat(home, ingested, monkeypatch):
    """Issue 14: the card of a provision asked about that is not in force says so; the answer names the repeal."""
    monkeypatch.setenv("VNIP_HOME", str(home))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.sidebar.text_input(key="as_of_text").set_value("2026-12-08").run()
    at.chat_input[0].set_value("What does Article 85 of Decree 17 say?").run()
    assert not at.exception
    text = "\n".join(m.value for m in at.markdown)
    assert "was repealed from 2026-04-09** by Decree 134/2026/ND-CP Art. 35(1)" in text
    assert "not in force on 2026-12-08 — shown because asked about" in text
    assert [e.label for e in at.expander if "Art." in e.label] == ["[1] Art. 85 Decree 17/2023/ND-CP · Điều 85 Nghị "
                                                                   "định 17/2023/NĐ-CP"]
