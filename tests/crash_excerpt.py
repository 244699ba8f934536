"""A small real excerpt of the corpus for the fault tests: the manifest trimmed to the Law on AI and the first
articles of its real text. A fresh home beside it reuses the converted model and the embedding cache of the test
home, so a refresh costs seconds, and what an edit adds is embedded for real."""
from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from ingest.corpus import CORPUS_DIR, sha256_of

AI_LAW = "statutes/ai-law-134-2025.txt"


@dataclass
class Excerpt:
    root: Path
    articles: int = 6
    edits: int = 0          # appended sentences: new text that no cache holds

    def write(self) -> Path:
        lines = (CORPUS_DIR / AI_LAW).read_text(encoding="utf-8").split("\n")
        heads = [i for i, line in enumerate(lines) if line.startswith("#### Điều")]
        text = lines[:heads[self.articles]]
        # An edit changes a real clause of Art. 4 (its first numbered line): that chunk must be embedded again.
        clause = next(i for i in range(heads[3], heads[4]) if re.match(r"\d+\. ", text[i]))
        for n in range(self.edits):
            text[clause] += f" Sửa đổi thử nghiệm số {n + 1}."
        (self.root / "statutes").mkdir(parents=True, exist_ok=True)
        (self.root / AI_LAW).write_text("\n".join(text) + "\n", encoding="utf-8")
        manifest = (CORPUS_DIR / "manifest.toml").read_text(encoding="utf-8").split("[[instrument]]")
        ai = next(block for block in manifest if 'id = "ai-law"' in block)
        # The excerpt is not the official file: its manifest entry carries the excerpt's own hash.
        ai = re.sub(r'sha256 = "[0-9a-f]+"', f'sha256 = "{sha256_of(self.root / AI_LAW)}"', ai)
        (self.root / "manifest.toml").write_text("[[instrument]]" + ai, encoding="utf-8")
        return self.root


def fresh_home(path: Path, test_home: Path) -> Path:
    """A home of its own with the test home's model (shared, read-only) and a copy of its embedding cache."""
    from ingest.model import provision_model

    provision_model(test_home)
    path.mkdir(parents=True, exist_ok=True)
    os.symlink(test_home / "models", path / "models")
    if (test_home / "cache").is_dir():
        shutil.copytree(test_home / "cache", path / "cache")
    return path
