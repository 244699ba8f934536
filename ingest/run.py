"""Refresh the index from the command line: a progress bar on stderr, the summary at the end, the exit status.

Shared by `vnip ingest` (assistant/cli.py) and `python -m ingest`, which must work without importing assistant/:
ingest is the earlier stage and never imports a later one (pyproject.toml, [tool.importlinter])."""
from __future__ import annotations

import argparse
import sys

INGEST_SKIPPED_FILES = 3     # exit status of --strict when corpus files were left out


def refresh_with_progress(strict: bool = False, out=None) -> int:
    """0 when the index is current (files left out are listed on stderr), INGEST_SKIPPED_FILES with `strict`
    if any were; a refresh already running elsewhere exits 1 (SystemExit), naming its holder."""
    from ingest.index import RefreshBusy, refresh

    bar = None

    def progress(n: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            from tqdm import tqdm
            bar = tqdm(desc="embedding chunks", unit="chunk", total=total, file=sys.stderr)
        bar.update(n)

    try:
        summary = refresh(progress=progress)
    except RefreshBusy as e:
        print(f"vnip ingest: {e}", file=sys.stderr)
        raise SystemExit(1)
    if bar is not None:
        bar.close()
    out = out or sys.stdout
    print(summary.text(), file=out)
    for line in summary.not_applied if out is sys.stdout else []:
        print(f"  not applied: {line}", file=out)
    for line in summary.errors:
        print(f"vnip ingest: left out: {line}", file=sys.stderr)
    return INGEST_SKIPPED_FILES if strict and summary.errors else 0


def main(argv: list[str] | None = None) -> int:
    from ingest.index import ChromaUnavailable
    from ingest.settings import offline_defaults

    offline_defaults()
    parser = argparse.ArgumentParser(prog="python -m ingest", description="refresh the index from corpus/")
    parser.add_argument("--strict", action="store_true",
                        help=f"exit {INGEST_SKIPPED_FILES} if corpus files were left out because of errors (for CI)")
    args = parser.parse_args(argv)
    try:
        return refresh_with_progress(args.strict)
    except ChromaUnavailable as e:
        print(f"vnip: {e}", file=sys.stderr)
        return 1
