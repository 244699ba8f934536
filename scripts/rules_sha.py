"""Records the sha256 of every rules file in corpus/manifest.toml ([[rules]] tables) after an intended edit."""
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from ingest.corpus import CORPUS_DIR, sha256_of  # noqa: E402

manifest = CORPUS_DIR / "manifest.toml"
text = manifest.read_text(encoding="utf-8")
for block in re.finditer(r'\[\[rules\]\][^\[]*?path = "([^"]+)"[^\[]*?sha256 = "([0-9a-f]*)"', text):
    text = text.replace(block.group(0), block.group(0).replace(block.group(2), sha256_of(CORPUS_DIR / block.group(1))))
manifest.write_text(text, encoding="utf-8")
print("recorded")
