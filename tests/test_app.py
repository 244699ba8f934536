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
