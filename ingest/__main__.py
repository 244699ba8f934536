"""`python -m ingest` refreshes the index, like `vnip ingest`."""
import sys

from assistant.cli import main

sys.exit(main(["ingest"]))
