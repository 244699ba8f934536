"""The `vnip` command-line contract: JSON on stdout only, batch lines in order, exit codes."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def vnip(home, *args, input_file=None):
    env = {**os.environ, "VNIP_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], capture_output=True, text=True, env=env,
                          timeout=600)


def test_ask_json_prints_only_the_answer_object(home, ingested):
    run = vnip(home, "ask", "What does Article 25a say?", "--as-of", "2026-11-27", "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["citations"][0]["id"].startswith("ip-law:25a") and data["as_of"] == "2026-11-27"


def test_batch_keeps_order_echoes_ids_and_survives_bad_lines(home, ingested, tmp_path):
    batch = tmp_path / "q.jsonl"
    lines = [
        {"id": "a", "question": "Điều 37a Nghị định 17", "as_of": "2026-11-27"},
        "this is not json",
        {"id": "c", "question": "", "as_of": "2026-11-27"},
        {"id": "d", "question": "and if the model is only for research?", "as_of": "2026-11-27",
         "history": ["Can we train a commercial AI model on copyrighted news articles?"]},
        {"id": "e", "question": "What does Article 7(5) say?", "as_of": "01/04/2026"},
    ]
    batch.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines) + "\n",
                     encoding="utf-8")
    run = vnip(home, "ask", "--batch", str(batch), "--json")
    assert run.returncode == 0, run.stderr
    out = [json.loads(line) for line in run.stdout.splitlines()]
    assert [o.get("id") for o in out] == ["a", None, "c", "d", "e"]
    assert out[0]["citations"][0]["id"].startswith("decree-17-2023:37a")
    assert "q.jsonl:2" in out[1]["error"] and "empty" in out[2]["error"] and "YYYY-MM-DD" in out[4]["error"]
    assert not out[3]["refused"] and out[3]["citations"]


@pytest.mark.parametrize("args,message", [
    (["ask", "   "], "empty"),
    (["ask", "question", "--as-of", "2026-13-01"], "YYYY-MM-DD"),
    (["ask", "question", "--k", "0"], "--k"),
    (["ask"], "QUESTION"),
    (["frobnicate"], "invalid choice"),
])
def test_usage_errors_exit_2_with_a_message(home, args, message):
    run = vnip(home, *args)
    assert run.returncode == 2 and message in run.stderr and run.stdout == ""
