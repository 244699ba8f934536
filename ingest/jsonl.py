"""JSON Lines, read and written in one place: corpus translations, the index's provision/chunk files, evaluation
sets. A bad line is reported with its file and line number; callers decide whether it stops the read."""
from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any


class JsonlError(ValueError):
    def __init__(self, path: str | Path, line: int, problem: str):
        self.path, self.line, self.problem = str(path), line, problem
        super().__init__(f"{path}:{line}: {problem}")


def parse_lines(lines: Iterable[str], path: str | Path) -> Iterator[tuple[int, Any]]:
    """(line number, value) for every non-blank line; a line that is not JSON yields a JsonlError as its value,
    so a tolerant reader can record it and go on (a strict one raises it: `read_jsonl`)."""
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            yield n, json.loads(line)
        except json.JSONDecodeError as e:
            yield n, JsonlError(path, n, f"not valid JSON ({e.msg})")


def read_jsonl(path: Path) -> list:
    """Every record of a file; the first bad line raises JsonlError naming it."""
    rows = []
    with Path(path).open(encoding="utf-8") as f:
        for _, value in parse_lines(f, path):
            if isinstance(value, JsonlError):
                raise value
            rows.append(value)
    return rows


def write_jsonl(path: Path, rows: Iterable, durable: bool = True) -> None:
    """One JSON object per line, UTF-8 as is (Vietnamese stays readable). `durable` (the default) reaches the disk
    before returning: the index's files are made live by an atomic switch right after (ingest/index.py)."""
    with Path(path).open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
        if durable:
            f.flush()
            os.fsync(f.fileno())
