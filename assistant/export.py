"""An answer as a Markdown file a user can keep: the answer, then every citation with its verbatim text, its
unofficial English, dates and status, so the file stands on its own without the app."""
from __future__ import annotations

from assistant.contract import Answer, Citation


def to_markdown(answer: Answer) -> str:
    lines = [f"# vnip answer — law applied as of {answer.as_of}", "",
             f"**Question:** {_one_line(answer.question)}", "",
             f"*Mode: {answer.mode}. Corpus: latest change in force {answer.corpus_horizon}.*", "",
             answer.answer, ""]
    # the answer already leads with the assessment; its cards come first among the sources below
    if answer.citations:
        lines += ["## Sources, verbatim", ""]
    for n, c in enumerate(answer.citations, 1):
        lines += _citation(n, c)
    return "\n".join(lines).rstrip() + "\n"


def _citation(n: int, c: Citation) -> list[str]:
    where = f", page {c.page}" if c.page else ""
    out = [f"### [{n}] {c.label}{where}", "", f"{c.label_vi} · id `{c.id}` · {_status(c)}", ""]
    out += ["**Vietnamese (official text, transcription not checked against the gazette):**" if c.kind == "statute"
            else f"**Text ({c.kind}):**", ""]
    out += ["> " + line for line in c.text.split("\n")] + [""]
    if c.provenance:
        out += [f"*Source: {c.provenance}*", ""]
    if c.translation:
        out += ["**English (unofficial translation by the vnip project, not reviewed):**", ""]
        out += ["> " + line for line in c.translation.split("\n")] + [""]
    return out


def _status(c: Citation) -> str:
    parts = [f"in force {c.valid_from} – {c.valid_to or 'open'}" if c.valid_from else c.kind]
    if c.role == "assessment":
        parts.insert(0, "grounds the assessment")
    if c.amended_by:
        parts.append(f"wording from {c.amended_by}")
    if c.later_version_from:
        parts.append(f"a later version applies from {c.later_version_from}")
    if c.status != "in_force":
        parts.append(c.status.replace("_", " "))
    if c.role == "not_in_force":
        parts.append("NOT in force on the date applied (shown because asked about)")
    return "; ".join(parts)


def _one_line(text: str) -> str:
    return " ".join(text.split())
