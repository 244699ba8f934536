"""The project's assessment rules (corpus/rules/*.toml), read and checked like any corpus file.

A rules file is legal analysis as data: periods, and per period the rules that give a verdict from the facts of a
question, each grounded in provision ids. A wrong id there would put a wrong citation in front of a user with the
full weight of a verdict, so every id must exist and be in force on *every* day of every period whose rules cite it
(checked against the provision versions of this very build). A file that fails any check is one CorpusError naming
the file, the line, what is wrong and how to fix it; the build goes on without it (no assessment rather than a
wrong one).

The manifest lists each rules file under [[rules]] with its sha256, like the statute files.
"""
from __future__ import annotations

import re
import tomllib
from datetime import date, timedelta
from pathlib import Path

from ingest.corpus import sha256_of
from ingest.errors import CorpusError
from ingest.records import IN_FORCE, Provision
from ingest.textfile import read_text

# The facts an assessment reads (assistant/facts.py reads them from a question); None = not said.
FACTS: dict[str, tuple] = {
    "purpose": ("commercial", "non_commercial"),
    "material": ("literary", "journalistic", "pure_news", "legal_text", "figures", "compilation", "software",
                 "performance", "recording", "broadcast", "expired"),
    "published": (True, False),
    "access": ("lawful", "circumvents_protection"),
    "reservation": (True, False),
    "later_commercial": (True, False),
}
GENERIC_MATERIAL = "work"          # the [[material]] used when the question names none
VERDICTS = ("allowed", "allowed_if", "needs_permission", "prohibited", "unsettled")
PLACEHOLDERS = ("protected_by", "reproduction", "permission", "circumvention")


def load_all(corpus_dir: Path, versions: dict[str, list[Provision]],
             skipped: set[str] = frozenset()) -> tuple[dict[str, dict], list[CorpusError]]:
    """Every rules file the manifest lists that checks out (id -> rules as JSON-ready data), and one error for each
    that does not."""
    manifest = corpus_dir / "manifest.toml"
    try:
        entries = tomllib.loads(read_text(manifest)).get("rules", [])
    except (tomllib.TOMLDecodeError, CorpusError):
        return {}, []          # the manifest's own errors are reported by ingest.corpus
    out, errors = {}, []
    for n, entry in enumerate(entries, 1):
        try:
            if not isinstance(entry, dict) or not entry.get("path") or not entry.get("sha256"):
                raise CorpusError(str(manifest), None, f"[[rules]] entry #{n} lacks path or sha256",
                                  "give every [[rules]] table a path and the file's sha256")
            path = corpus_dir / entry["path"]
            text = read_text(path)
            actual = sha256_of(path)
            if actual != entry["sha256"]:
                raise CorpusError(str(path), None, f"the file's sha256 is {actual}, the manifest records "
                                  f"{entry['sha256']}", "if the change is intended, record the new sha256 in "
                                  "manifest.toml ([[rules]]); otherwise restore the file")
            rules = parse(text, path, versions, skipped)
            out[rules["id"]] = rules
        except CorpusError as e:
            errors.append(e)
    return out, errors


def load(path: Path, versions: dict[str, list[Provision]], skipped: set[str] = frozenset()) -> dict:
    """One rules file, checked (no hash check: for tests and for writing a new file)."""
    return parse(read_text(path), path, versions, skipped)


def parse(text: str, path: Path, versions: dict[str, list[Provision]], skipped: set[str] = frozenset()) -> dict:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        line = re.search(r"at line (\d+)", str(e))
        raise CorpusError(str(path), int(line.group(1)) if line else None, f"malformed TOML ({e})",
                          "correct the syntax at that line") from None
    return _Checker(text, path, versions, skipped).check(data)


