"""`vnip`: the command-line contract other tools rely on.

    vnip ingest [--strict] [--details]  refresh the index from corpus/ (progress on stderr, summary at the end)
    vnip ask "QUESTION" [--as-of YYYY-MM-DD] [--k N] [--json] [--llm PROVIDER:MODEL]
    vnip ask --batch FILE.jsonl --json
    vnip docs list | add PATH... | delete NAME   your own PDFs (not law), indexed beside the statutes
    vnip eval [--set dev|test] [--file PATH] [--json] [--no-baseline] [--details] [--gate evals/gate.json]
    vnip check SOURCES.csv|.jsonl [--json] [--out FILE] [--lang en|vi] [--fetch]   a dataset's sources, each assessed

Exit 0 on answers and refusals, 2 on usage errors, 1 otherwise. With --json, stdout carries only JSON.
`vnip check` exits 0 when every row was checked, 1 when some rows could not be (each named on stderr and in the
report; the others are checked), 2 when the file itself cannot be used (missing, not UTF-8, unknown columns).
`vnip ingest` exits 0 when the index is current, even if corpus files were left out because of errors (they are
listed on stderr; the rest of the index serves); with --strict it exits 3 in that case, for CI.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date

from ingest.run import INGEST_SKIPPED_FILES, refresh_with_progress

from ingest.settings import DEFAULT_K, MAX_K, offline_defaults

offline_defaults()

class UsageError(Exception):
    pass


def parse_day(text: str | None) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--as-of {text!r} is not a date; use YYYY-MM-DD, e.g. 2026-04-01") from None


def check_question(question) -> str:
    """The question as answer() reads it; an empty or oversized one is a usage error (exit 2)."""
    from assistant.question import QuestionError, read_question

    try:
        return read_question(question).text
    except QuestionError as e:
        raise UsageError(str(e)) from None


def _answerer(args):
    """answer(index, question, as_of, k, history): extractive, or written by the language model of --llm / VNIP_LLM
    (LangChain is imported only then)."""
    from functools import partial

    from assistant.llm import LLMConfigError, answer_llm, configured

    try:
        config = configured(args.llm, args.llm_timeout)
    except LLMConfigError as e:
        raise UsageError(str(e)) from None
    return partial(answer_llm, config=config)


def _docs(args) -> int:
    """Copy PDFs into <home>/documents (or delete one), then refresh so answers see the change at once."""
    from pathlib import Path

    from ingest.documents import DocumentError, add_document, check_size, delete_document, list_documents
    from ingest.index import home_dir

    home = home_dir()
    if args.action == "list":
        return _list_docs(list_documents(home), args.json)
    failed = 0
    if args.action == "add":
        for item in args.paths:
            path = Path(item)
            if not path.is_file():
                raise UsageError(f"{item}: no such file")
            try:
                check_size(path.name, path.stat().st_size)    # before reading a huge file into memory
                add_document(home, path.name, path.read_bytes())
                print(f"added {path.name}", file=sys.stderr)
            except DocumentError as e:
                print(f"vnip docs add: {e}", file=sys.stderr)
                failed += 1
    else:
        try:
            delete_document(home, args.name)
        except DocumentError as e:
            raise UsageError(str(e)) from None
        print(f"deleted {args.name}", file=sys.stderr)
    refresh_with_progress(out=sys.stderr)   # stdout is for the list (and only JSON with --json)
    docs = list_documents(home)
    _list_docs(docs, args.json)
    refused = [d for d in docs if d.status == "refused" and (args.action != "add" or d.name in
                                                              {Path(p).name for p in args.paths})]
    return 1 if failed or refused else 0


def _list_docs(docs, as_json: bool) -> int:
    from dataclasses import asdict

    if as_json:
        print(json.dumps([asdict(d) for d in docs], ensure_ascii=False, indent=1))
        return 0
    if not docs:
        print("No documents. Add PDFs with `vnip docs add FILE.pdf`.")
    for d in docs:
        pages = (f"{d.pages} page{'' if d.pages == 1 else 's'}" if d.pages is not None
                 else "unreadable" if d.status == "refused" else "not indexed yet")
        print(f"{d.status:8} {d.name}  ({d.size / 1024:.0f} KB, {pages}, added {d.added})"
              + (f"\n         {d.reason}" if d.reason else ""))
    return 0


def _ask(args) -> int:
    from assistant.retrieve import Index

    if args.batch and args.question:
        raise UsageError("give either a QUESTION or --batch FILE, not both")
    if not args.batch and args.question is None:
        raise UsageError("give a QUESTION, or --batch FILE.jsonl")
    if args.k < 1 or args.k > MAX_K:
        raise UsageError(f"--k must be between 1 and {MAX_K}")
    answer = _answerer(args)
    if args.batch:
        if not os.path.exists(args.batch):
            raise UsageError(f"{args.batch}: no such file")
        index = Index()
        return _batch(index, args, answer)
    question, as_of = check_question(args.question), parse_day(args.as_of)
    result = answer(Index(), question, as_of, args.k)
    print(json.dumps(result.to_json(), ensure_ascii=False, indent=1) if args.json else result.answer)
    return 0


def _batch(index, args, answer) -> int:
    with open(args.batch, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            item_id = None
            try:
                item = json.loads(line)
                item_id = item.get("id")
                history = item.get("history") or []
                if not isinstance(history, list):
                    raise UsageError("history must be a list of earlier questions")
                out = answer(index, check_question(item.get("question")), parse_day(item.get("as_of")),
                             args.k, history=[str(h) for h in history]).to_json()
                out = {"id": item_id, **out}
            except (json.JSONDecodeError, AttributeError) as e:
                out = {"id": item_id, "error": f"{args.batch}:{n}: not a JSON object ({e})"}
            except UsageError as e:
                out = {"id": item_id, "error": f"{args.batch}:{n}: {e}"}
            print(json.dumps(out, ensure_ascii=False), flush=True)
    return 0


def _eval(args) -> int:
    from pathlib import Path

    from assistant.baseline import NaiveRAG
    from assistant.eval_sets import SetFormatError, load_set
    from assistant.evaluate import EVAL_DIR, evaluate, table
    from assistant.retrieve import Index

    gate = _read_gate(args)
    paths = [EVAL_DIR / f"vnip-{name}.jsonl" for name in args.set] + [Path(p) for p in args.file]
    # the assessment questions of each split, beside its retrieval questions
    assess_paths = [p for p in (EVAL_DIR / f"assess-{name}.jsonl" for name in args.set) if p.exists()]
    assess_paths += [Path(p) for p in args.assess_file]
    for path in paths + assess_paths:
        if not path.exists():
            raise UsageError(f"{path}: no such evaluation file")
    assess_sets = _assess_sets(assess_paths)
    index = Index()
    exists = lambda pid, day: index.version_on(pid, day) is not None  # noqa: E731
    try:
        sets = [load_set(path, exists) for path in paths]
    except SetFormatError as e:
        raise UsageError(str(e)) from None
    baseline = None if args.no_baseline or not sets else NaiveRAG(index.home, index.model)
    report = {}
    for s in sets:
        runs = evaluate(index, s.items, baseline)
        report[s.name] = {"items": s.counts(), "as_of": s.as_of_rule, **{r.name: r.summary() for r in runs},
                          "skipped": [vars(k) for k in s.skipped]}
        if args.details:
            for r in runs:
                for row in r.rows:
                    print(json.dumps({"set": s.name, "system": r.name, **row}, ensure_ascii=False), file=sys.stderr)
        if not args.json:
            counts = ", ".join(f"{k} {v}" for k, v in s.counts().items())
            print(f"\n## {s.name}\n\nitems: {counts}; as of: {s.as_of_rule}\n\n{table(runs)}")
            for k in s.skipped:
                print(f"  skipped {k.id}: {k.reason}")
    for name, items in assess_sets:
        report[name] = _eval_assessments(index, name, items, args)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
    if gate is not None:
        return _check_gate(gate, report[f"vnip-{gate.set}"]["vnip"],
                           report.get(f"assess-{gate.set}", {}).get("assessment"))
    return 0


def _assess_sets(paths) -> list[tuple[str, list]]:
    from assistant.assess_eval import AssessSetError, load_assess_items

    try:
        return [(path.stem, load_assess_items(path)) for path in paths]
    except AssessSetError as e:
        raise UsageError(str(e)) from None


def _eval_assessments(index, name: str, items: list, args) -> dict:
    """Verdict accuracy and grounding-cite recall, from the answer objects (assistant/assess_eval.py)."""
    from assistant.assess_eval import evaluate_assessments, table

    run = evaluate_assessments(index, items)
    if args.details:
        for row in run.rows:
            print(json.dumps({"set": name, "system": "vnip assessment", **row}, ensure_ascii=False), file=sys.stderr)
    if not args.json:
        print(f"\n## {name} (assessments)\n\n{table(run)}")
    return {"assessment": run.summary()}


def _check(args) -> int:
    from assistant.check import SourcesError, check_rows, read_sources, to_json, to_markdown
    from assistant.retrieve import Index

    if not os.path.isfile(args.file):
        raise UsageError(f"{args.file}: no such file")
    try:
        rows, errors = read_sources(args.file)
    except SourcesError as e:
        raise UsageError(str(e)) from None
    index = Index()
    rows, evidence = _fetch_reservations(rows) if args.fetch else (rows, {})
    reports = check_rows(rows, index.rules, index, lang=args.lang)
    text = (json.dumps(to_json(reports, errors, args.file), ensure_ascii=False, indent=1) + "\n" if args.json
            else to_markdown(reports, errors, args.file, args.lang))
    if evidence:
        from assistant.dataset import downloads
        text = downloads(reports, errors, evidence, args.file, args.lang)["json" if args.json else "md"]
    for e in errors:
        print(f"vnip check: {e}", file=sys.stderr)
    if args.out:
        try:
            with open(args.out, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as e:
            print(f"vnip check: cannot write {args.out}: {e.strerror or e}", file=sys.stderr)
            return 1
        print(f"vnip check: {len(reports)} source(s) checked, {len(errors)} row(s) with errors; report in "
              f"{args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 1 if errors else 0


def _fetch_reservations(rows) -> tuple[list, dict]:
    """`vnip check --fetch`: the only time `vnip check` uses the network. Each distinct source URL is read for its
    machine-readable reservation (assistant/reservations.py); returns the rows with `reservation` filled and the
    evidence per source line."""
    from assistant.reservations import fetch_all

    urls = {r.url for r in rows if r.url}
    if not urls:
        print("vnip check: --fetch: no source has a url; nothing read", file=sys.stderr)
        return rows, {}
    print(f"vnip check: reading the reservations of {len(urls)} URL(s)…", file=sys.stderr)
    filled, evidence = fetch_all(rows)
    for line, e in sorted(evidence.items()):
        if e["status"] == "error":
            print(f"vnip check: line {line}: reservation not read: {'; '.join(e['errors'])}", file=sys.stderr)
    return filled, evidence


def _read_gate(args):
    from assistant.gate import Gate

    if not args.gate:
        return None
    try:
        gate = Gate.read(args.gate)
    except ValueError as e:
        raise UsageError(str(e)) from None
    if args.file or args.assess_file or args.set not in ([], [gate.set]):
        raise UsageError(f"--gate runs the {gate.set} split only; drop --file/--assess-file/--set")
    args.set, args.no_baseline = [gate.set], True
    return gate


def _check_gate(gate, summary: dict, assessment: dict | None = None) -> int:
    failures = gate.failures(summary, assessment)
    for f in failures:
        print(f"vnip eval --gate: FAIL {f}", file=sys.stderr)
    if not failures:
        extra = (f", verdict accuracy {assessment['verdict accuracy']}, grounding-cite recall "
                 f"{assessment['grounding-cite recall']}" if assessment else "")
        print(f"vnip eval --gate: pass (article R@5 {summary['article R@5']}, citation validity "
              f"{summary['citation validity']}, refusal accuracy {summary['refusal accuracy']}{extra})",
              file=sys.stderr)
    return 1 if failures else 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="vnip", description="Cited answers on Vietnamese IP law, as of a date.")
    sub = parser.add_subparsers(dest="command", required=True)
    ing = sub.add_parser("ingest", help="refresh the index from corpus/")
    ing.add_argument("--strict", action="store_true",
                     help=f"exit {INGEST_SKIPPED_FILES} when corpus files were left out because of errors")
    ing.add_argument("--details", action="store_true",
                     help="list each amendment operation not applied (also in corpus/changes.md)")
    ask = sub.add_parser("ask", help="answer a question with citations")
    ask.add_argument("question", nargs="?")
    ask.add_argument("--as-of", help="apply the law in force on this date (YYYY-MM-DD); default today")
    ask.add_argument("--k", type=int, default=DEFAULT_K, help="at most this many retrieved citations (default 5); the "
                     "provisions grounding the assessment of a training-data question come first and are not counted")
    ask.add_argument("--json", action="store_true", help="print the answer object as JSON")
    ask.add_argument("--batch", help="a JSON Lines file of {id, question, as_of?, history?}")
    ask.add_argument("--llm", metavar="PROVIDER:MODEL", help="write the answer with this language model "
                     "(ollama:qwen2.5:7b, openai:MODEL with OPENAI_BASE_URL); default $VNIP_LLM, else extractive")
    ask.add_argument("--llm-timeout", metavar="SECONDS", help="give up on the language model after this many "
                     "seconds without a reply (default $VNIP_LLM_TIMEOUT or 60)")
    ev = sub.add_parser("eval", help="measure retrieval against the naive baseline")
    ev.add_argument("--set", action="append", default=[], help="dev or test (default both)")
    ev.add_argument("--file", action="append", default=[], help="an evaluation JSONL file from anywhere")
    ev.add_argument("--json", action="store_true")
    ev.add_argument("--no-baseline", action="store_true")
    ev.add_argument("--details", action="store_true", help="per-question rows on stderr")
    ev.add_argument("--assess-file", action="append", default=[], metavar="PATH",
                    help="an assessment set (JSONL of {id, question, as_of, verdict, cites, ...}) from anywhere; "
                    "--set NAME also runs evals/assess-NAME.jsonl when it exists")
    docs = sub.add_parser("docs", help="your own PDFs (contracts, guidelines, decisions), shown apart from the law")
    dsub = docs.add_subparsers(dest="action", required=True)
    dlist = dsub.add_parser("list", help="the documents, and whether the last refresh indexed or refused each")
    dadd = dsub.add_parser("add", help="copy PDFs into the documents folder, then refresh the index")
    dadd.add_argument("paths", nargs="+", metavar="PATH")
    ddel = dsub.add_parser("delete", help="remove a document, then refresh the index")
    ddel.add_argument("name")
    for p in (dlist, dadd, ddel):
        p.add_argument("--json", action="store_true", help="print the document list as JSON")
    ev.add_argument("--gate", help="a gate file (evals/gate.json): run its split, exit 1 if a floor is missed")
    chk = sub.add_parser("check", help="assess each source of a dataset (CSV or JSON Lines) as of its date of use",
                         description="Assess each source of a dataset under the law in force on its date_of_use. "
                         "Columns: name (required), material, purpose, published, access, reservation, date_of_use "
                         "(YYYY-MM-DD, default today), url, later_commercial; empty = not known. Example: "
                         "vnip check examples/sources.csv --out report.md")
    chk.add_argument("file", metavar="FILE")
    chk.add_argument("--json", action="store_true", help="print the report as JSON")
    chk.add_argument("--out", metavar="FILE", help="write the report to FILE instead of stdout")
    chk.add_argument("--lang", choices=("en", "vi"), default="en", help="language of the assessments (default en)")
    chk.add_argument("--fetch", action="store_true", help="read each source url's machine-readable reservation "
                     "(TDMRep, robots.txt for AI crawlers) over the network and fill `reservation` from it; without "
                     "it nothing leaves the machine")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "ingest":
            return refresh_with_progress(args.strict, details=args.details)
        if args.command == "docs":
            return _docs(args)
        if args.command == "check":
            return _check(args)
        if args.command == "eval":
            if not args.set and not args.file and not args.assess_file and not args.gate:
                args.set = ["dev", "test"]
            return _eval(args)
        return _ask(args)
    except UsageError as e:
        print(f"vnip: {e}", file=sys.stderr)
        return 2
    except Exception as e:
        from ingest.index import ChromaUnavailable

        if not isinstance(e, ChromaUnavailable):
            raise
        print(f"vnip: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
