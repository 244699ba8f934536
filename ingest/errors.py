"""Errors that name the file, the line, what is wrong and how to fix it."""
from __future__ import annotations


class CorpusError(Exception):
    def __init__(self, path: str, line: int | None, problem: str, fix: str):
        self.path, self.line, self.problem, self.fix = path, line, problem, fix
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {problem}. Fix: {fix}")
