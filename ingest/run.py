"""Refresh the index from the command line: a progress bar on stderr, the summary at the end, the exit status.

Shared by `vnip ingest` (assistant/cli.py) and `python -m ingest`, which must work without importing assistant/:
ingest is the earlier stage and never imports a later one (pyproject.toml, [tool.importlinter])."""
from __future__ import annotations

import argparse
import sys

INGEST_SKIPPED_FILES = 3     # exit status of --strict when corpus files were left out


def refresh_with_progress(strict: bool = False, out=None, details: bool = False) -> int:
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
    if summary.not_applied and out is sys.stdout:
        print(not_applied_line(len(summary.not_applied)), file=out)
    for line in summary.not_applied if details and out is sys.stdout else []:
        print(f"  not applied: {line}", file=out)
    for line in summary.errors:
        print(f"vnip ingest: left out: {line}", file=sys.stderr)
    return INGEST_SKIPPED_FILES if strict and summary.errors else 0


def not_applied_line(n: int) -> str:
    """One line for what a newcomer may take for an error: amending operations the corpus cannot carry out (most
    replace annex forms, which are not in the corpus); the provisions concerned are flagged, never served stale."""
    return (f"  {n} amendment operation(s) not applied (annex forms are not in the corpus; any provision "
            "concerned is flagged 'amended, new text not in corpus'): see corpus/changes.md, or "
            "`vnip ingest --details`.")


def main(argv: list[str] | None = None) -> int:
    from ingest.index import ChromaUnavailable
    from ingest.settings import offline_defaults

    offline_defaults()
    parser = argparse.ArgumentParser(prog="python -m ingest", description="refresh the index from corpus/")
    parser.add_argument("--strict", action="store_true",
                        help=f"exit {INGEST_SKIPPED_FILES} if corpus files were left out because of errors (for CI)")
    parser.add_argument("--details", action="store_true", help="list every amendment operation not applied")
    args = parser.parse_args(argv)
    try:
        return refresh_with_progress(args.strict, details=args.details)
    except ChromaUnavailable as e:
        print(f"vnip: {e}", file=sys.stderr)
        return 1
