"""`python -m ingest [--strict]` refreshes the index, like `vnip ingest` (without importing assistant/)."""
import sys

from ingest.run import main

sys.exit(main())