class _Checker:
    def __init__(self, text: str, path: Path, versions: dict[str, list[Provision]], skipped: set[str]):
        self.lines, self.path, self.versions, self.skipped = text.split("\n"), path, versions, skipped
        self.starts = {kind: [n for n, l in enumerate(self.lines, 1) if l.strip() == f"[[{kind}]]"]
                       for kind in ("period", "material", "rule")}

    # --- where things are -------------------------------------------------------------------------------------
    def line(self, kind: str | None = None, index: int | None = None, needle: str | None = None) -> int | None:
        """The line of table `kind` #index, or of the first line in it containing `needle` (tomllib gives no
        positions); a top-level key when kind is None."""
        if kind is None:
            start, end = 1, min((s[0] for s in self.starts.values() if s), default=len(self.lines) + 1)
        else:
            starts = self.starts[kind]
            if index is None or index >= len(starts):
                return None
            start = starts[index]
            later = [n for s in self.starts.values() for n in s if n > start]
            end = min(later, default=len(self.lines) + 1)
        if needle is None:
            return start
        for n in range(start, end):
            if needle in self.lines[n - 1]:
                return n
        return start

    def fail(self, where: int | None, problem: str, fix: str):
        raise CorpusError(str(self.path), where, problem, fix)

    # --- the checks -------------------------------------------------------------------------------------------
    def check(self, data: dict) -> dict:
        for key in ("id", "no_law_en", "no_law_vi"):
            if not isinstance(data.get(key), str) or not data[key].strip():
                self.fail(self.line(), f"the top-level key {key!r} is missing or empty",
                          f"add {key} = \"…\" before the first [[period]]")
        periods = self.periods(data.get("period"))
        materials = self.materials(data.get("material"))
        rules = self.rules(data.get("rule"), periods, materials)
        assume = data.get("assume", {})
        for fact, value in assume.items():
            if fact not in FACTS or value not in FACTS[fact]:
                self.fail(self.line(None, None, f"{fact} ="), f"[assume] {fact} = {value!r} is not a known fact "
                          "value", f"use one of: {_known(fact)}")
        branch = data.get("branch", {})
        for fact, values in branch.items():
            for value, text in values.items():
                if fact not in FACTS or _value(fact, value) not in FACTS[fact] or not {"en", "vi"} <= set(text):
                    self.fail(self.line(None, None, f"[branch.{fact}"), f"[branch.{fact}.{value}] is not a known "
                              "fact value with en and vi texts", "name a fact value and give en = … and vi = …")
        for p in periods:
            for fact in p["deciding"]:
                for value in FACTS[fact]:
                    key = str(value).lower() if isinstance(value, bool) else value
                    if key not in branch.get(fact, {}):
                        self.fail(self.line("period", p["_index"], "deciding"), f"period {p['id']!r} decides on "
                                  f"{fact!r}, but [branch.{fact}.{key}] gives no text for that value",
                                  f"add [branch.{fact}.{key}] with en = … and vi = …")
        for p in periods:
            del p["_index"]
        return {"schema": data.get("schema", 1), "id": data["id"], "title_en": data.get("title_en", ""),
                "title_vi": data.get("title_vi", ""), "no_law_en": data["no_law_en"], "no_law_vi": data["no_law_vi"],
                "assume": assume, "branch": branch, "periods": periods, "materials": materials, "rules": rules}

    def periods(self, raw) -> list[dict]:
        if not isinstance(raw, list) or not raw:
            self.fail(None, "no [[period]] tables", "describe each period in a [[period]] table")
        out = []
        for i, p in enumerate(raw):
            where = self.line("period", i)
            missing = [k for k in ("id", "from", "label_en", "label_vi") if k not in p]
            if missing:
                self.fail(where, f"period #{i + 1} lacks {', '.join(missing)}", "add the missing keys")
            start, end = _day(p["from"]), _day(p.get("to"))
            if start is None or (p.get("to") is not None and end is None) or (end and end < start):
                self.fail(self.line("period", i, "from"), f"period {p['id']!r} has no valid from/to dates",
                          "write from = \"YYYY-MM-DD\" and to = \"YYYY-MM-DD\" (to not before from; leave to out "
                          "for an open period)")
            if out and (out[-1]["to"] is None or _day(out[-1]["to"]) + timedelta(days=1) != start):
                self.fail(self.line("period", i, "from"), f"period {p['id']!r} does not start the day after "
                          f"period {out[-1]['id']!r} ends ({out[-1]['to']})", "list periods in order, each "
                          "starting the day after the previous one ends, with no gap or overlap")
            if end is None and i != len(raw) - 1:
                self.fail(where, f"period {p['id']!r} has no end but is not the last", "give it a to date")
            deciding = p.get("deciding", [])
            for fact in deciding:
                if fact not in FACTS:
                    self.fail(self.line("period", i, "deciding"), f"period {p['id']!r}: unknown deciding fact "
                              f"{fact!r}", f"use one of: {', '.join(FACTS)}")
            if p["id"] in {o["id"] for o in out}:
                self.fail(where, f"period id {p['id']!r} appears twice", "give each period its own id")
            out.append({"id": p["id"], "from": start.isoformat(), "to": end.isoformat() if end else None,
                        "label_en": p["label_en"], "label_vi": p["label_vi"], "deciding": list(deciding),
                        "_index": i})
        return out

    def materials(self, raw) -> dict[str, dict]:
        if not isinstance(raw, list):
            self.fail(None, "no [[material]] tables", "describe each material in a [[material]] table")
        out = {}
        for i, m in enumerate(raw):
            mid = m.get("id")
            if mid != GENERIC_MATERIAL and mid not in FACTS["material"]:
                self.fail(self.line("material", i), f"material {mid!r} is not a known material",
                          f"use one of: {GENERIC_MATERIAL}, {_known('material')}")
            for key in ("label_en", "label_vi", *PLACEHOLDERS):
                if key not in m:
                    self.fail(self.line("material", i), f"material {mid!r} lacks {key}", f"add {key} = …")
            out[mid] = {k: (list(v) if isinstance(v, list) else v) for k, v in m.items() if k != "id"}
            out[mid]["_index"] = i
        missing = [m for m in (GENERIC_MATERIAL, *FACTS["material"]) if m not in out]
        if missing:
            self.fail(None, f"no [[material]] table for {', '.join(missing)}", "add one for each material")
        return out

    def rules(self, raw, periods: list[dict], materials: dict[str, dict]) -> list[dict]:
        if not isinstance(raw, list) or not raw:
            self.fail(None, "no [[rule]] tables", "write the rules as [[rule]] tables")
        by_id = {p["id"]: p for p in periods}
        out = []
        for i, r in enumerate(raw):
            where = self.line("rule", i)
            missing = [k for k in ("id", "periods", "verdict", "cites", "summary_en", "summary_vi") if k not in r]
            if missing:
                self.fail(where, f"rule #{i + 1} lacks {', '.join(missing)}", "add the missing keys")
            rid = r["id"]
            if r["verdict"] not in VERDICTS:
                self.fail(self.line("rule", i, "verdict"), f"rule {rid!r}: verdict {r['verdict']!r} is unknown",
                          f"use one of: {', '.join(VERDICTS)}")
            for pid in r["periods"]:
                if pid not in by_id:
                    self.fail(self.line("rule", i, "periods"), f"rule {rid!r} names period {pid!r}, which no "
                              "[[period]] defines", f"use one of: {', '.join(by_id)}")
            when = r.get("when", {})
            for fact, value in when.items():
                values = value if isinstance(value, list) else [value]
                if fact not in FACTS or any(v not in FACTS[fact] for v in values):
                    self.fail(self.line("rule", i, "when"), f"rule {rid!r}: when {fact} = {value!r} is not a "
                              "known fact value", f"use {', '.join(FACTS)} with values: {_known(fact)}")
            rule = {"id": rid, "periods": list(r["periods"]), "when": when, "verdict": r["verdict"],
                    "cites": list(r["cites"]), "summary_en": r["summary_en"], "summary_vi": r["summary_vi"],
                    "conditions": [self.point(i, rid, c, "condition") for c in r.get("condition", [])],
                    "duties": [self.point(i, rid, c, "duty") for c in r.get("duty", [])],
                    "open": [self.point(i, rid, c, "open") for c in r.get("open", [])]}
            self.check_rule_ids(i, rule, [by_id[p] for p in rule["periods"]], materials)
            out.append(rule)
        for p in periods:
            if not any(p["id"] in r["periods"] and not r["when"] for r in out):
                self.fail(self.line("period", p["_index"]), f"period {p['id']!r} has no rule without `when`, so "
                          "some facts would get no verdict", "end its rules with one that has no `when`")
        self.check_material_notes(materials, periods)
        for m in materials.values():
            del m["_index"]
        return out

    def point(self, i: int, rid: str, c: dict, kind: str) -> dict:
        missing = [k for k in ("text_en", "text_vi", "cites") if k not in c]
        if missing:
            self.fail(self.line("rule", i, f"[[rule.{kind}]]"), f"a {kind} of rule {rid!r} lacks "
                      f"{', '.join(missing)}", "give it text_en, text_vi and cites")
        out = {"text_en": c["text_en"], "text_vi": c["text_vi"], "cites": list(c["cites"])}
        if kind == "condition" and "fact" in c:
            fact = c["fact"]
            if fact not in FACTS or any(v not in FACTS[fact] for v in c.get("met", []) + c.get("not_met", [])):
                self.fail(self.line("rule", i, f"fact = \"{fact}\""), f"a condition of rule {rid!r} reads fact "
                          f"{fact!r} with values that are not known", f"use one of {', '.join(FACTS)} with "
                          f"values: {_known(fact) if fact in FACTS else '…'}")
            out.update(fact=fact, met=list(c.get("met", [])), not_met=list(c.get("not_met", [])))
        return out

    def check_rule_ids(self, i: int, rule: dict, periods: list[dict], materials: dict[str, dict]) -> None:
        lists = [rule["cites"]] + [p["cites"] for key in ("conditions", "duties", "open") for p in rule[key]]
        for cites in lists:
            for ref in cites:
                if ref.startswith("@"):
                    if ref[1:] not in PLACEHOLDERS:
                        self.fail(self.line("rule", i, ref), f"rule {rule['id']!r}: {ref} is not a material "
                                  "placeholder", f"use one of: {', '.join('@' + p for p in PLACEHOLDERS)}")
                    for mid, m in materials.items():
                        for pid in m[ref[1:]]:
                            for period in periods:
                                self.in_force(pid, period, self.line("material", m["_index"], f'"{pid}"'),
                                              f"material {mid!r} ({ref} in rule {rule['id']!r})")
                    continue
                for period in periods:
                    self.in_force(ref, period, self.line("rule", i, f'"{ref}"'), f"rule {rule['id']!r}")

    def check_material_notes(self, materials: dict[str, dict], periods: list[dict]) -> None:
        for mid, m in materials.items():
            for pid in m.get("note_cites", []):
                for period in periods:
                    self.in_force(pid, period, self.line("material", m["_index"], f'"{pid}"'), f"material {mid!r}")

    def in_force(self, pid: str, period: dict, where: int | None, who: str) -> None:
        instrument = pid.split(":", 1)[0]
        if instrument in self.skipped:
            self.fail(where, f"{who} cites {pid}, but {instrument} was left out of this build because of an error "
                      "in its file (reported separately)", "fix that file; these rules come back with it")
        if pid not in self.versions:
            self.fail(where, f"{who} cites {pid}, which does not exist in the corpus",
                      "correct the provision id (instrument:article.clause.point, as in the index)")
        start, end = date.fromisoformat(period["from"]), _day(period["to"])
        gap = first_gap(self.versions[pid], start, end)
        if gap is not None:
            held = ", ".join(f"{v.valid_from}..{v.valid_to or 'open'}" for v in self.versions[pid]
                             if v.status == IN_FORCE)
            self.fail(where, f"{who} cites {pid}, which is not in force on {gap}, inside period {period['id']!r} "
                      f"({period['from']}..{period['to'] or 'open'}); in force: {held or 'never'}",
                      "cite it only in periods within its dates, or split the period where it starts or ends")


def first_gap(versions: list[Provision], start: date, end: date | None) -> date | None:
    """The first day in [start, end] (end None: open) on which no in-force version of the provision holds."""
    day = start
    spans = sorted((v.valid_from, v.valid_to) for v in versions if v.status == IN_FORCE)
    while True:
        span = next((s for s in spans if s[0] <= day and (s[1] is None or day <= s[1])), None)
        if span is None:
            return day
        if span[1] is None or (end is not None and span[1] >= end):
            return None
        day = span[1] + timedelta(days=1)


def _day(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _value(fact: str, key: str):
    return {"true": True, "false": False}.get(key, key) if FACTS.get(fact) == (True, False) else key


def _known(fact: str) -> str:
    return ", ".join(str(v).lower() if isinstance(v, bool) else v for v in FACTS.get(fact, ()))
