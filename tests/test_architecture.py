"""The house rules that code can check: one direction of data (import-linter contracts in pyproject.toml) and
settings read in one place. Fast: no model, no index."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from ingest.settings import DEFAULT_K, Settings

ROOT = Path(__file__).resolve().parent.parent
LINT = Path(sys.executable).parent / "lint-imports"


def lint(cwd: Path) -> subprocess.CompletedProcess:
    if not LINT.exists():
        pytest.skip(f"import-linter is not installed beside {sys.executable} (pip install -e '.[test]')")
    return subprocess.run([str(LINT), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"})


def test_no_stage_imports_a_later_one():
    run = lint(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "2 kept, 0 broken" in run.stdout


def test_the_contracts_catch_an_arrow_back_up(tmp_path):
    """The same contracts on a copy of the layout where ingest imports assistant and assistant imports app."""
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(config[config.index("[tool.importlinter]"):], encoding="utf-8")
    for package in ("ingest", "assistant"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "ingest" / "index.py").write_text("def refresh():\n    from assistant.cli import main\n")
    (tmp_path / "assistant" / "cli.py").write_text("import app\n")
    (tmp_path / "app.py").write_text("import assistant.cli\n")
    run = lint(tmp_path)
    assert run.returncode == 1
    assert "ingest.index -> assistant.cli" in run.stdout and "assistant.cli -> app" in run.stdout


def test_python_m_ingest_does_not_import_assistant():
    code = ("import sys; sys.argv = ['ingest', '--help']\n"
            "try:\n    import runpy; runpy.run_module('ingest', run_name='__main__')\n"
            "except SystemExit as e:\n    assert e.code == 0, e.code\n"
            "loaded = sorted(m for m in sys.modules if m == 'assistant' or m.startswith('assistant.'))\n"
            "assert not loaded, loaded\n")
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "--strict" in run.stdout


def test_settings_come_from_the_environment_given():
    s = Settings.from_env({"VNIP_HOME": "~/vnip-here", "VNIP_CHROMA_URL": "http://localhost:8000",
                           "VNIP_CHROMA_TOKEN": "t0ken", "VNIP_LLM": " ollama:qwen2.5:7b ", "VNIP_LLM_TIMEOUT": "12.5",
                           "OPENAI_BASE_URL": "", "XDG_CACHE_HOME": "/elsewhere"})
    assert s.home == Path("~/vnip-here").expanduser()
    assert (s.chroma_url, s.chroma_token, s.llm_spec, s.llm_timeout) == ("http://localhost:8000", "t0ken",
                                                                         "ollama:qwen2.5:7b", "12.5")
    assert s.openai_base_url is None and s.k == DEFAULT_K       # an empty variable is the same as an unset one
    bare = Settings.from_env({"XDG_CACHE_HOME": "/elsewhere"})
    assert bare.home == Path("/elsewhere/vnip") and bare.chroma_url is None and bare.llm_spec == ""
    assert Settings.from_env({}).home == Path("~/.cache/vnip").expanduser()


def test_the_index_and_the_language_model_read_the_same_settings(monkeypatch, tmp_path):
    from assistant.llm import configured
    from ingest.index import home_dir, server_url

    monkeypatch.setenv("VNIP_HOME", str(tmp_path))
    monkeypatch.setenv("VNIP_CHROMA_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("VNIP_LLM", "ollama:m")
    monkeypatch.setenv("VNIP_LLM_TIMEOUT", "7")
    assert home_dir() == tmp_path and server_url() == "http://127.0.0.1:9"
    assert (configured().spec, configured().timeout) == ("ollama:m", 7.0)


def test_only_the_settings_module_reads_vnip_variables():
    """Every VNIP_/OPENAI_ setting is read by ingest/settings.py (the refresh checkpoints' test hooks excepted)."""
    offenders = []
    for path in [*ROOT.glob("ingest/*.py"), *ROOT.glob("assistant/*.py"), ROOT / "app.py"]:
        if path.name in ("settings.py", "checkpoints.py"):
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if ("environ" in line or "getenv" in line) and ("VNIP_" in line or "OPENAI_" in line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_each_record_name_means_one_thing():
    """The ingest records (law tree, Provision, Chunk) and the answer contract (Citation, Answer) share no name."""
    import dataclasses

    import assistant.contract
    import ingest.records

    def records(module):
        return {n for n, v in vars(module).items() if dataclasses.is_dataclass(v) and v.__module__ == module.__name__}

    assert records(ingest.records) & records(assistant.contract) == set()
    assert {"Provision", "Chunk"} <= records(ingest.records) and {"Citation", "Answer"} <= records(assistant.contract)
    assert not (ROOT / "assistant" / "records.py").exists()
